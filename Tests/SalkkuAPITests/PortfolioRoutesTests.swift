import Foundation
import HTTPTypes
import HummingbirdTesting
import SalkkuCore
import SalkkuStore
import Testing

@testable import SalkkuAPI
@testable import SalkkuDemo

/// A city with two services, a commercial supplier and an in-house company, created over the API.
struct PortfolioFixture {
    var cityId = "", otherCityId = "", commercialId = "", inHouseId = "", serviceA = "", serviceB = "", otherCityService = ""

    static func make(_ client: any TestClientProtocol) async throws -> PortfolioFixture {
        var fixture = PortfolioFixture()
        fixture.cityId = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
        fixture.otherCityId = try await client.create("/v1/cities", #"{"municipalityCode": "398", "name": {"fi": "Lahti"}}"#)["id"]!.string!
        fixture.commercialId = try await client.create("/v1/suppliers", Bodies.supplier)["id"]!.string!
        // Owned by the city and by Espoo, which keeps no portfolio here: an in-house award from it is plausible.
        fixture.inHouseId = try await client.create("/v1/suppliers",
            #"{"name": "Kuntaäly Oy", "businessId": "2345000-4", "kind": "in-house-company", "owners": [{"cityId": "\#(fixture.cityId)", "sharePercent": 60}, {"municipalityCode": "049", "sharePercent": 40}]}"#)["id"]!.string!
        fixture.serviceA = try await client.create("/v1/cities/\(fixture.cityId)/services",
            Bodies.service(name: "Asianhallinta", providerId: fixture.commercialId))["id"]!.string!
        fixture.serviceB = try await client.create("/v1/cities/\(fixture.cityId)/services",
            Bodies.service(name: "Palkanlaskenta", providerId: fixture.inHouseId))["id"]!.string!
        fixture.otherCityService = try await client.create("/v1/cities/\(fixture.otherCityId)/services",
            Bodies.service(providerId: fixture.commercialId))["id"]!.string!
        return fixture
    }

    var contracts: String { "/v1/cities/\(cityId)/contracts" }
    var slas: String { "/v1/cities/\(cityId)/slas" }
    var projects: String { "/v1/cities/\(cityId)/projects" }

    /// A contract body; `extra` members are appended and override nothing, so leave them out of the base.
    func contract(title: String = "Asianhallinnan palvelu", supplierId: String? = nil, procedure: String = "open",
                  start: String = "2024-01-01", initialEnd: String = "2026-12-31", renewal: String = "none",
                  extra: String = "") -> String {
        #"{"title": "\#(title)", "supplierId": "\#(supplierId ?? commercialId)", "category": "services", "procedure": "\#(procedure)", "totalValueCents": 30000000, "annualValueCents": 10000000, "startDate": "\#(start)", "initialEndDate": "\#(initialEnd)", "renewal": "\#(renewal)", "managedBy": "central", "serviceIds": ["\#(serviceA)"]\#(extra)}"#
    }

    func sla(contractId: String, serviceId: String? = nil, extra: String = "") -> String {
        #"{"contractId": "\#(contractId)", "serviceId": "\#(serviceId ?? serviceA)", "name": "Käytettävyys", "metric": "availability", "unit": "percent", "target": 99.95, "period": "month", "serviceCreditPercent": 5\#(extra)}"#
    }
}

@Suite struct ContractRoutesTests {
    @Test func createdContractCarriesItsTerms() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let response = try await client.send(.post, f.contracts, body: f.contract(
                initialEnd: "2026-02-28", extra: #", "options": [{"months": 12, "exercised": true}, {"months": 12}], "noticePeriodMonths": 3"#))
            #expect(response.status == .created)
            let contract = try response.json()
            let id = contract["id"]!.string!
            #expect(response.headers[.location] == "\(f.contracts)/\(id)")
            #expect(contract["currentEndDate"]?.string == "2027-02-28")
            #expect(contract["decision"]?.string == "exercise-option")
            #expect(contract["noticeDeadline"]?.string == "2026-11-30")
            #expect(contract["status"]?.string == "active")
            #expect(contract["thresholdClass"]?.string == "eu")  // 300 000 € on 2024 rules
            #expect(contract["procedureWarnings"]?.array == [])
            #expect(contract["options"]?.array.last?["exercised"]?.bool == false)
            #expect(contract["cityId"]?.string == f.cityId)

            // Exercising the last option by merge patch replaces the options list.
            let patched = try await client.send(.patch, "\(f.contracts)/\(id)",
                body: #"{"options": [{"months": 12, "exercised": true}, {"months": 12, "exercised": true}]}"#)
            #expect(patched.status == .ok)
            #expect(try patched.json()["currentEndDate"]?.string == "2028-02-29")
            #expect(try patched.json()["decision"] == .null)
            #expect(try patched.json()["noticeDeadline"] == .null)
        }
    }

    @Test func asOfEvaluatesTheTermsOnThatDate() async throws {
        // Recorded long ago, so that the past dates below see the contract.
        let app = try TestApp(now: "2020-01-01T00:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let id = try await client.create(f.contracts, f.contract(
                start: "2023-07-01", initialEnd: "2025-06-30", renewal: "tacit",
                extra: #", "renewalPeriodMonths": 12, "noticePeriodMonths": 6"#))["id"]!.string!
            app.setNow("2026-11-23T10:00:00Z")
            let today = try await client.send(.get, "\(f.contracts)/\(id)").json()
            #expect(today["currentEndDate"]?.string == "2027-06-30")
            #expect(today["noticeDeadline"]?.string == "2026-12-31")
            #expect(today["decision"]?.string == "stop-tacit-renewal")
            let past = try await client.send(.get, "\(f.contracts)/\(id)?on=2024-12-31").json()
            #expect(past["currentEndDate"]?.string == "2025-06-30")
            #expect(past["noticeDeadline"]?.string == "2024-12-31")
            // Once that notice deadline has passed without notice, the contract has rolled to its next end.
            let rolled = try await client.send(.get, "\(f.contracts)/\(id)?on=2025-03-01").json()
            #expect(rolled["currentEndDate"]?.string == "2026-06-30")
            #expect(rolled["noticeDeadline"]?.string == "2025-12-31")
            let before = try await client.send(.get, "\(f.contracts)/\(id)?on=2023-06-30").json()
            #expect(before["status"]?.string == "upcoming")

            let bad = try await client.send(.get, "\(f.contracts)/\(id)?on=2025-02-30")
            #expect(bad.status == .unprocessableContent)
            #expect(try bad.errorLocations() == ["on"])
            #expect(try await client.send(.get, "\(f.contracts)?on=yesterday").status == .unprocessableContent)
            // A business date long past does not hide a record; a record time before it was written does.
            #expect(try await client.send(.get, "/v1/cities/\(f.cityId)?on=2019-12-31").status == .ok)
            #expect(try await client.send(.get, "/v1/cities/\(f.cityId)?asOf=2000-01-01").status == .notFound)
            #expect(try await client.send(.get, "\(f.contracts)?asOf=2000-01-01").status == .notFound)
        }
    }

    @Test func validationNamesEveryBadField() async throws {
        let app = try TestApp()
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let before = try app.changeCount()
            let crossCity = try await client.send(.post, f.contracts, body: f.contract(supplierId: "no-such-supplier")
                .replacingOccurrences(of: f.serviceA, with: f.otherCityService))
            #expect(crossCity.status == .unprocessableContent)
            #expect(try crossCity.errorLocations() == ["/supplierId", "/serviceIds/0"])

            let fields = try await client.send(.post, f.contracts, body: f.contract(
                initialEnd: "2023-12-31", renewal: "tacit",
                extra: #", "currentEndDate": "2030-01-01", "managedBy2": 1, "category": "goods""#))
            #expect(fields.status == .unprocessableContent || fields.status == .badRequest)
            // A duplicate key is malformed JSON (400); without it every error is listed.
            let listed = try await client.send(.post, f.contracts, body: #"{"title": "", "supplierId": "\#(f.commercialId)", "category": "goods", "procedure": "open", "totalValueCents": -1, "startDate": "2024-01-01", "initialEndDate": "2023-12-31", "renewal": "tacit", "managedBy": "sector", "currentEndDate": "2030-01-01", "options": [{"months": 0}]}"#)
            #expect(listed.status == .unprocessableContent)
            #expect(try listed.errorLocations() == ["/title", "/category", "/totalValueCents", "/initialEndDate",
                                                    "/renewalPeriodMonths", "/sector", "/currentEndDate", "/options/0/months"])
            #expect(try app.changeCount() == before)
        }
    }

    @Test func procedureWarnings() async throws {
        let app = try TestApp()
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let inHouseToMarket = try await client.create(f.contracts, f.contract(procedure: "in-house"))
            #expect(inHouseToMarket["procedureWarnings"]?.array.compactMap { $0["code"]?.string } == ["in-house-award-to-outside-supplier"])
            let inHouse = try await client.create(f.contracts, f.contract(supplierId: f.inHouseId, procedure: "in-house"))
            #expect(inHouse["procedureWarnings"]?.array == [])
            let direct = try await client.create(f.contracts, f.contract(procedure: "direct-award"))
            #expect(direct["procedureWarnings"]?.array.first?["code"]?.string == "direct-award-at-or-above-threshold")
            #expect(direct["procedureWarnings"]?.array.first?["detail"]?.string?.contains("60 000 €") == true)
        }
    }

    @Test func filtersIncludingComputedOnesPageWithoutGapsOrDuplicates() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            var expectedActive: [String] = []
            for index in 0..<9 {
                // Every third contract has already expired.
                let end = index % 3 == 0 ? "2025-12-31" : "2027-0\(index % 9 + 1)-28"
                let id = try await client.create(f.contracts, f.contract(
                    title: "Sopimus \(index)", initialEnd: end, extra: #", "externalId": "SOP-\#(index)""#))["id"]!.string!
                if index % 3 != 0 { expectedActive.append(id) }
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await client.send(.get, "\(f.contracts)?status=active&limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")).json()
                let items = page["items"]!.array
                #expect(items.count <= 2)
                #expect(items.allSatisfy { $0["status"]?.string == "active" })
                seen += items.compactMap { $0["id"]?.string }
                cursor = page["nextCursor"]?.string
            } while cursor != nil
            #expect(seen == expectedActive)

            let first = try await client.send(.get, "\(f.contracts)?status=active&limit=2").json()
            let foreign = try await client.send(.get, "\(f.contracts)?status=active&limit=2&on=2020-01-01&cursor=\(first["nextCursor"]!.string!)")
            #expect(foreign.status == .unprocessableContent)
            #expect(try foreign.errorLocations() == ["cursor"])

            func count(_ query: String) async throws -> Int {
                try await client.send(.get, "\(f.contracts)?limit=1000&\(query)").json()["items"]!.array.count
            }
            #expect(try await count("status=expired") == 3)
            #expect(try await count("status=expired&on=2025-06-01") == 0)
            #expect(try await count("endsBefore=2027-03-01") == 4)
            #expect(try await count("noticeDeadlineBefore=2030-01-01") == 0)
            #expect(try await count("supplierId=\(f.commercialId)") == 9)
            #expect(try await count("serviceId=\(f.serviceA)") == 9)
            #expect(try await count("serviceId=\(f.serviceB)") == 0)
            #expect(try await count("managedBy=sector") == 0)
            #expect(try await count("procedure=open") == 9)
            #expect(try await count("q=sop-4") == 1)
            let bad = try await client.send(.get, "\(f.contracts)?status=alive&endsBefore=soon&managedBy=x")
            #expect(try bad.errorLocations() == ["status", "endsBefore", "managedBy"])
        }
    }

    @Test func deadlineCalendar() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let express = try await client.create(f.contracts, f.contract(
                title: "Express", initialEnd: "2027-01-31", renewal: "express", extra: #", "noticePeriodMonths": 2"#))["id"]!.string!
            let ending = try await client.create(f.contracts, f.contract(title: "Päättyvä", initialEnd: "2027-02-15"))["id"]!.string!
            _ = try await client.create(f.contracts, f.contract(title: "Kaukana", initialEnd: "2029-12-31"))
            _ = try await client.create(f.contracts, f.contract(
                title: "Irtisanottu", initialEnd: "2027-01-31", extra: #", "terminatedOn": "2026-10-31""#))

            let body = try await client.send(.get, "/v1/cities/\(f.cityId)/contract-deadlines?within=90").json()
            #expect(body["on"]?.string == "2026-11-23")
            #expect(body["withinDays"]?.int == 90)
            let items = body["items"]!.array
            #expect(items.compactMap { $0["contractId"]?.string } == [express, ending])
            #expect(items[0]["kind"]?.string == "notice-deadline")
            #expect(items[0]["deadline"]?.string == "2026-11-30")
            #expect(items[0]["daysLeft"]?.int == 7)
            #expect(items[0]["supplierName"]?.string == "Esimerkki Palvelut Oy")
            #expect(items[1]["kind"]?.string == "end")
            #expect(items[1]["deadline"]?.string == "2027-02-15")
            #expect(items[1]["daysLeft"]?.int == 84)

            let defaultWindow = try await client.send(.get, "/v1/cities/\(f.cityId)/contract-deadlines").json()
            #expect(defaultWindow["withinDays"]?.int == 180)
            let later = try await client.send(.get, "/v1/cities/\(f.cityId)/contract-deadlines?within=30&on=2027-01-20").json()
            #expect(later["items"]!.array.compactMap { $0["contractId"]?.string } == [express, ending])
            // Past its notice deadline, an express renewal must be agreed by the end itself.
            #expect(later["items"]!.array[0]["kind"]?.string == "notice-deadline")
            #expect(later["items"]!.array[0]["deadline"]?.string == "2027-01-31")
            #expect(later["items"]!.array[0]["decision"]?.string == "agree-renewal")

            let bad = try await client.send(.get, "/v1/cities/\(f.cityId)/contract-deadlines?within=-1&on=x")
            #expect(try bad.errorLocations() == ["within", "on"])
            #expect(try await client.send(.get, "/v1/cities/nope/contract-deadlines").status == .notFound)
        }
    }

    @Test func referencesBlockDeletion() async throws {
        let app = try TestApp()
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let contractId = try await client.create(f.contracts, f.contract())["id"]!.string!
            let slaId = try await client.create(f.slas, f.sla(contractId: contractId))["id"]!.string!

            let supplier = try await client.send(.delete, "/v1/suppliers/\(f.commercialId)")
            #expect(supplier.status == .conflict)
            let contract = try await client.send(.delete, "\(f.contracts)/\(contractId)")
            #expect(contract.status == .conflict)
            #expect(try contract.json()["detail"]?.string?.contains(slaId) == true)
            let service = try await client.send(.delete, "/v1/cities/\(f.cityId)/services/\(f.serviceA)")
            #expect(service.status == .conflict)
            #expect(try service.json()["detail"]?.string?.contains(contractId) == true)
            #expect(try await client.send(.delete, "/v1/cities/\(f.cityId)").status == .conflict)

            // The contract's services cannot drop one an SLA still measures.
            let drop = try await client.send(.patch, "\(f.contracts)/\(contractId)", body: #"{"serviceIds": ["\#(f.serviceB)"]}"#)
            #expect(drop.status == .unprocessableContent)
            #expect(try drop.errorLocations() == ["/serviceIds"])

            #expect(try await client.send(.delete, "\(f.slas)/\(slaId)").status == .noContent)
            #expect(try await client.send(.delete, "\(f.contracts)/\(contractId)").status == .noContent)
            #expect(try await client.send(.delete, "/v1/cities/\(f.cityId)/services/\(f.serviceB)").status == .noContent)
        }
    }

    @Test func contractsOfAnotherCityAreNotFound() async throws {
        let app = try TestApp()
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let id = try await client.create(f.contracts, f.contract())["id"]!.string!
            let elsewhere = "/v1/cities/\(f.otherCityId)/contracts/\(id)"
            #expect(try await client.send(.get, elsewhere).status == .notFound)
            #expect(try await client.send(.patch, elsewhere, body: #"{"title": "X"}"#).status == .notFound)
            #expect(try await client.send(.delete, elsewhere).status == .notFound)
            #expect(try await client.send(.get, "/v1/cities/\(f.otherCityId)/contracts").json()["items"]!.array == [])
            let etag = try await client.send(.get, "\(f.contracts)/\(id)").headers[.eTag]!
            #expect(try await client.send(.get, "\(f.contracts)/\(id)", headers: [.ifNoneMatch: etag]).status == .notModified)
            #expect(try await client.send(.patch, "\(f.contracts)/\(id)", body: #"{"title": "X"}"#,
                                          headers: [.ifMatch: "\"7\""]).status == .preconditionFailed)
        }
    }
}

@Suite struct SLARoutesTests {
    @Test func slaLifecycleAndExactDecimals() async throws {
        let app = try TestApp(now: "2020-01-01T00:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let contractId = try await client.create(f.contracts, f.contract(
                initialEnd: "2025-06-30", renewal: "tacit", extra: #", "renewalPeriodMonths": 12"#))["id"]!.string!
            let response = try await client.send(.post, f.slas, body: f.sla(contractId: contractId))
            app.setNow("2026-11-23T10:00:00Z")
            #expect(response.status == .created)
            #expect(response.text.contains(#""target":99.95"#))
            let sla = try await client.send(.get, "\(f.slas)/\(try response.json()["id"]!.string!)").json()
            #expect(sla["comparator"]?.string == "at-least")
            #expect(sla["effectivePeriodFeeCents"]?.int == 833_333)
            #expect(sla["effectiveValidFrom"]?.string == "2024-01-01")
            #expect(sla["effectiveValidTo"]?.string == "2027-06-30")
            let id = sla["id"]!.string!
            let past = try await client.send(.get, "\(f.slas)/\(id)?on=2025-01-01").json()
            #expect(past["effectiveValidTo"]?.string == "2025-06-30")

            let patched = try await client.send(.patch, "\(f.slas)/\(id)", body: #"{"target": 99.49, "periodFeeCents": 500000}"#)
            #expect(patched.status == .ok)
            #expect(patched.text.contains(#""target":99.49"#))
            #expect(try patched.json()["effectivePeriodFeeCents"]?.int == 500_000)

            #expect(try await client.send(.get, "\(f.slas)?contractId=\(contractId)").json()["items"]!.array.count == 1)
            #expect(try await client.send(.get, "\(f.slas)?metric=satisfaction").json()["items"]!.array.count == 0)
            #expect(try await client.send(.get, "\(f.slas)?serviceId=\(f.serviceA)").json()["items"]!.array.count == 1)
        }
    }

    @Test func slaValidation() async throws {
        let app = try TestApp()
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let contractId = try await client.create(f.contracts, f.contract())["id"]!.string!
            let otherContract = try await client.create("/v1/cities/\(f.otherCityId)/contracts",
                f.contract().replacingOccurrences(of: f.serviceA, with: f.otherCityService))["id"]!.string!
            let before = try app.changeCount()

            let notCovered = try await client.send(.post, f.slas, body: f.sla(contractId: contractId, serviceId: f.serviceB))
            #expect(notCovered.status == .unprocessableContent)
            #expect(try notCovered.errorLocations() == ["/serviceId"])
            let foreign = try await client.send(.post, f.slas, body: f.sla(contractId: otherContract))
            #expect(try foreign.errorLocations() == ["/contractId"])
            let precise = try await client.send(.post, f.slas, body: f.sla(contractId: contractId).replacingOccurrences(of: "99.95", with: "99.9995"))
            #expect(try precise.errorLocations() == ["/target"])
            let stringTarget = try await client.send(.post, f.slas, body: f.sla(contractId: contractId).replacingOccurrences(of: "99.95", with: "\"99.95\""))
            #expect(try stringTarget.errorLocations() == ["/target"])
            let readOnly = try await client.send(.post, f.slas, body: f.sla(contractId: contractId, extra: #", "effectiveValidTo": "2027-01-01""#))
            #expect(try readOnly.json()["errors"]?.array.first?["detail"]?.string == "is read-only")
            #expect(try app.changeCount() == before)
        }
    }
}

@Suite struct ProjectRoutesTests {
    @Test func projectsWithComputedStatus() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let body = #"{"name": "Asiointialustan uudistus", "sector": "cross-sector", "owner": {"name": "Anna Virtanen"}, "phase": "execution", "health": "at-risk", "budgetCents": 30000000, "actualCostCents": 10000000, "startDate": "2025-01-01", "plannedEndDate": "2026-06-30", "serviceIds": ["\#(f.serviceA)"], "supplierIds": ["\#(f.commercialId)"], "portfolioDecision": {"decidedOn": "2024-12-01", "decidedBy": "Digiohjausryhmä"}, "priority": 1}"#
            _ = try await client.create(f.projects, body)
            app.setNow("2026-11-23T10:00:00Z")
            let project = try await client.send(.get, f.projects).json()["items"]!.array[0]
            #expect(project["budgetUsedPercent"]?.number == "33.33")
            #expect(project["late"]?.bool == true)
            let id = project["id"]!.string!
            #expect(try await client.send(.get, "\(f.projects)/\(id)?on=2026-06-30").json()["late"]?.bool == false)
            #expect(try await client.send(.get, "\(f.projects)?late=true").json()["items"]!.array.count == 1)
            #expect(try await client.send(.get, "\(f.projects)?late=false").json()["items"]!.array.count == 0)
            #expect(try await client.send(.get, "\(f.projects)?phase=execution&health=at-risk&sector=cross-sector").json()["items"]!.array.count == 1)
            #expect(try await client.send(.get, "\(f.projects)?q=ASIOINTI").json()["items"]!.array.count == 1)

            let closed = try await client.send(.patch, "\(f.projects)/\(id)", body: #"{"phase": "closed", "actualEndDate": "2026-09-30"}"#)
            #expect(try closed.json()["late"]?.bool == false)
            let missingHealth = try await client.send(.patch, "\(f.projects)/\(id)", body: #"{"phase": "deployment", "health": null, "actualEndDate": null}"#)
            #expect(try missingHealth.errorLocations() == ["/health"])

            let unknown = try await client.send(.post, f.projects, body: body
                .replacingOccurrences(of: f.commercialId, with: "nobody").replacingOccurrences(of: f.serviceA, with: f.otherCityService))
            #expect(try unknown.errorLocations() == ["/serviceIds/0", "/supplierIds/0"])
            #expect(try await client.send(.delete, "/v1/cities/\(f.cityId)/services/\(f.serviceA)").status == .conflict)
            #expect(try await client.send(.delete, "/v1/suppliers/\(f.inHouseId)").status == .conflict)  // provides service B
            #expect(try await client.send(.delete, "\(f.projects)/\(id)").status == .noContent)
        }
    }
}

@Suite struct PortfolioSummaryTests {
    @Test func everyNumberEqualsWhatTheListsReturn() async throws {
        let app = try TestApp(demo: true)
        let asOf = "2026-12-01"
        try await app.run { client in
            let cityId = try await client.send(.get, "/v1/cities").json()["items"]!.array[0]["id"]!.string!
            let base = "/v1/cities/\(cityId)"
            func list(_ path: String, _ query: String = "") async throws -> [JSONValue] {
                try await client.send(.get, "\(base)/\(path)?limit=1000&\(query)").json()["items"]!.array
            }
            let summary = try await client.send(.get, "\(base)/portfolio-summary?on=\(asOf)").json()
            #expect(summary["on"]?.string == asOf)

            let services = try await list("services")
            #expect(summary["services"]?["count"]?.int == Int64(services.count))
            for lifecycle in Lifecycle.allCases {
                #expect(summary["services"]?["byLifecycle"]?[lifecycle.rawValue]?.int == Int64(try await list("services", "lifecycle=\(lifecycle.rawValue)").count))
            }
            for sector in Sector.allCases {
                let inSector = try await list("services", "sector=\(sector.rawValue)")
                #expect(summary["services"]?["bySector"]?[sector.rawValue]?.int == Int64(inSector.count))
                #expect(summary["services"]?["annualCostCentsBySector"]?[sector.rawValue]?.int
                        == inSector.reduce(0) { $0 + ($1["annualCostCents"]?.int ?? 0) })
            }
            #expect(summary["services"]?["annualCostCents"]?.int == services.reduce(0) { $0 + ($1["annualCostCents"]?.int ?? 0) })

            let contracts = try await list("contracts", "on=\(asOf)")
            #expect(summary["contracts"]?["count"]?.int == Int64(contracts.count))
            for status in ContractStatus.allCases {
                #expect(summary["contracts"]?["byStatus"]?[status.rawValue]?.int
                        == Int64(try await list("contracts", "on=\(asOf)&status=\(status.rawValue)").count))
            }
            let active = try await list("contracts", "on=\(asOf)&status=active")
            let activeTotal = active.reduce(0) { $0 + ($1["annualValueCents"]?.int ?? 0) }
            #expect(summary["contracts"]?["activeAnnualValueCents"]?.int == activeTotal)
            let shares = summary["contracts"]!["annualValueBySupplier"]!.array
            #expect(shares.reduce(0) { $0 + $1["annualValueCents"]!.int! } == activeTotal)
            for share in shares {
                let ofSupplier = try await list("contracts", "on=\(asOf)&status=active&supplierId=\(share["supplierId"]!.string!)")
                #expect(share["activeContracts"]?.int == Int64(ofSupplier.count))
                #expect(share["annualValueCents"]?.int == ofSupplier.reduce(0) { $0 + ($1["annualValueCents"]?.int ?? 0) })
            }
            #expect(summary["contracts"]?["topSuppliers"]?.array == Array(shares.prefix(5)))

            let deadlines = try await client.send(.get, "\(base)/contract-deadlines?within=90&on=\(asOf)").json()["items"]!.array
            #expect(summary["upcomingDeadlines"]?["items"]?.array == deadlines)
            #expect(summary["upcomingDeadlines"]?["count"]?.int == Int64(deadlines.count))

            let projects = try await list("projects", "on=\(asOf)")
            #expect(summary["projects"]?["count"]?.int == Int64(projects.count))
            #expect(summary["projects"]?["late"]?.int == Int64(projects.filter { $0["late"]?.bool == true }.count))
            for phase in ProjectPhase.allCases {
                let inPhase = try await list("projects", "phase=\(phase.rawValue)")
                let totals = summary["projects"]?["byPhase"]?[phase.rawValue]
                #expect(totals?["count"]?.int == Int64(inPhase.count))
                #expect(totals?["budgetCents"]?.int == inPhase.reduce(0) { $0 + ($1["budgetCents"]?.int ?? 0) })
                #expect(totals?["actualCostCents"]?.int == inPhase.reduce(0) { $0 + ($1["actualCostCents"]?.int ?? 0) })
            }
            #expect(try await client.send(.get, "/v1/cities/nope/portfolio-summary").status == .notFound)
            #expect(try await client.send(.get, "\(base)/portfolio-summary?within=3").status == .unprocessableContent)
        }
    }
}

@Suite struct DemoPortfolioTests {
    @Test func demoPortfolioCoversEveryCase() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            let cities = try await client.send(.get, "/v1/cities").json()["items"]!.array
            var procedures = Set<String>(), renewals = Set<String>(), statuses = Set<String>()
            var exercised = false, unexercised = false, rolledOver = false
            for city in cities {
                let base = "/v1/cities/\(city["id"]!.string!)"
                let contracts = try await client.send(.get, "\(base)/contracts?limit=1000").json()["items"]!.array
                #expect((10...20).contains(contracts.count))
                for contract in contracts {
                    procedures.insert(contract["procedure"]!.string!)
                    renewals.insert(contract["renewal"]!.string!)
                    statuses.insert(contract["status"]!.string!)
                    let options = contract["options"]!.array
                    exercised = exercised || options.contains { $0["exercised"]?.bool == true }
                    unexercised = unexercised || options.contains { $0["exercised"]?.bool == false }
                    if contract["renewal"]?.string == "tacit", contract["terminatedOn"] == nil,
                       contract["currentEndDate"]!.string! > contract["initialEndDate"]!.string! { rolledOver = true }
                    let slas = try await client.send(.get, "\(base)/slas?contractId=\(contract["id"]!.string!)").json()["items"]!.array
                    // Espoo's small learning-analytics subscription runs on its supplier's standard terms, without SLAs.
                    #expect((2...4).contains(slas.count) || contract["title"]?.string == DemoData.foreignContract.title)
                }
                let projects = try await client.send(.get, "\(base)/projects?limit=100").json()["items"]!.array
                #expect((5...10).contains(projects.count))
                let soon = try await client.send(.get, "\(base)/contract-deadlines?within=90").json()["items"]!.array
                #expect(!soon.isEmpty)
            }
            #expect(procedures == Set(ProcurementProcedure.allCases.map(\.rawValue)))
            #expect(renewals == Set(Renewal.allCases.map(\.rawValue)))
            #expect(statuses == Set(ContractStatus.allCases.map(\.rawValue)))
            #expect(exercised && unexercised && rolledOver)
        }
    }
}
