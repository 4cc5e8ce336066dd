import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SalkkuCore
import SalkkuExchange
import SalkkuStore
import Testing

@testable import SalkkuAPI

@Suite struct ImportTests {
    static let helsinki = "019b76da-a800-7000-8000-000a00000000"

    /// A type of one city as CSV, as the export writes it.
    static func exported(_ format: ExchangeFormat, cityId: String?, from database: AppDatabase, dialect: CSVDialect = .standard) throws -> String {
        var text = ""
        try CSVExport.write(format, cityId: cityId, dialect: dialect, from: database) { text += $0 }
        return text
    }

    static func importPath(_ format: ExchangeFormat, cityId: String) -> String {
        format.name == "suppliers" ? "/v1/imports/suppliers" : "/v1/cities/\(cityId)/imports/\(format.name)"
    }

    /// The rows of an export without the columns that hold this database's ids, sorted: what must survive a move
    /// to another database.
    static func portable(_ csv: String, _ format: ExchangeFormat) throws -> [[String]] {
        let table = try CSVTable.read(Array(csv.utf8))
        let idColumns: Set<String> = Set(["id"] + format.references.map(\.member))
        let kept = table.header.indices.filter { !idColumns.contains(table.header[$0]) }
        return table.rows.map { row in kept.map { row.cells[$0] } }.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// Export a demo city type by type, import the files into an empty database in order, and every record of every
    /// type is there, equal field by field (references compared by the keys they name); importing again changes nothing.
    @Test func exportImportRoundTripsADemoCityIntoAnEmptyDatabase() async throws {
        let source = try TestApp(demo: true)
        let target = try TestApp()
        let cities = try source.database.list(CityFields.self, ListQuery(limit: 1000)).items
        try await target.run { client in
            for city in cities {
                let body = String(decoding: try JSONEncoder().encode(city.fields), as: UTF8.self)
                _ = try await client.create("/v1/cities", body)
            }
        }
        let targetCityId = try #require(try target.database.list(CityFields.self, ListQuery(limit: 1000)).items.first { $0.fields.municipalityCode == "091" }?.meta.id)
        var files: [String: String] = [:]
        for format in ExchangeFormat.all { files[format.name] = try Self.exported(format, cityId: Self.helsinki, from: source.database) }
        let exports = files
        try await target.run { client in
            for format in ExchangeFormat.all {
                let csv = exports[format.name]!
                let rows = try CSVTable.read(Array(csv.utf8)).rows.count
                #expect(rows > 0, "the demo city has no \(format.name)")
                let response = try await client.send(.post, Self.importPath(format, cityId: targetCityId), body: csv, contentType: "text/csv")
                #expect(response.status == .ok, "\(format.name): \(response.text.prefix(2000))")
                let report = try response.json()
                #expect(report["totals"]?["created"]?.int == Int64(rows), "\(format.name)")
            }
        }
        for format in ExchangeFormat.all {
            let again = try Self.exported(format, cityId: targetCityId, from: target.database)
            let before = try Self.portable(files[format.name]!, format)
            let after = try Self.portable(again, format)
            #expect(after == before, "\(format.name) differs after the round trip")
        }
        let changes = try target.changeCount()
        try await target.run { client in
            for format in ExchangeFormat.all {
                let response = try await client.send(.post, Self.importPath(format, cityId: targetCityId), body: exports[format.name]!,
                                                     contentType: "text/csv")
                let report = try response.json()
                #expect(report["totals"]?["unchanged"]?.int == report["totals"]?["rows"]?.int, "\(format.name): \(response.text.prefix(500))")
            }
        }
        #expect(try target.changeCount() == changes)
    }

    /// Re-importing an export of the same database, with one cell edited, updates that record alone.
    @Test func anEditedExportUpdatesOnlyTheEditedRecordAsTheImportingToken() async throws {
        let app = try TestApp(demo: true)
        let csv = try Self.exported(.contracts, cityId: Self.helsinki, from: app.database, dialect: .excelFi)
        var lines = csv.components(separatedBy: "\r\n")
        let header = lines[0].dropFirst().components(separatedBy: ";")
        let noticeColumn = try #require(header.firstIndex(of: "noticePeriodMonths"))
        var cells = lines[1].components(separatedBy: ";")
        cells[noticeColumn] = "11"
        lines[1] = cells.joined(separator: ";")
        let edited = lines.joined(separator: "\r\n")
        let cio = try app.token(.cio, cities: ["091"])
        let changes = try app.changeCount()
        try await app.run(token: cio) { client in
            let response = try await client.send(.post, "/v1/cities/\(Self.helsinki)/imports/contracts", body: edited,
                                                 contentType: "text/csv; charset=utf-8")
            #expect(response.status == .ok, "\(response.text.prefix(1000))")
            let report = try response.json()
            #expect(report["totals"]?["updated"]?.int == 1)
            let updated = try #require(report["rows"]?.array.first { $0["outcome"]?.string == "updated" }?["id"]?.string)
            let contract = try await client.send(.get, "/v1/cities/\(Self.helsinki)/contracts/\(updated)").json()
            #expect(contract["noticePeriodMonths"]?.int == 11)
        }
        #expect(try app.changeCount() == changes + 1)
        let actor = try await app.database.reader.read { db in
            try String.fetchOne(db, sql: "SELECT actorName FROM change ORDER BY seq DESC LIMIT 1")
        }
        #expect(actor == "Test cio")
    }

    /// One bad row refuses the whole file, every error is named with its row, column and value, and nothing is stored.
    @Test func aBadRowRefusesTheWholeFileAndNamesEveryError() async throws {
        let app = try TestApp(demo: true)
        let changes = try app.changeCount()
        let csv = """
            title;supplierBusinessId;externalId;category;procedure;totalValue;startDate;initialEndDate;options;renewal;managedBy;serviceExternalIds\r
            Hyvä;2345000-4;T-1;services;open;1 000,00;1.1.2025;31.12.2027;12;none;central;091-PAL-001\r
            Huono;9999999-9;T-2;services;open;1 000,00;1.1.2025;31.12.2027;;none;central;\r
            Toinen;2345000-4;T-3;servicez;open;1,005;32.1.2025;2027-12-31;12x;none;central;\r
            Kolmas;2345000-4;T-4;services;open;5;2025-01-01;2024-12-31;;none;central;NOPE\r

            """
        try await app.run { client in
            for dryRun in [false, true] {
                let response = try await client.send(.post, "/v1/cities/\(Self.helsinki)/imports/contracts\(dryRun ? "?dryRun=true" : "")",
                                                     body: csv, contentType: "text/csv")
                #expect(response.status == .unprocessableContent)
                #expect(response.headers[.contentType] == "application/problem+json")
                let report = try response.json()
                #expect(report["stored"]?.bool == false)
                let errors = report["errors"]!.array.map { ($0["row"]!.int!, $0["column"]?.string ?? "", $0["value"]?.string ?? "") }
                #expect(errors.contains { $0 == (3, "supplierBusinessId", "9999999-9") })
                #expect(errors.contains { $0 == (4, "totalValue", "1,005") })
                #expect(errors.contains { $0 == (4, "startDate", "32.1.2025") })
                #expect(errors.contains { $0 == (4, "options", "12x") })
                #expect(errors.contains { $0 == (5, "serviceExternalIds", "NOPE") })
                // The row is read beside its unknown key, so its own errors are named too (found by the black-box attack).
                #expect(errors.contains { $0.0 == 5 && $0.1 == "initialEndDate" })
                #expect(errors.filter { $0.0 == 5 }.count == 2 && errors.filter { $0.0 == 3 }.count == 1)
                let missing = report["errors"]!.array.first { $0["column"]?.string == "supplierBusinessId" }?["detail"]?.string ?? ""
                #expect(missing.contains("import suppliers first"))
                #expect(report["rows"]!.array.map { $0["outcome"]!.string! } == ["created", "error", "error", "error"])
                #expect(report["rows"]!.array.first?["id"] == nil)
            }
            // Only the dates wrong: the reason is the API's own, on the column of the file.
            let dates = """
                title,supplierBusinessId,externalId,category,procedure,totalValueCents,startDate,initialEndDate,renewal,managedBy
                Kolmas,2345000-4,T-4,services,open,5,2025-01-01,2024-12-31,none,central

                """
            let report = try await client.send(.post, "/v1/cities/\(Self.helsinki)/imports/contracts", body: dates, contentType: "text/csv").json()
            #expect(report["errors"]?.array.first?["column"]?.string == "initialEndDate")
        }
        #expect(try app.changeCount() == changes)
    }

    /// A dry run reports what the import would do and stores nothing; the same file then imports for real.
    @Test func aDryRunStoresNothing() async throws {
        let app = try TestApp(demo: true)
        let changes = try app.changeCount()
        let csv = "name,businessId,kind,contact.email\r\nTuonti Oy,0112038-9,commercial,myynti@tuonti.example\r\n"
        try await app.run { client in
            let dry = try await client.send(.post, "/v1/imports/suppliers?dryRun=true", body: csv, contentType: "text/csv")
            #expect(dry.status == .ok)
            #expect(try dry.json()["totals"]?["created"]?.int == 1)
            #expect(try dry.json()["stored"]?.bool == false)
            #expect(try app.changeCount() == changes)
            let real = try await client.send(.post, "/v1/imports/suppliers", body: csv, contentType: "text/csv")
            #expect(try real.json()["stored"]?.bool == true)
            let id = try #require(try real.json()["rows"]?.array.first?["id"]?.string)
            let supplier = try await client.send(.get, "/v1/suppliers/\(id)").json()
            #expect(supplier["contact"]?["email"]?.string == "myynti@tuonti.example")
            let again = try await client.send(.post, "/v1/imports/suppliers", body: csv, contentType: "text/csv").json()
            #expect(again["totals"]?["unchanged"]?.int == 1)
        }
        #expect(try app.changeCount() == changes + 1)
    }

    /// Measurements as a supplier's spreadsheet has them: semicolons, a BOM, decimal commas, the SLA by its key,
    /// evidence with a line break and a formula-like note; NDJSON for the same.
    @Test func measurementsFromAFinnishSpreadsheetAndFromNDJSON() async throws {
        let app = try TestApp(demo: true)
        let sla = try #require(try app.database.all(SLAFields.self, cityId: Self.helsinki).first { $0.fields.period == .month && $0.fields.externalId != nil })
        let key = sla.fields.externalId!
        let period = HelsinkiCalendar.date(at: app.database.clock()).adding(months: -1)
        let month = String(period.description.prefix(7))
        let csv = "\u{FEFF}slaExternalId;period;value;source;evidence;note\r\n\(key);\(month);99,25;supplier-report;\"Raportti\nliite 2\";'=1+1\r\n"
        try await app.run { client in
            let response = try await client.send(.post, "/v1/cities/\(Self.helsinki)/imports/measurements", body: csv, contentType: "text/csv")
            #expect(response.status == .ok, "\(response.text)")
            let stored = try await client.send(.get, "/v1/cities/\(Self.helsinki)/slas/\(sla.meta.id)/measurements/\(month)").json()
            #expect(stored["value"]?.number == "99.25")
            #expect(stored["evidence"]?.string == "Raportti\nliite 2")
            #expect(stored["note"]?.string == "=1+1")
            let line = #"{"slaExternalId":"\#(key)","period":"\#(month)","value":98.5,"source":"monitoring","note":null}"# + "\n"
            let ndjson = try await client.send(.post, "/v1/cities/\(Self.helsinki)/imports/measurements", body: line,
                                               contentType: "application/x-ndjson")
            #expect(try ndjson.json()["totals"]?["updated"]?.int == 1, "\(ndjson.text)")
            let changed = try await client.send(.get, "/v1/cities/\(Self.helsinki)/slas/\(sla.meta.id)/measurements/\(month)").json()
            #expect(changed["value"]?.number == "98.5")
            #expect(changed["note"] == nil)
            // The evidence column was left out: the stored evidence stays.
            #expect(changed["evidence"]?.string == "Raportti\nliite 2")
        }
    }

    @Test func typesMediaTypesRolesAndLimits() async throws {
        let app = try TestApp(demo: true)
        let auditor = try app.token(.auditor)
        try await app.run { client in
            #expect(try await client.send(.post, "/v1/cities/\(Self.helsinki)/imports/widgets", body: "a\n", contentType: "text/csv").status == .notFound)
            #expect(try await client.send(.post, "/v1/cities/\(Self.helsinki)/imports/suppliers", body: "a\n", contentType: "text/csv").status == .notFound)
            #expect(try await client.send(.post, "/v1/cities/\(Self.helsinki)/imports/contracts", body: "{}").status == .unsupportedMediaType)
            #expect(try await client.send(.post, "/v1/cities/\(Self.helsinki)/imports/contracts?dryRun=maybe", body: "a\n",
                                          contentType: "text/csv").status == .unprocessableContent)
            #expect(try await client.send(.post, "/v1/cities/\(Self.helsinki)/imports/contracts?dry=true", body: "a\n",
                                          contentType: "text/csv").status == .unprocessableContent)
            let many = "capabilityId,sourcing\n" + String(repeating: "sector-expertise,own\n", count: ImportController.maxRows + 1)
            let tooMany = try await client.send(.post, "/v1/cities/\(Self.helsinki)/imports/capabilities", body: many, contentType: "text/csv")
            #expect(tooMany.status == .unprocessableContent)
            #expect(tooMany.text.contains("at most 50000 rows"))
            let huge = try await client.send(.post, "/v1/cities/\(Self.helsinki)/imports/contracts",
                                             body: "title\n" + String(repeating: "x", count: ImportController.maxBytes), contentType: "text/csv")
            #expect(huge.status == .contentTooLarge)
            let template = try await client.send(.get, "/v1/import-templates/contracts.csv")
            #expect(template.status == .ok)
            let table = try CSVTable.read(Array(template.text.utf8))
            #expect(table.header == ExchangeFormat.contracts.templateColumns.map(\.name))
            #expect(table.rows.count == 1)
            let finnish = try await client.send(.get, "/v1/import-templates/measurements.csv?dialect=excel-fi")
            #expect(finnish.text.hasPrefix("\u{FEFF}slaExternalId;period;value"))
            #expect(finnish.text.contains(";99,62;"))
            #expect(try await client.send(.get, "/v1/import-templates/widgets.csv").status == .notFound)
            #expect(try await client.send(.get, "/v1/import-templates/contracts.csv?dialect=lotus").status == .unprocessableContent)
        }
        try await app.run(token: auditor) { client in
            let response = try await client.send(.post, "/v1/cities/\(Self.helsinki)/imports/contracts", body: "a\n", contentType: "text/csv")
            #expect(response.status == .forbidden)
        }
    }

    /// The city export with `Accept: text/csv` gives one type as the round-trip test's files, at a past record time too.
    @Test func theCityExportGivesOneTypeAsCSV() async throws {
        let app = try TestApp(demo: true)
        let csv = try Self.exported(.slas, cityId: Self.helsinki, from: app.database)
        let before = app.database.clock()
        try await app.run { client in
            let path = "/v1/cities/\(Self.helsinki)/export"
            let response = try await client.send(.get, "\(path)?type=slas", headers: [.accept: "text/csv"])
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(response.text == csv)
            let finnish = try await client.send(.get, "\(path)?type=slas&dialect=excel-fi", headers: [.accept: "text/csv, application/x-ndjson"])
            #expect(finnish.text.hasPrefix("\u{FEFF}id;contractId;contractExternalId;"))
            // A change after `before` is not in the export as of then.
            let sla = try #require(try app.database.all(SLAFields.self, cityId: Self.helsinki).first)
            _ = try await client.send(.patch, "/v1/cities/\(Self.helsinki)/slas/\(sla.meta.id)", body: #"{"name": "Uusi nimi"}"#)
            let now = try await client.send(.get, "\(path)?type=slas", headers: [.accept: "text/csv"]).text
            #expect(now.contains("Uusi nimi"))
            let then = try await client.send(.get, "\(path)?type=slas&asOf=\(before.description)", headers: [.accept: "text/csv"]).text
            #expect(then == csv)
            #expect(try await client.send(.get, path, headers: [.accept: "text/csv"]).status == .unprocessableContent)
            #expect(try await client.send(.get, "\(path)?type=widgets", headers: [.accept: "text/csv"]).status == .unprocessableContent)
            #expect(try await client.send(.get, "\(path)?type=slas").status == .unprocessableContent)
            #expect(try await client.send(.get, "/v1/export", headers: [.accept: "text/csv"]).status == .notAcceptable)
            #expect(try await client.send(.get, "/v1/cities/019b76da-a800-7000-8000-0000000000ff/export?type=slas",
                                          headers: [.accept: "text/csv"]).status == .notFound)
        }
    }

    /// An `id` of another city's record is refused: the row neither changes that record nor copies it.
    @Test func anIdOfAnotherCitysRecordIsRefused() async throws {
        let app = try TestApp(demo: true)
        let espoo = try #require(try app.database.list(CityFields.self, ListQuery(limit: 100)).items.first { $0.fields.municipalityCode == "049" })
        let foreign = try #require(try app.database.all(ContractFields.self, cityId: espoo.meta.id).first)
        let changes = try app.changeCount()
        let csv = "id,title\n\(foreign.meta.id),Kaapattu\n"
        try await app.run { client in
            let response = try await client.send(.post, "/v1/cities/\(Self.helsinki)/imports/contracts", body: csv, contentType: "text/csv")
            #expect(response.status == .unprocessableContent)
            #expect(try response.json()["errors"]?.array.first?["column"]?.string == "id")
        }
        #expect(try app.changeCount() == changes)
        #expect(try app.database.fetch(ContractFields.self, id: foreign.meta.id)?.fields.title == foreign.fields.title)
    }

    /// A CIO's import is held to the same write rules as the CIO's own requests: another city's supplier is not theirs.
    @Test func aCIOCannotImportChangesToAnotherCitysOwnSupplier() async throws {
        let app = try TestApp(demo: true)
        let foreign = try #require(try app.database.list(SupplierFields.self, ListQuery(limit: 1000)).items.first {
            $0.fields.ownerCityId != nil && $0.fields.ownerCityId != Self.helsinki
        })
        let cio = try app.token(.cio, cities: ["091"])
        let csv = "businessId,name\n\(foreign.fields.businessId ?? ""),Uusi nimi\n"
        try await app.run(token: cio) { client in
            let response = try await client.send(.post, "/v1/imports/suppliers", body: csv, contentType: "text/csv")
            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("only that city's CIO or an admin"), "\(response.text)")
        }
    }
}
