import Foundation
import HTTPTypes
import HummingbirdTesting
import SalkkuCore
import SalkkuStore
import Testing

/// Black-box attack on suppliers (findings 2, 3, 12 and 15): each test states what the README and the spec promise.
/// Bad input is a 422 naming the member (or the row and column) and the reason, in a dry run as in a real one, and
/// stores nothing.
@Suite struct SupplierAttackTests {
    static let helsinki = "019b76da-a800-7000-8000-000a00000000"

    static func errors(_ response: TestResponse) throws -> [(row: Int, column: String, detail: String)] {
        let items: [JSONValue] = try response.json()["errors"]?.array ?? []
        return items.map { item -> (row: Int, column: String, detail: String) in
            let row = Int(item["row"]?.int ?? 0)
            let column: String = item["column"]?.string ?? ""
            let detail: String = item["detail"]?.string ?? ""
            return (row, column, detail)
        }
    }

    static func supplierCount(_ app: TestApp) throws -> Int {
        try app.database.reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM supplier") ?? 0 }
    }

    // MARK: - Finding 2: one identity twice in one file

    /// Two rows of one file with the same VAT number (as written differently), the same foreign registry id in the
    /// same country, or the same business ID in its legacy and padded forms: the dry run said 200 and the real run a
    /// bare 409. Both are 422 naming the second row and the column.
    @Test(arguments: [
        ("name,kind,vatNumber\nSvensk AB,commercial,SE556677889901\nSvensk Kopia AB,commercial,se 5566.7788-9901\n", "vatNumber"),
        ("name,kind,foreignRegistryId,country\nDeutsche GmbH,commercial,HRB 12345,DE\nKopie GmbH,commercial,HRB 12345,DE\n", "foreignRegistryId"),
        ("name,kind,businessId\nVanha Oy,commercial,112038-9\nUusi Oy,commercial,0112038-9\n", "businessId"),
        ("name,kind,businessId\nUusi Oy,commercial,0112038-9\nVanha Oy,commercial,112038-9\n", "businessId"),
    ])
    func anIdentityRepeatedInOneFileIsARowError(csv: String, column: String) async throws {
        let app = try TestApp()
        let before = try app.changeCount()
        try await app.run { client in
            for path in ["/v1/imports/suppliers?dryRun=true", "/v1/imports/suppliers"] {
                let response = try await client.send(.post, path, body: csv, contentType: "text/csv")
                #expect(response.status == .unprocessableContent, "\(path): \(response.text)")
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                let errors = try Self.errors(response)
                #expect(errors.count == 1 && errors.first?.row == 3 && errors.first?.column == column, "\(path): \(response.text)")
                #expect(errors.first?.detail.contains("repeats row 2") == true, "\(response.text)")
            }
        }
        #expect(try app.changeCount() == before)
        #expect(try Self.supplierCount(app) == 0)
    }

    /// The same, when the second row updates a stored supplier (by id) to the identity the first row creates.
    /// Found by the third attack: lengths were counted in grapheme clusters, so "a" with 200 000 combining marks was
    /// one character of a 200-character name, and NFC could lengthen a text after it was counted.
    @Test func lengthsAreCodePointsOfTheStoredForm() async throws {
        let app = try TestApp()
        try await app.run { client in
            // NFC composes "a" and the first mark into "á": 201 code points remain.
            let marks = "a" + String(repeating: "\u{0301}", count: 201)
            let combining = try await client.send(.post, "/v1/suppliers", body: #"{"name": "\#(marks)", "businessId": "0112080-5", "kind": "commercial"}"#)
            #expect(combining.status == .unprocessableContent)
            #expect(try combining.errorLocations() == ["/name"])
            // U+0958 has no composed form: NFC stores it as two code points, so 101 of them are 202, over 200.
            let decomposing = String(repeating: "\u{0958}", count: 101)
            let grown = try await client.send(.post, "/v1/suppliers", body: #"{"name": "\#(decomposing)", "businessId": "0112080-5", "kind": "commercial"}"#)
            #expect(try grown.errorLocations() == ["/name"])
            let flags = String(repeating: "\u{1F1EB}\u{1F1EE}", count: 100)   // 200 code points, 100 graphemes
            #expect(try await client.send(.post, "/v1/suppliers", body: #"{"name": "\#(flags)", "businessId": "1572860-0", "kind": "commercial"}"#).status == .created)
            // Found by the fourth attack: Foundation's NFC dropped marks from a long run of marks that change form; such a
            // text is refused rather than stored cut short.
            let run = "a" + String(repeating: "\u{0340}", count: 100) + "tail"
            let lossy = try await client.send(.post, "/v1/suppliers", body: #"{"name": "\#(run)", "businessId": "0201256-6", "kind": "commercial"}"#)
            #expect(lossy.status == .unprocessableContent && lossy.text.contains("normalise"))
            // A search in another spelling of the same text (o and a combining diaeresis) finds the stored NFC.
            _ = try await client.create("/v1/suppliers", #"{"name": "Työasema Oy", "businessId": "0201256-6", "kind": "commercial"}"#)
            let found = try await client.send(.get, "/v1/suppliers?q=Tyo%CC%88asema").json()["items"]!.array
            #expect(found.map { $0["name"]?.string } == ["Työasema Oy"])
            // A search that NFC would cut short is refused as such a text is, naming q.
            let lossyQuery = "a" + String(repeating: "%CD%80", count: 100)
            #expect(try await client.send(.get, "/v1/suppliers?q=\(lossyQuery)").errorLocations() == ["q"])
        }
    }

    @Test func anUpdatedRowCannotTakeTheIdentityAnotherRowCreates() async throws {
        let app = try TestApp()
        try await app.run { client in
            let stored = try await client.create("/v1/suppliers", #"{"name": "Svensk AB", "vatNumber": "SE556677889901", "kind": "commercial"}"#)
            let id = try #require(stored["id"]?.string)
            let before = try app.changeCount()
            let csv = "id,name,kind,vatNumber\n,Dansk ApS,commercial,DK12345678\n\(id),Svensk AB,commercial,DK12345678\n"
            for path in ["/v1/imports/suppliers?dryRun=true", "/v1/imports/suppliers"] {
                let response = try await client.send(.post, path, body: csv, contentType: "text/csv")
                #expect(response.status == .unprocessableContent, "\(path): \(response.text)")
                let errors = try Self.errors(response)
                #expect(errors.map(\.row) == [3] && errors.map(\.column) == ["vatNumber"], "\(response.text)")
            }
            #expect(try app.changeCount() == before)
        }
    }

    /// A VAT number that a stored supplier has is reported in the vatNumber column, not businessId.
    @Test func aStoredSuppliersVATNumberIsReportedInItsColumn() async throws {
        let app = try TestApp()
        try await app.run { client in
            _ = try await client.create("/v1/suppliers", #"{"name": "Svensk AB", "vatNumber": "SE556677889901", "kind": "commercial"}"#)
            let response = try await client.send(.post, "/v1/imports/suppliers", body: "name,kind,vatNumber\nKopia AB,commercial,SE556677889901\n",
                                                 contentType: "text/csv")
            #expect(response.status == .unprocessableContent)
            #expect(try Self.errors(response).map(\.column) == ["vatNumber"], "\(response.text)")
        }
    }

    /// One city's own production and municipal enterprise share its business ID, as the write path allows: a file
    /// that creates both is not refused for it; another kind with the same ID is.
    @Test func aCitysUnitsMayShareItsBusinessIdInOneFile() async throws {
        let app = try TestApp()
        try await app.run { client in
            _ = try await client.create("/v1/cities", Bodies.city)
            let csv = "name,kind,businessId,ownerMunicipalityCode\n"
                + "Jyväskylän tietohallinto,own-production,0208201-1,179\nJyväskylän Tilapalvelu,municipal-enterprise,208201-1,179\n"
            let response = try await client.send(.post, "/v1/imports/suppliers", body: csv, contentType: "text/csv")
            #expect(response.status == .ok, "\(response.text)")
            #expect(try response.json()["totals"]?["created"] == .integer(2), "\(response.text)")

            let mixed = try await client.send(.post, "/v1/imports/suppliers?dryRun=true", body: "name,kind,businessId,ownerMunicipalityCode\n"
                + "Yhtiö Oy,commercial,0112038-9,\nJyväskylän yhtiö,own-production,112038-9,179\n", contentType: "text/csv")
            #expect(mixed.status == .unprocessableContent, "\(mixed.text)")
            #expect(try Self.errors(mixed).map(\.column) == ["businessId"], "\(mixed.text)")
        }
    }

    // MARK: - Finding 3: a legacy business ID names the supplier stored padded

    @Test func aLegacyBusinessIdMatchesTheSupplierStoredPadded() async throws {
        let app = try TestApp()
        try await app.run { client in
            let stored = try await client.create("/v1/suppliers", #"{"name": "Esimerkki Oy", "businessId": "0112038-9", "kind": "commercial"}"#)
            let id = try #require(stored["id"]?.string)
            for path in ["/v1/imports/suppliers?dryRun=true", "/v1/imports/suppliers"] {
                let response = try await client.send(.post, path, body: "businessId,name\n112038-9,Esimerkki Palvelut Oy\n", contentType: "text/csv")
                #expect(response.status == .ok, "\(path): \(response.text)")
                let row = try #require(try response.json()["rows"]?.array.first)
                #expect(row["outcome"]?.string == "updated" && row["id"]?.string == id, "\(path): \(response.text)")
            }
            #expect(try Self.supplierCount(app) == 1)
            #expect(try await client.send(.get, "/v1/suppliers/\(id)").json()["name"]?.string == "Esimerkki Palvelut Oy")
        }
    }

    /// Reference columns (`providerBusinessId`, `supplierBusinessIds`) match by the normalised business ID too.
    @Test func aLegacyBusinessIdInAReferenceColumnNamesTheSupplier() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            let stored = try await client.create("/v1/suppliers", #"{"name": "Esimerkki Oy", "businessId": "0112038-9", "kind": "commercial"}"#)
            let id = try #require(stored["id"]?.string)
            let services = "name,sector,owner.name,lifecycle,criticality,providerBusinessId,externalId\n"
                + "Legacy-palvelu,administration,X,active,low,112038-9,ATT-LEGACY-1\n"
            let service = try await client.send(.post, "/v1/cities/\(Self.helsinki)/imports/services", body: services, contentType: "text/csv")
            #expect(service.status == .ok, "\(service.text)")
            let serviceId = try #require(try service.json()["rows"]?.array.first?["id"]?.string)
            #expect(try await client.send(.get, "/v1/cities/\(Self.helsinki)/services/\(serviceId)").json()["providerId"]?.string == id)

            let projects = "name,sector,owner.name,phase,externalId,supplierBusinessIds\nLegacy-hanke,administration,X,idea,ATT-LEGACY-P,112038-9|2345000-4\n"
            let project = try await client.send(.post, "/v1/cities/\(Self.helsinki)/imports/projects", body: projects, contentType: "text/csv")
            #expect(project.status == .ok, "\(project.text)")
            let projectId = try #require(try project.json()["rows"]?.array.first?["id"]?.string)
            let supplierIds = try await client.send(.get, "/v1/cities/\(Self.helsinki)/projects/\(projectId)").json()["supplierIds"]?.array
            #expect(supplierIds?.first?.string == id, "\(String(describing: supplierIds))")
        }
    }

    // MARK: - Finding 12: owners and their shares; the French VAT key

    @Test func anInHouseCompanyNamesItsOwners() async throws {
        let app = try TestApp()
        try await app.run { client in
            let before = try app.changeCount()
            for body in [
                #"{"name": "Kuntaäly Oy", "businessId": "2345000-4", "kind": "in-house-company"}"#,
                #"{"name": "Kuntaäly Oy", "businessId": "2345000-4", "kind": "in-house-company", "owners": []}"#,
                #"{"name": "Kuntaäly Oy", "businessId": "2345000-4", "kind": "in-house-company", "owners": null}"#,
            ] {
                let response = try await client.send(.post, "/v1/suppliers", body: body)
                #expect(response.status == .unprocessableContent, "\(body): \(response.text)")
                #expect(try response.errorLocations() == ["/owners"], "\(body): \(response.text)")
            }
            let imported = try await client.send(.post, "/v1/imports/suppliers?dryRun=true",
                                                 body: "name,kind,businessId,owners\nKuntaäly Oy,in-house-company,2345000-4,\n", contentType: "text/csv")
            #expect(imported.status == .unprocessableContent, "\(imported.text)")
            #expect(try Self.errors(imported).map(\.column) == ["owners"], "\(imported.text)")
            #expect(try app.changeCount() == before)
            // A state-owned shared service centre has no municipal owner.
            _ = try await client.create("/v1/suppliers", #"{"name": "Valtori", "businessId": "0245437-2", "kind": "shared-service-centre"}"#)

            // Owners cannot be taken away from an in-house company, nor a company become one without them.
            let company = try await client.create("/v1/suppliers",
                #"{"name": "Kuntaäly Oy", "businessId": "2345000-4", "kind": "in-house-company", "owners": [{"municipalityCode": "049", "sharePercent": 10}]}"#)
            let companyId = try #require(company["id"]?.string)
            let market = try await client.create("/v1/suppliers", #"{"name": "Markkina Oy", "businessId": "0112038-9", "kind": "commercial"}"#)
            let changes = try app.changeCount()
            for (id, patch) in [(companyId, #"{"owners": []}"#), (companyId, #"{"owners": null}"#),
                                (market["id"]!.string!, #"{"kind": "in-house-company"}"#)] {
                let response = try await client.send(.patch, "/v1/suppliers/\(id)", body: patch)
                #expect(response.status == .unprocessableContent, "\(patch): \(response.text)")
                #expect(try response.errorLocations() == ["/owners"], "\(patch): \(response.text)")
            }
            let cleared = try await client.send(.post, "/v1/imports/suppliers", body: "businessId,owners\n2345000-4,\n", contentType: "text/csv")
            #expect(cleared.status == .unprocessableContent, "\(cleared.text)")
            #expect(try app.changeCount() == changes)
        }
    }

    /// An in-house company stored before owners were recorded still reads and changes in its other members.
    @Test func anInHouseCompanyStoredWithoutOwnersStaysChangeable() async throws {
        let app = try TestApp()
        let actor = Actor(id: nil, name: "legacy", role: "system")
        let legacy = try app.database.create(SupplierFields(name: "Vanha Kuntayhtiö Oy", businessId: "2345000-4", kind: .inHouseCompany),
                                             cityId: nil, by: actor)
        try await app.run { client in
            #expect(try await client.send(.get, "/v1/suppliers/\(legacy.meta.id)").status == .ok)
            let renamed = try await client.send(.patch, "/v1/suppliers/\(legacy.meta.id)", body: #"{"name": "Kuntayhtiö Oy"}"#)
            #expect(renamed.status == .ok, "\(renamed.text)")
            let imported = try await client.send(.post, "/v1/imports/suppliers", body: "businessId,name\n2345000-4,Kuntayhtiö Ab\n", contentType: "text/csv")
            #expect(imported.status == .ok, "\(imported.text)")
        }
    }

    /// A share is more than 0 and at most 100; a number far outside says the same, not another range.
    @Test(arguments: ["0", "0.0", "-1", "100.001", "1e308", "-1e308", "1e13"])
    func aShareOutsideItsRangeNamesTheRange(share: String) async throws {
        let app = try TestApp()
        try await app.run { client in
            let response = try await client.send(.post, "/v1/suppliers", body:
                #"{"name": "Kuntaäly Oy", "businessId": "2345000-4", "kind": "in-house-company", "owners": [{"municipalityCode": "049", "sharePercent": \#(share)}]}"#)
            #expect(response.status == .unprocessableContent, "\(response.text)")
            let error = try #require(try response.json()["errors"]?.array.first)
            #expect(error["pointer"]?.string == "/owners/0/sharePercent")
            #expect(error["detail"]?.string == "must be greater than 0 and at most 100, with at most 3 fractional digits", "\(response.text)")
        }
    }

    /// The same in a file's `owners` column: `091:0`, a share beyond any number.
    @Test(arguments: ["049:0", "049:0,0", "049:100,5", "049:1000000000000000", "049:12|092:0"])
    func anImportedShareOutsideItsRangeIsARowError(owners: String) async throws {
        let app = try TestApp()
        try await app.run { client in
            let csv = "name;kind;businessId;owners\nKuntaäly Oy;in-house-company;2345000-4;\(owners)\n"
            for path in ["/v1/imports/suppliers?dryRun=true", "/v1/imports/suppliers"] {
                let response = try await client.send(.post, path, body: csv, contentType: "text/csv")
                #expect(response.status == .unprocessableContent, "\(owners): \(response.text)")
                let errors = try Self.errors(response)
                #expect(errors.map(\.column) == ["owners"], "\(owners): \(response.text)")
                #expect(errors.first?.detail.contains("greater than 0 and at most 100") == true, "\(owners): \(response.text)")
            }
            #expect(try Self.supplierCount(app) == 0)
        }
    }

    @Test func aFrenchVATNumberHasItsCheckKey() async throws {
        let app = try TestApp()
        try await app.run { client in
            let valid = try await client.create("/v1/suppliers", #"{"name": "Société SA", "vatNumber": "FR 40 303265045", "kind": "commercial"}"#)
            #expect(valid["vatNumber"]?.string == "FR40303265045")
            let before = try app.changeCount()
            let invalid = try await client.send(.post, "/v1/suppliers", body: #"{"name": "Fausse SA", "vatNumber": "FR41303265045", "kind": "commercial"}"#)
            #expect(invalid.status == .unprocessableContent)
            #expect(try invalid.errorLocations() == ["/vatNumber"])
            #expect(invalid.text.contains("expected 40"), "\(invalid.text)")
            let imported = try await client.send(.post, "/v1/imports/suppliers?dryRun=true",
                                                 body: "name,kind,vatNumber\nFausse SA,commercial,FR41303265045\n", contentType: "text/csv")
            #expect(try Self.errors(imported).map(\.column) == ["vatNumber"], "\(imported.text)")
            #expect(try app.changeCount() == before)
        }
    }
}
