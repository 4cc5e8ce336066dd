import Foundation
import GRDB
import GRDBSQLite
import SalkkuCore

// Whole-portfolio exports: every record of a city (or of several), read from one snapshot of the database and
// handed out a batch at a time, each record as its change-log state. The snapshot is a connection of its own
// with one read transaction open for the export's whole life (`DatabasePool.makeSnapshot()`): it takes no
// connection from the pool that serves requests, and in WAL mode it never holds up the writer. Between
// batches nothing runs on it, so a slow client costs a connection and an open transaction, not a thread.

/// What an export covers.
public enum ExportScope: Sendable, Equatable {
    /// One city's portfolio.
    case city(String)
    /// Every city in the set (nil: every city), one after another in id order, each supplier once.
    case cities(Set<String>?)
}

/// One record of an export: its kind and its change-log state (JSON, as the change feed shows it).
public struct ExportLine: Sendable {
    public let resourceType: String
    public let resource: [UInt8]
}

/// Which records of a kind belong to a city's export.
public enum ExportSelection: Sendable, Equatable {
    /// The city's own record.
    case theCity
    /// Suppliers are shared: those the city owns (`ownerCityId`) and those its services (`providerId`,
    /// `arrangerId`), contracts (`supplierId`), projects (`supplierIds`) and capability sourcing (`providerId`) name.
    case suppliersOfTheCity
    /// Records with the city's `cityId`.
    case ownedByTheCity

    /// The selection of a portfolio kind; nil for a kind that has none, which `ExportTests` refuses unless
    /// `ResourceRegistry.notExported` gives the reason it is left out.
    static func of(_ kind: ResourceRegistry.Kind) -> ExportSelection? {
        if kind.isCityOwned { return .ownedByTheCity }
        switch kind.resourceType {
        case CityFields.resourceType: return .theCity
        case SupplierFields.resourceType: return .suppliersOfTheCity
        default: return nil
        }
    }

    /// The records selected for the city bound to `?1`, in id order.
    func sql(table: String) -> String {
        switch self {
        case .theCity:
            return "SELECT * FROM \(table) WHERE id = ?1"
        case .ownedByTheCity:
            return "SELECT * FROM \(table) WHERE cityId = ?1 ORDER BY id"
        case .suppliersOfTheCity:
            return """
                SELECT * FROM \(table) WHERE ownerCityId = ?1
                    OR id IN (SELECT providerId FROM service WHERE cityId = ?1)
                    OR id IN (SELECT arrangerId FROM service WHERE cityId = ?1)
                    OR id IN (SELECT providerId FROM capability_sourcing WHERE cityId = ?1)
                    OR id IN (SELECT supplierId FROM contract WHERE cityId = ?1)
                    OR id IN (SELECT l.supplierId FROM project_supplier l JOIN project p ON p.id = l.projectId WHERE p.cityId = ?1)
                ORDER BY id
                """
        }
    }
}

extension ResourceRegistry {
    /// Portfolio kinds an export leaves out, each with the reason. Every other kind must have an
    /// `ExportSelection`; `ExportTests` fails for a kind with neither, so a new kind cannot be forgotten.
    public static let notExported: [String: String] = [
        MaturityModelFields.resourceType: "the maturity model is shared by every city, not a city's record; GET /v1/maturity-model reads it",
    ]

    /// The kinds an export writes, in the registry's order: parents before children.
    public static var exported: [(resourceType: String, selection: ExportSelection?)] {
        portfolio.map { ($0.resourceType, ExportSelection.of($0)) }
    }
}

extension AppDatabase {
    /// Opens an export of `scope` on a snapshot of the database: as the records stand, or as they stood at
    /// record time `asOf`. Throws `notFound` for a city of `.city` that does not exist (at `asOf`).
    public func openExport(_ scope: ExportScope, asOf: Timestamp? = nil) throws -> ExportReader {
        guard let pool = writer as? DatabasePool else {
            throw StoreError.conflict("this database is open for a bulk load and cannot be exported")
        }
        var snapshot = try pool.makeSnapshot()
        var recordTime: Timestamp?
        if let asOf = asOf ?? self.recordTime {
            // As in `asOf(_:)`: when nothing has been written since the instant, the records as they stand are the answer.
            // Decided inside the snapshot, so that a write in between cannot slip into an export of the present.
            let latest = try snapshot.read { db in
                try Timestamp.fetchOne(db.cachedStatement(sql: "SELECT at FROM change ORDER BY seq DESC LIMIT 1"))
            }
            if let latest, asOf < latest {
                guard let history = historyReader as? DatabasePool else {
                    throw StoreError.conflict("this database is open for a bulk load and cannot read the past")
                }
                snapshot = try history.makeSnapshot()
                try snapshot.read { db in try RecordHistory.setRecordTime(asOf, db) }
                recordTime = asOf
            }
        }
        return try ExportReader(snapshot: snapshot, scope: scope, recordTime: recordTime)
    }
}

/// An export in progress: a snapshot of the database and how far it has been read. `next` hands out the
/// records in order, a batch at a time; `close` (or the end of the export) ends the read transaction and
/// closes the connection. One caller at a time, from any thread.
public final class ExportReader: @unchecked Sendable {
    /// The change-log position the snapshot shows: the last entry it holds, or at a record time the last entry
    /// written at or before it. Every change after it is in the change feed after this number, and none before.
    public let changeSeq: Int64
    /// The record time the export reads at; nil for the records as they stand.
    public let recordTime: Timestamp?
    /// The cities exported, in order.
    public let cityIds: [String]

    private struct Step {
        let cityId: String
        let kind: ResourceRegistry.Kind
        let selection: ExportSelection
    }

    /// A step's statement, part way through its rows.
    private struct Open {
        let step: Step
        let statement: Statement
        let columns: StatementColumns
        /// Where the statement has the id, read before the record to write each supplier once.
        let idColumn: Int32
    }

    // Guarded by `lock`.
    private let lock = NSLock()
    private var snapshot: DatabaseSnapshot?
    private let steps: [Step]
    private var nextStep = 0
    private var open: Open?
    /// Suppliers already written: an export of several cities writes each once, where it is first needed.
    private var suppliersWritten: Set<String> = []

    fileprivate init(snapshot: DatabaseSnapshot, scope: ExportScope, recordTime: Timestamp?) throws {
        self.snapshot = snapshot
        self.recordTime = recordTime
        (changeSeq, cityIds) = try snapshot.read { db in
            let seq: Int64? = try AppDatabase.lastChangeSeq(db, atOrBefore: recordTime)
            switch scope {
            case .city(let id):
                guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM city WHERE id = ?)"), arguments: [id]) == true else {
                    throw StoreError.notFound(resourceType: CityFields.resourceType, id: id)
                }
                return (seq ?? 0, [id])
            case .cities(let allowed):
                let all = try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM city ORDER BY id"))
                return (seq ?? 0, allowed.map { allowed in all.filter(allowed.contains) } ?? all)
            }
        }
        steps = cityIds.flatMap { cityId in
            ResourceRegistry.portfolio.compactMap { kind in
                ExportSelection.of(kind).map { Step(cityId: cityId, kind: kind, selection: $0) }
            }
        }
    }

    deinit { close() }

    /// The next records in order, at most `maxRecords` of them and about `maxBytes` of JSON; nil once every
    /// record has been handed out (the snapshot is then closed).
    public func next(maxRecords: Int = 500, maxBytes: Int = 256 * 1024) throws -> [ExportLine]? {
        lock.lock()
        defer { lock.unlock() }
        guard let snapshot else { return nil }
        let lines: [ExportLine] = try snapshot.read { db in
            var lines: [ExportLine] = []
            var bytes = 0
            while lines.count < maxRecords, bytes < maxBytes {
                if open == nil {
                    guard nextStep < steps.count else { break }
                    let step = steps[nextStep]
                    nextStep += 1
                    let statement = try db.cachedStatement(sql: step.selection.sql(table: step.kind.table))
                    try statement.setArguments([step.cityId])
                    open = Open(step: step, statement: statement, columns: StatementColumns(statement),
                                idColumn: Int32(statement.columnNames.firstIndex(of: "id") ?? 0))
                }
                let current = open!
                switch sqlite3_step(current.statement.sqliteStatement) {
                case SQLITE_ROW:
                    if current.step.selection == .suppliersOfTheCity {
                        let id = try current.columns.string(at: current.idColumn, "id")
                        guard suppliersWritten.insert(id).inserted else { continue }
                    }
                    current.columns.startRow()
                    let state = try current.step.kind.state(current.columns)
                    bytes += state.count
                    lines.append(ExportLine(resourceType: current.step.kind.resourceType, resource: state))
                case SQLITE_DONE:
                    sqlite3_reset(current.statement.sqliteStatement)
                    open = nil
                case let code:
                    sqlite3_reset(current.statement.sqliteStatement)
                    open = nil
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                        sql: current.statement.sql)
                }
            }
            return lines
        }
        if lines.isEmpty {
            release()
            return nil
        }
        return lines
    }

    /// Ends the read: the transaction and the connection. Safe to call more than once.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        release()
    }

    private func release() {
        if let open, let snapshot {
            // A statement part way through its rows holds the read; it is reset on the connection's own queue.
            _ = snapshot.read { _ in sqlite3_reset(open.statement.sqliteStatement) }
        }
        open = nil
        snapshot = nil
    }

    /// Whether the snapshot is still open.
    public var isOpen: Bool {
        lock.lock()
        defer { lock.unlock() }
        return snapshot != nil
    }
}

extension AppDatabase {
    /// The change-log position of what the database shows: its last entry, or at a record time the last entry at or
    /// before it (0 before any). An export names it in `Salkku-Change-Seq`.
    public func lastChangeSeq(atOrBefore recordTime: Timestamp?) throws -> Int64 {
        try read { db in try Self.lastChangeSeq(db, atOrBefore: recordTime) ?? 0 }
    }

    static func lastChangeSeq(_ db: Database, atOrBefore recordTime: Timestamp?) throws -> Int64? {
        guard let recordTime else {
            return try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM change ORDER BY seq DESC LIMIT 1"))
        }
        // Record time follows the order of the log (the write path never stamps an entry before the last),
        // so the last entry at or before the instant is the latest of those instants.
        return try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM change WHERE at <= ? ORDER BY at DESC, seq DESC LIMIT 1"),
                                  arguments: [recordTime])
    }
}
