import Foundation
import GRDB
import SalkkuCore
import Synchronization

/// System-versioned history: every version of every portfolio record, with the instants it was current from
/// and until, kept beside the resource tables by the one write path, in the same transaction as the change
/// log. A read at a past record time runs the ordinary queries on connections where each resource table is
/// shadowed by a view of its history at that instant, so an as-of read is an indexed query, not a rebuild.
enum RecordHistory {
    /// The versioned kinds of resource: the portfolio of the registry.
    static var kinds: [ResourceRegistry.Kind] { ResourceRegistry.portfolio }

    /// Tables the write path keeps in sync from their owners' id lists; at a past instant they are derived
    /// from the owners' history instead.
    static let linkTables: [(link: String, owner: String, column: String, target: String)] = [
        ("contract_service", "contract", "serviceIds", "service"), ("project_service", "project", "serviceIds", "service"),
        ("project_supplier", "project", "supplierIds", "supplier"),
    ]

    static func historyTable(_ table: String) -> String { "\(table)_history" }

    /// A table's stored columns, generated ones included, in order.
    static func columns(of table: String, _ db: Database) throws -> [String] {
        try Row.fetchAll(db, sql: "PRAGMA table_xinfo(\(table.quotedDatabaseIdentifier))")
            .filter { ($0["hidden"] as Int? ?? 0) != 1 }
            .map { $0["name"] }
    }

    // MARK: Schema

    /// Creates the history tables, each with the columns of its table (constraints dropped: versions repeat
    /// ids and unique values), the two record-time columns, and the table's own indexes followed by them.
    static func createTables(_ db: Database, kinds: [ResourceRegistry.Kind]) throws {
        for kind in kinds {
            let history = historyTable(kind.table)
            let columns = try columns(of: kind.table, db)
            // No columns: the table does not exist yet (its table info is read rather than the schema, so that the
            // released migrations run the statements they always ran).
            guard !columns.isEmpty else { continue }
            try db.execute(sql: """
                CREATE TABLE \(history) AS SELECT \(columns.map(\.quotedDatabaseIdentifier).joined(separator: ", ")),
                    '' AS recordedFrom, NULL AS recordedUntil FROM \(kind.table) WHERE 0;
                -- At most one current version of a record; the write path closes it before opening the next.
                CREATE UNIQUE INDEX \(history)_current ON \(history)(id) WHERE recordedUntil IS NULL;
                CREATE INDEX \(history)_by_id ON \(history)(id, recordedFrom, recordedUntil);
                """)
            let indexes = try Row.fetchAll(db, sql: "PRAGMA index_list(\(kind.table.quotedDatabaseIdentifier))")
            for (number, index) in indexes.enumerated() {
                let name: String = index["name"]
                let indexed = try Row.fetchAll(db, sql: "PRAGMA index_info(\(name.quotedDatabaseIdentifier))")
                    .sorted { ($0["seqno"] as Int) < ($1["seqno"] as Int) }
                    .compactMap { $0["name"] as String? }
                guard !indexed.isEmpty, indexed != ["id"] else { continue }
                try db.execute(sql: """
                    CREATE INDEX \(history)_\(number) ON \(history)(\((indexed + ["recordedFrom", "recordedUntil"]).map(\.quotedDatabaseIdentifier).joined(separator: ", ")))
                    """)
            }
        }
    }

    /// Fills the history of a database written before it existed, from the change log: each state the log
    /// holds is a version, current from its entry's instant until the next entry of the same record. A record's
    /// latest state is its row, so only superseded states are decoded.
    static func build(_ db: Database, kinds: [ResourceRegistry.Kind]) throws {
        for kind in kinds {
            guard try db.tableExists(kind.table) else { continue }
            let history = historyTable(kind.table)
            let names = try columns(of: kind.table, db)
            guard !names.isEmpty else { continue }
            let columns = names.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
            try db.execute(sql: """
                INSERT INTO \(history) (\(columns), recordedFrom)
                SELECT \(columns), (SELECT max(at) FROM change c WHERE c.resourceType = ? AND c.resourceId = r.id)
                FROM \(kind.table) r
                """, arguments: [kind.resourceType])
            let superseded = try Row.fetchCursor(db, sql: """
                SELECT c.state, c.at, (SELECT n.at FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId
                                         AND n.seq > c.seq ORDER BY n.seq LIMIT 1) AS until
                FROM change c
                WHERE c.resourceType = ? AND c.state IS NOT NULL
                  AND EXISTS (SELECT 1 FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId AND n.seq > c.seq)
                """, arguments: [kind.resourceType])
            while let row = try superseded.next() {
                var values = try kind.columns(try row.decode(forColumn: "state"))
                values["recordedFrom"] = try row.decode(String.self, forColumn: "at").databaseValue
                values["recordedUntil"] = try row.decode(String.self, forColumn: "until").databaseValue
                let names = values.keys.sorted()
                try db.execute(sql: """
                    INSERT INTO \(history) (\(names.map(\.quotedDatabaseIdentifier).joined(separator: ", ")))
                    VALUES (\(databaseQuestionMarks(count: names.count)))
                    """, arguments: StatementArguments(names.map { values[$0]! }))
            }
            if kind.table == MeasurementFields.databaseTableName {
                // Superseded states carry no derived columns; they follow from the period as in the table.
                try db.execute(sql: """
                    UPDATE \(history) SET firstMonth = \(AppDatabase.MeasurementPeriodColumns.firstMonth),
                        lastMonth = \(AppDatabase.MeasurementPeriodColumns.lastMonth), disputeStatus = json_extract(dispute, '$.status')
                    WHERE firstMonth IS NULL
                    """)
            }
        }
    }

    // MARK: Writing

    /// The statement that starts a new current version of a record of `table`, from its row as it now stands:
    /// made once per database, when it opens, from the table's columns.
    static func openVersionSQL(_ table: String, _ db: Database) throws -> String {
        let columns = try columns(of: table, db).map(\.quotedDatabaseIdentifier).joined(separator: ", ")
        return "INSERT INTO \(historyTable(table)) (\(columns), recordedFrom) SELECT \(columns), ? FROM \(table) WHERE id = ?"
    }

    /// Ends record `id`'s current version at instant `at`.
    static func closeVersion(table: String, id: String, at: Timestamp, _ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE \(historyTable(table)) SET recordedUntil = ? WHERE id = ? AND recordedUntil IS NULL")
            .execute(arguments: [at, id])
    }

    // MARK: Reading at a record time

    /// The SQL function the history views read their instant from, one value per connection.
    static let recordTimeFunction = "salkku_record_time"
    static let setRecordTimeFunction = "salkku_set_record_time"

    /// Prepares a connection for reads at a record time: every resource table (and link table) is shadowed by a
    /// temporary view of the versions current at the instant `salkku_set_record_time(?)` last set. Temporary
    /// objects come first in SQLite's name lookup, so the ordinary queries read the past unchanged.
    static func prepareHistoryConnection(_ db: Database) throws {
        let instant = Mutex<String>("")
        db.add(function: DatabaseFunction(recordTimeFunction, argumentCount: 0, pure: false) { _ in
            instant.withLock { $0 }
        })
        db.add(function: DatabaseFunction(setRecordTimeFunction, argumentCount: 1, pure: false) { values in
            let text = String.fromDatabaseValue(values[0]) ?? ""
            instant.withLock { $0 = text }
            return text
        })
        // An uncorrelated subquery is evaluated once per statement, where a bare function call would run per row.
        let now = "(SELECT \(recordTimeFunction)())"
        for kind in kinds {
            let columns = try columns(of: kind.table, db).map(\.quotedDatabaseIdentifier).joined(separator: ", ")
            try db.execute(sql: """
                CREATE TEMP VIEW \(kind.table) AS SELECT \(columns) FROM main.\(historyTable(kind.table))
                WHERE recordedFrom <= \(now) AND (recordedUntil IS NULL OR recordedUntil > \(now))
                """)
        }
        for link in linkTables {
            try db.execute(sql: """
                CREATE TEMP VIEW \(link.link) AS SELECT o.id AS \(link.owner)Id, j.value AS \(link.target)Id
                FROM \(link.owner) o, json_each(o.\(link.column)) j
                """)
        }
    }

    /// Sets the instant the history views of this connection show.
    static func setRecordTime(_ instant: Timestamp, _ db: Database) throws {
        _ = try String.fetchOne(db.cachedStatement(sql: "SELECT \(setRecordTimeFunction)(?)"), arguments: [instant])
    }
}
