import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

extension HTTPField.Name {
    static let xRequestId = Self("X-Request-Id")!
}

/// The id that ties a request's answer, its log line and any problem document together.
public enum RequestId {
    /// The id of the request this task answers; problem documents name it as their `instance`.
    @TaskLocal public static var current: String?

    /// An incoming id is echoed when it is short and made of characters that need no quoting anywhere it is
    /// written (logs, URIs, headers); anything else is replaced, so a client cannot inject text into the logs.
    public static func accepting(_ incoming: String?) -> String {
        if let incoming, (1...128).contains(incoming.utf8.count),
           incoming.utf8.allSatisfy({ byte in
               (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                   || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
           }) {
            return incoming
        }
        return UUID().uuidString.lowercased()
    }
}

/// What later middleware learns about a request that the log line, written by an earlier one, reports.
public final class RequestNote: Sendable {
    private let token = Mutex<String?>(nil)
    private let headers = Mutex<HTTPFields>([:])

    /// Fields every answer to the request carries, error answers included (`RateLimit`, `RateLimit-Policy`).
    var responseHeaders: HTTPFields { headers.withLock { $0 } }

    func addHeaders(_ fields: HTTPFields) {
        headers.withLock { $0.append(contentsOf: fields) }
    }

    public var tokenId: String? {
        get { token.withLock { $0 } }
        set { token.withLock { $0 = newValue } }
    }
}

/// Gives every request an id (a well-formed incoming `X-Request-Id`, else a new one), answers it in
/// `X-Request-Id` and puts it in the request's log metadata; and adds the fields that inner middleware noted
/// for every answer, which an error thrown past them would otherwise lose.
struct RequestIdMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = RequestId.accepting(request.headers[.xRequestId])
        var context = context
        context.logger[metadataKey: "requestId"] = .string(id)
        // Hummingbird's own counter would be a second, different request id in every line.
        context.logger[metadataKey: "hb.request.id"] = nil
        var response = try await RequestId.$current.withValue(id) { try await next(request, context) }
        response.headers[.xRequestId] = id
        for field in context.note.responseHeaders where response.headers[field.name] == nil {
            response.headers.append(field)
        }
        return response
    }
}

/// One log line per request: method, path with query, status, duration, request id and the token's id
/// (never its secret).
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let millis = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let target = String(request.uri.description.prefix(2048))
        let method = HeadRequest.isAnswered ? "HEAD" : request.method.rawValue
        var metadata: Logger.Metadata = [
            "method": .string(method), "path": .string(target),
            "status": .stringConvertible(Int(response.status.code)), "durationMs": .string(String(format: "%.1f", millis)),
        ]
        if let tokenId = context.note.tokenId { metadata["tokenId"] = .string(tokenId) }
        context.logger.info("\(method) \(target) \(response.status.code) \(String(format: "%.1f", millis))ms", metadata: metadata)
        return response
    }
}

/// How `serve` writes its log: `text` lines for people, `json` objects one per line for log collectors.
public enum LogFormat: String, Sendable, CaseIterable {
    case text, json
}

/// Writes log records to standard output in the chosen format, one record per line.
public struct SalkkuLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let format: LogFormat
    let write: @Sendable (String) -> Void
    /// Members the text line already carries in its message.
    static let inTextMessage: Set<String> = ["method", "path", "status", "durationMs"]
    private static let output = Mutex<Void>(())

    /// - Parameter write: where each line goes (without its newline); standard output by default.
    public init(label: String, format: LogFormat, write: (@Sendable (String) -> Void)? = nil) {
        self.label = label
        self.format = format
        self.write = write ?? { line in
            Self.output.withLock { _ in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let timestamp = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
        let line: String
        switch format {
        case .json:
            var object: [String: Any] = ["timestamp": timestamp, "level": event.level.rawValue, "message": "\(event.message)", "logger": label]
            for (key, value) in merged { object[key] = Self.jsonValue(value) }
            if let status = merged["status"].flatMap({ Int("\($0)") }) { object["status"] = status }
            if let duration = merged["durationMs"].flatMap({ Double("\($0)") }) { object["durationMs"] = duration }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            line = String(decoding: data, as: UTF8.self)
        case .text:
            let extras = merged.filter { !Self.inTextMessage.contains($0.key) }.sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            line = "\(timestamp) \(event.level) \(label): \(event.message)\(extras.isEmpty ? "" : " " + extras)"
        }
        write(line)
    }

    static func jsonValue(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let convertible): return "\(convertible)"
        case .array(let values): return values.map(jsonValue)
        case .dictionary(let values): return values.mapValues(jsonValue)
        }
    }
}
