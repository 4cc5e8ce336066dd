import Foundation
import GRDB
import SalkkuCore
import SalkkuJSON

/// The single write path: every create, update and delete passes here, in one transaction that
/// checks references and uniqueness, bumps `version`, sets `updatedAt` and appends to `change`.
extension AppDatabase {
    public func create<F: StoredResource>(_ fields: F, cityId: String?, by actor: Actor) throws -> Resource<F> {
        try writer.write { db in try insert(fields, cityId: cityId, by: actor, db: db) }
    }

    func insert<F: StoredResource>(_ fields: F, cityId: String?, by actor: Actor, db: Database) throws -> Resource<F> {
        try check(fields, id: nil, cityId: cityId, db: db)
        let now = clock()
        let record = Resource<F>(meta: ResourceMeta(id: ids.next(), cityId: F.isCityOwned ? cityId : nil,
                                               version: 1, createdAt: now, updatedAt: now),
                            fields: fields)
        try record.insert(db)
        try appendChange(.create, record, before: nil, by: actor, db: db)
        return record
    }

    /// Replaces a record's fields with what `change` makes of the current record, when the current
    /// version is one of `acceptedVersions` (nil accepts any).
    public func update<F: StoredResource>(
        _ type: F.Type, id: String, cityId: String?, acceptedVersions: Set<Int>? = nil, by actor: Actor,
        change: (Resource<F>) throws -> F
    ) throws -> Resource<F> {
        try writer.write { db in
            let record = try existing(type, id: id, cityId: cityId, acceptedVersions: acceptedVersions, db: db)
            return try replace(record, with: try change(record), by: actor, db: db)
        }
    }

    /// Writes new fields over a record read in the same transaction; unchanged fields write nothing.
    func replace<F: StoredResource>(_ current: Resource<F>, with fields: F, by actor: Actor, db: Database) throws -> Resource<F> {
        try check(fields, id: current.meta.id, cityId: current.meta.cityId, db: db)
        guard fields != current.fields else { return current }
        var record = current
        record.fields = fields
        record.meta.version += 1
        record.meta.updatedAt = max(clock(), record.meta.updatedAt)
        try record.update(db)
        try appendChange(.update, record, before: current, by: actor, db: db)
        return record
    }

    public func delete<F: StoredResource>(
        _ type: F.Type, id: String, cityId: String?, acceptedVersions: Set<Int>? = nil, by actor: Actor
    ) throws {
        try writer.write { db in
            let record = try existing(type, id: id, cityId: cityId, acceptedVersions: acceptedVersions, db: db)
            try remove(record, by: actor, db: db)
        }
    }

    func remove<F: StoredResource>(_ record: Resource<F>, by actor: Actor, db: Database) throws {
        if let blocker = try F.deletionBlocker(id: record.meta.id, db: db) {
            throw StoreError.conflict("\(F.resourceType) \(record.meta.id) cannot be deleted: \(blocker)")
        }
        _ = try Resource<F>.deleteOne(db, key: record.meta.id)
        try appendTombstone(record, by: actor, db: db)
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

    private func check<F: StoredResource>(_ fields: F, id: String?, cityId: String?, db: Database) throws {
        let errors = try F.referenceErrors(in: fields, id: id, cityId: cityId, db: db)
        if !errors.isEmpty { throw StoreError.invalid(errors) }
        if let conflict = try F.uniquenessConflict(for: fields, id: id, cityId: cityId, db: db) {
            throw StoreError.conflict(conflict)
        }
    }

    enum ChangeAction: String { case create, update, delete }

    /// A record's JSON as the change log keeps it: sorted keys, compact, as Foundation's encoder writes it,
    /// by the streaming encoder, which is several times faster on every write.
    static func stateText<F: StoredResource>(_ record: Resource<F>) throws -> String {
        String(decoding: try CompactJSONEncoder.encode(record), as: UTF8.self)
    }

    private func appendChange<F: StoredResource>(_ action: ChangeAction, _ record: Resource<F>, before: Resource<F>?,
                                                 by actor: Actor, db: Database) throws {
        try insertChange(action, F.resourceType, record.meta, cityId: F.owningCityId(id: record.meta.id, cityId: record.meta.cityId),
                         state: try Self.stateText(record),
                         before: try before.map(Self.stateText), by: actor, db: db)
    }

    private func appendTombstone<F: StoredResource>(_ record: Resource<F>, by actor: Actor, db: Database) throws {
        var meta = record.meta
        meta.version += 1
        try insertChange(.delete, F.resourceType, meta, cityId: F.owningCityId(id: meta.id, cityId: meta.cityId), state: nil,
                         before: try Self.stateText(record), by: actor, db: db)
    }

    /// Appends one entry to the change log and links it into the hash chain of the audit log.
    private func insertChange(_ action: ChangeAction, _ type: String, _ meta: ResourceMeta, cityId: String?, state: String?,
                              before: String?, by actor: Actor, db: Database) throws {
        // The write lock is held, so the entry after the last one is this one: its number and its link to the
        // chain are known before it is written, and it is written once. Cached statements: this runs for every
        // write, millions of times when a data set is generated.
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM change ORDER BY seq DESC LIMIT 1"))
        let previous = (last?["hash"] as String?) ?? AuditEntry.genesisHash
        let entry = AuditEntry(seq: (last?["seq"] as Int64? ?? 0) + 1, at: clock(), actorId: actor.id, actorName: actor.name,
                               actorRole: actor.role, action: action.rawValue, resourceType: type, resourceId: meta.id, cityId: cityId,
                               version: meta.version, before: before, state: state)
        try db.cachedStatement(sql: """
            INSERT INTO change (seq, at, actorId, actorName, actorRole, action, resourceType, resourceId, cityId, version, state, before,
                                previousHash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [entry.seq, entry.at, actor.id, actor.name, actor.role, action.rawValue, type, meta.id, cityId,
                                     meta.version, state, before, previous, entry.hash(previous: previous)])
    }
}
