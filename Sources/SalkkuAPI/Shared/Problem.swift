import Foundation
import HTTPTypes
import Hummingbird
import SalkkuCore
import SalkkuJSON
import SalkkuStore

/// An RFC 9457 problem: every error the API answers with is one of these.
public struct Problem: Error, Sendable, Encodable {
    public var status: HTTPResponse.Status
    public var type: String
    public var title: String
    public var detail: String
    public var errors: [FieldError]?
    /// How many field errors were found; `errors` lists at most the first 100.
    public var errorCount: Int?
    public var line: Int?
    public var column: Int?
    /// Extra response headers (`Allow`, `ETag`…); not part of the body.
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, type: String, title: String, detail: String, errors: [FieldError]? = nil) {
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        self.errors = errors
    }

    enum CodingKeys: String, CodingKey { case type, title, status, detail, instance, errors, errorCount, line, column }

    /// The occurrence: the request's id, as `X-Request-Id` answers it and the log line names it.
    static func instance(requestId: String) -> String { "urn:salkku:request:\(requestId)" }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(Int(status.code), forKey: .status)
        try container.encode(detail, forKey: .detail)
        try container.encodeIfPresent(RequestId.current.map(Self.instance(requestId:)), forKey: .instance)
        try container.encodeIfPresent(errors, forKey: .errors)
        try container.encodeIfPresent(errorCount, forKey: .errorCount)
        try container.encodeIfPresent(line, forKey: .line)
        try container.encodeIfPresent(column, forKey: .column)
    }

    /// A 422 naming the fields; at most the first 100 errors are listed (`errorCount` tells how many there were),
    /// and text the client sent is cut short, so that the answer stays small whatever the request.
    public static func validation(_ errors: [FieldError], total: Int? = nil) -> Problem {
        let listed = errors.prefix(ValidationFailure.reportedLimit).map { error in
            var short = error
            short.pointer = error.pointer.map(Echo.short)
            short.parameter = error.parameter.map(Echo.short)
            short.detail = Echo.short(error.detail)
            return short
        }
        let count = max(total ?? errors.count, errors.count)
        let names = listed.map { $0.pointer ?? $0.parameter ?? "" }
        let detail = count == 1 && !listed.isEmpty
            ? "\(names[0].isEmpty ? "the body" : names[0]) \(listed[0].detail)"
            : count > listed.count
                ? "\(count) fields are invalid; the first \(listed.count) are listed"
                : "\(count) fields are invalid: \(names.prefix(10).joined(separator: ", "))\(count > 10 ? ", …" : "")"
        var problem = Problem(.unprocessableContent, type: "/problems/validation", title: "Validation failed",
                              detail: detail, errors: listed)
        problem.errorCount = count
        return problem
    }

    public static func invalidParameter(_ name: String, _ detail: String) -> Problem {
        validation([FieldError(parameter: name, detail)])
    }

    public static func notFound(_ detail: String) -> Problem {
        Problem(.notFound, type: "/problems/not-found", title: "Not found", detail: detail)
    }

    public static func conflict(_ detail: String) -> Problem {
        Problem(.conflict, type: "/problems/conflict", title: "Conflict", detail: detail)
    }

    public static func malformed(_ error: JSONSyntaxError) -> Problem {
        var problem = Problem(.badRequest, type: "/problems/malformed-json", title: "Malformed JSON",
                              detail: "\(error.message) at line \(error.line), column \(error.column)")
        problem.line = error.line
        problem.column = error.column
        return problem
    }

    public static func preconditionFailed(currentVersion: Int) -> Problem {
        var problem = Problem(.preconditionFailed, type: "/problems/precondition-failed", title: "Precondition failed",
                              detail: "If-Match does not match the current version \(currentVersion)")
        problem.headers[.eTag] = ETag.for(version: currentVersion)
        return problem
    }

    /// A conditional write refused by `If-Match` or `If-None-Match`; the ETag names the current version, if any.
    public static func preconditionFailed(_ failure: PreconditionFailure) -> Problem {
        var problem = Problem(.preconditionFailed, type: "/problems/precondition-failed", title: "Precondition failed",
                              detail: failure.detail)
        if let version = failure.currentVersion { problem.headers[.eTag] = ETag.for(version: version) }
        return problem
    }

    public static func unsupportedMediaType(expected: String) -> Problem {
        var problem = Problem(.unsupportedMediaType, type: "/problems/unsupported-media-type", title: "Unsupported media type",
                              detail: "the body must be sent as Content-Type: \(expected)")
        // RFC 5789 §3.1: a PATCH refused for its media type names the patch formats the server takes.
        if expected == MediaType.mergePatch { problem.headers[.acceptPatch] = MediaType.mergePatch }
        return problem
    }

    public static let tooLarge = Problem(.contentTooLarge, type: "/problems/payload-too-large",
                                         title: "Payload too large", detail: "the body is larger than 1 MiB")

    public static let internalError = Problem(.internalServerError, type: "/problems/internal", title: "Internal error",
                                              detail: "the server failed to answer; the failure is logged")

    func response() -> Response {
        let body = (try? CompactJSONEncoder.encode(self)) ?? []
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

enum ETag {
    static func `for`(version: Int) -> String { "\"\(version)\"" }

    /// The versions an `If-Match` or `If-None-Match` header names; nil for `*`. `If-Match` compares strongly
    /// (RFC 9110 §13.1.1), so a weak tag `W/"1"` names no version there; `If-None-Match` compares weakly.
    static func versions(in header: String, weak: Bool = true) -> Set<Int>? {
        var versions: Set<Int> = []
        for part in header.split(separator: ",") {
            let tag = part.trimmingCharacters(in: .whitespaces)
            if tag == "*" { return nil }
            if tag.hasPrefix("W/"), !weak { continue }
            let opaque = tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag
            if opaque.count >= 2, opaque.hasPrefix("\""), opaque.hasSuffix("\""),
               let version = Int(opaque.dropFirst().dropLast()) {
                versions.insert(version)
            }
        }
        return versions
    }
}
