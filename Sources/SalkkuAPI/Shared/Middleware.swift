import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import SalkkuCore
import SalkkuJSON
import SalkkuStore
import Synchronization

/// Turns every error into a problem+json response; the only place that decides status codes for errors.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteIndex

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return problem(for: error, request: request, context: context).response()
        }
    }

    func problem(for error: any Error, request: Request, context: Context) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let failure as ValidationFailure:
            return .validation(failure.errors, total: failure.total)
        case let storeError as StoreError:
            switch storeError {
            case .notFound(let type, let id): return .notFound("no \(type) has id \(id)")
            case .conflict(let detail): return .conflict(detail)
            case .versionMismatch(let current): return .preconditionFailed(currentVersion: current)
            case .invalid(let errors): return .validation(errors)
            }
        case let failure as PreconditionFailure:
            return .preconditionFailed(failure)
        case let syntax as JSONSyntaxError:
            return .malformed(syntax)
        case is NIOTooManyBytesError:
            return .tooLarge
        case let tooMany as JSONTooManyValuesError:
            return Problem(.contentTooLarge, type: "/problems/payload-too-large", title: "Payload too large",
                           detail: "the body holds more than \(tooMany.limit) JSON values")
        case let parserError as HTTPParserError:
            context.logger.info("unreadable request: \(parserError)")
            return Problem(.badRequest, type: "/problems/unreadable-request", title: "Unreadable request",
                           detail: "the request could not be read: \(parserError)")
        case let httpError as HTTPError where httpError.status == .notFound:
            let allowed = routes.methods(matching: request.uri.path)
            if allowed.isEmpty {
                return .notFound("no route matches \(Echo.short(request.uri.path))")
            }
            var problem = Problem(.methodNotAllowed, type: "/problems/method-not-allowed", title: "Method not allowed",
                                  detail: "\(request.method) is not allowed on \(Echo.short(request.uri.path)); use \(allowed.joined(separator: ", "))")
            problem.headers[.allow] = allowed.joined(separator: ", ")
            return problem
        case let httpError as HTTPError where httpError.status.code < 500:
            return Problem(httpError.status, type: "/problems/http", title: httpError.status.reasonPhrase,
                           detail: httpError.body ?? httpError.status.reasonPhrase)
        default:
            context.logger.error("unhandled error: \(String(reflecting: error))")
            return .internalError
        }
    }
}

/// The routes the router serves, as method and path pattern; filled once the router is complete,
/// because the middleware that answers 405 is added before the routes are.
final class RouteIndex: Sendable {
    private let routes = Mutex<[(method: String, path: String)]>([])

    func fill<Context>(from router: Router<Context>) {
        routes.withLock { $0 = router.routes.map { (method: $0.method.rawValue, path: $0.path.description) } }
    }

    func methods(matching path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return routes.withLock { $0 }.filter { route in
            let pattern = route.path.split(separator: "/", omittingEmptySubsequences: false)
            return pattern.count == segments.count
                && zip(pattern, segments).allSatisfy { Self.segment($0, matches: $1) }
        }.map(\.method).reduce(into: Set<String>()) { methods, method in
            methods.insert(method)
            // HEAD is answered on every GET route, in front of the router.
            if method == "GET" { methods.insert("HEAD") }
        }.sorted()
    }

    /// `{name}` matches any segment, `{name}.csv` one that ends in `.csv` (as the router takes it), else equal text.
    static func segment(_ pattern: Substring, matches segment: Substring) -> Bool {
        guard pattern.hasPrefix("{"), let close = pattern.firstIndex(of: "}") else { return pattern == segment }
        let suffix = pattern[pattern.index(after: close)...]
        return segment.hasSuffix(suffix) && segment.count > suffix.count
    }
}

/// A read at a past record time under a city the records did not know then is 404 on every route, the same
/// way, before any handler reads: the city did not exist as far as those records can tell.
struct CityAtRecordTimeMiddleware: RouterMiddleware {
    let database: AppDatabase

    func handle(_ request: Request, context: AppRequestContext,
                next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        // Reads of the records as they stand (nearly all) pass without parsing the query a second time.
        guard request.method == .get || request.method == .head, request.uri.queryParameters["asOf"] != nil,
              let cityId = context.parameters.get("cityId") else {
            return try await next(request, context)
        }
        var query = QueryReader(request)
        let clocks = query.clocks(database)
        // A bad or future `asOf` is the handler's to refuse, with the rest of the query.
        guard query.errors.isEmpty, clocks.recordTime != nil else { return try await next(request, context) }
        guard try clocks.database(database).exists(CityFields.self, id: cityId) else {
            throw Problem.notFound("no city had id \(Echo.short(cityId))\(clocks.recordTimePhrase)")
        }
        // Known then, though perhaps deleted since: the handlers' own city checks take this answer.
        var context = context
        context.cityAtRecordTime = cityId
        return try await next(request, context)
    }
}
