import Foundation
import HTTPTypes
import Hummingbird
import SalkkuCore
import SalkkuJSON
import SalkkuStore

/// A query parameter that narrows a list, and how its text becomes a store filter.
struct FilterParameter: Sendable {
    let name: String
    let filter: @Sendable (String) -> Result<ListFilter, FieldError>

    /// Equality with one of an enumeration's values.
    static func oneOf<E: APIEnum>(_ name: String, _ type: E.Type) -> FilterParameter {
        FilterParameter(name: name) { text in
            E(rawValue: text) != nil
                ? .success(.equals(column: name, value: text))
                : .failure(FieldError(parameter: name, "must be one of: \(E.allowedValues)"))
        }
    }

    /// Equality with an identifier.
    static func id(_ name: String) -> FilterParameter {
        naming(name) { .equals(column: name, value: $0) }
    }

    /// Records linked to the given id through a link table; `subquery` selects record ids with one `?`.
    static func linked(_ name: String, subquery: String) -> FilterParameter {
        naming(name) { .idIn(subquery: subquery, value: $0) }
    }

    /// A filter by a name or id, which may not be empty (see `QueryReader.naming`).
    private static func naming(_ name: String, _ filter: @escaping @Sendable (String) -> ListFilter) -> FilterParameter {
        FilterParameter(name: name) { $0.isEmpty ? .failure(.emptyName(parameter: name)) : .success(filter($0)) }
    }

    /// `q`: a case-insensitive substring of any of the expressions.
    static func search(_ expressions: [String]) -> FilterParameter {
        FilterParameter(name: "q") { sent in
            // Cleaned as stored texts are (NFC, one line), so "o" with a combining diaeresis finds "ö" (found by the fourth attack).
            switch TextRules.cleaned(sent, singleLine: true) {
            case .failure(let refusal):
                return .failure(FieldError(parameter: "q", refusal.detail))
            case .success(let text):
                return text.isEmpty || text.unicodeScalars.count > 200
                    ? .failure(FieldError(parameter: "q", "must be 1 to 200 characters"))
                    : .success(.contains(expressions: expressions, text: text))
            }
        }
    }
}

/// The collection and item routes of one kind of resource, as API.md prescribes them.
struct ResourceRoutes<Presenter: ResourcePresenter>: Sendable {
    typealias F = Presenter.Fields
    let database: AppDatabase
    /// `/v1/cities/{cityId}/services`
    let collectionPath: String
    /// The path parameter naming one item: `serviceId`.
    let itemParameter: String
    let filters: [FilterParameter]
    let presenter: Presenter
    var writeRule: WriteRule<F> = .none

    var itemPath: String { "\(collectionPath)/{\(itemParameter)}" }

    func register(on router: Router<AppRequestContext>) {
        router.get(RouterPath(collectionPath), use: list)
        router.post(RouterPath(collectionPath), use: create)
        router.get(RouterPath(itemPath), use: get)
        router.patch(RouterPath(itemPath), use: patch)
        router.delete(RouterPath(itemPath), use: delete)
        router.get(RouterPath(itemPath + "/history"), use: history)
    }

    /// Every version, including those of a resource deleted since.
    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try owningCity(context)
        try QueryReader(request).finish()
        let id = try itemId(context)
        // A city's own history is filed under the city id itself.
        return try HistoryBody.response(database, type: F.resourceType, id: id, cityId: F.owningCityId(id: id, cityId: cityId))
    }

    /// The owning city named by the path, after checking that it exists; nil for top-level resources.
    private func owningCity(_ context: AppRequestContext) throws -> String? {
        F.isCityOwned ? try database.requireCity(context) : nil
    }

    private func itemId(_ context: AppRequestContext) throws -> String {
        try context.parameters.require(itemParameter)
    }

    private func presented(_ record: Resource<F>, on date: LocalDate, in database: AppDatabase? = nil) throws -> Presenter.Item {
        try presenter.present([record], on: date, in: database ?? self.database)[0]
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        var query = QueryReader(request)
        let limit = query.integer("limit", in: 1...1000, default: 50)
        let cursor = query.string("cursor")
        let clocks = query.clocks(database)
        let date = clocks.on
        var listFilters: [ListFilter] = []
        var predicates: [@Sendable (Presenter.Item) -> Bool] = []
        var given: [(String, String)] = []
        for parameter in filters {
            guard let text = query.string(parameter.name) else { continue }
            switch parameter.filter(text) {
            case .success(let filter):
                listFilters.append(filter)
                given.append((parameter.name, text))
            case .failure(let error):
                query.fail(parameter.name, error.detail)
            }
        }
        for computed in presenter.computedFilters {
            guard let text = query.string(computed.name) else { continue }
            switch computed.predicate(text) {
            case .success(let predicate):
                predicates.append(predicate)
                given.append((computed.name, text))
            case .failure(let error):
                query.fail(computed.name, error.detail)
            }
        }
        // A token limited to some cities lists only those.
        if F.self == CityFields.self, let scope = context.scope.cityIds { listFilters.append(.ids(scope)) }
        // The records and their computed members depend on both clocks, so a cursor is bound to them too.
        given += clocks.cursorBinding
        // Records found under the city prove it exists; the city is looked up only when none are, to tell an
        // empty list from an unknown city.
        let cityId = F.isCityOwned ? try context.parameters.require("cityId") : nil
        var cityChecked = false
        try query.finish()
        let fingerprint = PageCursor.fingerprint(path: request.uri.path, filters: given)
        let cursorId = try cursor.map { try PageCursor.lastId(from: $0, fingerprint: fingerprint).get() }

        // One read transaction for the page, the city check and what presenting it reads.
        let database = try clocks.database(self.database)
        let (items, lastIdWhenMore) = try database.readTogether { () throws -> ([Presenter.Item], String?) in
            var afterId = cursorId
            var items: [Presenter.Item] = []
            var lastReturnedId: String?
            var more = false
            // Without computed filters one page of the store is one page of the answer; with them,
            // the store is read in batches until one more item than asked for passes.
            let batch = predicates.isEmpty ? limit : max(limit, 200)
            scan: while true {
                let page = try database.list(F.self, ListQuery(cityId: cityId, filters: listFilters, afterId: afterId, limit: batch))
                if !cityChecked && page.items.isEmpty { _ = try owningCity(context) }
                cityChecked = true
                for (record, item) in zip(page.items, try presenter.present(page.items, on: date, in: database))
                where predicates.allSatisfy({ $0(item) }) {
                    if items.count == limit {
                        more = true
                        break scan
                    }
                    items.append(item)
                    lastReturnedId = record.meta.id
                }
                guard let next = page.lastIdWhenMore else { break }
                if predicates.isEmpty {
                    more = true
                    break
                }
                afterId = next
            }
            return (items, more ? lastReturnedId : nil)
        }
        let next = lastIdWhenMore.map { PageCursor.make(lastId: $0, fingerprint: fingerprint) }
        return try .list(ListBody(items: items, nextCursor: next), request: request)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        // A record found under the city proves the city exists; the city is looked up only to explain a 404.
        let cityId = F.isCityOwned ? try context.parameters.require("cityId") : nil
        let id = try itemId(context)
        var query = QueryReader(request)
        let clocks = query.clocks(database)
        try query.finish()
        // One read transaction for the record and what presenting it reads.
        let database = try clocks.database(self.database)
        let (item, version) = try database.readTogether { () throws -> (Presenter.Item, Int) in
            guard let record = try database.fetch(F.self, id: id, cityId: cityId) else {
                _ = try owningCity(context)
                throw Problem.notFound(clocks.recordTime == nil ? "no \(F.resourceType) has id \(id)"
                                       : "no \(F.resourceType) had id \(id)\(clocks.recordTimePhrase)")
            }
            return (try presented(record, on: clocks.on, in: database), record.meta.version)
        }
        return try .item(item, version: version, request: request)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try owningCity(context)
        var request = request
        let body = try await request.jsonBody(as: MediaType.json)
        let errors = InputErrors(today: database.today)
        guard let fields = F.read(body, errors: errors), errors.isEmpty else {
            throw database.failure(errors, body: body, F.self, cityId: cityId)
        }
        try writeRule.check(context.scope, nil, fields)
        try fields.checkChange(from: nil)
        try fields.checkFactDates(today: database.today)
        let record = try database.create(fields, cityId: cityId, by: context.actor)
        return try .json(presented(record, on: database.today), status: .created, headers: [
            .location: "\(request.uri.path)/\(record.meta.id)",
            .eTag: ETag.for(version: record.meta.version),
        ])
    }

    @Sendable func patch(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try owningCity(context)
        let id = try itemId(context)
        var request = request
        let patch = try await request.jsonBody(as: MediaType.mergePatch)
        // A merged body that does not read is looked up for unknown references after the write transaction ends.
        var unread: (body: JSONValue, errors: InputErrors)?
        do {
            return try patched(patch, id: id, cityId: cityId, request: request, context: context) { unread = ($0, $1) }
        } catch let failure as ValidationFailure {
            guard let unread else { throw failure }
            throw database.failure(unread.errors, body: unread.body, F.self, cityId: cityId)
        }
    }

    private func patched(_ patch: JSONValue, id: String, cityId: String?, request: Request, context: AppRequestContext,
                         unread: (JSONValue, InputErrors) -> Void) throws -> Response {
        let record = try database.update(F.self, id: id, cityId: cityId, acceptedVersions: request.ifMatchVersions,
                                         by: context.actor) { current in
            // Whether the caller may change this record at all comes before what is wrong with the change.
            try writeRule.check(context.scope, current, current.fields)
            // The patch applies to the writable fields; read-only and unknown members it names are refused by
            // `read`, and as `null` (which the merge drops) by `MergePatchNulls`.
            let original = try JSONValue.of(current.fields)
            let merged = original.mergePatched(with: patch)
            try MergePatchNulls.check(patch, original: original) { probe, errors in _ = F.read(probe, errors: errors) }
            let errors = InputErrors(today: database.today)
            guard let fields = F.read(merged, errors: errors), errors.isEmpty else {
                unread(merged, errors)
                throw errors.failure
            }
            try writeRule.check(context.scope, current, fields)
            try fields.checkChange(from: current.fields)
            try fields.checkFactDates(today: database.today)
            return fields
        }
        return try .json(presented(record, on: database.today), headers: [.eTag: ETag.for(version: record.meta.version)])
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try owningCity(context)
        try database.delete(F.self, id: try itemId(context), cityId: cityId, acceptedVersions: request.ifMatchVersions,
                            by: context.actor)
        return Response(status: .noContent)
    }
}

extension Response {
    /// One item with its ETag, or 304 when `If-None-Match` names its version (or is `*`).
    static func item(_ body: some Encodable, version: Int, request: Request) throws -> Response {
        let etag = ETag.for(version: version)
        if let header = request.headers[.ifNoneMatch], ETag.versions(in: header).map({ $0.contains(version) }) ?? true {
            return Response(status: .notModified, headers: [.eTag: etag])
        }
        return try .json(body, headers: [.eTag: etag])
    }

    /// A value written by the one JSON writer (also the request context's response encoder).
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = MediaType.json
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try CompactJSONEncoder.encode(value))))
    }
}
