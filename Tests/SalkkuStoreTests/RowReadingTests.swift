import Foundation
import GRDB
import SalkkuCore
import SalkkuDemo
import Synchronization
import Testing

@testable import SalkkuStore

/// The hand-written row readers must read what GRDB's Codable decoding reads.
@Suite struct RowReadingTests {
    func expectReadersAgree<F: StoredResource>(_ type: F.Type, in database: AppDatabase) throws {
        #expect(F.rowReader != nil)
        // A bound argument too: the prepared request's arguments must survive into the cursor.
        let request = Resource<F>.filter(Column("id") > "0").order(Column("id"))
        let (byHand, byCodable) = try database.reader.read { db in (try db.fetchResources(request), try request.fetchAll(db)) }
        #expect(byHand.count > 3, "the demo has \(F.resourceType) records to compare")
        #expect(byHand == byCodable)
    }

    @Test func contractsSLAsAndSuppliersReadAsCodableReadsThem() throws {
        let database = try AppDatabase.temporary()
        try DemoData.seedIfEmpty(database)
        try expectReadersAgree(ContractFields.self, in: database)
        try expectReadersAgree(SLAFields.self, in: database)
        try expectReadersAgree(SupplierFields.self, in: database)
    }

    @Test func identifierListsWithoutEscapesAreReadDirectly() {
        #expect(StatementColumns.plainStringArray(#"["a","bc"]"#) == ["a", "bc"])
        #expect(StatementColumns.plainStringArray(#"[""]"#) == [""])
        #expect(StatementColumns.plainStringArray(#"["a"]"#) == ["a"])
        // Anything else goes to the JSON decoder.
        #expect(StatementColumns.plainStringArray(#"["a\"b"]"#) == nil)
        #expect(StatementColumns.plainStringArray(#"["a", "b"]"#) == nil)
        #expect(StatementColumns.plainStringArray(#"["a",]"#) == nil)
        #expect(StatementColumns.plainStringArray(#"["a""b"]"#) == nil)
        #expect(StatementColumns.plainStringArray("[1]") == nil)
        #expect(StatementColumns.plainStringArray("[]") == nil)
    }

    @Test func aCorruptedValueIsAnErrorNotACrash() throws {
        let database = try AppDatabase.temporary()
        try DemoData.seedIfEmpty(database)
        let id = try database.reader.read { db in try String.fetchOne(db, sql: "SELECT id FROM contract LIMIT 1") }!
        for (column, value) in [("category", "'no-such-category'"), ("options", "'[{\"months\": \"x\"}]'"), ("startDate", "'2026-13-01'"),
                                ("totalValueCents", "'many'"), ("version", "'x'")] {
            try database.writer.write { db in
                try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
                try db.execute(sql: "SAVEPOINT corrupt")
                try db.execute(sql: "UPDATE contract SET \(column) = \(value) WHERE id = ?", arguments: [id])
                #expect(throws: StoredValueError.self, "\(column)") { try database.fetch(ContractFields.self, id: id, cityId: nil, db: db) }
                try db.execute(sql: "ROLLBACK TO corrupt")
                try db.execute(sql: "RELEASE corrupt")
            }
        }
    }

    @Test func optionListsAsTheStoreWritesThemAreReadDirectly() throws {
        #expect(StatementColumns.storedOptions(#"[{"exercised":true,"months":12}]"#) == [ContractOption(months: 12, exercised: true)])
        #expect(StatementColumns.storedOptions(#"[{"exercised":false,"months":6},{"exercised":true,"months":240}]"#)
                == [ContractOption(months: 6, exercised: false), ContractOption(months: 240, exercised: true)])
        // Anything else, valid or not, goes to the request readers.
        for other in [#"[{"months":12,"exercised":true}]"#, #"[{"exercised":true,"months":0}]"#, #"[{"exercised":true,"months":241}]"#,
                      #"[{"exercised":true,"months":012}]"#, #"[{"exercised":true,"months":12},]"#, #"[{"exercised":true,"months":12}] "#,
                      #"[{"exercised":1,"months":12}]"#, "[", "[]"] {
            #expect(StatementColumns.storedOptions(other) == nil, "\(other)")
        }
    }

    @Test func optionListsInAnotherFormAreReadOrRefused() throws {
        let database = try AppDatabase.temporary()
        func read(_ text: String) throws -> [ContractOption] {
            try database.reader.read { db in
                let statement = try db.makeStatement(sql: "SELECT ? AS options")
                let rows = try Row.fetchCursor(statement, arguments: [text])
                let columns = StatementColumns(statement)
                _ = try rows.next()
                columns.startRow()
                return try columns.contractOptions("options")
            }
        }
        #expect(try read(#"[ {"months": 12, "exercised": true} ]"#) == [ContractOption(months: 12, exercised: true)])
        #expect(try read(#"[{"months":3}]"#) == [ContractOption(months: 3, exercised: false)])
        #expect(throws: StoredValueError.self) { try read(#"[{"months":0}]"#) }
        #expect(throws: StoredValueError.self) { try read(#"{"months":3}"#) }
    }

    @Test func columnsAreFoundWhenRowsDifferInWhichAreNull() throws {
        let database = try AppDatabase.temporary()
        let read = try database.reader.read { db in
            let statement = try db.makeStatement(sql: """
                SELECT 'a' AS x, NULL AS y, 1 AS z UNION ALL SELECT 'b', 'c', 2 UNION ALL SELECT 'd', NULL, NULL UNION ALL SELECT 'e', 'f', 4
                """)
            let rows = try Row.fetchCursor(statement)
            let columns = StatementColumns(statement)
            var read: [String] = []
            while try rows.next() != nil {
                columns.startRow()
                read.append("\(try columns.optionalString("y") ?? "-") \(try columns.string("x")) \(try columns.optionalInt("z").map(String.init) ?? "-")")
            }
            return read
        }
        #expect(read == ["- a 1", "c b 2", "- d -", "f e 4"])
    }

    @Test func supplierKindsAreTheSuppliersKinds() throws {
        let database = try AppDatabase.temporary()
        try DemoData.seedIfEmpty(database)
        let ids = try database.allIds(SupplierFields.self)
        let suppliers = try database.byId(SupplierFields.self, ids: ids)
        #expect(suppliers.count == ids.count)
        #expect(try database.supplierKinds(ids: ids + ["no-such-supplier"]) == suppliers.mapValues(\.fields.kind))
    }

    @Test func readsTogetherSeeOneStateOfTheDatabase() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("salkku-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try AppDatabase.open(path: path)
        let actor = Actor(id: "t1", name: "tester", role: "admin")
        @Sendable func addCity(_ code: String) throws {
            _ = try database.create(CityFields(municipalityCode: code, name: LocalizedName(fi: "Kaupunki \(code)", sv: nil),
                                               population: 1000, itOrganisation: nil), cityId: nil, by: actor)
        }
        try addCity("091")
        let (before, after) = try database.readTogether {
            let before = try database.allIds(CityFields.self).count
            // Written from another thread while the read is open, so not seen by it.
            let written = DispatchSemaphore(value: 0)
            let outcome = WriteOutcome()
            Thread {
                outcome.result.withLock { $0 = Result { try addCity("092") } }
                written.signal()
            }.start()
            written.wait()
            try outcome.result.withLock { try $0?.get() }
            return (before, try database.list(CityFields.self, ListQuery(limit: 10)).items.count)
        }
        #expect(before == 1)
        #expect(after == 1)
        #expect(try database.allIds(CityFields.self).count == 2)
    }
}

private final class WriteOutcome: Sendable {
    let result = Mutex<Result<Void, any Error>?>(nil)
}
