import CoreMetrics
import GRDB

/// How long the store's transactions take, read and write apart, for the operator's metrics. The API makes the
/// timers with its own backend; the store knows only swift-metrics' interface, and a database without them
/// (the CLI's, a test's) reads no clock.
public struct DatabaseMetrics: Sendable {
    let reads: CoreMetrics.Timer
    let writes: CoreMetrics.Timer

    public init(reads: CoreMetrics.Timer, writes: CoreMetrics.Timer) {
        self.reads = reads
        self.writes = writes
    }
}

/// The instant a measured transaction began; the timer is nil when the database is not measured.
struct TransactionClock {
    let timer: CoreMetrics.Timer?
    let start: ContinuousClock.Instant?

    init(_ timer: CoreMetrics.Timer?) {
        self.timer = timer
        start = timer == nil ? nil : .now
    }

    func stop() {
        guard let timer, let start else { return }
        let elapsed = start.duration(to: .now).components
        timer.recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
    }
}

extension AppDatabase {
    /// The same database, its transactions timed by `metrics`.
    public func measured(by metrics: DatabaseMetrics) -> AppDatabase {
        var database = self
        database.metrics = metrics
        return database
    }

    /// A write transaction, timed from asking for the writer to the commit: waiting behind another write counts.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        let timing = TransactionClock(metrics?.writes)
        defer { timing.stop() }
        return try writer.write(body)
    }

    /// A write made of transactions of the caller's own (an import changes the page cache around its one).
    func writeWithoutTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        let timing = TransactionClock(metrics?.writes)
        defer { timing.stop() }
        return try writer.writeWithoutTransaction(body)
    }

    /// How many entries the audit log holds: its last sequence number, since entries are numbered from 1 without
    /// gaps and never removed. One index lookup, however long the log.
    public func auditLogLength() throws -> Int64 {
        try writer.read { db in try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(seq) FROM change")) ?? 0 }
    }
}
