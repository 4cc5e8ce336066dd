import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SalkkuCore
import SalkkuStore
import Testing

@testable import SalkkuAPI

/// Black-box attack on the import (attack-17): each test states what the README and the spec promise and fails
/// where the import does otherwise.
@Suite struct ImportAttackTests {
    static let helsinki = "019b76da-a800-7000-8000-000a00000000"
    /// Espoo's service 049-PAL-001 in the demo data set.
    static let espooService = "019b76da-a800-7000-8000-003000000000"
    /// Helsinki's contract 091-SOP-001.
    static let helsinkiContract = "019b76da-a800-7000-8000-009800000000"
    static let now = "2026-12-01T10:00:00Z"

    static func importPath(_ type: String) -> String { "/v1/cities/\(helsinki)/imports/\(type)" }

    static func errors(_ response: TestResponse) throws -> [(column: String, value: String, detail: String)] {
        try response.json()["errors"]!.array.map {
            ($0["column"]?.string ?? "", $0["value"]?.string ?? "", $0["detail"]?.string ?? "")
        }
    }

    static func serviceCount(_ app: TestApp, cityId: String) throws -> Int {
        try app.database.reader.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM service WHERE cityId = ?", arguments: [cityId]) ?? 0
        }
    }

    // MARK: - Records of another city or type named by id

    /// "Each row is matched to a record by `id` (when this database has it)": an `id` this database holds as another
    /// city's service (or as a contract) is not a new record to create under a fresh id. The import silently ignores
    /// the id and creates a second, unrelated service in Helsinki (200, created); it should refuse the row on `id`.
    @Test func anIdOfAnotherCitysRecordOrOfAnotherTypeIsRefusedNotIgnored() async throws {
        let app = try TestApp(demo: true, now: Self.now)
        let cio = try app.token(.cio, cities: ["091"])
        let before = try Self.serviceCount(app, cityId: Self.helsinki)
        let changes = try app.changeCount()
        let header = "id,name,sector,owner.name,lifecycle,criticality,providerBusinessId,externalId\n"
        try await app.run(token: cio) { client in
            for (id, key) in [(Self.espooService, "ATT-1"), (Self.helsinkiContract, "ATT-2")] {
                let csv = header + "\(id),Kaapattu,administration,X,active,low,2345000-4,\(key)\n"
                let response = try await client.send(.post, Self.importPath("services"), body: csv, contentType: "text/csv")
                #expect(response.status == .unprocessableContent, "id \(id): \(response.text.prefix(600))")
                #expect(try Self.errors(response).contains { $0.column == "id" }, "\(response.text.prefix(600))")
            }
        }
        #expect(try Self.serviceCount(app, cityId: Self.helsinki) == before)
        #expect(try app.changeCount() == changes)
        let espoo = try await app.database.reader.read { db in
            try String.fetchOne(db, sql: "SELECT name FROM service WHERE id = ?", arguments: [Self.espooService])
        }
        #expect(espoo != "Kaapattu")
    }

    // MARK: - Empty cells

    /// "A column the file leaves out keeps each record's value; an empty cell clears it." For columns that name
    /// records by the city's keys (`serviceExternalIds`, `supplierBusinessIds`) an empty cell is taken as a column
    /// left out: the row is "unchanged" and the references stay. The same cells under `serviceIds`/`supplierIds` clear.
    @Test func anEmptyKeyReferenceCellClearsTheReferences() async throws {
        let app = try TestApp(demo: true, now: Self.now)
        try await app.run { client in
            let create = "name,sector,owner.name,phase,externalId,serviceExternalIds,supplierBusinessIds\n"
                + "Tyhjennys,administration,X,idea,ATT-P1,091-PAL-002,2345000-4\n"
            let created = try await client.send(.post, Self.importPath("projects"), body: create, contentType: "text/csv")
            #expect(created.status == .ok, "\(created.text)")
            let id = try #require(try created.json()["rows"]?.array.first?["id"]?.string)
            let cleared = try await client.send(.post, Self.importPath("projects"),
                                                body: "externalId,serviceExternalIds,supplierBusinessIds\nATT-P1,,\n", contentType: "text/csv")
            #expect(cleared.status == .ok, "\(cleared.text)")
            #expect(try cleared.json()["rows"]?.array.first?["outcome"]?.string == "updated", "\(cleared.text)")
            let project = try await client.send(.get, "/v1/cities/\(Self.helsinki)/projects/\(id)").json()
            #expect(project["serviceIds"]?.array.isEmpty == true, "\(project)")
            #expect(project["supplierIds"]?.array.isEmpty == true, "\(project)")
        }
    }

    /// An own-production supplier must name its city; clearing `ownerCityId` is refused ("is required for own
    /// production"), but clearing the same owner through `ownerMunicipalityCode` is reported "unchanged" (200).
    @Test func anEmptyOwnerMunicipalityCodeClearsTheOwnerAndIsRefusedForOwnProduction() async throws {
        let app = try TestApp(demo: true, now: Self.now)
        try await app.run { client in
            let byId = try await client.send(.post, "/v1/imports/suppliers?dryRun=true",
                                             body: "businessId,ownerCityId\n0201001-8,\n", contentType: "text/csv")
            #expect(byId.status == .unprocessableContent)
            let byCode = try await client.send(.post, "/v1/imports/suppliers?dryRun=true",
                                               body: "businessId,ownerMunicipalityCode\n0201001-8,\n", contentType: "text/csv")
            #expect(byCode.status == .unprocessableContent, "\(byCode.text)")
            #expect(try Self.errors(byCode).contains { $0.column == "ownerMunicipalityCode" || $0.column == "ownerCityId" })
        }
    }

    /// An active service must have a provider: an empty `providerBusinessId` cell clears it and is refused, as an
    /// empty `providerId` cell is; the import reports the row "unchanged" instead.
    @Test func anEmptyProviderBusinessIdCellClearsTheProvider() async throws {
        let app = try TestApp(demo: true, now: Self.now)
        try await app.run { client in
            let response = try await client.send(.post, Self.importPath("services") + "?dryRun=true",
                                                 body: "externalId,providerBusinessId\n091-PAL-002,\n", contentType: "text/csv")
            #expect(response.status == .unprocessableContent, "\(response.text)")
        }
    }

    // MARK: - NDJSON members

    /// NDJSON rows are "members as in the API": PATCH refuses `cityId`, `version` and `createdAt` as read-only and the
    /// CSV refuses them as unknown columns, but an NDJSON line carrying them — `cityId` naming Espoo — imports (200,
    /// updated) with the members silently dropped.
    @Test func readOnlyMembersInNDJSONAreRefused() async throws {
        let app = try TestApp(demo: true, now: Self.now)
        let cio = try app.token(.cio, cities: ["091"])
        let changes = try app.changeCount()
        let lines = [
            #"{"cityId":"019b76da-a800-7000-8000-002e00000000","externalId":"091-PAL-002","name":"Siirretty"}"#,
            #"{"version":99,"externalId":"091-PAL-002","name":"Siirretty"}"#,
            #"{"createdAt":"2020-01-01T00:00:00.000Z","externalId":"091-PAL-002","name":"Siirretty"}"#,
        ]
        try await app.run(token: cio) { client in
            for line in lines {
                let response = try await client.send(.post, Self.importPath("services"), body: line + "\n",
                                                     contentType: "application/x-ndjson")
                #expect(response.status == .unprocessableContent, "\(line): \(response.text.prefix(400))")
            }
        }
        #expect(try app.changeCount() == changes)
    }

    // MARK: - Decimals

    /// PATCH refuses a value with more than 15 significant digits ("has more digits than a number can hold exactly")
    /// and the import refuses `99.1234` ("at most 3 fractional digits"), yet `100.00000000000000001` — above 100 for a
    /// percentage SLA, with 20 fractional digits — imports from CSV and NDJSON alike, rounded to 100.
    @Test func overPreciseDecimalsAreRefusedNotRounded() async throws {
        let app = try TestApp(demo: true, now: Self.now)
        let csv = "slaExternalId,period,value,source\n091-SOP-001-SLA-1,2026-10,100.00000000000000001,manual\n"
        let ndjson = #"{"slaExternalId":"091-SOP-001-SLA-1","period":"2026-10","value":99.12300000000000001,"source":"manual"}"# + "\n"
        try await app.run { client in
            let fromCSV = try await client.send(.post, Self.importPath("measurements") + "?dryRun=true", body: csv, contentType: "text/csv")
            #expect(fromCSV.status == .unprocessableContent, "\(fromCSV.text.prefix(400))")
            let fromNDJSON = try await client.send(.post, Self.importPath("measurements") + "?dryRun=true", body: ndjson,
                                                   contentType: "application/x-ndjson")
            #expect(fromNDJSON.status == .unprocessableContent, "\(fromNDJSON.text.prefix(400))")
        }
    }

    // MARK: - Small answers

    /// README, Small answers: "text echoed from the request is cut at 200 characters". An import error echoes the whole
    /// cell: a 31 MiB note comes back as a 32 MiB answer (47 MiB when the cell has line breaks, escaped).
    @Test func anImportErrorEchoesAtMost200CharactersOfACell() async throws {
        let app = try TestApp(demo: true, now: Self.now)
        let note = String(repeating: "x", count: 100_000)
        let csv = "capabilityId,sourcing,note\nsector-expertise,own,\(note)\n"
        let header = "capabilityId,sourcing," + String(repeating: "y", count: 100_000) + "\nsector-expertise,own,z\n"
        try await app.run { client in
            let response = try await client.send(.post, Self.importPath("capabilities") + "?dryRun=true", body: csv, contentType: "text/csv")
            #expect(response.status == .unprocessableContent)
            let value = try Self.errors(response).first { $0.column == "note" }?.value ?? ""
            #expect(value.count <= 203, "value echoed with \(value.count) characters")
            #expect(response.body.readableBytes < 16_384, "answer of \(response.body.readableBytes) bytes")
            let column = try await client.send(.post, Self.importPath("capabilities") + "?dryRun=true", body: header, contentType: "text/csv")
            #expect(column.status == .unprocessableContent)
            #expect(column.body.readableBytes < 16_384, "answer of \(column.body.readableBytes) bytes")
        }
    }

    /// README, Small answers: "A 422 lists at most the first 100 field errors and says how many there were". A header of
    /// 10 000 unknown columns gets a 1.3 MB answer listing all 10 000; 50 000 bad rows get 7 MB.
    @Test func anImportRejectionListsAtMost100Errors() async throws {
        let app = try TestApp(demo: true, now: Self.now)
        let csv = (0..<10_000).map { "c\($0)" }.joined(separator: ",") + "\n" + String(repeating: ",", count: 9_999) + "x\n"
        try await app.run { client in
            let response = try await client.send(.post, Self.importPath("capabilities") + "?dryRun=true", body: csv, contentType: "text/csv")
            #expect(response.status == .unprocessableContent)
            let report = try response.json()
            #expect(report["errors"]!.array.count <= 100, "\(report["errors"]!.array.count) errors listed")
            #expect(report["totals"]?["errors"]?.int == 10_000)
        }
    }

    // MARK: - Limits and media types

    /// The import reads UTF-8 only; a body declared in another charset is not UTF-8 and should be refused (415), not
    /// read as UTF-8 regardless.
    @Test func aBodyDeclaredInAnotherCharsetIsUnsupported() async throws {
        let app = try TestApp(demo: true, now: Self.now)
        try await app.run { client in
            for type in ["text/csv; charset=latin1", "text/csv; charset=ISO-8859-1", "text/csv; charset=utf-16"] {
                let response = try await client.send(.post, Self.importPath("capabilities") + "?dryRun=true",
                                                     body: "capabilityId,sourcing\nsector-expertise,own\n", contentType: type)
                #expect(response.status == .unsupportedMediaType, "\(type): \(response.status)")
            }
        }
    }

    /// `GET /v1/import-templates/contracts` (no `.csv`) answers 405 "GET is not allowed …; use GET": a route that
    /// does not exist is a 404, and a 405 that names the very method refused is nonsense.
    @Test func aTemplatePathWithoutCsvIsNotFound() async throws {
        let app = try TestApp(demo: true, now: Self.now)
        try await app.run { client in
            for path in ["/v1/import-templates/contracts", "/v1/import-templates/contracts.CSV", "/v1/import-templates/suppliers.json"] {
                let response = try await client.send(.get, path)
                #expect(response.status == .notFound, "\(path): \(response.status) \(response.text)")
                #expect(!response.text.contains("use GET"), "\(path): \(response.text)")
            }
        }
    }

    // MARK: - Error messages

    /// Numbers in the right shape but out of range are reported as malformed: an Int64-sized month count "must be a
    /// number, with a decimal point or comma", a too large euro sum "must be euros with at most two decimals", option
    /// months 99999 "must be option lengths in months joined by +" (while 999 is "between 1 and 240"); and a euro
    /// column out of range quotes the cents bound (`20 000 000 000,00` "must be between 0 and 1000000000000").
    @Test func outOfRangeNumbersAreReportedAsOutOfRange() async throws {
        let app = try TestApp(demo: true, now: Self.now)
        let cases: [(column: String, value: String, expected: String)] = [
            ("noticePeriodMonths", "99999999999999999999", "out of range"),
            ("noticePeriodMonths", "99", "between 0 and 60"),
            ("options", "99999", "between 1 and 240"),
            ("totalValue", "92233720368547758,07", "between"),
        ]
        try await app.run { client in
            for (column, value, expected) in cases {
                let csv = "externalId;\(column)\n091-SOP-001;\(value)\n"
                let response = try await client.send(.post, Self.importPath("contracts") + "?dryRun=true", body: csv, contentType: "text/csv")
                let detail = try Self.errors(response).first { $0.column == column }?.detail ?? ""
                #expect(detail.contains(expected), "\(column) = \(value): \(detail)")
            }
            let euros = "externalId;totalValue\n091-SOP-001;20 000 000 000,00\n"
            let response = try await client.send(.post, Self.importPath("contracts") + "?dryRun=true", body: euros, contentType: "text/csv")
            let detail = try Self.errors(response).first { $0.column == "totalValue" }?.detail ?? ""
            #expect(!detail.contains("1000000000000"), "a euro column quotes the bound in cents: \(detail)")
        }
    }

    // MARK: - Availability

    /// Imports take the all-city reports' slots (`--concurrent-reports`, 2): while two imports run — dry runs
    /// included — every supplier scorecard is 503 "2 all-city reports are already running", and a third import
    /// gets that 503 too, naming reports it never asked for. (Timing: the imports take seconds in a debug build.)
    @Test func importsDoNotTakeTheAllCityReportsSlots() async throws {
        let app = try TestApp(demo: true, now: Self.now)
        let csv = "capabilityId,sourcing\n" + String(repeating: "sector-expertise,own\n", count: 50_000)
        try await app.run { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        _ = try await client.send(.post, Self.importPath("capabilities") + "?dryRun=true", body: csv, contentType: "text/csv")
                    }
                }
                try await Task.sleep(for: .milliseconds(300))
                let scorecard = try await client.send(.get, "/v1/suppliers/019b76da-a800-7000-8000-000500000000/scorecard?from=2025-01&to=2025-12")
                #expect(scorecard.status == .ok, "\(scorecard.status) \(scorecard.text.prefix(300))")
                try await group.waitForAll()
            }
        }
    }
}
