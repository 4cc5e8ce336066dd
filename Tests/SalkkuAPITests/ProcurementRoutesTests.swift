import Foundation
import HTTPTypes
import HummingbirdTesting
import SalkkuCore
import SalkkuStore
import Testing

@testable import SalkkuAPI

@Suite struct ProcurementRoutesTests {
    @Test func thresholdTableWithItsSourcesAndItsEnds() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let all = try await client.send(.get, "/v1/procurement-thresholds")
            #expect(all.status == .ok)
            #expect(try all.json()["items"]!.array.count == ProcurementThresholds.rows.count)
            let day = try await client.send(.get, "/v1/procurement-thresholds?on=2026-03-01").json()
            let services = day["items"]!.array.filter { $0["category"]?.string == "services" }
            #expect(services.map { $0["thresholdCents"]?.int } == [6_000_000, 21_600_000])
            #expect(services.allSatisfy { !($0["source"]?.string ?? "").isEmpty })
            #expect(day["warnings"]?.array == [])
            let beyond = try await client.send(.get, "/v1/procurement-thresholds?on=2028-01-01").json()
            #expect(beyond["warnings"]?.array.first?["code"]?.string == "threshold-table-ends")
            #expect(try await client.send(.get, "/v1/procurement-thresholds?on=2026-13-01").status == .unprocessableContent)
            #expect(try await client.send(.get, "/v1/procurement-thresholds?year=2026").status == .unprocessableContent)
        }
    }

    @Test func tacitContractShowsItsEstimatedValue() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            // 100 000 € a year renewing tacitly: 400 000 €, not the 300 000 € typed.
            let contract = try await client.create(f.contracts, f.contract(
                initialEnd: "2024-12-31", renewal: "tacit", extra: #", "renewalPeriodMonths": 12"#))
            #expect(contract["estimatedValueCents"]?.int == 40_000_000)
            #expect(contract["estimatedValueBasis"]?.string == "monthly-value-times-48")
            let fixed = try await client.create(f.contracts, f.contract(title: "Määräaikainen"))
            #expect(fixed["estimatedValueCents"]?.int == 30_000_000)
            #expect(fixed["estimatedValueBasis"]?.string == "total-value")
            // The new categories are accepted and stored.
            let works = try await client.send(.post, f.contracts, body: f.contract(title: "Konesalin rakennusurakka")
                .replacingOccurrences(of: #""category": "services""#, with: #""category": "works""#))
            #expect(works.status == .created)
            #expect(try works.json()["thresholdClass"]?.string == "national")   // 300 000 € ≥ 150 000 €
        }
    }

    /// Found by the third attack: options could run a contract to 2600, and its end printed past the dates Salkku keeps.
    @Test func optionsMayNotRunAContractPast2200() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let far = try await client.send(.post, f.contracts, body: f.contract(start: "2200-01-01", initialEnd: "2200-12-31",
                                                                                 extra: #", "options": [{"months": 240, "exercised": true}]"#))
            #expect(far.status == .unprocessableContent)
            #expect(try far.errorLocations() == ["/options"])
            #expect(far.text.contains("2220-12-31"))
            let last = try await client.send(.post, f.contracts, body: f.contract(start: "2190-01-01", initialEnd: "2199-12-31",
                                                                                  extra: #", "options": [{"months": 12}]"#))
            #expect(last.status == .created)
            #expect(try last.json()["currentEndDate"]?.string == "2199-12-31")
            // A tacit renewal seen on the last day Salkku keeps rolls on by its notice period and one renewal period at
            // most: the spec's ComputedDate ends at 2215-12-31 (the fourth attack found 2215-11-30 past the first bound).
            let rolling = try await client.create(f.contracts, f.contract(start: "2190-01-01", initialEnd: "2195-12-31", renewal: "tacit",
                                                                          extra: #", "renewalPeriodMonths": 120, "noticePeriodMonths": 60"#))
            let seen = try await client.send(.get, "\(f.contracts)/\(rolling["id"]!.string!)?on=2200-12-31").json()
            let end = try #require(seen["currentEndDate"]?.string)
            #expect(end > "2200-12-31" && end <= "2215-12-31", "\(end)")
        }
    }

    @Test func spendByYearWithTheModificationWarnings() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            // 300 000 € procured in 2024: a modification may add at most 30 000 €.
            let id = try await client.create(f.contracts, f.contract())["id"]!.string!
            let spend = "\(f.contracts)/\(id)/spend"
            let created = try await client.send(.put, "\(spend)/2024",
                body: #"{"amountCents": 10000000, "evidenceReference": "Kirjanpito 2024, tili 4390"}"#)
            #expect(created.status == .created)
            #expect(created.headers[.location] == "\(spend)/2024")
            #expect(try created.json()["year"]?.int == 2024 && created.json()["contractId"]?.string == id)
            #expect(try await client.send(.put, "\(spend)/2025",
                body: #"{"amountCents": 15000000, "evidenceReference": "Kirjanpito 2025"}"#).status == .created)
            var list = try await client.send(.get, spend).json()
            #expect(list["spendCents"]?.int == 25_000_000 && list["modificationWarnings"]?.array == [])

            // 2026 brings the spend to 340 000 €: 40 000 € over, more than 10 %.
            let replaced = try await client.send(.put, "\(spend)/2025",
                body: #"{"amountCents": 14000000, "evidenceReference": "Kirjanpito 2025, korjattu"}"#)
            #expect(replaced.status == .ok && replaced.headers[.eTag] == "\"2\"")
            #expect(try await client.send(.put, "\(spend)/2026",
                body: #"{"amountCents": 10000000, "evidenceReference": "Kirjanpito 2026"}"#).status == .created)
            list = try await client.send(.get, spend).json()
            #expect(list["spendCents"]?.int == 34_000_000)
            #expect(list["modificationWarnings"]?.array.map { $0["code"]?.string } == ["spend-exceeds-modification-limit"])
            let contract = try await client.send(.get, "\(f.contracts)/\(id)").json()
            #expect(contract["procedureWarnings"]?.array.map { $0["code"]?.string } == ["spend-exceeds-modification-limit"])
            let report = try await client.send(.get, "/v1/cities/\(f.cityId)/procurement-warnings").json()
            #expect(report["items"]?.array.map { $0["contractId"]?.string } == [id])
            #expect(report["items"]?.array.first?["spendCents"]?.int == 34_000_000)

            // A raised total is judged against the value as first recorded.
            #expect(try await client.send(.patch, "\(f.contracts)/\(id)", body: #"{"totalValueCents": 34000000}"#,
                                          headers: [.contentType: "application/merge-patch+json"]).status == .ok)
            list = try await client.send(.get, spend).json()
            #expect(list["originalValueCents"]?.int == 30_000_000)
            #expect(list["modificationWarnings"]?.array.map { $0["code"]?.string }
                    == ["value-change-exceeds-modification-limit", "spend-exceeds-modification-limit"])
            // The change feed's contract states carry them as of each entry: none when the contract was created
            // (no spend yet), both after the raise, with the spend recorded by then; as the GET shows them.
            let states = try await client.send(.get, "/v1/changes?types=contract").json()["items"]!.array
                .filter { $0["resourceId"]?.string == id }.map { $0["state"]! }
            #expect(states.map { $0["procedureWarnings"]?.array.map { $0["code"]?.string } ?? [] }
                    == [[], ["value-change-exceeds-modification-limit", "spend-exceeds-modification-limit"]])
            #expect(states.last == (try await client.send(.get, "\(f.contracts)/\(id)").json()))

            // Bad input names the field and changes nothing; a contract still holding spend is not deleted.
            let bad = try await client.send(.put, "\(spend)/2026", body: #"{"amountCents": -1, "evidenceReference": "", "year": 2027}"#)
            #expect(bad.status == .unprocessableContent)
            let pointers = Set(try bad.json()["errors"]!.array.compactMap { $0["pointer"]?.string })
            #expect(pointers.isSuperset(of: ["/amountCents", "/year"]))
            #expect(try await client.send(.get, "\(spend)/2026").json()["amountCents"]?.int == 10_000_000)
            #expect(try await client.send(.get, "\(spend)/1800").errorLocations() == ["year"])
            #expect(try await client.send(.get, "\(spend)/2023").status == .notFound)
            #expect(try await client.send(.put, "\(f.contracts)/nope/spend/2024",
                body: #"{"amountCents": 1, "evidenceReference": "x"}"#).status == .notFound)
            #expect(try await client.send(.delete, "\(f.contracts)/\(id)").status == .conflict)
        }
    }

    /// Finding 6: spend is actual spend, so its year has begun, and it is not before the contract's term.
    @Test func spendYearHasBegunAndIsNotBeforeTheTerm() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            // Procured in 2023, the term starts in 2024.
            let id = try await client.create(f.contracts, f.contract(extra: #", "procuredOn": "2023-10-01""#))["id"]!.string!
            let spend = "\(f.contracts)/\(id)/spend"
            let body = #"{"amountCents": 100, "evidenceReference": "Kirjanpito"}"#
            for year in [2027, 2100, 2023, 1990] {
                let refused = try await client.send(.put, "\(spend)/\(year)", body: body)
                #expect(refused.status == .unprocessableContent, "\(year)")
                #expect(refused.headers[.contentType] == "application/problem+json")
                #expect(try refused.errorLocations() == ["year"], "\(year)")
            }
            #expect(try await client.send(.put, "\(spend)/2027", body: body).json()["errors"]?.array.first?["detail"]?.string?
                .contains("actual spend is recorded for years that have begun") == true)
            #expect(try await client.send(.put, "\(spend)/2023", body: body).json()["errors"]?.array.first?["detail"]?.string?
                .contains("2024-01-01") == true)
            // Nothing was stored.
            #expect(try await client.send(.get, spend).json()["items"]?.array == [])
            // The current year and past years of the term are history, and welcome.
            for year in [2026, 2024, 2025] {
                #expect(try await client.send(.put, "\(spend)/\(year)", body: body).status == .created, "\(year)")
            }
            // A year of the term after its end is fine too: a last invoice is paid after the end.
            let ended = try await client.create(f.contracts, f.contract(title: "Päättynyt", start: "2019-03-01", initialEnd: "2020-12-31"))["id"]!.string!
            #expect(try await client.send(.put, "\(f.contracts)/\(ended)/spend/2021", body: body).status == .created)
            #expect(try await client.send(.put, "\(f.contracts)/\(ended)/spend/2018", body: body).errorLocations() == ["year"])

            // The term cannot start after a year whose spend is recorded; earlier, or within that year, it may.
            let later = try await client.send(.patch, "\(f.contracts)/\(id)", body: #"{"startDate": "2025-01-01", "initialEndDate": "2027-12-31"}"#,
                                              headers: [.contentType: "application/merge-patch+json"])
            #expect(later.status == .unprocessableContent)
            #expect(try later.errorLocations() == ["/startDate"])
            #expect(later.text.contains("the spend of 2024 is recorded"))
            #expect(try await client.send(.get, "\(f.contracts)/\(id)").json()["startDate"]?.string == "2024-01-01")
            #expect(try await client.send(.patch, "\(f.contracts)/\(id)", body: #"{"startDate": "2024-03-01"}"#,
                                          headers: [.contentType: "application/merge-patch+json"]).status == .ok)
            #expect(try await client.send(.delete, "\(spend)/2024").status == .noContent)
            #expect(try await client.send(.patch, "\(f.contracts)/\(id)", body: #"{"startDate": "2025-01-01"}"#,
                                          headers: [.contentType: "application/merge-patch+json"]).status == .ok)
        }
    }

    /// Finding 6: a year's spend can be removed, through the write path, honouring If-Match.
    @Test func deletingASpendYear() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let id = try await client.create(f.contracts, f.contract())["id"]!.string!
            let spend = "\(f.contracts)/\(id)/spend"
            let item = "\(spend)/2025"
            #expect(try await client.send(.put, item, body: #"{"amountCents": 500, "evidenceReference": "Kirjanpito 2025"}"#).status == .created)
            let spendId = try await client.send(.get, item).json()["id"]!.string!
            // A stale If-Match is refused and changes nothing.
            let stale = try await client.send(.delete, item, headers: [.ifMatch: "\"2\""])
            #expect(stale.status == .preconditionFailed && stale.headers[.eTag] == "\"1\"")
            #expect(stale.headers[.contentType] == "application/problem+json")
            #expect(try await client.send(.get, item).status == .ok)
            #expect(try await client.send(.delete, item, headers: [.ifMatch: "\"1\""]).status == .noContent)
            #expect(try await client.send(.get, item).status == .notFound)
            #expect(try await client.send(.get, spend).json()["spendCents"]?.int == 0)
            // Gone: 404, whatever If-Match says; a bad year is 422, an unknown contract 404.
            let again = try await client.send(.delete, item)
            #expect(again.status == .notFound && again.headers[.contentType] == "application/problem+json")
            #expect(try await client.send(.delete, item, headers: [.ifMatch: "*"]).status == .notFound)
            #expect(try await client.send(.delete, "\(spend)/20x5").errorLocations() == ["year"])
            #expect(try await client.send(.delete, "\(f.contracts)/nope/spend/2025").status == .notFound)
            // The history, the audit log and the change feed record the deletion.
            let history = try await client.send(.get, "/v1/audit-log?resourceId=\(spendId)").json()["items"]!.array
            #expect(history.compactMap { $0["action"]?.string } == ["create", "delete"])
            let changes = try await client.send(.get, "/v1/changes?cityId=\(f.cityId)&types=contract-spend").json()["items"]!.array
            #expect(changes.last?["resourceId"]?.string == spendId)
            #expect(changes.last?["action"]?.string == "delete")
            // With the spend gone the contract can be deleted.
            #expect(try await client.send(.delete, "\(f.contracts)/\(id)").status == .noContent)
        }
    }

    /// Finding 10: `If-Match: *` holds only when the year's spend exists; `If-None-Match: *` only when it does not.
    @Test func conditionalPutOfASpendYear() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let id = try await client.create(f.contracts, f.contract())["id"]!.string!
            let item = "\(f.contracts)/\(id)/spend/2025"
            let body = #"{"amountCents": 500, "evidenceReference": "Kirjanpito 2025"}"#
            let star = try await client.send(.put, item, body: body, headers: [.ifMatch: "*"])
            #expect(star.status == .preconditionFailed && star.headers[.contentType] == "application/problem+json")
            #expect(star.headers[.eTag] == nil)
            #expect(try await client.send(.get, item).status == .notFound)
            #expect(try await client.send(.put, item, body: body, headers: [.ifMatch: "\"1\""]).status == .preconditionFailed)
            #expect(try await client.send(.get, item).status == .notFound)
            // Create only.
            #expect(try await client.send(.put, item, body: body, headers: [.ifNoneMatch: "*"]).status == .created)
            let twice = try await client.send(.put, item, body: #"{"amountCents": 9, "evidenceReference": "x"}"#, headers: [.ifNoneMatch: "*"])
            #expect(twice.status == .preconditionFailed && twice.headers[.eTag] == "\"1\"")
            #expect(try await client.send(.put, item, body: body, headers: [.ifNoneMatch: "\"1\""]).status == .preconditionFailed)
            #expect(try await client.send(.get, item).json()["amountCents"]?.int == 500)
            // Now that it exists `If-Match: *` holds, as does a matching version; a weak tag never matches If-Match.
            #expect(try await client.send(.put, item, body: body, headers: [.ifMatch: "W/\"1\""]).status == .preconditionFailed)
            #expect(try await client.send(.put, item, body: #"{"amountCents": 600, "evidenceReference": "x"}"#,
                                          headers: [.ifMatch: "*"]).status == .ok)
            #expect(try await client.send(.put, item, body: body, headers: [.ifMatch: "\"2\""]).status == .ok)
            // "0" names a year with no spend yet: create only, as before.
            #expect(try await client.send(.put, "\(f.contracts)/\(id)/spend/2024", body: body, headers: [.ifMatch: "\"0\""]).status == .created)
        }
    }

    /// Finding 14: the year is decoded like any path parameter, and a year that is not one is 422 naming `year`.
    @Test func spendYearInThePath() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let id = try await client.create(f.contracts, f.contract())["id"]!.string!
            let spend = "\(f.contracts)/\(id)/spend"
            let body = #"{"amountCents": 500, "evidenceReference": "Kirjanpito 2024"}"#
            let encoded = try await client.send(.put, "\(spend)/%32%30%32%34", body: body)
            #expect(encoded.status == .created)
            #expect(encoded.headers[.location] == "\(spend)/2024")
            #expect(try encoded.json()["year"]?.int == 2024)
            #expect(try await client.send(.get, "\(spend)/%32%30%32%34").json()["year"]?.int == 2024)
            #expect(try await client.send(.get, "\(f.contracts)/\(id.replacingOccurrences(of: "-", with: "%2D"))/spend/2024").status == .ok)
            for year in ["99999", "0", "-1", "0202", "1989", "2101", "20.4", "%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%94", "%2B2024", "+202", "%ZZ", "2024%20"] {
                for method in [HTTPRequest.Method.get, .put, .delete] {
                    let response = try await client.send(method, "\(spend)/\(year)", body: method == .put ? body : nil)
                    #expect(response.status == .unprocessableContent, "\(method) \(year) → \(response.status)")
                    if response.status == .unprocessableContent {
                        #expect(response.headers[.contentType] == "application/problem+json")
                        #expect(try response.errorLocations() == ["year"], "\(method) \(year)")
                    }
                }
            }
            #expect(try await client.send(.get, spend).json()["items"]?.array.count == 1)
        }
    }

    /// Bad amounts and evidence are 422 naming the member, and change nothing.
    @Test func spendBodyIsCheckedMemberByMember() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let id = try await client.create(f.contracts, f.contract())["id"]!.string!
            let item = "\(f.contracts)/\(id)/spend/2025"
            #expect(try await client.send(.put, item, body: #"{"amountCents": 500, "evidenceReference": "Kirjanpito 2025"}"#).status == .created)
            let cases: [(String, Set<String>)] = [
                (#"{"amountCents": -1, "evidenceReference": "x"}"#, ["/amountCents"]),
                (#"{"amountCents": 1e308, "evidenceReference": "x"}"#, ["/amountCents"]),
                (#"{"amountCents": 12.345, "evidenceReference": "x"}"#, ["/amountCents"]),
                (#"{"amountCents": 9223372036854775807, "evidenceReference": "x"}"#, ["/amountCents"]),
                (#"{"amountCents": "500", "evidenceReference": "x"}"#, ["/amountCents"]),
                (#"{"amountCents": 500}"#, ["/evidenceReference"]),
                (#"{"amountCents": 500, "evidenceReference": "   "}"#, ["/evidenceReference"]),
                (#"{"amountCents": 500, "evidenceReference": null}"#, ["/evidenceReference"]),
                (#"{"evidenceReference": "x"}"#, ["/amountCents"]),
                (#"{"amountCents": 500, "evidenceReference": "x", "contractId": "other"}"#, ["/contractId"]),
                (#"{"amountCents": 500, "evidenceReference": "x", "bogus": 1}"#, ["/bogus"]),
            ]
            for (body, expected) in cases {
                let response = try await client.send(.put, item, body: body)
                #expect(response.status == .unprocessableContent, "\(body) → \(response.status)")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(try response.errorLocations() == expected, "\(body)")
            }
            // Beyond 64 bits the number is not read at all: the parser refuses the body (400, with where), not a 500.
            let huge = try await client.send(.put, item, body: #"{"amountCents": 99999999999999999999, "evidenceReference": "x"}"#)
            #expect(huge.status == .badRequest && huge.headers[.contentType] == "application/problem+json")
            #expect(try huge.json()["type"]?.string == "/problems/malformed-json")
            let stored = try await client.send(.get, item)
            #expect(try stored.json()["amountCents"]?.int == 500 && stored.headers[.eTag] == "\"1\"")
            // The largest amount is stored, and the totals do not overflow.
            for year in 2024...2026 {
                #expect(try await client.send(.put, "\(f.contracts)/\(id)/spend/\(year)",
                                              body: #"{"amountCents": 1000000000000, "evidenceReference": "x"}"#).status != .internalServerError)
            }
            let list = try await client.send(.get, "\(f.contracts)/\(id)/spend")
            #expect(list.status == .ok)
            #expect(try list.json()["spendCents"]?.int == 3_000_000_000_000)
            #expect(try await client.send(.get, "/v1/cities/\(f.cityId)/procurement-warnings").status == .ok)
        }
    }

    /// Finding 7: a contract procured before 2010 still gets its § 136 warning, saying the EU threshold is unknown.
    @Test func modificationWarningBeforeTheThresholdTable() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let id = try await client.create(f.contracts, f.contract(start: "2009-01-01", initialEnd: "2011-12-31",
                                                                     extra: #", "procuredOn": "2008-10-01""#))["id"]!.string!
            let spend = "\(f.contracts)/\(id)/spend"
            for year in 2009...2011 {
                #expect(try await client.send(.put, "\(spend)/\(year)",
                    body: #"{"amountCents": 12000000, "evidenceReference": "Kirjanpito"}"#).status == .created)
            }
            let list = try await client.send(.get, spend).json()
            let codes = list["modificationWarnings"]?.array.compactMap { $0["code"]?.string }
            #expect(codes == ["spend-exceeds-modification-limit", "threshold-table-begins-later"])
            #expect(list["modificationWarnings"]?.array.first?["detail"]?.string?.contains("not in the threshold table") == true)
            let report = try await client.send(.get, "/v1/cities/\(f.cityId)/procurement-warnings").json()
            let item = report["items"]?.array.first { $0["contractId"]?.string == id }
            #expect(item?["modificationWarnings"]?.array.compactMap { $0["code"]?.string } == codes)
            // The contract lists the table's warning once, with the § 136 one.
            let contract = try await client.send(.get, "\(f.contracts)/\(id)").json()
            #expect(contract["procedureWarnings"]?.array.compactMap { $0["code"]?.string }
                    == ["threshold-table-begins-later", "spend-exceeds-modification-limit"])
            // The feed's state on its creation has the table's warning alone: no spend was recorded before that entry.
            let created = try #require(try await client.send(.get, "/v1/changes?types=contract").json()["items"]!.array
                .first { $0["resourceId"]?.string == id })
            #expect(created["state"]?["procedureWarnings"]?.array.compactMap { $0["code"]?.string } == ["threshold-table-begins-later"])
        }
    }

    @Test func slaCoverCountsOnlyTheProvidersOrArrangersContract() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            // serviceA is provided by the commercial supplier; an in-house company's contract covering it does not count.
            let other = try await client.create(f.contracts, f.contract(title: "Toisen toimittajan sopimus", supplierId: f.inHouseId,
                                                                        procedure: "in-house", initialEnd: "2027-12-31"))["id"]!.string!
            #expect(try await client.send(.post, f.slas, body: f.sla(contractId: other)).status == .created)
            var maturity = try await client.send(.get, "/v1/cities/\(f.cityId)/maturity").json()
            var cover = maturity["criteria"]?.array.first { $0["id"]?.string == "sla-cover" }
            #expect(cover?["evidence"]?["failingIds"]?.array.contains(.string(f.serviceA)) == true)
            let own = try await client.create(f.contracts, f.contract(initialEnd: "2027-12-31"))["id"]!.string!
            #expect(try await client.send(.post, f.slas, body: f.sla(contractId: own)).status == .created)
            maturity = try await client.send(.get, "/v1/cities/\(f.cityId)/maturity").json()
            cover = maturity["criteria"]?.array.first { $0["id"]?.string == "sla-cover" }
            #expect(cover?["evidence"]?["failingIds"]?.array.contains(.string(f.serviceA)) == false)
        }
    }
}
