import Foundation
import GRDB
import SalkkuCore
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
        let database = try AppDatabase.inMemory()
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
        let database = try AppDatabase.inMemory()
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
}
