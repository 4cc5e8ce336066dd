import Foundation
import HTTPTypes
import HummingbirdTesting
import SalkkuCore
import SalkkuDemo
import Testing

@testable import SalkkuAPI

/// The change feed's filters, its cursor, and the computed members of its states.
@Suite struct ChangeFeedFilterTests {
    /// The feed's last sequence number, as an unfiltered reader's cursor reaches it.
    private func lastSeq(_ client: some TestClientProtocol) async throws -> Int64 {
        var cursor: Int64 = 0
        while true {
            let page = try await client.send(.get, "/v1/changes?after=\(cursor)&limit=1000").json()
            let next = page["nextCursor"]!.int!
            if next == cursor { return cursor }
            cursor = next
        }
    }

    @Test func cityIdGivesTheCityAndTheSuppliersOfItsPortfolio() async throws {
        let app = try TestApp()
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            _ = try await client.create(f.contracts, f.contract())
            let unused = try await client.create("/v1/suppliers",
                #"{"name": "Muualla Oy", "businessId": "1572860-0", "kind": "commercial"}"#)["id"]!.string!
            let owned = try await client.create("/v1/suppliers",
                #"{"name": "Jyväskylän oma tuotanto", "businessId": "0201256-6", "kind": "own-production", "ownerCityId": "\#(f.cityId)"}"#)["id"]!.string!

            let page = try await client.send(.get, "/v1/changes?cityId=\(f.cityId)&limit=1000").json()
            let items = page["items"]!.array
            let portfolioSuppliers: Set = [f.commercialId, f.inHouseId, owned]
            #expect(items.allSatisfy { $0["cityId"]?.string == f.cityId
                || ($0["resourceType"]?.string == "supplier" && portfolioSuppliers.contains($0["resourceId"]!.string!)) })
            #expect(Set(items.filter { $0["resourceType"]?.string == "supplier" }.map { $0["resourceId"]!.string! }) == portfolioSuppliers)
            #expect(items.contains { $0["resourceType"]?.string == "city" && $0["resourceId"]?.string == f.cityId })
            #expect(items.filter { $0["resourceType"]?.string == "service" }.count == 2)
            #expect(items.filter { $0["resourceType"]?.string == "contract" }.count == 1)
            #expect(!items.contains { $0["resourceId"]?.string == unused || $0["resourceId"]?.string == f.otherCityService })
            #expect(page["nextCursor"]?.int == (try await lastSeq(client)))

            let services = try await client.send(.get, "/v1/changes?cityId=\(f.otherCityId)&types=service").json()["items"]!.array
            #expect(services.map { $0["resourceId"]!.string! } == [f.otherCityService])

            #expect(try await client.send(.get, "/v1/changes?cityId=helsinki").errorLocations() == ["cityId"])
            #expect(try await client.send(.get, "/v1/changes?cityId=").errorLocations() == ["cityId"])
            #expect(try await client.send(.get, "/v1/changes?cityId=\(f.cityId)&cityId=\(f.otherCityId)").errorLocations() == ["cityId"])
        }
    }

    @Test func aCityOutsideTheTokensScopeHasNoChangesInItsFeed() async throws {
        let app = try TestApp()
        try await app.run { admin in
            let f = try await PortfolioFixture.make(admin)
            let scoped = try app.token(.integration, cities: ["398"])     // Lahti, the fixture's other city
            try await app.run(token: scoped) { client in
                let last = try await lastSeq(client)
                let outside = try await client.send(.get, "/v1/changes?cityId=\(f.cityId)&limit=1000")
                #expect(outside.status == .ok)
                #expect(try outside.json()["items"]!.array.isEmpty)
                #expect(try outside.json()["nextCursor"]?.int == last)
                let inside = try await client.send(.get, "/v1/changes?cityId=\(f.otherCityId)&limit=1000").json()["items"]!.array
                #expect(inside.contains { $0["resourceType"]?.string == "service" })
                // A city that never existed is no different from one outside the scope.
                let unknown = try await client.send(.get, "/v1/changes?cityId=019b76da-a800-7000-8000-ffffffffffff").json()
                #expect(unknown["items"]!.array.isEmpty && unknown["nextCursor"]?.int == last)
            }
        }
    }

    /// Found by the third attack: a city-scoped token never saw the maturity model's versions, which it may read.
    @Test func theMaturityModelIsInEveryScopeAndEveryCitysFeed() async throws {
        let app = try TestApp()
        try await app.run { admin in
            let f = try await PortfolioFixture.make(admin)
            var values = MaturityThresholds.defaults.modelValues
            values["slaCoverSharePercent"] = 95
            let members = values.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ")
            #expect(try await admin.send(.put, "/v1/maturity-model", body: #"{"thresholds": {\#(members)}}"#).status == .ok)
            let scoped = try app.token(.integration, cities: ["398"])
            try await app.run(token: scoped) { client in
                for query in ["types=maturity-model", "cityId=\(f.otherCityId)&types=maturity-model"] {
                    let items = try await client.send(.get, "/v1/changes?\(query)").json()["items"]!.array
                    #expect(items.map { $0["state"]?["version"]?.int } == [2], "\(query)")
                }
            }
        }
    }

    /// Found by the third attack: pages of large records grew without bound (a thousand megabyte-sized plans, 29 MB).
    /// A page ends once its stored states reach the budget (4 MiB; 40 kB here), and its cursor continues after its last entry.
    @Test func pagesOfLargeRecordsEndAtTheirByteBudget() async throws {
        let app = try TestApp()
        try await app.run(pageByteBudget: 40_000) { client in
            let f = try await PortfolioFixture.make(client)
            let measures = (0..<20).map { #"{"title": "Mittava toimenpide \#($0)", "dueOn": "2027-06-30", "status": "planned"}"# }.joined(separator: ", ")
            let note = String(repeating: "Toimenpiteiden perustelu. ", count: 150)   // 3 900 characters: a version is about 6 kB
            let before = try await lastSeq(client)
            for version in 0..<30 {
                let plan = #"{"targetStage": 3, "targetDate": "2028-12-31", "option": "cooperation-model", "note": "\#(note)\#(version)", "measures": [\#(measures)]}"#
                #expect(try await client.send(.put, "/v1/cities/\(f.cityId)/transition-plan", body: plan).status.code < 300)
            }
            var seen: [Int64] = []
            var after = before
            while true {
                let json = try await client.send(.get, "/v1/changes?after=\(after)&limit=1000").json()
                let items = json["items"]!.array
                seen += items.compactMap { $0["seq"]?.int }
                let next = json["nextCursor"]!.int!
                if items.isEmpty { break }
                #expect(items.count < 10)   // cut by bytes, not by the limit
                #expect(next == items.last!["seq"]!.int!)
                after = next
            }
            #expect(seen == Array(before + 1...before + 30))
            // The audit log too: its entries carry the state before and after.
            var audited: [Int64] = []
            var cursor = "\(before)"
            while true {
                let json = try await client.send(.get, "/v1/audit-log?cursor=\(cursor)&limit=1000&resourceType=transition-plan").json()
                let items = json["items"]!.array
                #expect(items.count < 5)
                audited += items.compactMap { $0["seq"]?.int }
                guard let next = json["nextCursor"]?.string else { break }
                cursor = next
            }
            #expect(audited == seen)
        }
    }

    @Test func aFilteredReadersCursorMovesPastWhatItsFilterLeavesOut() async throws {
        let app = try TestApp()
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let first = try await client.send(.get, "/v1/changes?types=contract").json()
            #expect(first["items"]!.array.isEmpty)
            var cursor = first["nextCursor"]!.int!
            #expect(cursor == (try await lastSeq(client)))

            // Writes the filter leaves out move the cursor on; the next poll does not look at them again.
            _ = try await client.create("/v1/cities/\(f.cityId)/services", Bodies.service(name: "Uusi", providerId: nil, lifecycle: "plan"))
            let skipped = try await client.send(.get, "/v1/changes?after=\(cursor)&types=contract").json()
            #expect(skipped["items"]!.array.isEmpty)
            #expect(skipped["nextCursor"]!.int! == cursor + 1)
            cursor = skipped["nextCursor"]!.int!

            // So does a held poll that saw only such writes.
            _ = try await client.create("/v1/cities/\(f.cityId)/services", Bodies.service(name: "Toinen", providerId: nil, lifecycle: "plan"))
            let held = try await client.send(.get, "/v1/changes?after=\(cursor)&types=contract&wait=1").json()
            #expect(held["items"]!.array.isEmpty && held["nextCursor"]!.int! == cursor + 1)
            cursor = held["nextCursor"]!.int!

            let contract = try await client.create(f.contracts, f.contract())["id"]!.string!
            let arrived = try await client.send(.get, "/v1/changes?after=\(cursor)&types=contract").json()
            #expect(arrived["items"]!.array.map { $0["resourceId"]!.string! } == [contract])
            #expect(arrived["nextCursor"]!.int! == cursor + 1)
        }
    }

    @Test func aFilterThatMatchesNothingLooksAtABoundedRangePerRequest() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            // A city made after the demo: its feed is empty for the whole length of the demo's log.
            let city = try await client.create("/v1/cities", #"{"municipalityCode": "020", "name": {"fi": "Akaa"}}"#)["id"]!.string!
            let service = try await client.create("/v1/cities/\(city)/services", Bodies.service(providerId: nil, lifecycle: "plan"))["id"]!.string!
            let last = try await lastSeq(client)
            let window = AuditController.feedScanWindow(limit: 1)
            #expect(last > 2 * window)
            var seen: [String] = []
            var emptyPages = 0
            var cursor: Int64 = 0
            while cursor < last {
                let page = try await client.send(.get, "/v1/changes?after=\(cursor)&limit=1&cityId=\(city)").json()
                let items = page["items"]!.array
                let next = page["nextCursor"]!.int!
                if items.isEmpty {
                    // Each request looks at no more than its window; an empty page moves on by exactly that.
                    emptyPages += 1
                    #expect(next == min(last, cursor + window))
                } else {
                    #expect(items.count == 1 && next == items[0]["seq"]!.int! && next <= cursor + window)
                }
                seen += items.map { $0["resourceId"]!.string! }
                cursor = next
            }
            #expect(emptyPages >= Int((last - 2) / window))
            #expect(seen == [city, service])
        }
    }

    @Test func aCursorBeyondTheEndOfTheLogIs409() async throws {
        let app = try TestApp()
        try await app.run { client in
            _ = try await client.create("/v1/cities", Bodies.city)
            let last = try await lastSeq(client)
            let atTheEnd = try await client.send(.get, "/v1/changes?after=\(last)").json()
            #expect(atTheEnd["items"]!.array.isEmpty && atTheEnd["nextCursor"]?.int == last)
            for after in [last + 1, 9_000_000_000_000] {
                let ahead = try await client.send(.get, "/v1/changes?after=\(after)&wait=5")
                #expect(ahead.status == .conflict)
                #expect(ahead.headers[.contentType] == "application/problem+json")
                let problem = try ahead.json()
                #expect(problem["type"]?.string == "/problems/cursor-ahead")
                #expect(problem["detail"]?.string?.contains("Salkku-Change-Seq") == true)
                #expect(problem["detail"]?.string?.contains("(\(last))") == true)
            }
        }
    }

    @Test func contractAndSLAStatesCarryTheirComputedMembersAsOfTheirRecordDate() async throws {
        let app = try TestApp(now: "2025-06-01T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let contract = try await client.create(f.contracts, f.contract(supplierId: f.inHouseId, procedure: "in-house",
                                                                           initialEnd: "2025-12-31"))
            let id = contract["id"]!.string!
            let sla = try await client.create(f.slas, f.sla(contractId: id))
            #expect(contract["status"]?.string == "active" && contract["procedureWarnings"] == .array([]))

            // Later the supplier turns out to be commercial and the contract has ended; the title is corrected.
            app.setNow("2026-02-01T10:00:00Z")
            #expect(try await client.send(.patch, "/v1/suppliers/\(f.inHouseId)", body: #"{"kind": "commercial", "owners": null}"#).status == .ok)
            let corrected = try await client.send(.patch, "\(f.contracts)/\(id)", body: #"{"title": "Korjattu"}"#).json()
            #expect(corrected["status"]?.string == "expired")
            #expect(corrected["procedureWarnings"]?.array.first?["code"]?.string == "in-house-award-to-outside-supplier")

            let items = try await client.send(.get, "/v1/changes?types=contract,sla&limit=1000").json()["items"]!.array
            let contractStates = items.filter { $0["resourceId"]?.string == id }.map { $0["state"]! }
            // Each as its GET answered on its record date: computed then, from the supplier as it then was.
            #expect(contractStates == [contract, corrected])
            #expect(contractStates.first?["currentEndDate"]?.string == "2025-12-31")
            let slaStates = items.filter { $0["resourceId"]?.string == sla["id"]?.string }.map { $0["state"]! }
            #expect(slaStates == [sla])
            #expect(sla["effectiveValidTo"]?.string == "2025-12-31" && sla["effectivePeriodFeeCents"]?.int == 833333)
            // A deletion has no state to compute from.
            #expect(try await client.send(.delete, "\(f.slas)/\(sla["id"]!.string!)").status == .noContent)
            let deleted = try await client.send(.get, "/v1/changes?types=sla&limit=1000").json()["items"]!.array.last!
            #expect(deleted["action"]?.string == "delete" && deleted["state"] == .null)
        }
    }

    @Test func projectStatesAreLateAsOfTheirRecordDate() async throws {
        let app = try TestApp(now: "2026-05-01T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let project = try await client.create(f.projects, #"{"name": "Asiointialustan uudistus", "sector": "cross-sector", "owner": {"name": "Anna Virtanen"}, "phase": "execution", "health": "at-risk", "budgetCents": 30000000, "actualCostCents": 10000000, "startDate": "2025-01-01", "plannedEndDate": "2026-06-30", "serviceIds": [], "supplierIds": []}"#)
            app.setNow("2026-08-01T10:00:00Z")
            let later = try await client.send(.patch, "\(f.projects)/\(project["id"]!.string!)", body: #"{"health": "off-track"}"#).json()
            let states = try await client.send(.get, "/v1/changes?types=project").json()["items"]!.array.map { $0["state"]! }
            #expect(states == [project, later])
            #expect(states.map { $0["late"]?.bool } == [false, true])
        }
    }

    @Test func everyComputedMemberOfTheDemoIsInItsFeedState() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            let computed: [String: Set<String>] = [
                "contract": ContractFields.computedFields, "sla": SLAFields.computedFields, "project": ProjectFields.computedFields,
                "effort-profile": EffortProfileFields.computedFields, "assessment": AssessmentFields.computedFields,
            ]
            for (type, members) in computed {
                let items = try await client.send(.get, "/v1/changes?types=\(type)&limit=1000").json()["items"]!.array
                let states = items.compactMap { item -> [String: JSONValue]? in
                    if case .object(let members)? = item["state"] { return members } else { return nil }
                }
                #expect(!states.isEmpty, "\(type)")
                #expect(states.allSatisfy { members.isSubset(of: Set($0.keys)) }, "\(type)")
            }
        }
    }
}
