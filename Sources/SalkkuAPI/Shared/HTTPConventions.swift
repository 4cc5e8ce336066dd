import CompressNIO
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SalkkuSpec

/// Answers `HEAD` on every `GET` route: the request is answered as a `GET` and the body left out, with the
/// headers (`Content-Length` included) the `GET` would carry.
struct HeadAsGetResponder<Inner: HTTPResponder>: HTTPResponder {
    typealias Context = Inner.Context
    let inner: Inner

    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .head else { return try await inner.respond(to: request, context: context) }
        var asGet = request.head
        asGet.method = .get
        let head = Request(head: asGet, body: request.body)
        let response = try await HeadRequest.$isAnswered.withValue(true) { try await inner.respond(to: head, context: context) }
        // The body is run to its end, so that whatever it holds (an export's place, a snapshot) is let go as after a GET.
        let counter = ByteCounter()
        try await response.body.write(counter)
        var headers = response.headers
        if headers[.contentLength] == nil, response.status != .notModified, response.status != .noContent {
            headers[.contentLength] = String(counter.total)
        }
        return Response(status: response.status, headers: headers, body: ResponseBody())
    }
}

enum HeadRequest {
    /// Whether the request being answered came as `HEAD`; the log line names the method the client used.
    @TaskLocal static var isAnswered = false
}

/// Counts the bytes a body writes and drops them.
final class ByteCounter: ResponseBodyWriter, @unchecked Sendable {
    private(set) var total = 0
    func write(_ buffer: ByteBuffer) async throws { total += buffer.readableBytes }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

/// Collects a body of known length into one buffer.
final class BodyCollector: ResponseBodyWriter, @unchecked Sendable {
    private(set) var buffer: ByteBuffer
    init() { buffer = ByteBuffer() }
    func write(_ part: ByteBuffer) async throws {
        // A body held in one buffer (nearly all) is taken as it is, without a copy.
        if buffer.readableBytes == 0 {
            buffer = part
            return
        }
        var part = part
        buffer.writeBuffer(&part)
    }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}

    static func collect(_ body: ResponseBody) async throws -> ByteBuffer {
        let collector = BodyCollector()
        try await body.write(collector)
        return collector.buffer
    }
}

enum WeakETag {
    /// A weak validator of the bytes of an answer: the same answer has the same tag, across restarts too.
    static func of(_ buffer: ByteBuffer) -> String {
        let digest = buffer.withUnsafeReadableBytes { SHA256.hash(data: $0) }
        return "W/\"" + digest.prefix(12).map { String(format: "%02x", $0) }.joined() + "\""
    }

    /// `If-None-Match` compares weakly (RFC 9110 §13.1.2): `W/"x"` and `"x"` name the same tag.
    static func matches(_ header: String, _ tag: String) -> Bool {
        let opaque = { (text: Substring) in text.hasPrefix("W/") ? text.dropFirst(2) : text }
        let wanted = opaque(Substring(tag))
        return header.split(separator: ",").contains { part in
            let candidate = part.trimmingCharacters(in: .whitespaces)
            return candidate == "*" || opaque(Substring(candidate)) == wanted
        }
    }
}

/// Lists, reports and other answers without a version of their own carry a weak ETag of their bytes, and a
/// `GET` whose `If-None-Match` names it is answered 304 without a body: a poller pays only for what changed.
struct ConditionalGetMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Larger answers are streamed or rare; they are not held to be hashed.
    static var largestTagged: Int { 32 << 20 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        guard request.method == .get, response.status == .ok else { return response }
        if let existing = response.headers[.eTag] {
            guard let header = request.headers[.ifNoneMatch], WeakETag.matches(header, existing) else { return response }
            return Self.notModified(response, tag: existing)
        }
        guard let length = response.body.contentLength, length <= Self.largestTagged,
              response.headers[.contentEncoding] == nil else { return response }
        let bytes = try await BodyCollector.collect(response.body)
        let tag = WeakETag.of(bytes)
        if let header = request.headers[.ifNoneMatch], WeakETag.matches(header, tag) {
            return Self.notModified(response, tag: tag)
        }
        var headers = response.headers
        headers[.eTag] = tag
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: bytes))
    }

    static func notModified(_ response: Response, tag: String) -> Response {
        var headers: HTTPFields = [.eTag: tag]
        for name in [HTTPField.Name.vary, .cacheControl, .link] {
            headers[values: name] = response.headers[values: name]
        }
        // A 304 carries the Vary its 200 would (RFC 9110 §15.4.5), and the compression outside adds that 200's
        // Accept-Encoding only to answers with a body.
        if let type = response.headers[.contentType], CompressionMiddleware<Context>.isCompressible(type),
           (response.body.contentLength ?? Int.max) >= CompressionMiddleware<Context>.smallest {
            headers[values: .vary].append("Accept-Encoding")
        }
        return Response(status: .notModified, headers: headers, body: ResponseBody())
    }
}

/// Compresses answers of about a kilobyte and more with gzip when the client accepts it: JSON pages shrink
/// twentyfold. Streamed answers (exports, feeds) are compressed as they are written, each write flushed, so a
/// reader still gets every record when it is sent.
struct CompressionMiddleware<Context: RequestContext>: RouterMiddleware {
    static var smallest: Int { 1024 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard response.status != .noContent, response.status != .notModified, response.headers[.contentEncoding] == nil,
              let type = response.headers[.contentType], Self.isCompressible(type) else {
            return response
        }
        if let length = response.body.contentLength, length < Self.smallest { return response }
        // The answer depends on Accept-Encoding whether or not this client takes gzip: a shared cache must not
        // hand an uncompressed copy's key to a client that asked for gzip, or the reverse.
        response.headers[values: .vary].append("Accept-Encoding")
        guard Self.acceptsGzip(request.headers[values: .acceptEncoding]) else { return response }
        var headers = response.headers
        headers[.contentEncoding] = "gzip"
        headers[.contentLength] = nil
        if response.body.contentLength != nil {
            var bytes = try await BodyCollector.collect(response.body)
            let compressed = try Self.gzip(&bytes)
            return Response(status: response.status, headers: headers, body: ResponseBody(byteBuffer: compressed))
        }
        let body = response.body
        return Response(status: response.status, headers: headers, body: ResponseBody { writer in
            let compressor = CompressionAlgorithm.gzip(configuration: Self.configuration).compressor
            try compressor.startStream()
            defer { try? compressor.finishStream() }
            let streaming = GzipStreamWriter(parent: writer, compressor: compressor)
            try await body.write(streaming)
        })
    }

    /// A middle level: most of the size saved at a fraction of the default level's time.
    static var configuration: ZlibConfiguration { ZlibConfiguration(compressionLevel: 4) }

    static func gzip(_ bytes: inout ByteBuffer) throws -> ByteBuffer {
        let compressor = CompressionAlgorithm.gzip(configuration: configuration).compressor
        try compressor.startStream()
        defer { try? compressor.finishStream() }
        var output = ByteBuffer()
        output.reserveCapacity(compressor.maxSize(from: bytes))
        try compressor.streamDeflate(from: &bytes, to: &output, flush: .finish)
        return output
    }

    /// `gzip` or `*` with a non-zero quality, as RFC 9110 §12.5.3 reads `Accept-Encoding`.
    static func acceptsGzip(_ values: [String]) -> Bool {
        var gzip: Double?, any: Double?
        for item in values.flatMap({ $0.split(separator: ",") }) {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = parts.first else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if coding == "gzip" || coding == "x-gzip" { gzip = quality } else if coding == "*" { any = quality }
        }
        return (gzip ?? any ?? 0) > 0
    }

    static func isCompressible(_ contentType: String) -> Bool {
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return type.hasPrefix("text/") || type.hasSuffix("json") || type.hasSuffix("+json") || type == "application/x-ndjson"
            || type == "application/yaml"
    }
}

/// Compresses each write of a streamed body and passes it on.
final class GzipStreamWriter: ResponseBodyWriter, @unchecked Sendable {
    var parent: (any ResponseBodyWriter)?
    let compressor: any NIOCompressor

    init(parent: any ResponseBodyWriter, compressor: any NIOCompressor) {
        self.parent = parent
        self.compressor = compressor
    }

    func write(_ buffer: ByteBuffer) async throws {
        guard buffer.readableBytes > 0 else { return }
        var input = buffer
        let output = try input.compressStream(with: compressor, flush: .sync)
        try await parent?.write(output)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {
        var empty = ByteBuffer()
        var last = ByteBuffer()
        last.reserveCapacity(64)
        try compressor.streamDeflate(from: &empty, to: &last, flush: .finish)
        guard var parent else { return }
        self.parent = nil
        try await parent.write(last)
        try await parent.finish(trailingHeaders)
    }
}

/// The media types each operation answers with on success, as the contract lists them; an `Accept` that
/// names none of them is 406 before any work is done.
struct ProducedMediaTypes: Sendable {
    /// "GET /v1/cities" → ["application/json"]
    let byOperation: [String: [String]]

    /// Read from the contract's lines: two-space indentation, paths at level one, operations at level two,
    /// status codes at level four and media types at level six; a success answer given as
    /// `$ref: "#/components/responses/…"` takes the media types of that shared answer.
    static let fromSpec: ProducedMediaTypes = parse(OpenAPISpec.yaml)

    /// Plain string matching, not `Regex`: the contract has some ten thousand lines, and regex literals matched
    /// line by line made the server's start-up take seconds.
    static func parse(_ yaml: String) -> ProducedMediaTypes {
        var table: [String: [String]] = [:]
        var sharedAnswers: [String: [String]] = [:], referenced: [String: [String]] = [:]
        var section = "", inSharedAnswers = false, sharedAnswer: String?
        var path: String?, operation: String?, inSuccess = false
        let methods: Set<Substring> = ["get", "put", "post", "patch", "delete"]
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty { section = String(line) }
            if section == "components:" {
                if let key = YAMLLine.bareKey(line, indent: 2), key.allSatisfy(\.isASCIILetter) {
                    inSharedAnswers = key == "responses"
                    sharedAnswer = nil
                } else if inSharedAnswers, let key = YAMLLine.bareKey(line, indent: 4), key.allSatisfy(YAMLLine.isNameCharacter) {
                    sharedAnswer = String(key)
                } else if inSharedAnswers, let sharedAnswer, let key = YAMLLine.bareKey(line, indent: 8), YAMLLine.isMediaType(key) {
                    sharedAnswers[sharedAnswer, default: []].append(String(key))
                }
                continue
            }
            guard section == "paths:" else { continue }
            if let key = YAMLLine.bareKey(line, indent: 2), key.hasPrefix("/") {
                path = String(key)
                operation = nil
            } else if let key = YAMLLine.bareKey(line, indent: 4), methods.contains(key), let path {
                operation = "\(key.uppercased()) \(path)"
                inSuccess = false
            } else if let status = YAMLLine.statusKey(line, indent: 8) {
                inSuccess = status.hasPrefix("2")
                if inSuccess, let operation, let ref = YAMLLine.sharedResponseRef(in: line) {
                    referenced[operation, default: []].append(String(ref))
                }
            } else if inSuccess, let operation, YAMLLine.indent(of: line) == 10,
                      line.dropFirst(10).hasPrefix(YAMLLine.refPrefix), let ref = YAMLLine.sharedResponseRef(in: line) {
                referenced[operation, default: []].append(String(ref))
            } else if inSuccess, let operation, let key = YAMLLine.bareKey(line, indent: 12), YAMLLine.isMediaType(key) {
                table[operation, default: []].append(String(key))
            }
        }
        for (operation, names) in referenced {
            table[operation, default: []].append(contentsOf: names.flatMap { sharedAnswers[$0] ?? [] })
        }
        return ProducedMediaTypes(byOperation: table.filter { !$0.value.isEmpty })
    }
}

/// The few shapes of line `ProducedMediaTypes` reads from the contract.
enum YAMLLine {
    static let refPrefix = "$ref: \"#/components/responses/"

    static func indent(of line: Substring) -> Int { line.prefix { $0 == " " }.count }

    /// The key of a line `key:` with nothing but spaces after the colon, at exactly `indent` spaces.
    static func bareKey(_ line: Substring, indent: Int) -> Substring? {
        guard self.indent(of: line) == indent else { return nil }
        var rest = line.dropFirst(indent)
        while rest.last == " " || rest.last == "\t" { rest = rest.dropLast() }
        guard rest.last == ":" else { return nil }
        let key = rest.dropLast()
        return key.isEmpty || key.contains(":") ? nil : key
    }

    /// The status code of a response line (`"200":` or `200:` and anything after) at exactly `indent` spaces.
    static func statusKey(_ line: Substring, indent: Int) -> Substring? {
        guard self.indent(of: line) == indent else { return nil }
        var rest = line.dropFirst(indent)
        if rest.first == "\"" { rest = rest.dropFirst() }
        let digits = rest.prefix(3)
        guard digits.count == 3, digits.allSatisfy(\.isASCIIDigit) else { return nil }
        rest = rest.dropFirst(3)
        if rest.first == "\"" { rest = rest.dropFirst() }
        return rest.first == ":" ? digits : nil
    }

    /// The name in `$ref: "#/components/responses/Name"` anywhere in the line.
    static func sharedResponseRef(in line: Substring) -> Substring? {
        guard let start = line.firstRange(of: refPrefix)?.upperBound else { return nil }
        let name = line[start...].prefix(while: isNameCharacter)
        let after = line[start...].dropFirst(name.count)
        return !name.isEmpty && after.first == "\"" ? name : nil
    }

    static func isNameCharacter(_ character: Character) -> Bool {
        character.isASCIILetter || character.isASCIIDigit || character == "_" || character == "." || character == "-"
    }

    /// `type/subtype`: lower-case letters, then letters, digits, `.`, `+` or `-`.
    static func isMediaType(_ key: Substring) -> Bool {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        return parts[0].allSatisfy { $0.isASCII && $0.isLowercase }
            && parts[1].allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "." || $0 == "+" || $0 == "-" }
    }
}

extension Character {
    var isASCIILetter: Bool { isASCII && isLetter }
    var isASCIIDigit: Bool { isASCII && isNumber }
}

/// The `Accept` header read as RFC 9110 §12.5.1 says: each media type gets the quality of the most specific
/// range that matches it (`type/subtype`, then `type/*`, then `*/*`), 0 when none does.
enum AcceptHeader {
    typealias Range = (type: String, quality: Double)

    static func ranges(_ accept: String) -> [Range] {
        accept.split(separator: ",").map { range in
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            // A quality that does not parse as 0...1 (NaN, -1, 7) is held to the nearest bound, NaN to 0.
            return (parts.first ?? "", quality.isNaN ? 0 : min(max(quality, 0), 1))
        }
    }

    /// The quality of the most specific range matching `mediaType`, and how specific it is (2 exact, 1 `type/*`, 0 `*/*`).
    static func preference(for mediaType: String, in ranges: [Range]) -> (quality: Double, specificity: Int) {
        let mediaType = mediaType.lowercased()
        let family = mediaType.split(separator: "/").first.map { "\($0)/*" } ?? ""
        for (specificity, candidate) in [(2, mediaType), (1, family), (0, "*/*")] {
            if let quality = ranges.filter({ $0.type == candidate }).map(\.quality).max() { return (quality, specificity) }
        }
        return (0, -1)
    }

    /// Whether `accept` takes one of `types`; an empty header takes anything.
    static func accepts(_ accept: String, oneOf types: [String]) -> Bool {
        let ranges = ranges(accept).filter { !$0.type.isEmpty }
        return ranges.isEmpty || types.contains { preference(for: $0, in: ranges).quality > 0 }
    }

    /// Which of `types` (the operation's default first) `accept` prefers: the highest quality, then the type named
    /// more specifically (`application/json, */*` is a program's JSON), then the one the header names first
    /// (`text/csv, application/x-ndjson` is CSV), then the default.
    static func preferred(_ accept: String?, among types: [String]) -> String {
        guard let first = types.first else { return "" }
        guard let accept else { return first }
        let ranges = ranges(accept)
        let position = { (type: String) in ranges.firstIndex { $0.type == type.lowercased() } ?? ranges.count }
        var best = (type: first, preference: preference(for: first, in: ranges))
        for type in types.dropFirst() {
            let candidate = preference(for: type, in: ranges)
            let (quality, specificity) = (best.preference.quality, best.preference.specificity)
            if candidate.quality > quality
                || (candidate.quality == quality && candidate.quality > 0
                    && (candidate.specificity > specificity
                        || (candidate.specificity == 2 && specificity == 2 && position(type) < position(best.type)))) {
                best = (type, candidate)
            }
        }
        return best.type
    }

    /// Whether `Accept` prefers JSON to HTML; a tie (no header, `*/*`) is HTML, for a browser.
    static func prefersJSON(_ accept: String?) -> Bool {
        preferred(accept, among: ["text/html", MediaType.json]) == MediaType.json
    }
}

/// 406 for an `Accept` that the matched operation cannot answer.
struct AcceptMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let produced: ProducedMediaTypes

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let accept = request.headers[.accept], let template = context.endpointPath,
              let types = produced.byOperation["\(request.method.rawValue) \(template)"], !types.isEmpty,
              !AcceptHeader.accepts(accept, oneOf: types) else {
            return try await next(request, context)
        }
        throw Problem(.notAcceptable, type: "/problems/not-acceptable", title: "Not acceptable",
                      detail: "\(request.method.rawValue) \(template) answers \(types.joined(separator: " or ")); Accept names none of them")
    }
}

/// The allow-list of browser origins that may call the API (`--cors-origin`); none by default.
enum CORSOrigins {
    /// `scheme://host[:port]` in its serialised form, or nil for anything else (a path, a wildcard, `null`).
    static func origin(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty, url.user == nil, url.query == nil, url.fragment == nil,
              url.path.isEmpty || url.path == "/" else { return nil }
        // Browsers send an origin with its scheme's default port left out and an IPv6 host in brackets.
        let defaultPort = scheme == "https" ? 443 : 80
        let port = url.port.flatMap { $0 == defaultPort ? nil : ":\($0)" } ?? ""
        let bareHost = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let shownHost = bareHost.contains(":") ? "[\(bareHost.lowercased())]" : bareHost.lowercased()
        return "\(scheme)://\(shownHost)\(port)"
    }

    /// The fields beyond the CORS-safelisted ones that a browser client needs.
    static let exposed = ["ETag", "Link", "Location", "Retry-After", "RateLimit", "RateLimit-Policy", "X-Request-Id",
                          "Salkku-Change-Seq", "Accept-Patch", "Allow"]

    static func middleware(_ origins: [String]) -> CORSMiddleware<AppRequestContext> {
        CORSMiddleware(
            allowOrigin: .originBased,
            allowHeaders: [.accept, .acceptEncoding, .authorization, .contentType, .ifMatch, .ifNoneMatch, .xRequestId],
            allowMethods: [.get, .head, .post, .put, .patch, .delete, .options],
            exposedHeaders: exposed,
            maxAge: .seconds(600))
    }
}

/// Hummingbird's CORS middleware for the origins on the allow-list; a request from any other origin passes as
/// if CORS were off (no `Access-Control-*` headers, and a preflight is answered as any `OPTIONS` is).
struct AllowListedCORSMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let origins: Set<String>
    let cors: CORSMiddleware<AppRequestContext>

    init(origins: [String]) {
        self.origins = Set(origins)
        cors = CORSOrigins.middleware(origins)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], origins.contains(origin.lowercased()) else {
            // The answer to an allowed origin differs (it carries Access-Control-Allow-Origin), so a cache must
            // not serve this one to it.
            var response = try await next(request, context)
            response.headers[values: .vary].append("Origin")
            return response
        }
        var response = try await cors.handle(request, context: context, next: next)
        // Hummingbird names the exposed fields only on the preflight; browsers read them from the answer itself.
        if request.method != .options, response.headers[.accessControlExposeHeaders] == nil {
            response.headers[.accessControlExposeHeaders] = CORSOrigins.exposed.joined(separator: ", ")
        }
        return response
    }
}

extension HTTPField.Name {
    static let link = Self("Link")!
    static let acceptPatch = Self("Accept-Patch")!
}
