import Foundation
import GRDB
import SalkkuCore
import SalkkuJSON

/// A condition on change-log entries, for the audit log and the change feed.
public struct ChangeQuery: Sendable {
    public var afterSeq: Int64 = 0
    public var limit = 100
    public var cityId: String?
    /// Entries of these cities, plus the shared registry's, when the reader is limited to some cities.
    public var scopeCityIds: Set<String>?
    public var resourceTypes: Set<String>?
    public var excludedTypes: Set<String> = []
    public var resourceId: String?
    public var actor: String?
    public var from: Timestamp?
    public var to: Timestamp?

    public init() {}
}

extension AppDatabase {
    /// Entries in sequence order after `afterSeq`, at most `limit`.
    public func changes(_ query: ChangeQuery) throws -> [AuditEntryRecord] {
        var conditions = ["seq > ?"]
        var arguments: StatementArguments = [query.afterSeq]
        if let cityId = query.cityId {
            conditions.append("cityId = ?")
            _ = arguments.append(contentsOf: [cityId])
        }
        if let scope = query.scopeCityIds {
            conditions.append("(cityId IN (SELECT value FROM json_each(?)) OR (cityId IS NULL AND resourceType = 'supplier'))")
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
        return try read { db in try Row.fetchAll(db, sql: sql, arguments: arguments).map { try AuditEntryRecord(row: $0) } }
    }

    /// Every entry of one resource, oldest first.
    public func history(resourceType: String, resourceId: String) throws -> [AuditEntryRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM change WHERE resourceType = ? AND resourceId = ? ORDER BY seq",
                             arguments: [resourceType, resourceId]).map { try AuditEntryRecord(row: $0) }
        }
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
