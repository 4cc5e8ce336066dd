import GRDB
import SalkkuCore
import SalkkuJSON

/// A condition on a list, on columns the API names; the store turns it into SQL.
public enum ListFilter: Sendable, Hashable {
    case equals(column: String, value: String)
    /// Case-insensitive substring of any of the expressions: column names or JSON extractions
    /// written in code, never taken from a request.
    case contains(expressions: [String], text: String)
    /// `id IN (subquery)` where the subquery is SQL written in code with one `?` for the value.
    case idIn(subquery: String, value: String)
    /// One of these ids.
    case ids(Set<String>)
}

public struct ListQuery: Sendable {
    public var cityId: String?
    public var filters: [ListFilter]
    public var afterId: String?
    public var limit: Int

    public init(cityId: String? = nil, filters: [ListFilter] = [], afterId: String? = nil, limit: Int = 50) {
        self.cityId = cityId
        self.filters = filters
        self.afterId = afterId
        self.limit = limit
    }
}

public struct Page<F: ResourceFields>: Sendable {
    public var items: [Resource<F>]
    /// The id after which the next page starts, when there is one.
    public var lastIdWhenMore: String?
}

extension AppDatabase {
    public func fetch<F: StoredResource>(_ type: F.Type, id: String, cityId: String? = nil) throws -> Resource<F>? {
        try readStatement { db in try fetch(type, id: id, cityId: cityId, db: db) }
    }

    package func fetch<F: StoredResource>(_ type: F.Type, id: String, cityId: String?, db: Database) throws -> Resource<F>? {
        // A cached statement: reads by id are the hottest path of the API.
        let statement = try db.cachedStatement(sql: "SELECT * FROM \(F.databaseTableName) WHERE id = ?")
        guard let record = try db.fetchResources(F.self, statement, arguments: [id]).first else { return nil }
        // A record asked for under another city is not there, as far as the caller can tell.
        if F.isCityOwned, let cityId, record.meta.cityId != cityId { return nil }
        return record
    }

    public func exists<F: StoredResource>(_ type: F.Type, id: String) throws -> Bool {
        try readStatement { db in
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM \(F.databaseTableName) WHERE id = ?)"), arguments: [id])!
        }
    }

    /// One page in id order.
    public func list<F: StoredResource>(_ type: F.Type, _ query: ListQuery) throws -> Page<F> {
        try readStatement { db in
            // The SQL text depends only on which filters are given, so the prepared statement is cached
            // across requests; compiling it anew was a sixth of a page request's time.
            var conditions: [String] = []
            var arguments = StatementArguments()
            if F.isCityOwned, let cityId = query.cityId {
                conditions.append("cityId = ?")
                arguments += [cityId]
            }
            for filter in query.filters {
                switch filter {
                case .equals(let column, let value):
                    conditions.append("\"\(column)\" = ?")
                    arguments += [value]
                case .contains(let expressions, let text):
                    conditions.append("(" + expressions.map(foldedContains).joined(separator: " OR ") + ")")
                    for _ in expressions { arguments += [text.lowercased()] }
                case .idIn(let subquery, let value):
                    conditions.append("id IN (\(subquery))")
                    arguments += [value]
                case .ids(let ids):
                    conditions.append(idInList)
                    arguments += [try jsonArray(Array(ids))]
                }
            }
            if let afterId = query.afterId {
                conditions.append("id > ?")
                arguments += [afterId]
            }
            let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            arguments += [query.limit + 1]
            let statement = try db.cachedStatement(sql: "SELECT * FROM \(F.databaseTableName)\(whereClause) ORDER BY id LIMIT ?")
            let rows = try db.fetchResources(F.self, statement, arguments: arguments)
            let items = Array(rows.prefix(query.limit))
            return Page(items: items, lastIdWhenMore: rows.count > query.limit ? items.last?.meta.id : nil)
        }
    }
}

/// `id` is one of the strings of a JSON array bound as the one argument: one cached statement for any number of ids.
private let idInList = "id IN (SELECT value FROM json_each(?))"

func jsonArray(_ strings: [String]) throws -> String {
    String(decoding: try CompactJSONEncoder.encode(strings), as: UTF8.self)
}

extension AppDatabase {
    /// Every record of a city, in id order, for views that compute over all of them.
    public func all<F: StoredResource>(_ type: F.Type, cityId: String) throws -> [Resource<F>] {
        try readStatement { db in
            let statement = try db.cachedStatement(sql: "SELECT * FROM \(F.databaseTableName) WHERE cityId = ? ORDER BY id")
            return try db.fetchResources(F.self, statement, arguments: [cityId])
        }
    }

    /// The kinds of these suppliers, by id: all a contract's procurement terms need of its supplier.
    public func supplierKinds(ids: some Collection<String>) throws -> [String: SupplierKind] {
        guard !ids.isEmpty else { return [:] }
        return try readStatement { db in
            // Joined to the ids rather than `IN (…)`, which first builds a temporary index of them.
            let statement = try db.cachedStatement(sql: "SELECT s.id, s.kind FROM json_each(?) ids JOIN supplier s ON s.id = ids.value")
            var kinds: [String: SupplierKind] = [:]
            try db.eachRow(statement, arguments: [try jsonArray(Array(Set(ids)))]) { row in
                kinds[try row.string("id")] = try row.enumeration("kind") as SupplierKind
            }
            return kinds
        }
    }

    /// The records with these ids, by id; ids that name nothing are left out.
    public func byId<F: StoredResource>(_ type: F.Type, ids: some Collection<String>) throws -> [String: Resource<F>] {
        guard !ids.isEmpty else { return [:] }
        let unique = Set(ids)
        if unique.count == 1 {
            return try fetch(type, id: unique.first!).map { [$0.meta.id: $0] } ?? [:]
        }
        return try readStatement { db in
            let statement = try db.cachedStatement(sql: "SELECT * FROM \(F.databaseTableName) WHERE \(idInList)")
            let records = try db.fetchResources(F.self, statement, arguments: [try jsonArray(Array(unique))])
            return Dictionary(uniqueKeysWithValues: records.map { ($0.meta.id, $0) })
        }
    }
}

extension AppDatabase {
    /// Every id of a table, in id order.
    public func allIds<F: StoredResource>(_ type: F.Type) throws -> [String] {
        try readStatement { db in try String.fetchAll(db, sql: "SELECT id FROM \(F.databaseTableName) ORDER BY id") }
    }
}
