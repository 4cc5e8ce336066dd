import Foundation
import GRDB
import SalkkuCore
import SalkkuJSON

/// The single write path: every create, update and delete passes here, in one transaction that
/// checks references and uniqueness, bumps `version`, sets `updatedAt` and appends to `change`.
extension AppDatabase {
    public func create<F: StoredResource>(_ fields: F, cityId: String?, by actor: Actor) throws -> Resource<F> {
        try write { db in try insert(fields, cityId: cityId, by: actor, db: db) }
    }

    package func insert<F: StoredResource>(_ fields: F, cityId: String?, by actor: Actor, db: Database) throws -> Resource<F> {
        try insertAll([fields], cityId: cityId, by: actor, db: db)[0]
    }

    /// Creates records in order, each checked against what the ones before it wrote, as `insert` one by one
    /// would. What needs no database (the row's columns, the change-log state and the canonical JSON the audit
    /// chain hashes, half of a write's work) is prepared on another core, a slice of records ahead of the writing.
    package func insertAll<F: StoredResource>(_ all: [F], cityId: String?, by actor: Actor, db: Database) throws -> [Resource<F>] {
        // The write lock is held, so the entries follow the last one in order: their numbers are known beforehand.
        var last = try lastChainLink(db)
        let firstSeq = last.seq + 1
        var previousAt = last.at
        let records = all.map { fields in
            let now = recordInstant(after: previousAt)
            previousAt = now
            return Resource<F>(meta: ResourceMeta(id: ids.next(), cityId: F.isCityOwned ? cityId : nil, version: 1, createdAt: now,
                                                  updatedAt: now), fields: fields)
        }
        var insertSQL = (columns: [String](), sql: "")
        try pipelined(Array(records.enumerated()), sliceSize: 512) { index, record in
            let row = try record.databaseDictionary.sorted { $0.key < $1.key }
            let entry = AuditEntry(seq: firstSeq + Int64(index), at: record.meta.createdAt, actor: actor, action: ChangeAction.create.rawValue,
                                   resourceType: F.resourceType, resourceId: record.meta.id,
                                   cityId: F.owningCityId(id: record.meta.id, cityId: record.meta.cityId),
                                   version: record.meta.version, before: nil, state: try Self.stateText(record))
            return (columns: row.map(\.key), values: PreparedArguments(row.map(\.value)), seq: entry.seq,
                    entry: PreparedArguments(entry.columnValues), canonicalJSON: entry.canonicalJSON)
        } consume: { item, write in
            try check(item.element.fields, id: nil, cityId: cityId, db: db)
            if write.columns != insertSQL.columns {
                insertSQL = (write.columns, """
                    INSERT INTO \(F.databaseTableName.quotedDatabaseIdentifier) (\(write.columns.map(\.quotedDatabaseIdentifier).joined(separator: ", ")))
                    VALUES (\(databaseQuestionMarks(count: write.columns.count)))
                    """)
            }
            try db.cachedStatement(sql: insertSQL.sql).execute(arguments: write.values.arguments)
            let record = item.element
            try openVersion(F.databaseTableName, id: record.meta.id, at: record.meta.createdAt, db)
            last = try appendEntry(write.entry, seq: write.seq, at: record.meta.createdAt, canonicalJSON: write.canonicalJSON,
                                   after: last, db: db)
        }
        return records
    }

    /// Starts record `id`'s next version in the history, as its row now stands, from instant `at`; tables without
    /// history (tokens) have no statement.
    private func openVersion(_ table: String, id: String, at: Timestamp, _ db: Database) throws {
        guard let sql = openVersionSQL[table] else { return }
        try db.cachedStatement(sql: sql).execute(arguments: [at, id])
    }

    /// Ends record `id`'s current version in the history at instant `at`.
    private func closeVersion(_ table: String, id: String, at: Timestamp, _ db: Database) throws {
        guard openVersionSQL[table] != nil else { return }
        try RecordHistory.closeVersion(table: table, id: id, at: at, db)
    }

    /// The record time of the next write: the clock, but never before the last entry of the change log, so that
    /// record time follows the order of the log even when the clock steps back.
    func recordInstant(after last: Timestamp?) -> Timestamp {
        guard let last, !stampsWritesWithClock else { return clock() }
        return max(clock(), last)
    }

    /// Replaces a record's fields with what `change` makes of the current record, when the current
    /// version is one of `acceptedVersions` (nil accepts any).
    public func update<F: StoredResource>(
        _ type: F.Type, id: String, cityId: String?, acceptedVersions: Set<Int>? = nil, by actor: Actor,
        change: (Resource<F>) throws -> F
    ) throws -> Resource<F> {
        try write { db in
            let record = try existing(type, id: id, cityId: cityId, acceptedVersions: acceptedVersions, db: db)
            return try replace(record, with: try change(record), by: actor, db: db)
        }
    }

    /// Writes new fields over a record read in the same transaction; unchanged fields write nothing.
    package func replace<F: StoredResource>(_ current: Resource<F>, with fields: F, by actor: Actor, db: Database) throws -> Resource<F> {
        try check(fields, id: current.meta.id, cityId: current.meta.cityId, db: db)
        guard fields != current.fields else { return current }
        let last = try lastChainLink(db)
        let at = recordInstant(after: last.at)
        var record = current
        record.fields = fields
        record.meta.version = try Self.nextVersion(after: current.meta.version)
        record.meta.updatedAt = max(at, record.meta.updatedAt)
        try record.update(db)
        try closeVersion(F.databaseTableName, id: record.meta.id, at: at, db)
        try openVersion(F.databaseTableName, id: record.meta.id, at: at, db)
        try appendEntry(.update, F.resourceType, record.meta, cityId: F.owningCityId(id: record.meta.id, cityId: record.meta.cityId),
                        state: try Self.stateText(record), before: try Self.stateText(current), at: at, after: last, by: actor, db: db)
        return record
    }

    public func delete<F: StoredResource>(
        _ type: F.Type, id: String, cityId: String?, acceptedVersions: Set<Int>? = nil, by actor: Actor
    ) throws {
        try write { db in
            let record = try existing(type, id: id, cityId: cityId, acceptedVersions: acceptedVersions, db: db)
            try remove(record, by: actor, db: db)
        }
    }

    func remove<F: StoredResource>(_ record: Resource<F>, by actor: Actor, db: Database) throws {
        if let blocker = try F.deletionBlocker(id: record.meta.id, db: db) {
            throw StoreError.conflict("\(F.resourceType) \(record.meta.id) cannot be deleted: \(blocker)")
        }
        _ = try Resource<F>.deleteOne(db, key: record.meta.id)
        let last = try lastChainLink(db)
        let at = recordInstant(after: last.at)
        try closeVersion(F.databaseTableName, id: record.meta.id, at: at, db)
        var tombstone = record.meta
        tombstone.version = try Self.nextVersion(after: record.meta.version)
        try appendEntry(.delete, F.resourceType, tombstone, cityId: F.owningCityId(id: tombstone.id, cityId: tombstone.cityId), state: nil,
                        before: try Self.stateText(record), at: at, after: last, by: actor, db: db)
    }

    func existing<F: StoredResource>(
        _ type: F.Type, id: String, cityId: String?, acceptedVersions: Set<Int>?, db: Database
    ) throws -> Resource<F> {
        guard let record = try fetch(type, id: id, cityId: cityId, db: db) else {
            throw StoreError.notFound(resourceType: F.resourceType, id: id)
        }
        if let acceptedVersions, !acceptedVersions.contains(record.meta.version) {
            throw StoreError.versionMismatch(current: record.meta.version)
        }
        return record
    }

    func check<F: StoredResource>(_ fields: F, id: String?, cityId: String?, db: Database) throws {
        let errors = try F.referenceErrors(in: fields, id: id, cityId: cityId, db: db)
        if !errors.isEmpty { throw StoreError.invalid(errors) }
        if let conflict = try F.uniquenessConflict(for: fields, id: id, cityId: cityId, db: db) {
            throw StoreError.conflict(conflict)
        }
    }

    enum ChangeAction: String { case create, update, delete }

    /// The version after `version`; the schema lets a row hold the largest integer, which has none (the file was
    /// edited behind the server's back), and that is an error rather than an overflow that stops the process.
    static func nextVersion(after version: Int) throws -> Int {
        let (next, overflow) = version.addingReportingOverflow(1)
        if overflow { throw StoredValueError(column: "version", text: String(version)) }
        return next
    }

    /// A record's JSON as the change log keeps it: sorted keys, compact, as Foundation's encoder writes it,
    /// by the streaming encoder, which is several times faster on every write.
    static func stateText<F: StoredResource>(_ record: Resource<F>) throws -> String {
        String(decoding: try stateJSON(record), as: UTF8.self)
    }

    /// The same state as bytes, for exports: the one encoding of a record, whoever writes it out.
    static func stateJSON<F: StoredResource>(_ record: Resource<F>) throws -> [UInt8] {
        try CompactJSONEncoder.encode(record)
    }

    /// The last entry of the change log: its number and its hash, which the next entry links to.
    struct ChainLink {
        var seq: Int64
        var hash: String
        /// The entry's record time; nil before the first entry.
        var at: Timestamp?
    }

    private func lastChainLink(_ db: Database) throws -> ChainLink {
        // Cached statements: this runs for every write, millions of times when a data set is generated.
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash, at FROM change ORDER BY seq DESC LIMIT 1"))
        guard let last else { return ChainLink(seq: 0, hash: AuditEntry.genesisHash, at: nil) }
        return ChainLink(seq: try last.decode(forColumn: "seq"), hash: try last.decode(forColumn: "hash"), at: try last.decode(forColumn: "at"))
    }

    /// Appends one entry, written at record time `at`, to the change log and links it into the hash chain of the audit log.
    private func appendEntry(_ action: ChangeAction, _ type: String, _ meta: ResourceMeta, cityId: String?, state: String?,
                             before: String?, at: Timestamp, after last: ChainLink, by actor: Actor, db: Database) throws {
        let entry = AuditEntry(seq: last.seq + 1, at: at, actor: actor, action: action.rawValue, resourceType: type,
                               resourceId: meta.id, cityId: cityId, version: meta.version, before: before, state: state)
        try appendEntry(PreparedArguments(entry.columnValues), seq: entry.seq, at: at, canonicalJSON: entry.canonicalJSON, after: last, db: db)
    }

    private static let insertChangeSQL = """
        INSERT INTO change (\(AuditEntry.columns.joined(separator: ", ")), previousHash, hash)
        VALUES (\(databaseQuestionMarks(count: AuditEntry.columns.count + 2)))
        """

    /// Writes entry number `seq`, given as its `columnValues`, which follows `last`, once, with its link to the
    /// chain; returns it as the new last link.
    @discardableResult
    private func appendEntry(_ entry: PreparedArguments, seq: Int64, at: Timestamp, canonicalJSON: String, after last: ChainLink,
                             db: Database) throws -> ChainLink {
        precondition(seq == last.seq + 1, "change-log entries are numbered in the order they are written")
        let hash = AuditEntry.hash(canonicalJSON: canonicalJSON, previous: last.hash)
        var arguments = entry.arguments
        arguments += [last.hash, hash]
        try db.cachedStatement(sql: Self.insertChangeSQL).execute(arguments: arguments)
        return ChainLink(seq: seq, hash: hash, at: at)
    }
}

/// Statement arguments made on one thread for a statement run on another. GRDB does not declare
/// `StatementArguments` Sendable, but it holds nothing but database values, which are.
struct PreparedArguments: @unchecked Sendable {
    let arguments: StatementArguments

    init(_ values: [DatabaseValue]) {
        arguments = StatementArguments(values)
    }
}
