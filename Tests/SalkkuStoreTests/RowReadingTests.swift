import Foundation
import GRDB
import SalkkuCore
import Testing

@testable import SalkkuStore

/// The hand-written row readers must read what GRDB's Codable decoding reads.
@Suite struct RowReadingTests {
    func expectReadersAgree<F: StoredResource>(_ type: F.Type, in database: AppDatabase) throws {
        let rows = try database.reader.read { db in try Row.fetchAll(db, sql: "SELECT * FROM \(F.databaseTableName)") }
        #expect(rows.count > 3, "the demo has \(F.resourceType) records to compare")
        #expect(F.rowReader != nil)
        for row in rows {
            let byHand = try Resource<F>(row: row)
            let byCodable = try FetchableRecordDecoder().decode(Resource<F>.self, from: row)
            #expect(byHand == byCodable)
        }
    }

    @Test func contractsSLAsAndSuppliersReadAsCodableReadsThem() throws {
        let database = try AppDatabase.inMemory()
        try DemoData.seedIfEmpty(database)
        try expectReadersAgree(ContractFields.self, in: database)
        try expectReadersAgree(SLAFields.self, in: database)
        try expectReadersAgree(SupplierFields.self, in: database)
    }

    @Test func identifierListsWithoutEscapesAreReadDirectly() {
        #expect(Row.plainStringArray(#"["a","bc"]"#) == ["a", "bc"])
        #expect(Row.plainStringArray(#"[""]"#) == [""])
        #expect(Row.plainStringArray(#"["a"]"#) == ["a"])
        // Anything else goes to the JSON decoder.
        #expect(Row.plainStringArray(#"["a\"b"]"#) == nil)
        #expect(Row.plainStringArray(#"["a", "b"]"#) == nil)
        #expect(Row.plainStringArray(#"["a",]"#) == nil)
        #expect(Row.plainStringArray(#"["a""b"]"#) == nil)
        #expect(Row.plainStringArray("[1]") == nil)
        #expect(Row.plainStringArray("[]") == nil)
    }

    @Test func aCorruptedValueIsAnErrorNotACrash() throws {
        let database = try AppDatabase.inMemory()
        try DemoData.seedIfEmpty(database)
        let row = try database.reader.read { db in try Row.fetchOne(db, sql: "SELECT * FROM contract LIMIT 1") }!
        var corrupted = Dictionary(uniqueKeysWithValues: row.columnNames.map { ($0, row[$0] as DatabaseValue) })
        corrupted["category"] = "no-such-category".databaseValue
        #expect(throws: StoredValueError.self) { try Resource<ContractFields>(row: Row(corrupted)) }
        corrupted["category"] = row["category"] as DatabaseValue
        corrupted["serviceIds"] = "[not json".databaseValue
        #expect(throws: StoredValueError.self) { try Resource<ContractFields>(row: Row(corrupted)) }
    }
}
