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

            // Bad input names the field and changes nothing; a contract still holding spend is not deleted.
            let bad = try await client.send(.put, "\(spend)/2026", body: #"{"amountCents": -1, "evidenceReference": "", "year": 2027}"#)
            #expect(bad.status == .unprocessableContent)
            let pointers = Set(try bad.json()["errors"]!.array.compactMap { $0["pointer"]?.string })
            #expect(pointers.isSuperset(of: ["/amountCents", "/year"]))
            #expect(try await client.send(.get, "\(spend)/2026").json()["amountCents"]?.int == 10_000_000)
            #expect(try await client.send(.get, "\(spend)/1800").status == .notFound)
            #expect(try await client.send(.get, "\(spend)/2023").status == .notFound)
            #expect(try await client.send(.put, "\(f.contracts)/nope/spend/2024",
                body: #"{"amountCents": 1, "evidenceReference": "x"}"#).status == .notFound)
            #expect(try await client.send(.delete, "\(f.contracts)/\(id)").status == .conflict)
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
