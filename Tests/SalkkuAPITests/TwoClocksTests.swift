import Foundation
import HummingbirdTesting
import SalkkuCore
import Testing

@testable import SalkkuAPI

/// `on` is the business date, `asOf` the record time; they answer different questions and never stand in for each other.
@Suite struct TwoClocksTests {
    /// The README's worked example: a contract recorded today that started in 2019.
    @Test func aContractRecordedTodayThatStartedIn2019() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let id = try await client.create(f.contracts, f.contract(start: "2019-03-01", initialEnd: "2023-02-28", extra: #", "options": [{"months": 48, "exercised": true}]"#))["id"]!.string!
            let onThatDay = try await client.send(.get, "\(f.contracts)/\(id)?on=2021-06-30")
            #expect(onThatDay.status == .ok)
            #expect(try onThatDay.json()["status"]?.string == "active")
            // The records of 30 June 2021 did not know the contract, nor the city.
            #expect(try await client.send(.get, "\(f.contracts)/\(id)?asOf=2021-06-30").status == .notFound)
            let summary = try await client.send(.get, "/v1/cities/\(f.cityId)/portfolio-summary?on=2021-06-30").json()
            #expect(summary["on"]?.string == "2021-06-30")
            #expect(summary["asOf"]?.string == "2026-11-23T10:00:00.000Z")
        }
    }

    @Test func asOfIsNeverInTheFutureAndOnFollowsIt() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            app.setNow("2026-11-25T10:00:00Z")
            let summary = "/v1/cities/\(f.cityId)/portfolio-summary"
            for query in ["asOf=2026-11-26", "asOf=2026-11-25T10:00:01Z", "asOf=2027-01-01T00:00:00%2B02:00"] {
                let response = try await client.send(.get, "\(summary)?\(query)")
                #expect(response.status == .unprocessableContent, "\(query)")
                #expect(try response.errorLocations() == ["asOf"])
            }
            // Today's date reads the records as they stand; a past instant sets the business date to its own day.
            #expect(try await client.send(.get, "\(summary)?asOf=2026-11-25").status == .ok)
            let past = try await client.send(.get, "\(summary)?asOf=2026-11-24T12:00:00Z").json()
            #expect(past["on"]?.string == "2026-11-24" && past["asOf"]?.string == "2026-11-24T12:00:00.000Z")
            let both = try await client.send(.get, "\(summary)?asOf=2026-11-24T12:00:00Z&on=2027-06-30").json()
            #expect(both["on"]?.string == "2027-06-30")
            #expect(try await client.send(.get, "\(summary)?on=2026-02-30").errorLocations() == ["on"])
        }
    }

    /// Every read route under a city answers 404 the same way at a record time before the city was recorded.
    @Test func aCityUnknownAtTheRecordTimeIs404OnEveryRoute() async throws {
        let app = try TestApp(demo: true)
        let helsinki = "019b76da-a800-7000-8000-000a00000000"
        let paths = try OpenAPIDocument().operations.keys.filter { $0.hasPrefix("GET /v1/cities/{cityId}") }
            .map { String($0.dropFirst(4)) }.sorted()
        #expect(paths.count > 20)
        try await app.run { client in
            for template in paths {
                let path = template.replacingOccurrences(of: "{cityId}", with: helsinki)
                    .replacingOccurrences(of: "{period}", with: "2025-01")
                    .replacingOccurrences(of: "{capabilityId}", with: "it-service-production")
                    .replacingOccurrences(of: #"\{[A-Za-z]+\}"#, with: "019b76da-a800-7000-8000-009800000000", options: .regularExpression)
                let response = try await client.send(.get, "\(path)?asOf=2000-01-01&from=2025-01&to=2025-12")
                #expect(response.status == .notFound, "\(template)")
                #expect(try response.json()["detail"]?.string == "no city had id \(helsinki) at 2000-01-01", "\(template)")
            }
        }
    }

    @Test func aFutureBusinessDateProjectsInsteadOfJudging() async throws {
        let app = try TestApp(demo: true)
        let helsinki = "/v1/cities/019b76da-a800-7000-8000-000a00000000"
        try await app.run { client in
            let today = HelsinkiCalendar.date(at: app.database.clock())
            let from = YearMonth(today).adding(-12), to = YearMonth(today).adding(12)
            let now = try await client.send(.get, "\(helsinki)/sla-compliance?from=\(from)&to=\(to)").json()["totals"]!
            let later = try await client.send(.get, "\(helsinki)/sla-compliance?from=\(from)&to=\(to)&on=\(today.adding(days: 730))").json()["totals"]!
            // Periods not over by now are pending whatever the business date: nothing can be missing before it is due.
            #expect(later["missing"] == now["missing"])
            #expect((later["pending"]?.int ?? 0) >= (now["pending"]?.int ?? 0))
            let stageNow = try await client.send(.get, "\(helsinki)/maturity").json()["stage"]?["level"]
            let stageLater = try await client.send(.get, "\(helsinki)/maturity?on=\(today.adding(days: 730))").json()["criteria"]!
                .array.first { $0["id"]?.string == "sla-report-coverage" }
            #expect(stageNow != nil)
            #expect(stageLater?["measured"] != .null)
        }
    }

    @Test func factsAreRecordedOnceTheyHaveHappened() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let project = #"{"name": "Uusi hanke", "sector": "cross-sector", "owner": {"name": "Anna Virtanen"}, "phase": "planning", "health": "on-track", "budgetCents": 100, "portfolioDecision": {"decidedOn": "2026-11-24", "decidedBy": "Digiohjausryhmä"}}"#
            let refused = try await client.send(.post, f.projects, body: project)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.errorLocations() == ["/portfolioDecision/decidedOn"])
            let governance = try await client.send(.put, "/v1/cities/\(f.cityId)/governance", body: #"{"centralItUnit": true, "ictStrategyApprovedOn": "2027-01-01"}"#)
            #expect(governance.status == .unprocessableContent)
            #expect(try governance.errorLocations() == ["/ictStrategyApprovedOn"])
            let contract = try await client.create(f.contracts, f.contract(start: "2024-01-01"))["id"]!.string!
            let sla = try await client.create(f.slas, f.sla(contractId: contract))["id"]!.string!
            let unfinished = try await client.send(.put, "\(f.slas)/\(sla)/measurements/2026-11",
                                                   body: #"{"value": 99.9, "source": "monitoring"}"#)
            #expect(unfinished.status == .unprocessableContent)
            #expect(try unfinished.errorLocations() == ["period"])
            // Named beside the body's other errors (found by the black-box attack: only once the rest was right).
            let unfinishedAndWrong = try await client.send(.put, "\(f.slas)/\(sla)/measurements/2026-11",
                                                           body: #"{"value": 99.9, "source": "supplier-report", "bogus": 1}"#)
            #expect(try unfinishedAndWrong.errorLocations() == ["period", "/evidence", "/bogus"])
            let bulk = try await client.send(.post, "/v1/cities/\(f.cityId)/sla-measurements",
                                             body: #"[{"slaId": "\#(sla)", "period": "2026-11", "value": 99.9, "source": "monitoring", "bogus": 1}]"#)
            #expect(try bulk.errorLocations() == ["/0/period", "/0/bogus"])
            #expect(try await client.send(.put, "\(f.slas)/\(sla)/measurements/2026-10", body: #"{"value": 99.9, "source": "monitoring"}"#).status == .created)
            #expect(try await app.changeCount() > 0)
        }
    }

    @Test func aPortfolioDecisionCountsFromItsDate() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            _ = try await client.create(f.projects, #"{"name": "Hanke", "sector": "cross-sector", "owner": {"name": "Anna Virtanen"}, "phase": "planning", "health": "on-track", "budgetCents": 1000000, "portfolioDecision": {"decidedOn": "2026-11-01", "decidedBy": "Digiohjausryhmä"}}"#)
            func share(_ on: String) async throws -> JSONValue? {
                try await client.send(.get, "/v1/cities/\(f.cityId)/maturity?on=\(on)").json()["criteria"]!.array
                    .first { $0["id"]?.string == "portfolio-decisions" }?["met"]
            }
            #expect(try await share("2026-11-23") == .bool(true))
            #expect(try await share("2026-10-15") == .bool(false))
        }
    }

    /// The demo was recorded over time, so both auditors' questions have answers on it.
    @Test func theDemoAnswersBothAuditors() async throws {
        let app = try TestApp(demo: true)
        let helsinki = "/v1/cities/019b76da-a800-7000-8000-000a00000000"
        try await app.run { client in
            let today = HelsinkiCalendar.date(at: app.database.clock())
            let yearAgo = today.adding(months: -12)
            let range = "from=\(YearMonth(yearAgo).adding(-11))&to=\(YearMonth(yearAgo))"
            // What the records said a year ago, and what is known now about the same months.
            let then = try await client.send(.get, "\(helsinki)/sla-compliance?\(range)&asOf=\(yearAgo)").json()["totals"]!
            let known = try await client.send(.get, "\(helsinki)/sla-compliance?\(range)&on=\(yearAgo)").json()["totals"]!
            #expect((then["met"]?.int ?? 0) > 0)
            #expect((then["met"]?.int ?? 0) + (then["breached"]?.int ?? 0) < (known["met"]?.int ?? 0) + (known["breached"]?.int ?? 0))
            let contractsThen = try await client.send(.get, "\(helsinki)/contracts?limit=1000&asOf=\(yearAgo)").json()["items"]!.array
            let contractsNow = try await client.send(.get, "\(helsinki)/contracts?limit=1000").json()["items"]!.array
            #expect(!contractsThen.isEmpty && contractsThen.count < contractsNow.count)
            let stageThen = try await client.send(.get, "\(helsinki)/maturity?asOf=\(yearAgo)").json()["stage"]?["level"]?.int
            #expect(stageThen != nil)
            // A dispute opened and decided after the report shows in the measurement's history.
            let audit = try await client.send(.get, "/v1/audit-log?resourceType=measurement&limit=1000").json()
            #expect(audit["items"]?.array.contains { $0["action"]?.string == "update" } == true)
        }
    }

    /// A credit is worked out on the fee in force in the breached period; a later change of the annual value does
    /// not rewrite it, and a contract's cap limits its SLAs' credits in a period together.
    @Test func creditsUseTheFeeInForceAndTheCap() async throws {
        let app = try TestApp(now: "2025-12-01T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let contract = try await client.create(f.contracts, f.contract())["id"]!.string!
            let first = try await client.create(f.slas, f.sla(contractId: contract))["id"]!.string!
            let breach = #"{"value": 99.0, "source": "monitoring"}"#
            app.setNow("2026-02-05T10:00:00Z")
            #expect(try await client.send(.put, "\(f.slas)/\(first)/measurements/2026-01", body: breach).status == .created)
            // The fee rises in the middle of February: February's breach is owed at the new fee, January's at the old.
            app.setNow("2026-02-10T10:00:00Z")
            #expect(try await client.send(.patch, "\(f.contracts)/\(contract)", body: #"{"annualValueCents": 20000000}"#,
                                          contentType: "application/merge-patch+json").status == .ok)
            app.setNow("2026-03-05T10:00:00Z")
            #expect(try await client.send(.put, "\(f.slas)/\(first)/measurements/2026-02", body: breach).status == .created)
            func credits(_ from: String, _ to: String) async throws -> Int64? {
                try await client.send(.get, "/v1/cities/\(f.cityId)/sla-compliance?from=\(from)&to=\(to)").json()["totals"]?["serviceCreditsCents"]?.int
            }
            // January at 10 M a year (833 333 a month × 5 %), February at 20 M (1 666 666 × 5 %).
            #expect(try await credits("2026-01", "2026-02") == 41_666 + 83_333)
            let listed = try await client.send(.get, "/v1/cities/\(f.cityId)/sla-breaches?from=2026-01&to=2026-02").json()["items"]!.array
            #expect(listed.map { $0["creditCents"]?.int } == [41_666, 83_333])

            app.setNow("2026-03-10T10:00:00Z")
            let second = try await client.create(f.slas, f.sla(contractId: contract, extra: #", "validFrom": "2026-01-01""#))["id"]!.string!
            #expect(try await client.send(.patch, "\(f.contracts)/\(contract)", body: #"{"serviceCreditCapPercent": 3}"#,
                                          contentType: "application/merge-patch+json").status == .ok)
            app.setNow("2026-04-05T10:00:00Z")
            for sla in [first, second] {
                #expect(try await client.send(.put, "\(f.slas)/\(sla)/measurements/2026-03", body: breach).status == .created)
            }
            // Two breaches of 83 333 each in March, capped together at 3 % of 1 666 666. The cap is a term as it
            // stands, so it holds for January and February too, as a percentage of the fee in force then.
            #expect(try await credits("2026-03", "2026-03") == 49_999)
            #expect(try await credits("2026-01", "2026-03") == 24_999 + 49_999 + 49_999)
            let trend = try await client.send(.get, "/v1/cities/\(f.cityId)/sla-compliance/trend?from=2026-01&to=2026-03").json()["periods"]!.array
            #expect(trend.map { $0["totals"]?["serviceCreditsCents"]?.int } == [24_999, 49_999, 49_999])
            #expect(try await client.send(.patch, "\(f.contracts)/\(contract)", body: #"{"serviceCreditCapPercent": 101}"#,
                                          contentType: "application/merge-patch+json").errorLocations() == ["/serviceCreditCapPercent"])
        }
    }

    /// Found by a black-box attack: a city deleted since is still there at a record time before its deletion, on
    /// every route; routes that took no clocks take them.
    @Test func aCityDeletedSinceAnswersOnEveryRouteAtAnEarlierRecordTime() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let cityId = try await client.create("/v1/cities", #"{"municipalityCode": "020", "name": {"fi": "Akaa"}}"#)["id"]!.string!
            app.setNow("2026-11-24T10:00:00Z")
            #expect(try await client.send(.delete, "/v1/cities/\(cityId)").status == .noContent)
            let paths = try OpenAPIDocument().operations.keys.filter { $0.hasPrefix("GET /v1/cities/{cityId}") && !$0.dropFirst(4).contains("}/") }
                .map { String($0.dropFirst(4)) }.sorted()
            for template in paths {
                let path = template.replacingOccurrences(of: "{cityId}", with: cityId) + "?"
                    + (template.contains("/sla-") ? "from=2026-01&to=2026-06&" : "")
                let response = try await client.send(.get, "\(path)asOf=2026-11-23T12:00:00Z")
                #expect(response.status == .ok, "\(template)")
                #expect(try await client.send(.get, path).status == .notFound, "\(template)")
            }
            let portfolio = try await client.send(.get, "/v1/cities/\(cityId)/capabilities/it-service-production/portfolio?asOf=2026-11-23T12:00:00Z")
            #expect(portfolio.status == .ok)
        }
    }

    @Test func factsOfReportsAndProjectsAndTheOrderOfOptions() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let afterItsEnd = try await client.send(.post, f.contracts, body: f.contract(initialEnd: "2025-12-31", extra: #", "terminatedOn": "2026-06-30""#))
            #expect(afterItsEnd.status == .unprocessableContent)
            #expect(try afterItsEnd.errorLocations() == ["/terminatedOn"])
            let outOfOrder = try await client.send(.post, f.contracts, body: f.contract(extra: #", "options": [{"months": 12, "exercised": false}, {"months": 24, "exercised": true}]"#))
            #expect(outOfOrder.status == .unprocessableContent)
            #expect(try outOfOrder.errorLocations() == ["/options"])
            let contract = try await client.create(f.contracts, f.contract())["id"]!.string!
            let sla = try await client.create(f.slas, f.sla(contractId: contract))["id"]!.string!
            for reportedAt in ["2026-11-24T10:00:00Z", "2026-10-15T10:00:00Z"] {
                let response = try await client.send(.put, "\(f.slas)/\(sla)/measurements/2026-10",
                                                     body: #"{"value": 99.9, "source": "monitoring", "reportedAt": "\#(reportedAt)"}"#)
                #expect(response.status == .unprocessableContent, "\(reportedAt)")
                #expect(try response.errorLocations() == ["/reportedAt"])
            }
            // A patch that changes the report is judged like a new one; a dispute alone is not judged on dates again.
            #expect(try await client.send(.put, "\(f.slas)/\(sla)/measurements/2026-10", body: #"{"value": 99.9, "source": "monitoring"}"#).status == .created)
            let movedReport = try await client.send(.patch, "\(f.slas)/\(sla)/measurements/2026-10", body: #"{"reportedAt": "2026-12-24T10:00:00Z"}"#)
            #expect(movedReport.status == .unprocessableContent)
            #expect(try movedReport.errorLocations() == ["/reportedAt"])
            #expect(try await client.send(.patch, "\(f.slas)/\(sla)/measurements/2026-10", body: #"{"dispute": {"status": "open"}}"#).status == .ok)
            let closed = try await client.send(.post, f.projects, body: #"{"name": "Valmis", "sector": "cross-sector", "owner": {"name": "Anna Virtanen"}, "phase": "closed", "actualEndDate": "2026-12-05"}"#)
            #expect(closed.status == .unprocessableContent)
            #expect(try closed.errorLocations() == ["/actualEndDate"])
        }
    }

    /// A corrected credit percentage applies to every period; only the fee is the one in force in each.
    @Test func aCorrectedCreditPercentageAppliesToEveryPeriod() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let contract = try await client.create(f.contracts, f.contract())["id"]!.string!
            let sla = try await client.create(f.slas, f.sla(contractId: contract))["id"]!.string!
            #expect(try await client.send(.put, "\(f.slas)/\(sla)/measurements/2025-01", body: #"{"value": 90, "source": "monitoring"}"#).status == .created)
            func credits() async throws -> Int64? {
                try await client.send(.get, "/v1/cities/\(f.cityId)/sla-compliance?from=2025-01&to=2025-01").json()["totals"]?["serviceCreditsCents"]?.int
            }
            #expect(try await credits() == 41_666)
            app.setNow("2026-11-24T10:00:00Z")
            #expect(try await client.send(.patch, "\(f.contracts)/\(contract)", body: #"{"annualValueCents": 20000000}"#).status == .ok)
            #expect(try await credits() == 41_666)
            app.setNow("2026-11-25T10:00:00Z")
            #expect(try await client.send(.patch, "\(f.slas)/\(sla)", body: #"{"serviceCreditPercent": 10}"#).status == .ok)
            #expect(try await credits() == 83_333)
        }
    }

    /// A cursor is bound to the instant and date its clocks mean, not to how they were spelled.
    @Test func aCursorFollowsTheMeaningOfItsClocks() async throws {
        let app = try TestApp(demo: true)
        let contracts = "/v1/cities/019b76da-a800-7000-8000-000a00000000/contracts?limit=2"
        try await app.run { client in
            let yesterday = HelsinkiCalendar.date(at: app.database.clock()).adding(days: -1)
            let instant = HelsinkiCalendar.endOfDay(yesterday).description
            let first = try await client.send(.get, "\(contracts)&asOf=\(yesterday)").json()
            let cursor = try #require(first["nextCursor"]?.string)
            let same = try await client.send(.get, "\(contracts)&asOf=\(instant)&on=\(yesterday)&cursor=\(cursor)")
            #expect(same.status == .ok)
            #expect(try await client.send(.get, "\(contracts)&on=\(yesterday)&cursor=\(cursor)").status == .unprocessableContent)
        }
    }
}
