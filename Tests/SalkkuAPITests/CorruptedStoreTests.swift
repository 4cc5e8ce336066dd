import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import Synchronization
import SalkkuCore
import SalkkuStore
import Testing

@testable import SalkkuAPI

// Issue 16's attack on stored data: a row edited behind the server's back (CHECK constraints ignored, or a history
// table, which has none) is the server's fault, so a read of it may fail, but only with a clean 500 problem+json,
// never by stopping the process. Reads that could take the process down run in an exit test (a child process), so
// that a crash fails that test instead of ending the run.

/// A small portfolio with one record of every kind, and the paths that read them.
struct CorruptionWorld {
    let app: TestApp
    var ids: [String: String] = [:]

    /// `{city}` and the other placeholders replaced by the records' ids.
    func path(_ template: String) -> String {
        ids.reduce(template) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }

    static let createdAt = "2026-11-23T08:00:00Z"
    /// After every record was created, before the corruption.
    static let pastInstant = "2026-11-23T09:00:00.000Z"

    static func make() async throws -> CorruptionWorld {
        let app = try TestApp(now: createdAt)
        let made = Mutex(CorruptionWorld(app: app))
        try await app.run { client in
            var world: CorruptionWorld { made.withLock { $0 } }
            func create(_ key: String, _ path: String, _ body: String, method: HTTPRequest.Method = .post) async throws -> JSONValue {
                let response = try await client.send(method, world.path(path), body: body)
                #expect(response.status == .created, "\(key): \(response.text)")
                let json = try response.json()
                if let id = json["id"]?.string { made.withLock { $0.ids[key] = id } }
                return json
            }
            _ = try await create("city", "/v1/cities", Bodies.city)
            _ = try await create("supplier", "/v1/suppliers", #"{"name": "Toimittaja Oy", "businessId": "0112038-9", "kind": "commercial", "contact": {"email": "a@b.fi"}}"#)
            _ = try await create("service", "/v1/cities/{city}/services", Bodies.service(providerId: world.ids["supplier"]!)
                .replacingOccurrences(of: #""criticality""#, with: #""lifecycleDates": {"active": "2020-01-01"}, "criticality""#))
            _ = try await create("contract", "/v1/cities/{city}/contracts", """
                {"title": "Sopimus", "supplierId": "\(world.ids["supplier"]!)", "category": "services", "procedure": "open",
                 "totalValueCents": 100000000, "annualValueCents": 12000000, "startDate": "2025-01-01", "initialEndDate": "2026-12-31",
                 "options": [{"months": 12, "exercised": false}], "renewal": "tacit", "renewalPeriodMonths": 12, "noticePeriodMonths": 3,
                 "managedBy": "central", "serviceIds": ["\(world.ids["service"]!)"], "serviceCreditCapPercent": 50}
                """)
            _ = try await create("sla", "/v1/cities/{city}/slas", """
                {"contractId": "\(world.ids["contract"]!)", "serviceId": "\(world.ids["service"]!)", "name": "Saatavuus",
                 "metric": "availability", "unit": "percent", "target": 99.5, "period": "month", "serviceCreditPercent": 5}
                """)
            _ = try await create("measurement", "/v1/cities/{city}/slas/{sla}/measurements/2026-01",
                                 #"{"value": 98.25, "source": "monitoring", "note": "huono kuukausi"}"#, method: .put)
            _ = try await create("measurement2", "/v1/cities/{city}/slas/{sla}/measurements/2026-02",
                                 #"{"value": 97, "source": "monitoring"}"#, method: .put)
            let disputed = try await client.send(.patch, world.path("/v1/cities/{city}/slas/{sla}/measurements/2026-02"),
                                                 body: #"{"dispute": {"status": "open", "note": "kiistetty"}}"#)
            #expect(disputed.status == .ok, "\(disputed.text)")
            _ = try await create("project", "/v1/cities/{city}/projects", """
                {"name": "Hanke", "sector": "administration", "owner": {"name": "Omistaja"}, "phase": "execution", "health": "at-risk",
                 "budgetCents": 1000000, "actualCostCents": 500000, "startDate": "2026-01-01", "plannedEndDate": "2026-06-30",
                 "serviceIds": ["\(world.ids["service"]!)"], "supplierIds": ["\(world.ids["supplier"]!)"],
                 "portfolioDecision": {"decidedOn": "2025-12-01", "decidedBy": "Hallitus"}}
                """)
            _ = try await create("effort", "/v1/cities/{city}/effort-profile", """
                {"current": {"strategy": 10, "architectureAndInfrastructureDevelopment": 10, "serviceDevelopmentSupport": 20,
                 "purchasingAndPartnershipManagement": 10.5, "infrastructureMaintenanceAndSupport": 49.5}}
                """, method: .put)
            _ = try await create("governance", "/v1/cities/{city}/governance",
                                 #"{"centralItUnit": true, "ictStrategyApprovedOn": "2024-03-12", "sectorItUnits": 2, "evidence": {"centralItUnit": "Hallintosääntö"}}"#,
                                 method: .put)
            _ = try await create("assessment", "/v1/cities/{city}/assessments", """
                {"processId": "cobit-2019:APO10", "level": 3, "achievement": "largely", "targetLevel": 4, "assessedOn": "2026-11-01",
                 "assessor": "Tarkastus", "method": "internal-audit"}
                """)
            _ = try await create("capability", "/v1/cities/{city}/capabilities/strategic-ict-planning",
                                 #"{"sourcing": "own", "note": "itse"}"#, method: .put)
            _ = try await create("snapshot", "/v1/cities/{city}/maturity-snapshots", #"{"note": "raportti"}"#)
        }
        app.setNow("2026-11-23T10:00:00Z")
        return made.withLock { $0 }
    }

    /// What reads each table, now and at a past record time.
    static let reads: [String: [String]] = [
        "city": ["/v1/cities/{city}", "/v1/cities", "/v1/benchmark", "/v1/cities/{city}/maturity"],
        "supplier": ["/v1/suppliers/{supplier}", "/v1/suppliers", "/v1/cities/{city}/contracts/{contract}",
                     "/v1/cities/{city}/contract-deadlines?within=3650", "/v1/supplier-scorecards?from=2026-01&to=2026-10",
                     "/v1/cities/{city}/maturity", "/v1/cities/{city}/portfolio-summary"],
        "service": ["/v1/cities/{city}/services/{service}", "/v1/cities/{city}/services", "/v1/cities/{city}/portfolio-summary",
                    "/v1/cities/{city}/maturity", "/v1/cities/{city}/capabilities/strategic-ict-planning/portfolio"],
        "contract": ["/v1/cities/{city}/contracts/{contract}", "/v1/cities/{city}/contracts", "/v1/cities/{city}/contract-deadlines?within=3650",
                     "/v1/cities/{city}/portfolio-summary", "/v1/cities/{city}/slas/{sla}", "/v1/cities/{city}/slas",
                     "/v1/cities/{city}/sla-compliance?from=2026-01&to=2026-10", "/v1/cities/{city}/sla-breaches?from=2026-01&to=2026-10",
                     "/v1/cities/{city}/sla-missing-reports?from=2026-01&to=2026-10", "/v1/cities/{city}/maturity", "/v1/benchmark",
                     "/v1/supplier-scorecards?from=2026-01&to=2026-10"],
        "sla": ["/v1/cities/{city}/slas/{sla}", "/v1/cities/{city}/slas", "/v1/cities/{city}/slas/{sla}/measurements",
                "/v1/cities/{city}/sla-compliance?from=2026-01&to=2026-10", "/v1/cities/{city}/sla-compliance/trend?from=2026-01&to=2026-10",
                "/v1/cities/{city}/sla-breaches?from=2026-01&to=2026-10", "/v1/cities/{city}/sla-missing-reports?from=2026-01&to=2026-10",
                "/v1/cities/{city}/maturity", "/v1/supplier-scorecards?from=2026-01&to=2026-10"],
        "measurement": ["/v1/cities/{city}/slas/{sla}/measurements/2026-01", "/v1/cities/{city}/slas/{sla}/measurements",
                        "/v1/cities/{city}/sla-measurements",
                        "/v1/cities/{city}/sla-compliance?from=2026-01&to=2026-10", "/v1/cities/{city}/sla-compliance/trend?from=2026-01&to=2026-10",
                        "/v1/cities/{city}/sla-breaches?from=2026-01&to=2026-10", "/v1/cities/{city}/sla-missing-reports?from=2026-01&to=2026-10",
                        "/v1/cities/{city}/maturity", "/v1/supplier-scorecards?from=2026-01&to=2026-10"],
        "project": ["/v1/cities/{city}/projects/{project}", "/v1/cities/{city}/projects", "/v1/cities/{city}/portfolio-summary",
                    "/v1/cities/{city}/maturity"],
        "effort_profile": ["/v1/cities/{city}/effort-profile", "/v1/cities/{city}/maturity", "/v1/benchmark"],
        "governance_facts": ["/v1/cities/{city}/governance", "/v1/cities/{city}/maturity", "/v1/benchmark"],
        "assessment": ["/v1/cities/{city}/assessments/{assessment}", "/v1/cities/{city}/assessments", "/v1/cities/{city}/process-profile",
                       "/v1/cities/{city}/maturity"],
        "maturity_snapshot": ["/v1/cities/{city}/maturity-snapshots"],
        "capability_sourcing": ["/v1/cities/{city}/capabilities"],
    ]

    static let keys: [String: String] = [
        "city": "city", "supplier": "supplier", "service": "service", "contract": "contract", "sla": "sla", "measurement": "measurement",
        "project": "project", "effort_profile": "effort", "governance_facts": "governance", "assessment": "assessment",
        "maturity_snapshot": "snapshot", "capability_sourcing": "capability",
    ]

    /// Sets `column` of the record of `table` (and of its current history version) to the SQL `value`, ignoring CHECK
    /// constraints, then reads it every way, now and at a past record time, and writes it (a PATCH where the table has
    /// one). Returns each request with its answer.
    func corruptAndRead(_ table: String, _ column: String, _ value: String, patch: String = "{}") async throws -> [(path: String, status: Int, body: String)] {
        try corrupt(["UPDATE \(table) SET \(column) = \(value) WHERE id = '{\(Self.keys[table]!)}'",
                     "UPDATE \(table)_history SET \(column) = \(value) WHERE id = '{\(Self.keys[table]!)}'"])
        return try await read(table, patch: patch)
    }

    /// Runs statements with CHECK constraints and foreign keys off; `{city}` and the like name the records.
    func corrupt(_ statements: [String]) throws {
        try app.database.writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            for statement in statements { try db.execute(sql: path(statement)) }
            try db.execute(sql: "PRAGMA ignore_check_constraints = OFF")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
    }

    /// Every read of `table`'s records, now and at a past record time, a PATCH where the table has one, and `/healthz`.
    func read(_ table: String, patch: String = "{}") async throws -> [(path: String, status: Int, body: String)] {
        let answers = Mutex<[(path: String, status: Int, body: String)]>([])
        try await app.run { client in
            for template in Self.reads[table]! {
                for suffix in ["", (template.contains("?") ? "&" : "?") + "asOf=\(Self.pastInstant)"] {
                    let path = self.path(template) + suffix
                    let response = try await client.send(.get, path)
                    answers.withLock { $0.append((path, Int(response.status.code), response.text)) }
                }
            }
            let patchable = ["city": "/v1/cities/{city}", "supplier": "/v1/suppliers/{supplier}", "service": "/v1/cities/{city}/services/{service}",
                             "contract": "/v1/cities/{city}/contracts/{contract}", "sla": "/v1/cities/{city}/slas/{sla}",
                             "project": "/v1/cities/{city}/projects/{project}",
                             "measurement": "/v1/cities/{city}/slas/{sla}/measurements/2026-01"]
            if let template = patchable[table] {
                let response = try await client.send(.patch, self.path(template), body: patch)
                answers.withLock { $0.append(("PATCH " + self.path(template), Int(response.status.code), response.text)) }
            }
            let health = try await client.send(.get, "/healthz")
            answers.withLock { $0.append(("/healthz", Int(health.status.code), health.text)) }
        }
        return answers.withLock { $0 }
    }
}

func isClean(_ answer: (path: String, status: Int, body: String)) -> Bool {
    (200..<300).contains(answer.status) || (answer.status == 422 && answer.path.hasPrefix("PATCH"))
        || (answer.status == 500 && answer.body.contains("/problems/internal") && !answer.body.contains("StoredValueError"))
}

/// For an exit test: any answer that is not clean ends the process with a failure, naming the answer.
func exitUnlessClean(_ answers: [(path: String, status: Int, body: String)]) {
    for answer in answers where !isClean(answer) {
        FileHandle.standardError.write(Data("\(answer.path) answered \(answer.status) \(answer.body.prefix(300))\n".utf8))
        exit(3)
    }
}

/// Every answer is a 2xx or a clean 500 problem+json; with `unreadable`, the record's own read is a 500.
private func expectClean(_ answers: [(path: String, status: Int, body: String)], _ what: String, unreadable: Bool,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    for answer in answers {
        #expect(isClean(answer), "\(what): \(answer.path) answered \(answer.status) \(answer.body.prefix(300))", sourceLocation: sourceLocation)
    }
    if unreadable, let first = answers.first {
        #expect(first.status == 500, "\(what): \(first.path) read a corrupted value as \(first.status) \(first.body.prefix(300))",
                sourceLocation: sourceLocation)
    }
}

@Suite(.serialized) struct CorruptedStoreTests {
    /// Values the decoders cannot read: malformed JSON, JSON of the wrong shape, texts in integer columns, impossible
    /// dates, instants and enumeration values.
    static let unreadable: [(table: String, column: String, value: String)] = [
        ("city", "name", "'not json'"), ("city", "name", "'[1,2]'"), ("city", "name", #"'{"sv": "x"}'"#), ("city", "population", "'many'"),
        ("city", "createdAt", "'yesterday'"), ("city", "version", "'x'"),
        ("supplier", "contact", #"'{"email": 5}'"#), ("supplier", "contact", "'{'"), ("supplier", "kind", "'friend'"),
        ("supplier", "name", "x'00ff'"), ("supplier", "updatedAt", "'2026-11-23T25:00:00Z'"),
        ("service", "owner", "'[1,2]'"), ("service", "owner", #"'{"name": null}'"#), ("service", "lifecycleDates", #"'{"active": "2026-02-30"}'"#),
        ("service", "capabilityIds", "'\"x\"'"), ("service", "capabilityIds", "'[1]'"), ("service", "annualCostCents", "12.5"),
        ("contract", "options", #"'[{"months": "x", "exercised": true}]'"#), ("contract", "options", #"'[{"exercised": true}]'"#),
        ("contract", "serviceIds", "'[5]'"), ("contract", "startDate", "'2026-13-01'"), ("contract", "startDate", "'0000-01-01'"),
        ("contract", "totalValueCents", "'many'"), ("contract", "renewal", "'sometimes'"),
        ("sla", "target", "'high'"), ("sla", "target", "99.5"), ("sla", "metric", "'speed'"), ("sla", "validFrom", "'someday'"),
        ("sla", "processIds", "'{}'"),
        ("measurement", "value", "'x'"), ("measurement", "dispute", #"'{"status": "maybe"}'"#), ("measurement", "dispute", "'\"open\"'"),
        ("measurement", "reportedAt", "'2026-02-30T00:00:00Z'"), ("measurement", "reportedAt", "'2026-03-01'"),
        ("project", "owner", "'null'"), ("project", "portfolioDecision", "'{}'"), ("project", "portfolioDecision", #"'{"decidedOn": "x", "decidedBy": "y"}'"#),
        ("project", "supplierIds", "'[1]'"), ("project", "priority", "'top'"),
        ("effort_profile", "current", "'{}'"), ("effort_profile", "current", #"'{"strategy": 1e400}'"#),
        ("effort_profile", "target",
         #"'{"strategy": 1e300, "architectureAndInfrastructureDevelopment": 0, "serviceDevelopmentSupport": 0, "purchasingAndPartnershipManagement": 0, "infrastructureMaintenanceAndSupport": 0}'"#),
        ("effort_profile", "target",
         #"'{"strategy": 0.0001, "architectureAndInfrastructureDevelopment": 0, "serviceDevelopmentSupport": 0, "purchasingAndPartnershipManagement": 0, "infrastructureMaintenanceAndSupport": 0}'"#),
        ("governance_facts", "evidence", "'[]'"), ("governance_facts", "evidence", #"'{"centralItUnit": 1}'"#),
        ("governance_facts", "ictStrategyApprovedOn", "'2024-3-12'"), ("governance_facts", "centralItUnit", "'yes'"),
        ("assessment", "achievement", "'mostly'"), ("assessment", "assessedOn", "20261101"), ("assessment", "level", "'three'"),
        ("maturity_snapshot", "maturity", "'not json'"), ("maturity_snapshot", "asOf", "'now'"), ("maturity_snapshot", "stage", "'two'"),
        ("capability_sourcing", "sourcing", "'borrowed'"),
    ]

    @Test func unreadableStoredValuesAreACleanInternalError() async throws {
        for corruption in Self.unreadable {
            let what = "\(corruption.table).\(corruption.column) = \(corruption.value)"
            do {
                let world = try await CorruptionWorld.make()
                expectClean(try await world.corruptAndRead(corruption.table, corruption.column, corruption.value), what, unreadable: true)
            } catch {
                Issue.record("\(what): \(error)")
            }
        }
    }
}

/// Stored values that read well but lie outside what the API ever writes (CHECK constraints ignored, or a history
/// table, which has none): arithmetic on them, or GRDB's converting subscripts, must not stop the process. Each runs
/// in a child process; a crash fails the test with the child's last words.
@Suite struct CorruptedStoreCrashTests {
    @Test func optionMonthsBeyondAnyCalendar() async {
        await #expect(processExitsWith: .success, "contract.options months = Int64.max") {
            let world = try await CorruptionWorld.make()
            exitUnlessClean(try await world.corruptAndRead("contract", "options", #"'[{"exercised": true, "months": 9223372036854775807}]'"#))
        }
    }

    @Test func optionMonthsThatOverflowTogether() async {
        await #expect(processExitsWith: .success, "contract.options two of 2^62 months") {
            let world = try await CorruptionWorld.make()
            exitUnlessClean(try await world.corruptAndRead("contract", "options",
                #"'[{"exercised": true, "months": 4611686018427387904}, {"exercised": true, "months": 4611686018427387904}]'"#))
        }
    }

    // Stops at `-noticePeriodMonths` (ContractTerms.evaluated / warnings): negating Int64.min overflows.
    @Test func theMostNegativeNoticePeriod() async {
        // Open (issue 16's note): a value out of every range the API accepts, edited into the file, still traps
        // in arithmetic that assumes the CHECK constraints held.
        await withKnownIssue("stored values out of the API's ranges are not yet refused on reading") {
            await #expect(processExitsWith: .success, "contract.noticePeriodMonths = Int64.min") {
                let world = try await CorruptionWorld.make()
                exitUnlessClean(try await world.corruptAndRead("contract", "noticePeriodMonths", "-9223372036854775808"))
            }
        }
    }

    // Stops in ContractTerms.renewalsBeforeNotice: `months + period - 1` overflows.
    @Test func theLongestRenewalPeriod() async {
        // Open (issue 16's note): a value out of every range the API accepts, edited into the file, still traps
        // in arithmetic that assumes the CHECK constraints held.
        await withKnownIssue("stored values out of the API's ranges are not yet refused on reading") {
            await #expect(processExitsWith: .success, "contract.renewalPeriodMonths = Int64.max") {
                let world = try await CorruptionWorld.make()
                exitUnlessClean(try await world.corruptAndRead("contract", "renewalPeriodMonths", "9223372036854775807"))
            }
        }
    }

    @Test func theLargestContractValue() async {
        await #expect(processExitsWith: .success, "contract.totalValueCents and annualValueCents = Int64.max") {
            let world = try await CorruptionWorld.make()
            try world.corrupt(["UPDATE contract SET annualValueCents = 9223372036854775807 WHERE id = '{contract}'",
                               "UPDATE contract_history SET annualValueCents = 9223372036854775807 WHERE id = '{contract}'"])
            exitUnlessClean(try await world.corruptAndRead("contract", "totalValueCents", "9223372036854775807"))
        }
    }

    // Stops in ComplianceRules.creditCents: dividingFullWidth traps when the quotient exceeds 64 bits.
    @Test func theLargestServiceCreditPercentage() async {
        await #expect(processExitsWith: .success, "sla.serviceCreditPercent = Int64.max") {
            let world = try await CorruptionWorld.make()
            exitUnlessClean(try await world.corruptAndRead("sla", "serviceCreditPercent", "9223372036854775807"))
        }
    }

    // Stops in ExactDecimal.description (`abs` of Int64.min) writing the SLA, then in shortfalls.
    @Test func theMostNegativeTarget() async {
        await #expect(processExitsWith: .success, "sla.target = Int64.min") {
            let world = try await CorruptionWorld.make()
            exitUnlessClean(try await world.corruptAndRead("sla", "target", "-9223372036854775808"))
        }
    }

    // Stops in ExactDecimal.description (`abs` of Int64.min) writing the measurement.
    @Test func theMostNegativeMeasuredValue() async {
        // Open (issue 16's note): a value out of every range the API accepts, edited into the file, still traps
        // in arithmetic that assumes the CHECK constraints held.
        await withKnownIssue("stored values out of the API's ranges are not yet refused on reading") {
            await #expect(processExitsWith: .success, "measurement.value = Int64.min") {
                let world = try await CorruptionWorld.make()
                exitUnlessClean(try await world.corruptAndRead("measurement", "value", "-9223372036854775808"))
            }
        }
    }

    @Test func aMonthThirteenThatTheCheckLetsThrough() async {
        // '2025-13' matches the column's GLOB check, so no constraint needs ignoring; its derived month is 2026-01's, in
        // range of the reports, which read the period through GRDB's converting subscript.
        await #expect(processExitsWith: .success, "measurement.period = '2025-13'") {
            let world = try await CorruptionWorld.make()
            try world.corrupt(["UPDATE measurement SET period = '2025-13' WHERE id = '{measurement}'",
                               "UPDATE measurement_history SET period = '2025-13' WHERE id = '{measurement}'"])
            exitUnlessClean(try await world.read("sla"))
        }
    }

    @Test func anUnreadableInstantInTheHistory() async {
        await #expect(processExitsWith: .success, "sla_history.recordedFrom = 'x'") {
            let world = try await CorruptionWorld.make()
            try world.corrupt(["UPDATE sla_history SET recordedFrom = 'x' WHERE id = '{sla}'"])
            exitUnlessClean(try await world.read("sla"))
        }
    }

    @Test func anUnreadablePercentageInTheHistory() async {
        await #expect(processExitsWith: .success, "sla_history.serviceCreditPercent = 'x'") {
            let world = try await CorruptionWorld.make()
            try world.corrupt(["UPDATE sla_history SET serviceCreditPercent = 'x' WHERE id = '{sla}'"])
            exitUnlessClean(try await world.read("sla"))
        }
    }

    // Stops in AssessmentFields.reachedLevel / ProcessStanding gap arithmetic.
    @Test func theMostNegativeAssessedLevel() async {
        // Open (issue 16's note): a value out of every range the API accepts, edited into the file, still traps
        // in arithmetic that assumes the CHECK constraints held.
        await withKnownIssue("stored values out of the API's ranges are not yet refused on reading") {
            await #expect(processExitsWith: .success, "assessment.level = Int64.min") {
                let world = try await CorruptionWorld.make()
                exitUnlessClean(try await world.corruptAndRead("assessment", "level", "-9223372036854775808"))
            }
        }
    }

    @Test func theLargestProjectCost() async {
        await #expect(processExitsWith: .success, "project.actualCostCents = Int64.max") {
            let world = try await CorruptionWorld.make()
            exitUnlessClean(try await world.corruptAndRead("project", "actualCostCents", "9223372036854775807"))
        }
    }

    @Test func theLargestServiceCost() async {
        await #expect(processExitsWith: .success, "service.annualCostCents = Int64.max") {
            let world = try await CorruptionWorld.make()
            exitUnlessClean(try await world.corruptAndRead("service", "annualCostCents", "9223372036854775807"))
        }
    }

    @Test func anUnreadableCreditCap() async {
        // Read by the credits of capped contracts through GRDB's converting subscript.
        await #expect(processExitsWith: .success, "contract.serviceCreditCapPercent = 'half'") {
            let world = try await CorruptionWorld.make()
            exitUnlessClean(try await world.corruptAndRead("contract", "serviceCreditCapPercent", "'half'"))
        }
    }

    @Test func theLastVersionNumber() async {
        await #expect(processExitsWith: .success, "contract.version = Int64.max, then a PATCH") {
            let world = try await CorruptionWorld.make()
            exitUnlessClean(try await world.corruptAndRead("contract", "version", "9223372036854775807", patch: #"{"title": "Uusi nimi"}"#))
        }
    }

    @Test func anUnreadableInstantInTheChangeLog() async {
        await #expect(processExitsWith: .success, "change.at = 'x' on the last entry") {
            let world = try await CorruptionWorld.make()
            try world.corrupt(["UPDATE change SET at = 'x' WHERE seq = (SELECT max(seq) FROM change)"])
            let answers = Mutex(try await world.read("city", patch: #"{"population": 5}"#))
            try await world.app.run { client in
                for path in ["/v1/audit-log?limit=1000", "/v1/changes?after=0&limit=1000", "/v1/cities/{city}/history", "/v1/audit-log/verify"] {
                    let response = try await client.send(.get, world.path(path))
                    answers.withLock { $0.append((path, Int(response.status.code), response.text)) }
                }
            }
            exitUnlessClean(answers.withLock { $0 })
        }
    }

    @Test func anUnreadableVersionInTheChangeLog() async {
        await #expect(processExitsWith: .success, "change.version = 'x'") {
            let world = try await CorruptionWorld.make()
            try world.corrupt(["UPDATE change SET version = 'x' WHERE resourceId = '{city}'"])
            let answers = Mutex<[(path: String, status: Int, body: String)]>([])
            try await world.app.run { client in
                for path in ["/v1/audit-log?limit=1000", "/v1/changes?after=0&limit=1000", "/v1/cities/{city}/history", "/v1/audit-log/verify"] {
                    let response = try await client.send(.get, world.path(path))
                    answers.withLock { $0.append((path, Int(response.status.code), response.text)) }
                }
            }
            exitUnlessClean(answers.withLock { $0 })
        }
    }
}
