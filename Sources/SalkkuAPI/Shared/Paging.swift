import Foundation
import HTTPTypes
import Hummingbird
import SalkkuCore
import SalkkuJSON
import SalkkuStore

/// `limit` and `cursor` of a list answered straight from the store; the cursor is bound to the path and filters.
struct PageRequest {
    let limit: Int
    let cursor: String?

    init(_ query: inout QueryReader) {
        limit = query.integer("limit", in: 1...1000, default: 50)
        cursor = query.string("cursor")
    }

    /// Call after `QueryReader.finish()`: one page of `type`, presented item by item.
    func response<F: StoredResource>(
        _ type: F.Type, request: Request, from database: AppDatabase, cityId: String? = nil, filters: [ListFilter] = [],
        given: [(String, String)] = [], present: (Resource<F>) -> some Encodable
    ) throws -> Response {
        let fingerprint = PageCursor.fingerprint(path: request.uri.path, filters: given)
        let afterId = try cursor.map { try PageCursor.lastId(from: $0, fingerprint: fingerprint).get() }
        let page = try database.list(F.self, ListQuery(cityId: cityId, filters: filters, afterId: afterId, limit: limit))
        return try .list(ListBody(items: page.items.map(present),
                                  nextCursor: page.lastIdWhenMore.map { PageCursor.make(lastId: $0, fingerprint: fingerprint) }),
                         request: request)
    }
}

extension Response {
    /// A page of a list, with `Link: <…>; rel="next"` (RFC 8288) beside `nextCursor` when there is more.
    static func list<Item: Encodable>(_ body: ListBody<Item>, request: Request, cursorParameter: String = "cursor") throws -> Response {
        var headers: HTTPFields = [:]
        if let next = body.nextCursor { headers[.link] = NextLink.header(request: request, parameter: cursorParameter, value: next) }
        return try .json(body, headers: headers)
    }
}

enum NextLink {
    /// The request's own path and query with `parameter` set to `value`: the next page as the client would ask for it.
    static func header(request: Request, parameter: String, value: String) -> String {
        var components = URLComponents()
        components.percentEncodedPath = request.uri.path
        var items = (URLComponents(string: "?" + (request.uri.query ?? ""))?.queryItems ?? []).filter { $0.name != parameter }
        items.append(URLQueryItem(name: parameter, value: value))
        components.queryItems = items
        // `+` is a space in form-encoded queries, and a cursor may hold one.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return "<\(components.string ?? request.uri.path)>; rel=\"next\""
    }
}

/// The list body every collection answers with.
struct ListBody<Item: Encodable>: Encodable, JSONSizeHint {
    /// About a kilobyte per item (a contract is 900 bytes): a 1000-row page is written without regrowing.
    var expectedJSONBytes: Int { items.count * 1024 + 64 }

    var items: [Item]
    var nextCursor: String?

    enum CodingKeys: String, CodingKey { case items, nextCursor }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
