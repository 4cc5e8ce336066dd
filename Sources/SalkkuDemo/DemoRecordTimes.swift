import Foundation
import GRDB
import SalkkuCore
import SalkkuStore
import Synchronization

/// The record times of the demo: every record is written as it would have been recorded, so that both clocks
/// show something. The cities started using Salkku thirty months before the demo is loaded and brought their
/// history with them on that day; what happened later was recorded when it happened (contracts when signed,
/// measurements days after each period, corrections and dispute decisions later still).
final class DemoRecordTimes: Sendable {
    /// When the demo is loaded; nothing is recorded after it.
    let loadedAt: Timestamp
    let today: LocalDate
    private let current: Mutex<Timestamp>

    init(loadedAt: Timestamp) {
        self.loadedAt = loadedAt
        today = HelsinkiCalendar.date(at: loadedAt)
        current = Mutex(loadedAt)
    }

    var thisMonth: LocalDate { LocalDate(year: today.year, month: today.month, day: 1)! }

    /// The record time the next write gets.
    var now: Timestamp { current.withLock { $0 } }

    /// The day city number `cityIndex` loaded its records into Salkku.
    func adoption(cityIndex: Int) -> LocalDate { thisMonth.adding(months: -30).adding(days: 6 + 7 * cityIndex) }

    /// The next writes are recorded on `date` at `hour`:`minute` Helsinki time, but never after the demo is loaded.
    func record(on date: LocalDate, hour: Int = 9, minute: Int = 0) {
        let startOfDay = HelsinkiCalendar.endOfDay(date.adding(days: -1)).millisecondsSinceEpoch + 1
        let instant = Timestamp(millisecondsSinceEpoch: startOfDay + Int64(hour * 3_600_000 + minute * 60_000))
        current.withLock { $0 = min(instant, Timestamp(millisecondsSinceEpoch: loadedAt.millisecondsSinceEpoch - 60_000)) }
    }

    /// A record of a fact dated `date` (signed, reported, assessed): recorded `afterDays` later, or on the city's
    /// adoption day when that came later.
    func record(fact date: LocalDate, afterDays: Int = 0, cityIndex: Int, hour: Int = 10) {
        record(on: max(date.adding(days: afterDays), adoption(cityIndex: cityIndex)), hour: hour)
    }
}
