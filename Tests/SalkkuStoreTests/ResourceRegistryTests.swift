import GRDB
import Testing

@testable import SalkkuStore

/// A resource table the registry does not list would silently miss its history, city deletion and the
/// audit log's types; this fails instead.
@Suite struct ResourceRegistryTests {
    @Test func everyResourceTableIsRegistered() throws {
        let database = try AppDatabase.temporary()
        let tables = try database.reader.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_history'")
                .filter { table in
                    let columns = Set(try db.columns(in: table).map(\.name))
                    return columns.isSuperset(of: ["id", "version", "createdAt", "updatedAt"])
                }
        }
        #expect(Set(tables) == Set(ResourceRegistry.all.map(\.table)))
        for kind in ResourceRegistry.all {
            let hasCity = try database.reader.read { db in try db.columns(in: kind.table).contains { $0.name == "cityId" } }
            #expect(hasCity == kind.isCityOwned, "\(kind.table)")
        }
        // Every portfolio table has its history.
        let histories = try database.reader.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%_history'")
        }
        #expect(Set(histories) == Set(ResourceRegistry.portfolio.map { RecordHistory.historyTable($0.table) }))
    }
}
