import Foundation
import GRDB
import SalkkuCore
import SalkkuJSON

/// A condition on change-log entries, for the audit log and the change feed.
public struct ChangeQuery: Sendable {
    public var afterSeq: Int64 = 0
    public var limit = 100
    public var cityId: String?
    /// With `cityId`, the entries of these suppliers too: suppliers are shared and their entries have no city.
    public var citySupplierIds: Set<String>?
    /// Entries of these cities, plus the shared registry's, when the reader is limited to some cities.
    public var scopeCityIds: Set<String>?
    public var resourceTypes: Set<String>?
    public var excludedTypes: Set<String> = []
    public var resourceId: String?
    public var actor: String?
    public var from: Timestamp?
    public var to: Timestamp?
    /// When set, a page ends after the entry with which its stored states (before and after) reach this many bytes,
    /// even short of `limit`: a thousand versions of a megabyte-sized plan made a 29 MB answer (found by the third attack).
    public var byteBudget: Int?

    public init() {}

    /// A page's budget: far above a thousand ordinary entries (a few kilobytes each), below what a client should wait for.
    public static let pageByteBudget = 4 << 20

    /// Whether these entries, read under this query, stopped at its byte budget rather than at `limit` or the log's end.
    public func reachedBudget(_ records: [AuditEntryRecord]) -> Bool {
        guard let byteBudget else { return false }
        return records.reduce(0) { $0 + $1.storedBytes } >= byteBudget
    }
}

extension AppDatabase {
    /// Entries in sequence order after `afterSeq`, at most `limit`.
    public func changes(_ query: ChangeQuery) throws -> [AuditEntryRecord] {
        try read { db in try changes(query, upTo: nil, db: db) }
    }

    /// A page of the change feed: at most `limit` entries after `afterSeq`, looking at no more than `scanWindow`
    /// sequence numbers, so that filters that match nothing for a long stretch cost one bounded read per request.
    /// Throws `ChangeFeedError.cursorAhead` when `afterSeq` is beyond the last entry of the log.
    public func feedPage(_ query: ChangeQuery, scanWindow: Int64) throws -> FeedPage {
        try read { db in
            let lastSeq = try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM change ORDER BY seq DESC LIMIT 1")) ?? 0
            guard query.afterSeq <= lastSeq else { throw ChangeFeedError.cursorAhead(lastSeq: lastSeq) }
            let windowEnd = min(lastSeq, query.afterSeq + max(1, scanWindow))
            let entries = try changes(query, upTo: windowEnd, db: db)
            // A full page (by count or by bytes) stops at its last entry; otherwise every entry up to the window's end was looked at.
            let cursor = entries.count >= query.limit || query.reachedBudget(entries) ? entries.last!.entry.seq : windowEnd
            return FeedPage(entries: entries, cursor: cursor, lastSeq: lastSeq)
        }
    }

    private func changes(_ query: ChangeQuery, upTo lastSeq: Int64?, db: Database) throws -> [AuditEntryRecord] {
        var conditions = ["seq > ?"]
        var arguments: StatementArguments = [query.afterSeq]
        if let lastSeq {
            conditions.append("seq <= ?")
            _ = arguments.append(contentsOf: [lastSeq])
        }
        // The maturity model is shared: every city is judged with it, so every city's reader sees its versions.
        if let cityId = query.cityId, let suppliers = query.citySupplierIds {
            conditions.append("(cityId = ? OR (cityId IS NULL AND resourceType = 'supplier' AND resourceId IN (SELECT value FROM json_each(?)))"
                              + " OR (cityId IS NULL AND resourceType = 'maturity-model'))")
            _ = arguments.append(contentsOf: [cityId, try jsonArray(suppliers.sorted())])
        } else if let cityId = query.cityId {
            conditions.append("cityId = ?")
            _ = arguments.append(contentsOf: [cityId])
        }
        if let scope = query.scopeCityIds {
            conditions.append("(cityId IN (SELECT value FROM json_each(?)) OR (cityId IS NULL AND resourceType IN ('supplier', 'maturity-model')))")
            _ = arguments.append(contentsOf: [try jsonArray(scope.sorted())])
        }
        if let types = query.resourceTypes {
            conditions.append("resourceType IN (SELECT value FROM json_each(?))")
            _ = arguments.append(contentsOf: [try jsonArray(types.sorted())])
        }
        if !query.excludedTypes.isEmpty {
            conditions.append("resourceType NOT IN (SELECT value FROM json_each(?))")
            _ = arguments.append(contentsOf: [try jsonArray(query.excludedTypes.sorted())])
        }
        if let resourceId = query.resourceId {
            conditions.append("resourceId = ?")
            _ = arguments.append(contentsOf: [resourceId])
        }
        if let actor = query.actor {
            conditions.append("(actorId = ? OR actorName = ?)")
            _ = arguments.append(contentsOf: [actor, actor])
        }
        if let from = query.from {
            conditions.append("at >= ?")
            _ = arguments.append(contentsOf: [from])
        }
        if let to = query.to {
            conditions.append("at <= ?")
            _ = arguments.append(contentsOf: [to])
        }
        _ = arguments.append(contentsOf: [query.limit])
        let sql = "SELECT * FROM change WHERE " + conditions.joined(separator: " AND ") + " ORDER BY seq LIMIT ?"
        guard let budget = query.byteBudget else {
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { try AuditEntryRecord(row: $0) }
        }
        var records: [AuditEntryRecord] = []
        var bytes = 0
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while bytes < budget, let row = try rows.next() {
            let record = try AuditEntryRecord(row: row)
            bytes += record.storedBytes
            records.append(record)
        }
        return records
    }

    /// For each lookup, the state its resource had at its sequence number (its last entry at or before it), one
    /// indexed read per lookup in a single query; nil when it did not exist then or had been deleted.
    public func states(asOf lookups: Set<StateLookup>) throws -> [StateLookup: String] {
        guard !lookups.isEmpty else { return [:] }
        let ordered = Array(lookups)
        let json = String(decoding: try CompactJSONEncoder.encode(ordered.map { [$0.resourceType, $0.resourceId, String($0.seq)] }), as: UTF8.self)
        return try read { db in
            var states: [StateLookup: String] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT CAST(lookup.key AS INTEGER) AS position,
                       (SELECT state FROM change
                         WHERE resourceType = json_extract(lookup.value, '$[0]') AND resourceId = json_extract(lookup.value, '$[1]')
                           AND seq <= CAST(json_extract(lookup.value, '$[2]') AS INTEGER)
                         ORDER BY seq DESC LIMIT 1) AS state
                FROM json_each(?) AS lookup
                """, arguments: [json])
            while let row = try rows.next() {
                let position: Int = row["position"]
                if let state: String = row["state"] { states[ordered[position]] = state }
            }
            return states
        }
    }

    /// Every entry of one resource, oldest first.
    public func history(resourceType: String, resourceId: String) throws -> [AuditEntryRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM change WHERE resourceType = ? AND resourceId = ? ORDER BY seq",
                             arguments: [resourceType, resourceId]).map { try AuditEntryRecord(row: $0) }
        }
    }
}

/// What one request of the change feed read.
public struct FeedPage: Sendable {
    public var entries: [AuditEntryRecord]
    /// Where the next request continues: the last entry of a full page, else the end of the range looked at,
    /// which may have held only entries the filters left out.
    public var cursor: Int64
    /// The log's last sequence number when the page was read.
    public var lastSeq: Int64
}

public enum ChangeFeedError: Error, Sendable {
    /// The cursor names an entry this database does not have, as after a restore from an older backup.
    case cursorAhead(lastSeq: Int64)
}

/// A resource as it stood at a sequence number of the change log.
public struct StateLookup: Hashable, Sendable {
    public var resourceType: String
    public var resourceId: String
    public var seq: Int64

    public init(resourceType: String, resourceId: String, seq: Int64) {
        self.resourceType = resourceType
        self.resourceId = resourceId
        self.seq = seq
    }
}

/// A stored change-log entry with its hashes.
public struct AuditEntryRecord: Sendable {
    public var entry: AuditEntry
    public var previousHash: String?
    public var hash: String?

    init(row: Row) throws {
        entry = try AuditEntry(row: row)
        previousHash = try row.decode(forColumn: "previousHash")
        hash = try row.decode(forColumn: "hash")
    }

    public var beforeJSON: JSONValue? { entry.before.flatMap { try? StrictJSONParser.parse(Array($0.utf8)) } }
    public var stateJSON: JSONValue? { entry.state.flatMap { try? StrictJSONParser.parse(Array($0.utf8)) } }
    /// The size of the stored states, what a page of them costs to read and answer.
    public var storedBytes: Int { (entry.state?.utf8.count ?? 0) + (entry.before?.utf8.count ?? 0) }
}

extension AppDatabase {
    /// The id of the city's resource of a type whose state (or last state, if deleted) has these members.
    public func resourceId(type: String, cityId: String, members: [String: String] = [:]) throws -> String? {
        var sql = "SELECT resourceId FROM change WHERE resourceType = ? AND cityId = ?"
        var arguments: StatementArguments = [type, cityId]
        for (key, value) in members.sorted(by: { $0.key < $1.key }) {
            sql += " AND json_extract(coalesce(state, before), ?) = ?"
            _ = arguments.append(contentsOf: ["$.\(key)", value])
        }
        sql += " ORDER BY seq DESC LIMIT 1"
        return try read { db in try String.fetchOne(db, sql: sql, arguments: arguments) }
    }
}
