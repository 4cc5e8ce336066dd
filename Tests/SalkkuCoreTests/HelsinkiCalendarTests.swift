import Foundation
import Testing

@testable import SalkkuCore

/// Helsinki's offsets, computed without the machine's tz database, agree with it wherever it knows Europe/Helsinki.
@Suite struct HelsinkiOffsetHistoryTests {
    @Test func offsetsAgreeWithTheTzDatabaseFromMay1921() throws {
        guard let helsinki = TimeZone(identifier: "Europe/Helsinki") else { return }
        // Every three hours is finer than any summer-time transition is apart; 2037 is as far as tz rules are listed.
        let from = Timestamp(millisecondsSinceEpoch: -1_533_254_400_000)   // 1921-06-01T00:00:00Z, after Helsinki mean time
        let until = Timestamp(millisecondsSinceEpoch: 2_145_916_800_000)   // 2038-01-01T00:00:00Z
        var ms = from.millisecondsSinceEpoch + 30 * 60_000
        var disagreements: [String] = []
        while ms < until.millisecondsSinceEpoch, disagreements.count < 5 {
            let expected = Int64(helsinki.secondsFromGMT(for: Date(timeIntervalSince1970: Double(ms) / 1000))) * 1000
            let computed = HelsinkiCalendar.offsetMilliseconds(at: Timestamp(millisecondsSinceEpoch: ms))
            if expected != computed { disagreements.append("\(Timestamp(millisecondsSinceEpoch: ms)): \(computed) vs tz \(expected)") }
            ms += 3 * 3_600_000
        }
        #expect(disagreements.isEmpty, "\(disagreements)")
    }

    @Test(arguments: [
        ("1980-07-01T12:00:00Z", 2), ("1942-06-01T12:00:00Z", 3), ("1981-03-29T00:30:00Z", 3), ("1981-03-28T23:30:00Z", 2),
        ("1990-09-30T00:30:00Z", 3), ("1990-09-30T01:30:00Z", 2), ("1990-10-15T12:00:00Z", 2), ("2026-10-25T00:30:00Z", 3),
        ("2026-10-25T01:30:00Z", 2), ("1930-07-01T12:00:00Z", 2),
    ])
    func summerTimeAsFinlandKeptIt(instant: String, hours: Int64) throws {
        let timestamp = try #require(Timestamp(rfc3339: instant))
        #expect(HelsinkiCalendar.offsetMilliseconds(at: timestamp) == hours * 3_600_000)
    }
}
