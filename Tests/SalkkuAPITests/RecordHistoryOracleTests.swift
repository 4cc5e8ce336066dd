import Foundation
import Synchronization
import GRDB
import HummingbirdTesting
import SalkkuCore
import Testing

@testable import SalkkuAPI
@testable import SalkkuStore

/// As-of reads come from the history tables; the change log replayed into a fresh database (the way they were
/// answered before) is the oracle they must agree with, row for row and answer for answer.
@Suite struct RecordHistoryOracleTests {
    /// The demo, then months of edits, creations and deletions at advancing instants.
    static func editedDemo() throws -> TestApp {
        let app = try TestApp(demo: true, now: "2026-01-05T08:00:00Z")
        let database = app.database
        var random = SeededRandom(seed: 15)
        var instant = Timestamp(rfc3339: "2026-01-05T08:00:00Z")!.millisecondsSinceEpoch
        let cityIds = try database.allIds(CityFields.self)
        for step in 0..<120 {
            instant += Int64(random.below(3 * 86_400_000)) + 1
            app.setNow(Timestamp(millisecondsSinceEpoch: instant).description)
            let cityId = cityIds[random.below(cityIds.count)]
            switch step % 6 {
            case 0:
                try Self.updateOne(ServiceFields.self, in: database, cityId: cityId, random: &random) { fields, random in
                    fields.name = "Palvelu \(step)"
                    fields.annualCostCents = Int64(random.below(1_000_000)) * 100
                }
            case 1:
                try Self.updateOne(ContractFields.self, in: database, cityId: cityId, random: &random) { fields, random in
                    fields.title = "Sopimus \(step)"
                    fields.annualValueCents = Int64(random.below(5_000_000)) * 100
                }
            case 2:
                let measurements = try database.all(MeasurementFields.self, cityId: cityId)
                guard !measurements.isEmpty else { continue }
                let measurement = measurements[random.below(measurements.count)]
                try database.delete(MeasurementFields.self, id: measurement.meta.id, cityId: cityId, by: .demoSeed)
            case 3:
                try Self.updateOne(MeasurementFields.self, in: database, cityId: cityId, random: &random) { fields, random in
                    fields.value = ExactDecimal(thousandths: Int64(random.below(100_000)))
                }
            case 4:
                _ = try database.create(ServiceFields(name: "Uusi palvelu \(step)", sector: .educationCulture, owner: Owner(name: "Omistaja"),
                                                      lifecycle: .plan, providerId: nil, annualCostCents: nil, criticality: .low), cityId: cityId, by: .demoSeed)
            default:
                let projects = try database.all(ProjectFields.self, cityId: cityId)
                guard !projects.isEmpty else { continue }
                let project = projects[random.below(projects.count)]
                try database.delete(ProjectFields.self, id: project.meta.id, cityId: cityId, by: .demoSeed)
            }
        }
        return app
    }

    /// Changes one of the city's records of a kind, picked at random, when it has any.
    static func updateOne<F: StoredResource>(_ type: F.Type, in database: AppDatabase, cityId: String, random: inout SeededRandom,
                                             _ change: (inout F, inout SeededRandom) -> Void) throws {
        let records = try database.all(F.self, cityId: cityId)
        guard !records.isEmpty else { return }
        let record = records[random.below(records.count)]
        var fields = record.fields
        change(&fields, &random)
        _ = try database.update(F.self, id: record.meta.id, cityId: cityId, by: .demoSeed) { _ in fields }
    }

    /// Instants to compare at: random ones over the history from `from` on (the first write by default), and each
    /// side of some writes exactly.
    static func instants(_ database: AppDatabase, count: Int, fromLastCity: Bool = false) throws -> [Timestamp] {
        let ats = try database.reader.read { db in try Timestamp.fetchAll(db, sql: "SELECT DISTINCT at FROM change ORDER BY at") }
        let lastCity = try database.reader.read { db in
            try Timestamp.fetchOne(db, sql: "SELECT max(at) FROM change WHERE resourceType = 'city'")
        }
        guard let last = ats.last, let first = fromLastCity ? lastCity : ats.first else { return [] }
        var random = SeededRandom(seed: 3)
        var instants = (0..<count).map { _ in
            Timestamp(millisecondsSinceEpoch: first.millisecondsSinceEpoch - 1
                      + Int64(random.below(Int(last.millisecondsSinceEpoch - first.millisecondsSinceEpoch) + 2)))
        }
        for _ in 0..<4 {
            let at = ats[random.below(ats.count)]
            instants += [at, Timestamp(millisecondsSinceEpoch: at.millisecondsSinceEpoch - 1)]
        }
        return instants
    }

    @Test func everyTableAtEveryInstantEqualsTheReplay() async throws {
        let app = try Self.editedDemo()
        for instant in try Self.instants(app.database, count: 12) {
            let history = try app.database.asOf(instant)
            let replay = try app.database.replayedFromChangeLog(at: instant)
            for kind in RecordHistory.kinds {
                let sql = "SELECT * FROM \(kind.table) ORDER BY id"
                let fromHistory = try history.read { db in try Row.fetchAll(db, sql: sql) }
                let fromReplay = try replay.read { db in try Row.fetchAll(db, sql: sql) }
                #expect(fromHistory == fromReplay, "\(kind.table) at \(instant)")
            }
        }
    }

    /// Every read route that takes `asOf`, answered from the history, equals the same route answered by a server
    /// over the replayed database, evaluated on the same business date.
    @Test func everyAsOfAnswerEqualsTheReplay() async throws {
        let app = try Self.editedDemo()
        let months = "from=2025-01&to=2026-06"
        var answered = 0, asked = 0
        // From when every city had been recorded, so that most routes answer with a body.
        for instant in try Self.instants(app.database, count: 2, fromLastCity: true) {
            let replay = try app.database.replayedFromChangeLog(at: instant)
            let on = HelsinkiCalendar.date(at: instant)
            var paths = ["/v1/cities?limit=1000", "/v1/suppliers?limit=1000", "/v1/benchmark", "/v1/supplier-scorecards?\(months)"]
            for cityId in try app.database.allIds(CityFields.self) {
                let city = "/v1/cities/\(cityId)"
                paths += [city, "\(city)/portfolio-summary", "\(city)/contract-deadlines?within=400", "\(city)/maturity",
                          "\(city)/process-profile", "\(city)/capabilities", "\(city)/assessments?limit=1000",
                          "\(city)/sla-compliance?\(months)&groupBy=supplier", "\(city)/sla-compliance/trend?\(months)",
                          "\(city)/sla-breaches?\(months)&limit=1000", "\(city)/sla-missing-reports?\(months)",
                          "\(city)/governance", "\(city)/effort-profile"]
                for kind in ["services", "contracts", "slas", "projects"] { paths.append("\(city)/\(kind)?limit=1000") }
            }
            let replayed = try TestApp(database: replay)
            let allPaths = paths
            let expected = Mutex<[String: (Int, JSONValue?)]>([:])
            try await replayed.run { client in
                for path in allPaths {
                    let response = try await client.send(.get, path + (path.contains("?") ? "&" : "?") + "on=\(on)")
                    let answer = (Int(response.status.code), try? response.json().removingRecordTime())
                    expected.withLock { $0[path] = answer }
                }
            }
            let answers = expected.withLock { $0 }
            answered += answers.values.filter { $0.0 == 200 && $0.1 != nil }.count
            asked += allPaths.count
            let asOf = instant.description.replacingOccurrences(of: "+", with: "%2B")
            try await app.run { client in
                for path in allPaths {
                    let response = try await client.send(.get, path + (path.contains("?") ? "&" : "?") + "asOf=\(asOf)")
                    let answer = (Int(response.status.code), try? response.json().removingRecordTime())
                    #expect(answer.0 == answers[path]?.0, "\(path) at \(instant)")
                    #expect(answer.1 == answers[path]?.1, "\(path) at \(instant)")
                }
            }
        }
        // Most routes answer with a body; equal 404s alone would prove little.
        #expect(answered > asked / 2)
    }
}

extension JSONValue {
    /// The answer without the record time it states, which differs between a past read and a replay of it, and
    /// without service credits: they are owed at the fee in force in each breached period, which the history
    /// knows and a replay of one instant cannot (`TwoClocksTests.creditsUseTheFeeInForceAndTheCap` checks them).
    func removingRecordTime() -> JSONValue {
        switch self {
        case .object(let members):
            // A problem's detail names the record time ("no city had id … at …") where the replay cannot.
            // Its instance names the request, which differs between the two runs.
            let dropped = members["type"] == .string("/problems/not-found") ? ["detail", "instance"] : ["asOf", "serviceCreditsCents", "creditCents"]
            return .object(members.filter { !dropped.contains($0.key) }.mapValues { $0.removingRecordTime() })
        case .array(let items):
            return .array(items.map { $0.removingRecordTime() })
        default:
            return self
        }
    }
}

extension SeededRandom {
    /// A number from 0 up to, not including, `bound`.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }
}
