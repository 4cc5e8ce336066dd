import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import SalkkuCore
import SalkkuDemo
import SalkkuStore
import Testing

@testable import SalkkuAPI

@Suite struct CityRoutesTests {
    @Test func createGetListPatchDelete() async throws {
        let app = try TestApp()
        try await app.run { client in
            let created = try await client.send(.post, "/v1/cities", body: Bodies.city)
            #expect(created.status == .created)
            let city = try created.json()
            let id = try #require(city["id"]?.string)
            #expect(created.headers[.location] == "/v1/cities/\(id)")
            #expect(created.headers[.eTag] == "\"1\"")
            #expect(created.headers[.contentType] == "application/json")
            #expect(city["version"]?.int == 1)
            #expect(city["name"] == .object(["fi": .string("Jyväskylä")]))
            #expect(city["createdAt"]?.string?.hasSuffix("Z") == true)

            let fetched = try await client.send(.get, "/v1/cities/\(id)")
            #expect(fetched.status == .ok)
            #expect(try fetched.json() == city)

            let listed = try await client.send(.get, "/v1/cities")
            #expect(try listed.json()["items"]?.array == [city])
            #expect(try listed.json()["nextCursor"] == .null)

            let patched = try await client.send(.patch, "/v1/cities/\(id)", body: #"{"population": 150000, "name": {"sv": "Jyväskylä"}}"#)
            #expect(patched.status == .ok)
            #expect(try patched.json()["population"]?.int == 150_000)
            #expect(try patched.json()["name"] == .object(["fi": .string("Jyväskylä"), "sv": .string("Jyväskylä")]))
            #expect(try patched.json()["version"]?.int == 2)
            #expect(patched.headers[.eTag] == "\"2\"")

            // null removes an optional member
            let cleared = try await client.send(.patch, "/v1/cities/\(id)", body: #"{"itOrganisation": null}"#)
            #expect(try cleared.json()["itOrganisation"] == nil)

            let deleted = try await client.send(.delete, "/v1/cities/\(id)")
            #expect(deleted.status == .noContent)
            #expect(try await client.send(.get, "/v1/cities/\(id)").status == .notFound)
        }
    }

    @Test func municipalityCodeIsUnique() async throws {
        let app = try TestApp()
        try await app.run { client in
            _ = try await client.create("/v1/cities", Bodies.city)
            let again = try await client.send(.post, "/v1/cities", body: Bodies.city)
            #expect(again.status == .conflict)
            #expect(again.headers[.contentType] == "application/problem+json")
            #expect(try again.json()["detail"]?.string?.contains("179") == true)
        }
    }

    @Test func patchCannotTakeAnotherCitysCode() async throws {
        let app = try TestApp()
        try await app.run { client in
            _ = try await client.create("/v1/cities", Bodies.city)
            let other = try await client.create("/v1/cities", #"{"municipalityCode": "297", "name": {"fi": "Kuopio"}}"#)
            let id = try #require(other["id"]?.string)
            let response = try await client.send(.patch, "/v1/cities/\(id)", body: #"{"municipalityCode": "179"}"#)
            #expect(response.status == .conflict)
            #expect(try await client.send(.get, "/v1/cities/\(id)").json()["municipalityCode"]?.string == "297")
        }
    }

    @Test func validationNamesEveryBadField() async throws {
        let app = try TestApp()
        try await app.run { client in
            let response = try await client.send(
                .post, "/v1/cities",
                body: #"{"municipalityCode": "91", "name": {"sv": "Helsingfors"}, "population": -5, "mayor": "x", "version": 3}"#)
            #expect(response.status == .unprocessableContent)
            #expect(try response.errorLocations() == ["/municipalityCode", "/name/fi", "/population", "/mayor", "/version"])
            let problem = try response.json()
            #expect(problem["type"]?.string == "/problems/validation")
            #expect(problem["status"]?.int == 422)
            #expect(try app.changeCount() == 0)
        }
    }

    @Test func aCityThatOwnsServicesCannotBeDeleted() async throws {
        let app = try TestApp()
        try await app.run { client in
            let city = try await client.create("/v1/cities", Bodies.city)
            let cityId = try #require(city["id"]?.string)
            let service = try await client.create("/v1/cities/\(cityId)/services", Bodies.service(providerId: nil, lifecycle: "plan"))
            let response = try await client.send(.delete, "/v1/cities/\(cityId)")
            #expect(response.status == .conflict)
            #expect(try response.json()["detail"]?.string?.contains(service["id"]!.string!) == true)
            #expect(try await client.send(.get, "/v1/cities/\(cityId)").status == .ok)
        }
    }

    @Test func searchFindsFinnishAndSwedishNamesIgnoringCase() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            let byFinnish = try await client.send(.get, "/v1/cities?q=VANT").json()
            #expect(byFinnish["items"]?.array.compactMap { $0["municipalityCode"]?.string } == ["092"])
            let bySwedish = try await client.send(.get, "/v1/cities?q=%C3%A5bo").json()
            #expect(bySwedish["items"]?.array.compactMap { $0["municipalityCode"]?.string } == ["853"])
        }
    }
}

@Suite struct SupplierRoutesTests {
    @Test func businessIdIsCheckedAndExplained() async throws {
        let app = try TestApp()
        try await app.run { client in
            for (businessId, expected) in [
                ("0112038-8", "has a wrong check digit (expected 9)"),
                ("0000030-5", "is not a valid business ID: its digits leave remainder 1, which no Y-tunnus may"),
                ("12038-9", "must be a business ID (Y-tunnus) of the form 1234567-8 (or a legacy 123456-7)"),
                ("112038-8", "has a wrong check digit (expected 9)"),
            ] {
                let response = try await client.send(
                    .post, "/v1/suppliers", body: #"{"name": "X Oy", "businessId": "\#(businessId)", "kind": "commercial"}"#)
                #expect(response.status == .unprocessableContent)
                let errors = try response.json()["errors"]?.array ?? []
                #expect(errors == [.object(["pointer": .string("/businessId"), "detail": .string(expected)])])
            }
        }
    }

    @Test func businessIdIsUnique() async throws {
        let app = try TestApp()
        try await app.run { client in
            _ = try await client.create("/v1/suppliers", Bodies.supplier)
            #expect(try await client.send(.post, "/v1/suppliers", body: Bodies.supplier).status == .conflict)
        }
    }

    @Test func filtersByKindAndName() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            let inHouse = try await client.send(.get, "/v1/suppliers?kind=in-house-company").json()["items"]?.array ?? []
            #expect(!inHouse.isEmpty)
            #expect(inHouse.allSatisfy { $0["kind"]?.string == "in-house-company" })
            let named = try await client.send(.get, "/v1/suppliers?q=KUNTA%C3%84LY").json()["items"]?.array ?? []
            #expect(named.compactMap { $0["name"]?.string } == ["Kuntaäly Oy"])
            let bad = try await client.send(.get, "/v1/suppliers?kind=friend")
            #expect(bad.status == .unprocessableContent)
            #expect(try bad.errorLocations() == ["kind"])
        }
    }

    @Test func aSupplierThatProvidesAServiceCannotBeDeleted() async throws {
        let app = try TestApp()
        try await app.run { client in
            let supplierId = try await client.create("/v1/suppliers", Bodies.supplier)["id"]!.string!
            let cityId = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            let serviceId = try await client.create("/v1/cities/\(cityId)/services", Bodies.service(providerId: supplierId))["id"]!.string!
            let response = try await client.send(.delete, "/v1/suppliers/\(supplierId)")
            #expect(response.status == .conflict)
            #expect(try response.json()["detail"]?.string?.contains("provides service \(serviceId)") == true)
            // once the service is gone, so may the supplier go
            #expect(try await client.send(.delete, "/v1/cities/\(cityId)/services/\(serviceId)").status == .noContent)
            #expect(try await client.send(.delete, "/v1/suppliers/\(supplierId)").status == .noContent)
        }
    }

    @Test func contactIsMergedMemberByMember() async throws {
        let app = try TestApp()
        try await app.run { client in
            let id = try await client.create("/v1/suppliers", Bodies.supplier)["id"]!.string!
            let patched = try await client.send(.patch, "/v1/suppliers/\(id)", body: #"{"contact": {"phone": "+358 9 555 0100"}}"#)
            #expect(try patched.json()["contact"] == .object([
                "email": .string("myynti@esimerkki.example"), "phone": .string("+358 9 555 0100"),
            ]))
            let bad = try await client.send(.patch, "/v1/suppliers/\(id)", body: #"{"contact": {"email": "not-an-address", "phone": "call me"}}"#)
            #expect(try bad.errorLocations() == ["/contact/email", "/contact/phone"])
        }
    }
}

@Suite struct ServiceRoutesTests {
    @Test func createUnderACityAndReadItBack() async throws {
        let app = try TestApp()
        try await app.run { client in
            let supplierId = try await client.create("/v1/suppliers", Bodies.supplier)["id"]!.string!
            let cityId = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            let created = try await client.send(.post, "/v1/cities/\(cityId)/services", body: Bodies.service(providerId: supplierId, externalId: "A-1"))
            #expect(created.status == .created)
            let service = try created.json()
            let id = try #require(service["id"]?.string)
            #expect(service["cityId"]?.string == cityId)
            #expect(service["owner"]?["name"]?.string == "Maija Meikäläinen")
            #expect(created.headers[.location] == "/v1/cities/\(cityId)/services/\(id)")
            #expect(try await client.send(.get, "/v1/cities/\(cityId)/services/\(id)").json() == service)
        }
    }

    @Test func aServiceUnderAnotherCityIsNotFound() async throws {
        let app = try TestApp()
        try await app.run { client in
            let cityA = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            let cityB = try await client.create("/v1/cities", #"{"municipalityCode": "297", "name": {"fi": "Kuopio"}}"#)["id"]!.string!
            let id = try await client.create("/v1/cities/\(cityA)/services", Bodies.service(providerId: nil, lifecycle: "plan"))["id"]!.string!
            for method in [HTTPRequest.Method.get, .delete] {
                #expect(try await client.send(method, "/v1/cities/\(cityB)/services/\(id)").status == .notFound)
            }
            #expect(try await client.send(.patch, "/v1/cities/\(cityB)/services/\(id)", body: #"{"name": "X"}"#).status == .notFound)
            #expect(try await client.send(.get, "/v1/cities/\(cityB)/services").json()["items"]?.array == [])
            #expect(try await client.send(.get, "/v1/cities/nope/services").status == .notFound)
            #expect(try await client.send(.post, "/v1/cities/nope/services", body: Bodies.service(providerId: nil, lifecycle: "plan")).status == .notFound)
            #expect(try await client.send(.get, "/v1/cities/\(cityA)/services/\(id)").status == .ok)
        }
    }

    @Test func providerRulesAndReferences() async throws {
        let app = try TestApp()
        try await app.run { client in
            let cityId = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            let missing = try await client.send(.post, "/v1/cities/\(cityId)/services", body: Bodies.service(providerId: nil))
            #expect(missing.status == .unprocessableContent)
            #expect(try missing.errorLocations() == ["/providerId"])
            let unknown = try await client.send(.post, "/v1/cities/\(cityId)/services", body: Bodies.service(providerId: "no-such"))
            #expect(unknown.status == .unprocessableContent)
            #expect(try unknown.json()["errors"]?.array.first?["detail"]?.string == "no supplier has id no-such")
            let planned = try await client.create("/v1/cities/\(cityId)/services", Bodies.service(providerId: nil, lifecycle: "plan"))
            // moving a planned service into use needs a provider
            let activate = try await client.send(.patch, "/v1/cities/\(cityId)/services/\(planned["id"]!.string!)", body: #"{"lifecycle": "active"}"#)
            #expect(try activate.errorLocations() == ["/providerId"])
            #expect(try app.changeCount() == 2)
        }
    }

    @Test func externalIdIsUniqueWithinACityOnly() async throws {
        let app = try TestApp()
        try await app.run { client in
            let cityA = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            let cityB = try await client.create("/v1/cities", #"{"municipalityCode": "297", "name": {"fi": "Kuopio"}}"#)["id"]!.string!
            let body = Bodies.service(providerId: nil, lifecycle: "plan", externalId: "PAL-1")
            _ = try await client.create("/v1/cities/\(cityA)/services", body)
            #expect(try await client.send(.post, "/v1/cities/\(cityA)/services", body: body).status == .conflict)
            _ = try await client.create("/v1/cities/\(cityB)/services", body)
        }
    }

    @Test func listFiltersCombine() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            let cityId = try await client.send(.get, "/v1/cities?q=091").json()["items"]!.array[0]["id"]!.string!
            let all = try await client.send(.get, "/v1/cities/\(cityId)/services?limit=1000").json()["items"]!.array
            #expect(all.count >= 20 && all.count <= 40)
            for (parameter, value) in [("sector", "social-health"), ("lifecycle", "active"), ("criticality", "critical")] {
                let filtered = try await client.send(.get, "/v1/cities/\(cityId)/services?limit=1000&\(parameter)=\(value)").json()["items"]!.array
                #expect(filtered == all.filter { $0[parameter]?.string == value })
            }
            let providerId = all.compactMap { $0["providerId"]?.string }.first!
            let byProvider = try await client.send(.get, "/v1/cities/\(cityId)/services?limit=1000&providerId=\(providerId)").json()["items"]!.array
            #expect(byProvider == all.filter { $0["providerId"]?.string == providerId })
            let both = try await client.send(.get, "/v1/cities/\(cityId)/services?limit=1000&sector=administration&lifecycle=active").json()["items"]!.array
            #expect(both == all.filter { $0["sector"]?.string == "administration" && $0["lifecycle"]?.string == "active" })
            let searched = try await client.send(.get, "/v1/cities/\(cityId)/services?q=ASIANHALLINTA").json()["items"]!.array
            #expect(searched == all.filter { $0["name"]?.string?.lowercased().contains("asianhallinta") == true
                || $0["description"]?.string?.lowercased().contains("asianhallinta") == true })
        }
    }
}

@Suite struct DemoDataTests {
    @Test func demoDataIsDeterministicAndPlausible() async throws {
        let first = try TestApp(demo: true)
        let second = try TestApp(demo: true)
        try await first.run { client in
            let cities = try await client.send(.get, "/v1/cities").json()["items"]!.array
            #expect(cities.compactMap { $0["municipalityCode"]?.string } == ["091", "049", "092", "837", "853"])
            let suppliers = try await client.send(.get, "/v1/suppliers?limit=100").json()["items"]!.array
            #expect((12...20).contains(suppliers.count))
            #expect(Set(suppliers.compactMap { $0["kind"]?.string }) == Set(SupplierKind.allCases.map(\.rawValue)))
            // Every Finnish supplier by a valid business ID; the foreign one by its EU VAT number instead.
            #expect(suppliers.allSatisfy { $0["businessId"]?.string.map { BusinessID.problem(in: $0) == nil } ?? ($0["vatNumber"]?.string != nil) })
            #expect(suppliers.filter { $0["businessId"]?.string == nil }.count == 1)
            var services: [JSONValue] = []
            for city in cities {
                let page = try await client.send(.get, "/v1/cities/\(city["id"]!.string!)/services?limit=100").json()["items"]!.array
                #expect((20...40).contains(page.count))
                services += page
            }
            let stages = Set(services.map { stringMember("lifecycle", of: $0) ?? "missing" })
            let sectors = Set(services.map { stringMember("sector", of: $0) ?? "missing" })
            #expect(stages == Set(Lifecycle.allCases.map(\.rawValue)))
            #expect(sectors == Set(Sector.allCases.map(\.rawValue)))
        }
        let ids = { (app: TestApp) in try app.database.reader.read { db in try String.fetchAll(db, sql: "SELECT id FROM service ORDER BY id") } }
        #expect(try ids(first) == ids(second))
        #expect(try DemoData.seedIfEmpty(first.database) == false)
    }
}

private func stringMember(_ key: String, of value: JSONValue) -> String? {
    guard case .object(let members) = value, case .string(let text)? = members[key] else { return nil }
    return text
}
