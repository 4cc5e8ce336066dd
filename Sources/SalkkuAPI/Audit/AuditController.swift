import Foundation
import HTTPTypes
import Hummingbird
import SalkkuCore
import SalkkuStore
import ServiceLifecycle

/// The audit log, the change feed, per-resource history, and the token register.
struct AuditController: Sendable {
    let database: AppDatabase
    var pageByteBudget = ChangeQuery.pageByteBudget

    func register(on router: Router<AppRequestContext>) {
        router.get("/v1/audit-log", use: auditLog)
        router.get("/v1/audit-log/verify", use: verify)
        router.get("/v1/changes", use: changes)
    }

    struct ActorBody: Encodable {
        var id: String?
        var name: String
        var role: String

        enum CodingKeys: String, CodingKey { case id, name, role }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(role, forKey: .role)
        }
    }

    struct AuditItem: Encodable {
        var seq: Int64
        var at: Timestamp
        var actor: ActorBody
        var action: String
        var resourceType: String
        var resourceId: String
        var cityId: String?
        var version: Int
        var before: JSONValue?
        var after: JSONValue?
        var previousHash: String?
        var hash: String?

        init(_ record: AuditEntryRecord) {
            let entry = record.entry
            seq = entry.seq
            at = entry.at
            actor = ActorBody(id: entry.actorId, name: entry.actorName, role: entry.actorRole)
            action = entry.action
            resourceType = entry.resourceType
            resourceId = entry.resourceId
            cityId = entry.cityId
            version = entry.version
            before = Self.shown(record.beforeJSON, type: entry.resourceType)
            after = Self.shown(record.stateJSON, type: entry.resourceType)
            previousHash = record.previousHash
            hash = record.hash
        }

        /// A token's hash is never shown: for a published secret (the demo's) it is as good as the secret's
        /// fingerprint. The stored entry keeps it, so `GET /v1/audit-log/verify` still checks the whole chain.
        static func shown(_ state: JSONValue?, type: String) -> JSONValue? {
            guard type == TokenFields.resourceType, case .object(var members)? = state else { return state }
            members["tokenHash"] = nil
            return .object(members)
        }

        enum CodingKeys: String, CodingKey {
            case seq, at, actor, action, resourceType, resourceId, cityId, version, before, after, previousHash, hash
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(seq, forKey: .seq)
            try container.encode(at, forKey: .at)
            try container.encode(actor, forKey: .actor)
            try container.encode(action, forKey: .action)
            try container.encode(resourceType, forKey: .resourceType)
            try container.encode(resourceId, forKey: .resourceId)
            try container.encode(cityId, forKey: .cityId)
            try container.encode(version, forKey: .version)
            try container.encode(before ?? .null, forKey: .before)
            try container.encode(after ?? .null, forKey: .after)
            try container.encode(previousHash, forKey: .previousHash)
            try container.encode(hash, forKey: .hash)
        }
    }

    static func seqCursor(_ query: inout QueryReader, _ name: String) -> Int64 {
        guard let text = query.string(name) else { return 0 }
        guard let value = Int64(text), value >= 0 else {
            query.fail(name, "must be a sequence number this API returned (an integer ≥ 0)")
            return 0
        }
        return value
    }

    @Sendable func auditLog(_ request: Request, context: AppRequestContext) async throws -> Response {
        var query = QueryReader(request)
        var changeQuery = ChangeQuery()
        changeQuery.limit = query.integer("limit", in: 1...1000, default: 100)
        changeQuery.afterSeq = Self.seqCursor(&query, "cursor")
        changeQuery.cityId = query.naming("cityId")
        changeQuery.resourceTypes = query.naming("resourceType").map { [$0] }
        if let type = changeQuery.resourceTypes?.first, !Self.auditedTypes.contains(type) {
            query.fail("resourceType", "must be one of: \(Self.auditedTypes.joined(separator: ", "))")
        }
        changeQuery.resourceId = query.naming("resourceId")
        changeQuery.actor = query.naming("actor")
        changeQuery.from = query.instant("from", endOfDay: false)?.instant
        changeQuery.to = query.instant("to", endOfDay: true)?.instant
        try query.finish()
        changeQuery.scopeCityIds = context.scope.cityIds
        if context.scope.cityIds != nil { changeQuery.excludedTypes = [TokenFields.resourceType] }
        if let cityId = changeQuery.cityId, !context.scope.covers(cityId: cityId) { return try .json(ListBody<AuditItem>(items: [], nextCursor: nil)) }
        changeQuery.limit += 1
        changeQuery.byteBudget = pageByteBudget
        let records = try database.changes(changeQuery)
        let page = Array(records.prefix(changeQuery.limit - 1))
        // A page cut by its byte budget continues after its last entry, as a full one does.
        let next = records.count >= changeQuery.limit || changeQuery.reachedBudget(records) ? page.last.map { String($0.entry.seq) } : nil
        return try .list(ListBody(items: page.map(AuditItem.init), nextCursor: next), request: request)
    }

    @Sendable func verify(_ request: Request, context: AppRequestContext) async throws -> Response {
        try QueryReader(request).finish()
        return try .json(try database.verifyAuditChain())
    }

    struct ChangeItem: Encodable {
        var seq: Int64
        var at: Timestamp
        var action: String
        var resourceType: String
        var resourceId: String
        var cityId: String?
        var version: Int
        var state: JSONValue?

        enum CodingKeys: String, CodingKey { case seq, at, action, resourceType, resourceId, cityId, version, state }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(seq, forKey: .seq)
            try container.encode(at, forKey: .at)
            try container.encode(action, forKey: .action)
            try container.encode(resourceType, forKey: .resourceType)
            try container.encode(resourceId, forKey: .resourceId)
            try container.encode(cityId, forKey: .cityId)
            try container.encode(version, forKey: .version)
            try container.encode(state ?? .null, forKey: .state)
        }
    }

    struct FeedBody: Encodable {
        var items: [ChangeItem]
        /// Pass it as `after` next time: the last entry delivered when the page is full, else the end of what was
        /// looked at, past entries the filters left out, so that a filtered reader never looks at them again.
        var nextCursor: Int64
    }

    static let feedPollInterval: Duration = .milliseconds(200)
    /// Every kind of record the audit log holds; the change feed leaves out the tokens.
    static let auditedTypes = ResourceRegistry.all.map(\.resourceType)

    /// How many sequence numbers one read of the feed looks at: a filter that matches nothing for a long stretch
    /// costs each request a bounded read and gives back an empty page with the cursor moved on, not a scan of
    /// the whole log.
    static func feedScanWindow(limit: Int) -> Int64 { Int64(max(1000, 10 * limit)) }

    /// Changes in the caller's scope, in order; with `wait`, held open until one arrives.
    @Sendable func changes(_ request: Request, context: AppRequestContext) async throws -> Response {
        var query = QueryReader(request)
        var changeQuery = ChangeQuery()
        changeQuery.afterSeq = Self.seqCursor(&query, "after")
        changeQuery.limit = query.integer("limit", in: 1...1000, default: 100)
        let wait = query.integer("wait", in: 0...60, default: 0)
        if let types = query.string("types") {
            let list = Set(types.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })
            let known = Set(AppDatabase.portfolioResourceTypes)
            if list.isEmpty || list.contains("") { query.fail("types", "must be a comma-separated list of resource types") }
            else if let unknown = list.sorted().first(where: { !known.contains($0) }) {
                query.fail("types", "names \(Echo.short(unknown)), which is not one of: \(AppDatabase.portfolioResourceTypes.joined(separator: ", "))")
            }
            changeQuery.resourceTypes = list
        }
        let cityId = query.naming("cityId")
        if let cityId, !Self.isId(cityId) {
            query.fail("cityId", "must be a city's id, such as 019b76da-a800-7000-8000-000a00000000")
        }
        try query.finish()
        changeQuery.scopeCityIds = context.scope.cityIds
        // Tokens are access configuration, not portfolio data; no integration receives them.
        changeQuery.excludedTypes = [TokenFields.resourceType]
        if let cityId {
            // A city outside the token's scope is filtered like the audit log's: none of its entries are in this
            // feed, so the pages are empty and the cursor moves on.
            changeQuery.cityId = cityId
            // No suppliers unless asked for and in scope; the shared maturity model is in every city's feed.
            changeQuery.citySupplierIds = []
            if context.scope.covers(cityId: cityId), changeQuery.resourceTypes?.contains(SupplierFields.resourceType) ?? true {
                // The city's suppliers as its export decides them, as they stand: those it owns and those it uses.
                changeQuery.citySupplierIds = try database.portfolioSupplierIds(cityId: cityId)
            }
        }
        changeQuery.byteBudget = pageByteBudget
        let scanWindow = Self.feedScanWindow(limit: changeQuery.limit)
        let deadline = ContinuousClock.now.advanced(by: .seconds(wait))
        var page = try readFeed(changeQuery, scanWindow: scanWindow)
        // Each poll continues after what the last one looked at; one that stopped at the window's end answers at once.
        // A server shutting down answers waiting clients at once with what they have, instead of holding SIGTERM.
        while page.entries.isEmpty, page.cursor == page.lastSeq, ContinuousClock.now < deadline, !Task.isShuttingDownGracefully {
            try await Task.sleep(for: Self.feedPollInterval)
            changeQuery.afterSeq = page.cursor
            page = try readFeed(changeQuery, scanWindow: scanWindow)
        }
        let states = try FeedStates.states(of: page.entries, in: database)
        let items = zip(page.entries, states).map { record, state in
            ChangeItem(seq: record.entry.seq, at: record.entry.at, action: record.entry.action, resourceType: record.entry.resourceType,
                       resourceId: record.entry.resourceId, cityId: record.entry.cityId, version: record.entry.version, state: state)
        }
        // The feed always has a next read: the same query after this page's cursor.
        return try .json(FeedBody(items: items, nextCursor: page.cursor),
                         headers: [.link: NextLink.header(request: request, parameter: "after", value: String(page.cursor))])
    }

    private func readFeed(_ query: ChangeQuery, scanWindow: Int64) throws -> FeedPage {
        do {
            return try database.feedPage(query, scanWindow: scanWindow)
        } catch ChangeFeedError.cursorAhead(let lastSeq) {
            throw Problem(.conflict, type: "/problems/cursor-ahead", title: "Cursor ahead of the change log",
                          detail: "after=\(query.afterSeq) is beyond the last change of this database (\(lastSeq)), as when it was "
                              + "restored from an older backup; changes after \(lastSeq) may never arrive here. Re-sync: load an "
                              + "export (GET /v1/cities/{cityId}/export or GET /v1/export) and continue with after set to its "
                              + "Salkku-Change-Seq header")
        }
    }

    /// Ids are UUIDs in lowercase hexadecimal, as the server makes them.
    static func isId(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        return bytes.indices.allSatisfy { index in
            [8, 13, 18, 23].contains(index) ? bytes[index] == UInt8(ascii: "-")
                : (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(bytes[index])
        }
    }
}

/// `…/history`: a resource's versions, each with who, when, and what changed.
struct HistoryBody: Encodable {
    struct Version: Encodable {
        var seq: Int64
        var version: Int
        var action: String
        var at: Timestamp
        var actor: AuditController.ActorBody
        var changes: [FieldChange]
        var state: JSONValue?

        enum CodingKeys: String, CodingKey { case seq, version, action, at, actor, changes, state }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(seq, forKey: .seq)
            try container.encode(version, forKey: .version)
            try container.encode(action, forKey: .action)
            try container.encode(at, forKey: .at)
            try container.encode(actor, forKey: .actor)
            try container.encode(changes, forKey: .changes)
            try container.encode(state ?? .null, forKey: .state)
        }
    }

    var resourceType: String
    var resourceId: String
    var items: [Version]

    /// The history of one resource, or 404 when it never existed (under this city).
    static func response(_ database: AppDatabase, type: String, id: String, cityId: String?) throws -> Response {
        let records = try database.history(resourceType: type, resourceId: id)
        guard let first = records.first, cityId == nil || first.entry.cityId == cityId else {
            throw Problem.notFound("no \(type) has id \(id)")
        }
        var previous: JSONValue?
        let versions = records.map { record in
            let state = record.stateJSON
            defer { previous = state }
            return Version(seq: record.entry.seq, version: record.entry.version, action: record.entry.action, at: record.entry.at,
                           actor: AuditController.ActorBody(id: record.entry.actorId, name: record.entry.actorName, role: record.entry.actorRole),
                           changes: JSONDiff.changes(from: previous, to: state), state: state)
        }
        return try .json(HistoryBody(resourceType: type, resourceId: id, items: versions))
    }
}
