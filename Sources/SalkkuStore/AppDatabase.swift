import Foundation
import GRDB
import SalkkuCore
import Synchronization

/// The application's database: one writer (a `DatabasePool` on disk, a queue for a bulk load), the
/// migrations, the only code that writes, and reads at a record time through the history the writes keep.
public struct AppDatabase: Sendable {
    package let writer: any DatabaseWriter
    /// Read-only connections on which every resource table is a view of its history at a record time; nil
    /// where no past is read (a bulk load).
    let historyReader: (any DatabaseReader)?
    /// The record time this database reads at (its `asOf`); nil reads the records as they stand.
    public let recordTime: Timestamp?
    public let clock: @Sendable () -> Timestamp
    let ids: IDGenerator
    /// Helpers for the all-city reads that spread over the cores.
    let fanOut: WorkerThreads
    /// The helper that prepares records a slice ahead of a bulk write; apart from `fanOut`, so that a write
    /// holding the write lock never waits behind a report.
    let writePreparation: WorkerThreads
    /// The files of a database made for one test, removed when the last copy of it is gone.
    let temporaryFiles: TemporaryFiles?
    /// Per versioned table, the statement that opens a record's next version in the history.
    let openVersionSQL: [String: String]
    /// Whether writes are stamped with the clock as it is, out of order if it says so (the demo, which orders its
    /// change log afterwards); otherwise record time never goes back.
    package var stampsWritesWithClock = false
    /// The timers of read and write transactions; nil reads no clock.
    var metrics: DatabaseMetrics?

    /// The records as they stand, for tests and tools that read the file directly; reads at a record time go
    /// through `read`, which sets the instant on the history connections first.
    public var reader: any DatabaseReader { writer }

    /// Where this database's reads run: the history connections at a past record time, else the live database.
    private var connections: any DatabaseReader {
        if recordTime != nil, let historyReader { return historyReader }
        return writer
    }

    /// Migrates the database `writer` opens; `history` opens the connections for past reads once it is migrated.
    init(_ writer: any DatabaseWriter, clock: @escaping @Sendable () -> Timestamp = { Timestamp(Date()) },
         ids: IDGenerator = IDGenerator(), history: () throws -> (any DatabaseReader)?, temporaryFiles: TemporaryFiles? = nil) throws {
        try Self.migrator.migrate(writer)
        let openVersionSQL = try writer.read { db in
            Dictionary(uniqueKeysWithValues: try RecordHistory.kinds.map { ($0.table, try RecordHistory.openVersionSQL($0.table, db)) })
        }
        self.init(writer: writer, historyReader: try history(), recordTime: nil, clock: clock, ids: ids,
                  fanOut: WorkerThreads(count: max(1, ProcessInfo.processInfo.activeProcessorCount - 1)),
                  writePreparation: WorkerThreads(count: 1), temporaryFiles: temporaryFiles, openVersionSQL: openVersionSQL)
    }

    private init(writer: any DatabaseWriter, historyReader: (any DatabaseReader)?, recordTime: Timestamp?,
                 clock: @escaping @Sendable () -> Timestamp, ids: IDGenerator, fanOut: WorkerThreads,
                 writePreparation: WorkerThreads, temporaryFiles: TemporaryFiles?, openVersionSQL: [String: String],
                 metrics: DatabaseMetrics? = nil) {
        self.writer = writer
        self.historyReader = historyReader
        self.recordTime = recordTime
        self.clock = clock
        self.ids = ids
        self.fanOut = fanOut
        self.writePreparation = writePreparation
        self.temporaryFiles = temporaryFiles
        self.openVersionSQL = openVersionSQL
        self.metrics = metrics
    }

    /// Opens (creating when needed) the database file in WAL mode.
    public static func open(path: String, clock: @escaping @Sendable () -> Timestamp = { Timestamp(Date()) }) throws -> AppDatabase {
        try AppDatabase(DatabasePool(path: path, configuration: configuration()), clock: clock,
                        history: { try DatabasePool(path: path, configuration: historyConfiguration()) })
    }

    /// Opens a database file for one process loading much data: a rollback journal instead of the WAL, so that
    /// pages are written once instead of to the WAL and again at every checkpoint, and a page cache (256 MB)
    /// that holds a large transaction without spilling. `open(path:)` turns the WAL on again.
    public static func openForBulkLoad(path: String) throws -> AppDatabase {
        var config = configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = -262144")
        }
        return try AppDatabase(DatabaseQueue(path: path, configuration: config), history: { nil })
    }

    /// A private database for one test, in a file of its own (past reads need a second set of connections,
    /// which a memory database cannot have), removed when the database is no longer used.
    public static func temporary(clock: @escaping @Sendable () -> Timestamp = { Timestamp(Date()) }) throws -> AppDatabase {
        let files = try TemporaryFiles()
        return try temporary(at: files.directory.appendingPathComponent("salkku.sqlite").path, files: files, clock: clock)
    }

    /// A private test database that starts as a copy of `source`, taken with SQLite's online backup: a data set
    /// seeded once (the demo takes seconds in a debug build) serves every test that starts from it.
    public static func temporary(copying source: AppDatabase,
                                 clock: @escaping @Sendable () -> Timestamp = { Timestamp(Date()) }) throws -> AppDatabase {
        let files = try TemporaryFiles()
        let path = files.directory.appendingPathComponent("salkku.sqlite").path
        let copy = try DatabaseQueue(path: path)
        try source.writer.backup(to: copy)
        try copy.close()
        return try temporary(at: path, files: files, clock: clock)
    }

    private static func temporary(at path: String, files: TemporaryFiles,
                                  clock: @escaping @Sendable () -> Timestamp) throws -> AppDatabase {
        var config = configuration()
        // A test's database need not survive a power cut.
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = OFF") }
        return try AppDatabase(DatabasePool(path: path, configuration: config), clock: clock,
                               history: { try DatabasePool(path: path, configuration: historyConfiguration()) }, temporaryFiles: files)
    }

    /// The same database read at record time `instant`: what the records said then.
    func reading(at instant: Timestamp) -> AppDatabase {
        AppDatabase(writer: writer, historyReader: historyReader, recordTime: instant, clock: clock, ids: ids, fanOut: fanOut,
                    writePreparation: writePreparation, temporaryFiles: temporaryFiles,
                    openVersionSQL: openVersionSQL, metrics: metrics)
    }

    /// Connections for reads at a record time: read-only, every resource table shadowed by its history.
    static func historyConfiguration() -> Configuration {
        var config = configuration()
        config.readonly = true
        config.prepareDatabase { db in try RecordHistory.prepareHistoryConnection(db) }
        return config
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            db.add(function: foldFunction)
        }
        return config
    }

    /// `salkku_fold(text)`: Unicode-aware lower case for case-insensitive search (SQLite's own is ASCII only).
    static let foldFunction = DatabaseFunction("salkku_fold", argumentCount: 1, pure: true) { values in
        String.fromDatabaseValue(values[0])?.lowercased()
    }

    /// The same database with another id generator (deterministic ids for the demo data set) and clock.
    public func with(ids: IDGenerator, clock: (@Sendable () -> Timestamp)? = nil) -> AppDatabase {
        AppDatabase(writer: writer, historyReader: historyReader, recordTime: recordTime, clock: clock ?? self.clock, ids: ids,
                    fanOut: fanOut, writePreparation: writePreparation, temporaryFiles: temporaryFiles,
                    openVersionSQL: openVersionSQL, metrics: metrics)
    }

    /// Whether the database answers a query; for readiness probes.
    public func isReachable() -> Bool {
        (try? readStatement { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }

    /// Reads in one transaction, so that they see one state of the database: inside `readTogether` (or a
    /// write) they join it, else they start their own on a reader connection.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        // Timed from asking for a connection; a read that joins another's transaction is part of that one's time.
        let timing = TransactionClock(metrics?.reads)
        var began = false
        defer { if began { timing.stop() } }
        return try connections.unsafeReentrantRead { db in
            if db.isInsideTransaction { return try body(db) }
            began = true
            // BEGIN and COMMIT through cached statements: GRDB's own transaction methods compile them anew each time,
            // which costs a tenth of reading a contract by id.
            try db.cachedStatement(sql: "BEGIN DEFERRED TRANSACTION").execute()
            do {
                if let recordTime { try RecordHistory.setRecordTime(recordTime, db) }
                let result = try body(db)
                try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
                return result
            } catch {
                try? db.rollback()
                throw error
            }
        }
    }

    /// A read of one SQL statement, which SQLite runs on one state of the database by itself; the
    /// BEGIN and COMMIT of a transaction around it cost as much as reading a contract by id.
    func readStatement<T>(_ body: (Database) throws -> T) throws -> T {
        // A past read sets its instant on the connection first.
        guard recordTime == nil else { return try read(body) }
        let timing = TransactionClock(metrics?.reads)
        var alone = false
        defer { if alone { timing.stop() } }
        return try connections.unsafeReentrantRead { db in
            alone = !db.isInsideTransaction
            return try body(db)
        }
    }

    /// The reads of the store made in `body` share one connection and one transaction, instead of each
    /// taking a connection from the pool and beginning and ending its own. `body` must not write.
    public func readTogether<T>(_ body: () throws -> T) throws -> T {
        try read { _ in try body() }
    }
}
