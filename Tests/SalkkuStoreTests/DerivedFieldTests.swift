import Foundation
import GRDB
import SalkkuCore
import SalkkuJSON
import Testing

@testable import SalkkuStore

/// A resource defined only here, with an optional field added after its table was first made.
struct GadgetFields: StoredResource {
    static let resourceType = "gadget"
    static let databaseTableName = "gadget"
    static let isCityOwned = false

    var name: String
    /// The field added later: one column, and nothing else written for it.
    var colour: String?

    static func read(_ value: JSONValue, errors: InputErrors) -> GadgetFields? {
        guard var reader = ObjectReader(value, errors: errors) else { return nil }
        let name = reader.text("name", required: true)
        let colour = reader.text("colour")
        reader.finish(readOnly: readOnlyFields)
        guard errors.isEmpty, let name else { return nil }
        return GadgetFields(name: name, colour: colour)
    }
}

/// A resource whose members are a list, a decimal and a date: JSON, thousandths and text columns.
struct ToolFields: StoredResource {
    static let resourceType = "tool"
    static let databaseTableName = "tool"
    static let isCityOwned = false

    var parts: [String]
    var size: ExactDecimal?
    var inService: LocalDate?

    static func read(_ value: JSONValue, errors: InputErrors) -> ToolFields? { try? value.decoded(as: Self.self) }
}

/// Issue 16's check of the derived path: a field added to a fields type reaches the table, the change log and
/// the JSON written for it, read back through the generic row reading, with one migration and no other code.
@Suite struct DerivedFieldTests {
    @Test func anAddedFieldReachesTheTableTheChangeLogAndTheJSON() throws {
        let database = try AppDatabase.temporary()
        try database.writer.write { db in
            try db.execute(sql: "CREATE TABLE gadget (\(AppDatabase.resourceColumns(.shared)) name TEXT NOT NULL)")
            // The migration that comes with the new field.
            try db.execute(sql: "ALTER TABLE gadget ADD COLUMN colour TEXT")
        }
        let errors = InputErrors()
        let fields = try #require(GadgetFields.read(try StrictJSONParser.parse(Array(#"{"name": "Vekotin", "colour": "sininen"}"#.utf8)),
                                                    errors: errors))
        let created = try database.create(fields, cityId: nil, by: .demoSeed)
        let stored = try database.reader.read { db in try String.fetchOne(db, sql: "SELECT colour FROM gadget WHERE id = ?", arguments: [created.meta.id]) }
        #expect(stored == "sininen")
        let read = try #require(try database.fetch(GadgetFields.self, id: created.meta.id))
        #expect(read.fields.colour == "sininen")
        let json = String(decoding: try CompactJSONEncoder.encode(read), as: UTF8.self)
        #expect(json.contains(#""colour":"sininen""#))
        let state = try database.reader.read { db in
            try String.fetchOne(db, sql: "SELECT state FROM change WHERE resourceType = 'gadget' AND resourceId = ?", arguments: [created.meta.id])
        }
        #expect(state?.contains(#""colour":"sininen""#) == true)
    }

    @Test func membersOfEveryStoredKindRoundTripAndAClearedMemberClearsItsColumn() throws {
        let database = try AppDatabase.temporary()
        try database.writer.write { db in
            try db.execute(sql: "CREATE TABLE tool (\(AppDatabase.resourceColumns(.shared)) parts TEXT NOT NULL, size INTEGER, inService TEXT)")
        }
        let created = try database.create(ToolFields(parts: ["a/b", "c\"d"], size: ExactDecimal("1.5"), inService: LocalDate("2026-01-31")),
                                          cityId: nil, by: .demoSeed)
        let row = try #require(try database.reader.read { db in try Row.fetchOne(db, sql: "SELECT * FROM tool WHERE id = ?", arguments: [created.meta.id]) })
        #expect(row["parts"] == #"["a/b","c\"d"]"#)
        #expect(row["size"] == 1500)
        #expect(row["inService"] == "2026-01-31")
        #expect(try database.fetch(ToolFields.self, id: created.meta.id) == created)

        let cleared = try database.update(ToolFields.self, id: created.meta.id, cityId: nil, by: .demoSeed) { _ in
            ToolFields(parts: [], size: nil, inService: nil)
        }
        let after = try #require(try database.reader.read { db in try Row.fetchOne(db, sql: "SELECT * FROM tool WHERE id = ?", arguments: [created.meta.id]) })
        #expect(after["parts"] == "[]")
        #expect(after["size"] == nil as Int64?)
        #expect(after["inService"] == nil as String?)
        #expect(try database.fetch(ToolFields.self, id: created.meta.id) == cleared)
    }
}
