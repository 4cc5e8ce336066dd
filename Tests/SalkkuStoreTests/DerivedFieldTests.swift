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
}
