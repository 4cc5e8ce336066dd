import Foundation
import GRDB
import Synchronization
import Testing

@testable import SalkkuStore

/// A released migration's SQL never changes: existing databases ran the old text and keep what it made, so a
/// change would make new databases differ from old ones. Each migration's statements, as run on an empty
/// database, are kept under `ReleasedMigrations/`; a new migration records its file on its first run.
@Suite struct MigrationTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("ReleasedMigrations")

    /// The statements each migration runs, in order, without the migrator's own bookkeeping.
    static func statementsByMigration() throws -> [(name: String, sql: String)] {
        let queue = try DatabaseQueue()
        let migrator = AppDatabase.migrator
        let statements = Mutex<[String]>([])
        try queue.inDatabase { db in
            db.trace(options: .statement) { event in
                if case .statement(let statement) = event { statements.withLock { $0.append(statement.sql) } }
            }
        }
        var result: [(String, String)] = []
        for name in migrator.migrations {
            statements.withLock { $0 = [] }
            try migrator.migrate(queue, upTo: name)
            let own = statements.withLock { $0 }.filter { sql in
                let upper = sql.uppercased()
                return !sql.contains("grdb_migrations") && !upper.hasPrefix("BEGIN") && !upper.hasPrefix("COMMIT")
                    && !upper.hasPrefix("SAVEPOINT") && !upper.hasPrefix("RELEASE") && !upper.hasPrefix("ROLLBACK")
                    && !upper.hasPrefix("PRAGMA") && !upper.contains("SQLITE_MASTER") && !upper.contains("SQLITE_SCHEMA")
            }
            result.append((name, own.joined(separator: ";\n") + "\n"))
        }
        return result
    }

    @Test func releasedMigrationsNeverChange() throws {
        for (name, sql) in try Self.statementsByMigration() {
            let file = Self.folder.appendingPathComponent("\(name).sql")
            guard let released = try? String(contentsOf: file, encoding: .utf8) else {
                try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
                try sql.write(to: file, atomically: true, encoding: .utf8)
                Issue.record("recorded the new migration \(name) in \(file.lastPathComponent); commit it with the migration")
                continue
            }
            #expect(released == sql, "migration \(name) changed after its release; write a new migration instead")
        }
    }
}
