import Foundation
import HummingbirdTesting
import SalkkuCore
import Testing

@testable import SalkkuAPI

/// "Validation collects all field errors of a request": what is known only after reading (references to other
/// records, a CAF criterion given twice, a percentage over 100) is named beside the body's own errors, not only once
/// they are mended (found by the black-box attack).
@Suite struct AllErrorsAtOnceTests {
    @Test func unknownReferencesAreNamedBesideTheBodysOwnErrors() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let before = try await app.changeCount()
            // A contract: a bad title, an unknown supplier, another city's service and an unknown one.
            let contract = f.contract(title: "", supplierId: "nobody")
                .replacingOccurrences(of: #"["\#(f.serviceA)"]"#, with: #"["\#(f.serviceA)", "\#(f.otherCityService)", "missing"]"#)
            let refused = try await client.send(.post, f.contracts, body: contract)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.errorLocations() == ["/title", "/supplierId", "/serviceIds/1", "/serviceIds/2"])
            #expect(refused.text.contains("no service of this city has id \(f.otherCityService)"))
            #expect(refused.text.contains("no supplier has id nobody"))

            // A patch of a project: a bad phase beside an unknown supplier.
            let project = try await client.create(f.projects, #"{"name": "Hanke", "sector": "cross-sector", "owner": {"name": "Anna Virtanen"}, "phase": "planning", "health": "on-track"}"#)["id"]!.string!
            let patched = try await client.send(.patch, "\(f.projects)/\(project)", body: #"{"phase": "dreaming", "supplierIds": ["\#(f.commercialId)", "ghost"]}"#,
                                                headers: [.contentType: "application/merge-patch+json"])
            #expect(patched.status == .unprocessableContent)
            #expect(try patched.errorLocations() == ["/phase", "/supplierIds/1"])

            // A service whose provider and arranger are unknown, with a name that is not one line.
            let service = try await client.send(.post, "/v1/cities/\(f.cityId)/services",
                                                body: Bodies.service(name: "Kaksi\\nriviä", providerId: "ghost"))
            #expect(try service.errorLocations() == ["/name", "/providerId"])

            // A supplier owned by a city that does not exist, with a broken business ID.
            let supplier = try await client.send(.post, "/v1/suppliers",
                body: #"{"name": "Kuntayhtiö Oy", "businessId": "1234567-0", "kind": "in-house-company", "owners": [{"cityId": "nowhere", "sharePercent": 100}]}"#)
            #expect(try supplier.errorLocations() == ["/businessId", "/owners/0/cityId"])

            // A capability's provider beside an unknown member.
            let sourcing = try await client.send(.put, "/v1/cities/\(f.cityId)/capabilities/strategic-ict-planning",
                                                 body: #"{"sourcing": "market", "providerId": "ghost", "bogus": 1}"#)
            #expect(try sourcing.errorLocations() == ["/bogus", "/providerId"])
            #expect(try await app.changeCount() == before + 1)
        }
    }

    @Test func aPlansProjectsOfAnotherCityAreNamedBesideItsOtherErrors() async throws {
        let app = try TestApp(now: "2026-12-01T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let foreign = try await client.create("/v1/cities/\(f.otherCityId)/projects", #"{"name": "Hanke", "sector": "cross-sector", "owner": {"name": "Anna Virtanen"}, "phase": "planning", "health": "on-track"}"#)["id"]!.string!
            let plan = #"{"targetStage": 9, "targetDate": "2028-12-31", "option": "cooperation-model", "measures": [{"title": "Kilpailutus", "dueOn": "2027-06-30", "status": "planned", "projectIds": ["\#(foreign)"]}], "decision": {"body": "city-board", "decidedOn": "2026-11-16", "reference": "Khall § 412"}}"#
            let refused = try await client.send(.put, "/v1/cities/\(f.cityId)/transition-plan", body: plan)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.errorLocations() == ["/targetStage", "/measures/0/projectIds/0"])
        }
    }

    @Test func aRepeatedCAFCriterionIsNamedBesideAnItemsOtherErrors() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let cityId = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            var criteria = CAFCriterion.allCases.map { #"{"criterion": "\#($0.rawValue)", "score": 50, "evidence": "Raportti"}"# }
            criteria[1] = #"{"criterion": "leadership", "score": 50, "evidence": "Raportti"}"#
            criteria[2] = #"{"criterion": "people", "score": 500, "evidence": "Raportti"}"#
            let body = #"{"assessedOn": "2026-10-15", "assessor": "Ryhmä", "criteria": [\#(criteria.joined(separator: ", "))]}"#
            let refused = try await client.send(.post, "/v1/cities/\(cityId)/caf-assessments", body: body)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.errorLocations() == ["/criteria/1/criterion", "/criteria/2/score", "/criteria"])
            #expect(refused.text.contains("misses 1 of the nine criteria: strategy-and-planning"))

            // An item without a readable criterion may be the missing one: only the repeat is named then.
            criteria[2] = #"{"criterion": "bogus", "score": 50, "evidence": "Raportti"}"#
            let unknown = try await client.send(.post, "/v1/cities/\(cityId)/caf-assessments",
                                                body: #"{"assessedOn": "2026-10-15", "assessor": "Ryhmä", "criteria": [\#(criteria.joined(separator: ", "))]}"#)
            #expect(try unknown.errorLocations() == ["/criteria/1/criterion", "/criteria/2/criterion"])
        }
    }

    @Test func aPercentageOver100IsNamedBesideTheMeasurementsOtherErrors() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let contract = try await client.create(f.contracts, f.contract(start: "2024-01-01"))["id"]!.string!
            let sla = try await client.create(f.slas, f.sla(contractId: contract))["id"]!.string!
            let refused = try await client.send(.put, "\(f.slas)/\(sla)/measurements/2026-10",
                                                body: #"{"value": 150, "source": "supplier-report", "bogus": 1}"#)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.errorLocations() == ["/value", "/evidence", "/bogus"])
            #expect(refused.text.contains("must be at most 100 for a percentage"))
            // A period outside the SLA's validity, or of the other form, beside them.
            let outside = try await client.send(.put, "\(f.slas)/\(sla)/measurements/2019-01", body: #"{"value": 150, "source": "manual"}"#)
            #expect(try outside.errorLocations() == ["/value", "period"])
            let quarter = try await client.send(.put, "\(f.slas)/\(sla)/measurements/2026-Q2", body: #"{"value": 99, "source": "supplier-report"}"#)
            #expect(try quarter.errorLocations() == ["/evidence", "period"])
            // In a bulk report too: a row's percentage over 100 beside its other errors.
            let bulk = try await client.send(.post, "/v1/cities/\(f.cityId)/sla-measurements",
                                             body: #"[{"slaId": "\#(sla)", "period": "2026-10", "value": 150, "source": "supplier-report", "bogus": 1}]"#)
            #expect(try bulk.errorLocations() == ["/0/value", "/0/evidence", "/0/bogus"])
        }
    }

    /// A municipality code is checked against Statistics Finland's classification, for a city and an owner alike.
    @Test func aCodeThatNamesNoMunicipalityIsRefused() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let merged = try await client.send(.post, "/v1/cities", body: #"{"municipalityCode": "588", "name": {"fi": "Pertunmaa"}}"#)
            #expect(merged.status == .unprocessableContent)
            #expect(try merged.errorLocations() == ["/municipalityCode"])
            #expect(merged.text.contains("names no municipality"))
            #expect(try await client.send(.post, "/v1/cities", body: #"{"municipalityCode": "507", "name": {"fi": "Mäntyharju"}}"#).status == .created)
            let owner = try await client.send(.post, "/v1/suppliers",
                body: #"{"name": "Kuntayhtiö Oy", "businessId": "2345000-4", "kind": "in-house-company", "owners": [{"municipalityCode": "998", "sharePercent": 100}]}"#)
            #expect(try owner.errorLocations() == ["/owners/0/municipalityCode"])
        }
    }

    /// Found by the black-box attack: a list of 10 000 ids was read item by item against every earlier one (seconds of
    /// work); items past the limit are no longer read, and a member the reader refused is named once, not echoed.
    @Test func longListsAreCutAtTheirLimitAndAMemberIsNamedOnce() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let many = (0..<10_000).map { "\"x\($0)\"" }.joined(separator: ", ")
            let long = try await client.send(.post, f.contracts, body: f.contract().replacingOccurrences(of: #"["\#(f.serviceA)"]"#, with: "[\(many)]"))
            #expect(long.status == .unprocessableContent)
            #expect(long.text.contains("must have at most 500 ids, not 10000"))
            #expect((try long.json()["errorCount"]?.int ?? .max) <= 1 + 500)
            for blank in [" ", "\\t", "a\\u202eb", String(repeating: "x", count: 65)] {
                let refused = try await client.send(.post, f.contracts, body: f.contract(supplierId: blank))
                let errors = try refused.json()["errors"]?.array ?? []
                #expect(errors.filter { $0["pointer"]?.string == "/supplierId" }.count == 1, "\(blank)")
                #expect(!refused.text.contains("no supplier has id"), "\(blank)")
            }
        }
    }

    /// Own production and a municipal enterprise belong to one city: another city's unit provides nothing here.
    /// Found by the third attack: an SLA with an unknown contract and an unknown service named only the contract.
    @Test func anSLAsUnknownContractAndServiceAreBothNamed() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let unknown = "019b76da-a800-7000-8000-ffffffffffff"
            let both = try await client.send(.post, f.slas, body: f.sla(contractId: unknown, serviceId: unknown))
            #expect(try both.errorLocations() == ["/contractId", "/serviceId"])
            // A service that exists, with an unknown contract, is not blamed.
            #expect(try await client.send(.post, f.slas, body: f.sla(contractId: unknown)).errorLocations() == ["/contractId"])
        }
    }

    @Test func anotherCitysOwnUnitProvidesNothingHere() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let lahtiUnit = try await client.create("/v1/suppliers",
                #"{"name": "Lahden oma tuotanto", "businessId": "0201256-6", "kind": "own-production", "ownerCityId": "\#(f.otherCityId)"}"#)["id"]!.string!
            let service = try await client.send(.post, "/v1/cities/\(f.cityId)/services", body: Bodies.service(providerId: lahtiUnit))
            #expect(service.status == .unprocessableContent)
            #expect(try service.errorLocations() == ["/providerId"])
            #expect(service.text.contains("the own production of city \(f.otherCityId)"))
            let contract = try await client.send(.post, f.contracts, body: f.contract(supplierId: lahtiUnit))
            #expect(try contract.errorLocations() == ["/supplierId"])
            // Nor does it supply a project here (found by the third attack).
            let project = try await client.send(.post, f.projects, body: #"{"name": "Uusi hanke", "sector": "cross-sector", "owner": {"name": "Anna Virtanen"}, "phase": "planning", "health": "on-track", "budgetCents": 100, "supplierIds": ["\#(f.commercialId)", "\#(lahtiUnit)"]}"#)
            #expect(try project.errorLocations() == ["/supplierIds/1"])
            // And a supplier of this city's project cannot become another city's own unit.
            let consultant = try await client.create("/v1/suppliers", #"{"name": "Konsultti Oy", "businessId": "1572860-0", "kind": "commercial"}"#)["id"]!.string!
            _ = try await client.create(f.projects, #"{"name": "Toinen hanke", "sector": "cross-sector", "owner": {"name": "Anna Virtanen"}, "phase": "planning", "health": "on-track", "budgetCents": 100, "supplierIds": ["\#(consultant)"]}"#)
            let taken = try await client.send(.patch, "/v1/suppliers/\(consultant)", body: #"{"kind": "own-production", "ownerCityId": "\#(f.otherCityId)"}"#,
                                              headers: [.contentType: "application/merge-patch+json"])
            #expect(try taken.errorLocations() == ["/ownerCityId"])
            #expect(taken.text.contains("project"))
            let sourcing = try await client.send(.put, "/v1/cities/\(f.cityId)/capabilities/it-service-production%2Fproducer-units",
                                                 body: #"{"sourcing": "own", "providerId": "\#(lahtiUnit)"}"#)
            #expect(try sourcing.errorLocations() == ["/providerId"])
            // Its own city's services it provides.
            #expect(try await client.send(.post, "/v1/cities/\(f.otherCityId)/services", body: Bodies.service(providerId: lahtiUnit)).status == .created)
            // Found by the second attack: a supplier serving this city cannot become another city's own unit afterwards.
            let reowned = try await client.send(.patch, "/v1/suppliers/\(f.commercialId)",
                                                body: #"{"kind": "own-production", "ownerCityId": "\#(f.otherCityId)"}"#,
                                                headers: [.contentType: "application/merge-patch+json"])
            #expect(reowned.status == .unprocessableContent)
            #expect(try reowned.errorLocations().contains("/ownerCityId"))
            #expect(reowned.text.contains("a city's own unit serves no other"))
            let moved = try await client.send(.patch, "/v1/suppliers/\(lahtiUnit)", body: #"{"ownerCityId": "\#(f.cityId)"}"#,
                                              headers: [.contentType: "application/merge-patch+json"])
            #expect(try moved.errorLocations() == ["/ownerCityId"])
            // An id list names what is not an id once, without echoing it.
            let odd = try await client.send(.post, f.projects, body: #"{"name": "Hanke", "sector": "cross-sector", "owner": {"name": "A"}, "phase": "idea", "supplierIds": ["a\u202eb", "\t"]}"#)
            #expect(try odd.errorLocations() == ["/supplierIds/0", "/supplierIds/1"])
            #expect(!odd.text.contains("no supplier has id"))
        }
    }

    /// Found by the black-box attack: an owner's code in a supplier file was answered "import cities first", for a
    /// code of no municipality too, and hid the row's other errors.
    @Test func anImportedOwnerCodeSaysWhatIsWrongBesideTheRowsOtherErrors() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            _ = try await client.create("/v1/cities", Bodies.city)
            let csv = "name,businessId,kind,ownerMunicipalityCode\n,0201256-6,municipal-enterprise,588\nLaitos,0201256-6,municipal-enterprise,020\n"
            let refused = try await client.send(.post, "/v1/imports/suppliers?dryRun=true", body: csv, contentType: "text/csv")
            #expect(refused.status == .unprocessableContent)
            let errors = try refused.json()["errors"]!.array.map { ($0["row"]!.int!, $0["column"]?.string ?? "", $0["detail"]?.string ?? "") }
            #expect(errors.contains { $0.0 == 2 && $0.1 == "ownerMunicipalityCode" && $0.2.contains("names no municipality") })
            #expect(errors.contains { $0.0 == 2 && $0.1 == "name" })
            #expect(errors.contains { $0.0 == 3 && $0.1 == "ownerMunicipalityCode" && $0.2.contains("create it first (POST /v1/cities)") })
        }
    }
}
