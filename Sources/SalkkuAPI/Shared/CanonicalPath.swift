import Foundation
import Hummingbird

/// The router matches paths segment by segment and skips empty segments, so `//v1/tokens` would reach
/// the handler of `/v1/tokens`. Access is decided on the route matched, whatever the spelling; on top of that
/// Salkku serves each resource under one spelling only: a path with an empty segment, a segment that is or
/// decodes to `.` or `..`, a trailing slash, a backslash or an encoded NUL is answered 404 before
/// authentication, routing or any handler sees it. An encoded `/` stays allowed inside a segment: capability
/// ids contain one (`sector-expertise%2Fsocial-health`).
enum CanonicalPath {
    /// Why `path` is not canonical, or nil when it is.
    static func flaw(in path: String) -> String? {
        guard path.hasPrefix("/") else { return "does not begin with /" }
        if path == "/" { return nil }
        if path.hasSuffix("/") { return "ends with /" }
        for segment in path.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty { return "has an empty segment (//)" }
            // Every request passes here: only a segment with an escape is decoded.
            let decoded = segment.contains("%") ? segment.removingPercentEncoding ?? String(segment) : String(segment)
            if decoded == "." || decoded == ".." { return "has a dot segment (. or ..)" }
            if decoded.unicodeScalars.contains(where: { $0.value == 0 }) { return "contains an encoded NUL" }
        }
        if path.contains("\\") { return "contains a backslash" }
        return nil
    }
}

struct CanonicalPathMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let flaw = CanonicalPath.flaw(in: request.uri.path) {
            throw Problem.notFound("no route matches \(Echo.short(request.uri.path)): the path \(flaw); use its canonical spelling")
        }
        return try await next(request, context)
    }
}

/// Client text echoed in an answer is cut short, so that no error answer grows with what was sent.
enum Echo {
    static let maxCharacters = 200

    static func short(_ text: some StringProtocol) -> String {
        text.count <= maxCharacters ? String(text) : String(text.prefix(maxCharacters)) + "…"
    }
}
