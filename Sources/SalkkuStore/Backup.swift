import Foundation
import GRDB

/// Copies of a database file made while a server may be writing to it, their verification, and putting one back.
/// Every copy goes through SQLite's online backup API, which reads one consistent state of a live database in
/// WAL mode (the server is another process) and writes through the destination's own journal.
public enum DatabaseBackup {
    /// What went wrong, in words an operator can act on.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case noDatabase(path: String)
        case targetExists(path: String)
        case sameFile(path: String)
        case leftoverJournal(path: String, journal: String)
        case targetInUse(path: String)
        /// The file is not a sound Salkku database; `problem` names the first broken thing.
        case unsound(path: String, problem: String)
        /// The copy is complete, but the database it copies fails verification.
        case copiedUnsound(path: String, problem: String)

        public var description: String {
            switch self {
            case .noDatabase(let path): "no database file at \(path)"
            case .targetExists(let path): "\(path) exists; add --force to replace it"
            case .sameFile(let path): "\(path) is both the source and the target"
            case .leftoverJournal(let path, let journal):
                "\(journal) lies next to \(path): that file looks like a database in use; write the copy elsewhere"
            case .targetInUse(let path):
                "\(path) is in use by another process (a running server?); stop it first, then restore"
            case .unsound(let path, let problem): "\(path) is not sound: \(problem)"
            case .copiedUnsound(let path, let problem):
                "the copy at \(path) is complete, but the database fails verification: \(problem)"
            }
        }
    }

    /// What a sound database file holds.
    public struct Summary: Sendable, Equatable {
        public struct TableRows: Sendable, Equatable {
            public var table: String
            public var rows: Int
        }

        public var path: String
        public var bytes: Int64
        /// Applied migrations, in the order they ran.
        public var migrations: [String]
        /// Rows of each resource table, in the registry's order (parents first).
        public var tables: [TableRows]
        /// The change feed's (and the audit log's) last sequence number; 0 when nothing was ever written.
        public var changeFeedSeq: Int64
        public var auditEntries: Int
        /// False for a file from before the audit log was hash-chained (migration v5), which has no chain to check.
        public var auditChainChecked: Bool
        public var lastAuditHash: String?
    }

    /// Copies the database at `source` to `target` while other processes may write to it, then verifies the copy.
    /// The copy is written to a file next to `target` and renamed into place, so a failed copy never leaves a
    /// partial file under the target's name. The copy uses a rollback journal, so it is one self-contained file.
    @discardableResult
    public static func backUp(databaseAt source: String, to target: String, replacing: Bool = false) throws -> Summary {
        guard FileManager.default.fileExists(atPath: source) else { throw Failure.noDatabase(path: source) }
        try checkCanReplace(target, replacing: replacing, other: source)
        for suffix in ["-wal", "-shm", "-journal"] where FileManager.default.fileExists(atPath: target + suffix) {
            // A copy renamed over a database with a WAL of its own would be read through that stale WAL.
            throw Failure.leftoverJournal(path: target, journal: target + suffix)
        }
        let partial = partialPath(for: target)
        defer { removeDatabaseFiles(at: partial) }
        do {
            try copy(from: source, to: partial)
        } catch let error as DatabaseError {
            throw Failure.unsound(path: source, problem: "SQLite cannot copy it: \(error.message ?? error.resultCode.description)")
        }
        try makeSelfContained(partial)
        let verification: Result<Summary, Failure>
        do {
            verification = .success(try verify(fileAt: partial))
        } catch let failure as Failure {
            verification = .failure(failure)
        }
        try syncFile(at: partial)
        guard rename(partial, target) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target,
                                                           NSLocalizedDescriptionKey: "cannot rename \(partial) to \(target): \(String(cString: strerror(errno)))"])
        }
        try? syncFile(at: URL(fileURLWithPath: target).deletingLastPathComponent().path)
        switch verification {
        case .success(var summary):
            summary.path = target
            return summary
        case .failure(.unsound(_, let problem)):
            throw Failure.copiedUnsound(path: target, problem: problem)
        case .failure(let failure):
            throw failure
        }
    }

    /// Opens the file read-only and checks that SQLite finds it intact, that no row refers to a missing one, that
    /// every migration applied is one this build knows, and that the audit log's hash chain holds. Throws
    /// `Failure.unsound` naming the first broken thing.
    public static func verify(fileAt path: String) throws -> Summary {
        guard FileManager.default.fileExists(atPath: path) else { throw Failure.noDatabase(path: path) }
        let bytes = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
        let summary: Summary
        do {
            let queue = try DatabaseQueue(path: path, configuration: readOnlyConfiguration())
            summary = try queue.read { db in try inspect(db, path: path, bytes: bytes) }
        } catch let failure as Failure {
            throw failure
        } catch let error as DatabaseError {
            throw Failure.unsound(path: path, problem: "SQLite cannot read it: \(error.message ?? error.resultCode.description)")
        }
        return summary
    }

    /// Replaces the database at `target` with the backup at `backup`, after verifying the backup. Refuses while
    /// another process has the target open: the server must be stopped. The copy is written through the target's
    /// own journal (its WAL, when it has one), so no stale WAL or shared-memory file survives it.
    @discardableResult
    public static func restore(backupAt backup: String, to target: String, replacing: Bool = false) throws -> Summary {
        _ = try verify(fileAt: backup)
        try checkCanReplace(target, replacing: replacing, other: backup)
        let targetExisted = FileManager.default.fileExists(atPath: target)
        // Opening the target creates it; a restore that fails into no database leaves none.
        var restored = false
        defer { if !restored && !targetExisted { removeDatabaseFiles(at: target) } }
        do {
            var configuration = Configuration()
            // Waiting for a server to let go would never end; in use is an answer.
            configuration.busyMode = .immediateError
            let destination = try DatabaseQueue(path: target, configuration: configuration)
            do {
                // In WAL mode every open connection holds a shared lock on the file, so an exclusive lock held
                // for the connection's life is refused while anyone else has the database open.
                try destination.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA locking_mode = EXCLUSIVE")
                    try db.execute(sql: "BEGIN EXCLUSIVE TRANSACTION")
                    try db.execute(sql: "COMMIT")
                }
            } catch let error as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) {
                throw Failure.targetInUse(path: target)
            }
            let source = try DatabaseQueue(path: backup, configuration: readOnlyConfiguration())
            try source.backup(to: destination)
            try destination.close()
        } catch let error as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) {
            throw Failure.targetInUse(path: target)
        }
        restored = true
        return try verify(fileAt: target)
    }

    // MARK: - The steps

    static func readOnlyConfiguration() -> Configuration {
        var configuration = AppDatabase.configuration()
        configuration.readonly = true
        return configuration
    }

    private static func checkCanReplace(_ target: String, replacing: Bool, other: String) throws {
        if URL(fileURLWithPath: target).standardizedFileURL.resolvingSymlinksInPath()
            == URL(fileURLWithPath: other).standardizedFileURL.resolvingSymlinksInPath() {
            throw Failure.sameFile(path: target)
        }
        if FileManager.default.fileExists(atPath: target), !replacing { throw Failure.targetExists(path: target) }
    }

    /// A name in the target's directory (so that the rename stays on one file system) that no other copy uses.
    static func partialPath(for target: String) -> String {
        let url = URL(fileURLWithPath: target)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(UUID().uuidString)").path
    }

    /// One step over the whole file, so the copy is one state of the source: SQLite restarts a backup that spans
    /// several steps when another connection writes between them, which a busy server would do forever.
    private static func copy(from source: String, to destination: String) throws {
        let reader = try DatabaseQueue(path: source, configuration: readOnlyConfiguration())
        let writer = try DatabaseQueue(path: destination)
        try reader.backup(to: writer, pagesPerStep: -1)
        try writer.close()
        try reader.close()
    }

    /// A copy of a WAL database says WAL in its header; switching it to a rollback journal folds the WAL in and
    /// removes it, so that the copy is one file that opens read-only anywhere.
    private static func makeSelfContained(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        let mode = try queue.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") }
        try queue.close()
        guard mode == "delete" else { throw Failure.unsound(path: path, problem: "its journal mode stayed \(mode ?? "unknown")") }
    }

    private static func inspect(_ db: Database, path: String, bytes: Int64) throws -> Summary {
        func broken(_ problem: String) -> Failure { .unsound(path: path, problem: problem) }

        let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check(1)")
        if integrity != ["ok"] { throw broken("integrity_check: \(integrity.first ?? "no answer")") }

        if let row = try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") {
            let table: String = row[0], rowid: Int64? = row[1], parent: String = row[2]
            throw broken("foreign_key_check: a row of \(table)\(rowid.map { " (rowid \($0))" } ?? "") refers to a missing row of \(parent)")
        }

        guard try db.tableExists("grdb_migrations") else { throw broken("it is not a Salkku database: it has no table of migrations") }
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        let known = AppDatabase.migrator.migrations
        if let unknown = applied.first(where: { !known.contains($0) }) {
            throw broken("migration \(unknown) is not one this build of salkku knows (its last is \(known.last ?? "none")); a newer salkku wrote it")
        }
        guard !applied.isEmpty else { throw broken("it is not a Salkku database: no migration was applied") }

        var tables: [Summary.TableRows] = []
        for kind in ResourceRegistry.all where try db.tableExists(kind.table) {
            tables.append(.init(table: kind.table, rows: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(kind.table.quotedDatabaseIdentifier)") ?? 0))
        }
        let changeFeedSeq = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM change") ?? 0

        var auditEntries = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM change") ?? 0
        var lastAuditHash: String?
        // Before the chain's migration the log had no hashes to check; opening such a file with `AppDatabase` adds them.
        if applied.contains("v5-audit-chain") {
            let chain = try AppDatabase.verifyAuditChain(db)
            guard chain.verified else {
                throw broken("the audit log's hash chain breaks at entry \(chain.firstBrokenSeq.map(String.init) ?? "?"): \(chain.reason ?? "")")
            }
            auditEntries = chain.entries
            lastAuditHash = chain.lastHash
        }
        return Summary(path: path, bytes: bytes, migrations: applied, tables: tables, changeFeedSeq: changeFeedSeq,
                       auditEntries: auditEntries, auditChainChecked: applied.contains("v5-audit-chain"), lastAuditHash: lastAuditHash)
    }

    private static func removeDatabaseFiles(at path: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Flushes a file (or a directory's entries) to disk, so that a rename does not outrun the data it names.
    private static func syncFile(at path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
    }
}
