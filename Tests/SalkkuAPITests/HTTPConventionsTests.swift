import CompressNIO
import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SalkkuCore
import SalkkuDemo
import Synchronization
import Testing

@testable import SalkkuAPI

/// Log lines a test reads back.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }

    func logger(_ format: LogFormat) -> Logger {
        Logger(label: "salkku") { [self] label in SalkkuLogHandler(label: label, format: format, write: { self.append($0) }) }
    }
}

@Suite struct RequestIdTests {
    @Test func aWellFormedIncomingIdIsEchoedAndAnythingElseIsReplaced() async throws {
        let app = try TestApp()
        try await app.run { client in
            let echoed = try await client.send(.get, "/v1/cities", headers: [.xRequestId: "portal-7f3a.42"])
            #expect(echoed.headers[.xRequestId] == "portal-7f3a.42")
            for bad in ["has space", String(repeating: "a", count: 129), "new\u{0}line", "ääkkönen", ""] {
                let replaced = try await client.send(.get, "/v1/cities", headers: [.xRequestId: bad])
                let id = try #require(replaced.headers[.xRequestId])
                #expect(id != bad && UUID(uuidString: id) != nil, "\(bad.debugDescription) → \(id)")
            }
            let fresh = try await client.send(.get, "/healthz")
            #expect(fresh.headers[.xRequestId].flatMap(UUID.init(uuidString:)) != nil)
        }
    }

    @Test func everyProblemNamesItsRequestAsInstance() async throws {
        let app = try TestApp()
        try await app.run(token: nil) { client in
            let unauthorized = try await client.send(.get, "/v1/cities", headers: [.xRequestId: "abc-123"])
            #expect(unauthorized.status == .unauthorized)
            #expect(try unauthorized.json()["instance"]?.string == "urn:salkku:request:abc-123")
            let notFound = try await client.send(.get, "/nowhere")
            let id = try #require(notFound.headers[.xRequestId])
            #expect(try notFound.json()["instance"]?.string == "urn:salkku:request:\(id)")
        }
        try await app.run { client in
            // The import's own problem document, written without the problem middleware, names it too.
            let rejected = try await client.send(.post, "/v1/imports/suppliers", body: "businessId,name,kind\n123,,nope\n",
                                                 contentType: "text/csv", headers: [.xRequestId: "import-1"])
            #expect(rejected.status == .unprocessableContent)
            #expect(try rejected.json()["instance"]?.string == "urn:salkku:request:import-1")
        }
    }

    @Test func theJSONLogLineNamesRequestMethodPathStatusDurationAndTokenButNeverTheSecret() async throws {
        let app = try TestApp()
        let lines = LogLines()
        try await app.run(logger: lines.logger(.json)) { client in
            _ = try await client.send(.get, "/v1/cities?limit=2", headers: [.xRequestId: "log-check-1"])
        }
        let line = try #require(lines.all.first { $0.contains("log-check-1") })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["requestId"] as? String == "log-check-1")
        #expect(object["method"] as? String == "GET")
        #expect(object["path"] as? String == "/v1/cities?limit=2")
        #expect(object["status"] as? Int == 200)
        #expect(object["durationMs"] is Double)
        #expect(object["level"] as? String == "info")
        #expect(object["timestamp"] is String)
        let token = try await app.database.reader.read { db in try String.fetchOne(db, sql: "SELECT id FROM api_token LIMIT 1") }
        #expect(object["tokenId"] as? String == token)
        #expect(!line.contains(TestApp.adminSecret))
        #expect(object["hb.request.id"] == nil)
    }

    @Test func theTextLogLineCarriesTheRequestIdAndTokenAfterTheMessage() async throws {
        let app = try TestApp()
        let lines = LogLines()
        try await app.run(logger: lines.logger(.text)) { client in
            _ = try await client.send(.head, "/v1/cities", headers: [.xRequestId: "text-1"])
        }
        let line = try #require(lines.all.first { $0.contains("text-1") })
        #expect(line.contains("info salkku: HEAD /v1/cities 200 "))
        #expect(line.contains("requestId=text-1"))
        #expect(line.contains("tokenId="))
        #expect(!line.contains(TestApp.adminSecret))
    }
}

@Suite struct HTTPConventionsTests {
    static var helsinki: String { "/v1/cities/\(DemoCities.helsinki)" }

    @Test func headAnswersEveryGetRouteWithItsHeadersAndNoBody() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            for path in ["/v1/cities", "\(Self.helsinki)", "\(Self.helsinki)/contracts?limit=3", "/openapi.yaml", "/healthz",
                         "/v1/import-templates/contracts.csv", "\(Self.helsinki)/export"] {
                let get = try await client.send(.get, path)
                let head = try await client.send(.head, path)
                #expect(head.status == get.status, "\(path)")
                #expect(head.body.readableBytes == 0, "\(path)")
                #expect(head.headers[.contentType] == get.headers[.contentType], "\(path)")
                #expect(head.headers[.eTag] == get.headers[.eTag], "\(path)")
                if get.headers[.contentLength] != nil {
                    #expect(head.headers[.contentLength] == String(get.body.readableBytes), "\(path)")
                }
            }
            // A POST-only route does not take HEAD, and GET routes name HEAD in Allow.
            let refused = try await client.send(.head, "/v1/imports/suppliers")
            #expect(refused.status == .methodNotAllowed)
            let allow = try await client.send(.delete, "/v1/cities")
            #expect(allow.headers[.allow]?.contains("HEAD") == true)
        }
        // HEAD without a token is refused as GET is.
        try await app.run(token: nil) { client in
            let refused = try await client.send(.head, "/v1/cities")
            #expect(refused.status == .unauthorized)
        }
    }

    @Test func listsCarryAWeakETagThatAnswers304UntilTheListChanges() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            let path = "\(Self.helsinki)/services?limit=5"
            let first = try await client.send(.get, path)
            let tag = try #require(first.headers[.eTag])
            #expect(tag.hasPrefix("W/\""))
            let again = try await client.send(.get, path, headers: [.ifNoneMatch: tag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
            #expect(again.headers[.eTag] == tag)
            // The strong spelling of the same tag matches too (If-None-Match compares weakly); another does not.
            #expect(try await client.send(.get, path, headers: [.ifNoneMatch: String(tag.dropFirst(2))]).status == .notModified)
            #expect(try await client.send(.get, path, headers: [.ifNoneMatch: "W/\"other\""]).status == .ok)
            // Reports are tagged the same way; one read at a fixed record time answers the same bytes each time.
            let summary = "\(Self.helsinki)/portfolio-summary?asOf=2026-11-30T00:00:00Z"
            let report = try await client.send(.get, summary)
            let reportTag = try #require(report.headers[.eTag])
            #expect(try await client.send(.get, summary, headers: [.ifNoneMatch: reportTag]).status == .notModified)

            let firstItems = try first.json()["items"]
            guard case .array(let items)? = firstItems, let id = items.first?["id"]?.string else { Issue.record("no items"); return }
            let patched = try await client.send(.patch, "\(Self.helsinki)/services/\(id)", body: #"{"description":"Changed for the ETag test"}"#)
            #expect(patched.status == .ok)
            let changed = try await client.send(.get, path, headers: [.ifNoneMatch: tag])
            #expect(changed.status == .ok)
            #expect(changed.headers[.eTag] != tag)
        }
    }

    @Test func aPageWithMoreHasALinkToTheNextThatTheClientCanFollow() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            var path = "\(Self.helsinki)/contracts?limit=4&q=a"
            var seen: [String] = []
            var pages = 0
            while true {
                let page = try await client.send(.get, path)
                #expect(page.status == .ok, "\(path): \(page.text)")
                let body = try page.json()
                if case .array(let items)? = body["items"] { seen += items.compactMap { $0["id"]?.string } }
                pages += 1
                guard let cursor = body["nextCursor"]?.string else {
                    #expect(page.headers[.link] == nil)
                    break
                }
                let link = try #require(page.headers[.link])
                let match = try #require(link.wholeMatch(of: /<([^>]+)>; rel="next"/))
                path = String(match.1)
                #expect(path.contains("q=a") && path.contains("limit=4"))
                #expect(URLComponents(string: path)?.queryItems?.first { $0.name == "cursor" }?.value == cursor)
            }
            #expect(pages > 1)
            #expect(Set(seen).count == seen.count)
            let all = try await client.send(.get, "\(Self.helsinki)/contracts?limit=1000&q=a").json()
            guard case .array(let every)? = all["items"] else { Issue.record("no items"); return }
            #expect(every.compactMap { $0["id"]?.string } == seen)
        }
    }

    @Test func largeAnswersAreGzippedForClientsThatAcceptIt() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            let path = "\(Self.helsinki)/contracts?limit=200"
            let plain = try await client.send(.get, path)
            #expect(plain.headers[.contentEncoding] == nil)
            let zipped = try await client.send(.get, path, headers: [.acceptEncoding: "br;q=1.0, gzip;q=0.8"])
            #expect(zipped.headers[.contentEncoding] == "gzip")
            #expect(zipped.headers[.vary]?.contains("Accept-Encoding") == true)
            #expect(zipped.body.readableBytes * 5 < plain.body.readableBytes)
            var compressed = zipped.body
            let unzipped = try compressed.decompress(with: .gzip())
            #expect(String(buffer: unzipped) == plain.text)
            #expect(zipped.headers[.eTag] == plain.headers[.eTag])

            #expect(try await client.send(.get, path, headers: [.acceptEncoding: "gzip;q=0"]).headers[.contentEncoding] == nil)
            #expect(try await client.send(.get, path, headers: [.acceptEncoding: "identity"]).headers[.contentEncoding] == nil)
            // Small answers are not worth it.
            #expect(try await client.send(.get, "/healthz", headers: [.acceptEncoding: "gzip"]).headers[.contentEncoding] == nil)
            // A stream is compressed as it is written, and reads back whole.
            let export = try await client.send(.get, "\(Self.helsinki)/export")
            let zippedExport = try await client.send(.get, "\(Self.helsinki)/export", headers: [.acceptEncoding: "gzip"])
            #expect(zippedExport.headers[.contentEncoding] == "gzip")
            var exportBytes = zippedExport.body
            #expect(String(buffer: try exportBytes.decompress(with: .gzip())) == export.text)
        }
    }

    @Test func corsAnswersPreflightsOfAllowedOriginsWithoutAToken() async throws {
        let app = try TestApp(demo: true)
        try await app.run(token: nil, corsOrigins: ["https://portal.example.fi"]) { client in
            let preflight = try await client.send(.options, "\(Self.helsinki)/services", headers: [
                .origin: "https://portal.example.fi", .accessControlRequestMethod: "PATCH",
                .accessControlRequestHeaders: "authorization, content-type, if-match",
            ])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://portal.example.fi")
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("PATCH") == true)
            #expect(preflight.headers[.accessControlAllowHeaders]?.contains("if-match") == true)

            let other = try await client.send(.options, "\(Self.helsinki)/services", headers: [
                .origin: "https://evil.example.com", .accessControlRequestMethod: "GET",
            ])
            #expect(other.headers[.accessControlAllowOrigin] == nil)
            #expect(other.status != .noContent)
        }
        try await app.run(corsOrigins: ["https://portal.example.fi"]) { client in
            let read = try await client.send(.get, "/v1/cities", headers: [.origin: "https://portal.example.fi"])
            #expect(read.headers[.accessControlAllowOrigin] == "https://portal.example.fi")
            #expect(read.headers[.accessControlExposeHeaders]?.contains("X-Request-Id") == true)
            let missing = try await client.send(.get, "/v1/cities/nope", headers: [.origin: "https://portal.example.fi"])
            #expect(missing.status == .notFound)
            #expect(missing.headers[.accessControlAllowOrigin] == "https://portal.example.fi")
        }
        // Without an allow-list there is no CORS at all.
        try await app.run { client in
            let read = try await client.send(.get, "/v1/cities", headers: [.origin: "https://portal.example.fi"])
            #expect(read.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test func everyV1AnswerCarriesTheRateLimitOfItsToken() async throws {
        let app = try TestApp()
        try await app.run(rateLimits: RateLimits(tokenRequestsPerSecond: 0.001, tokenBurst: 3)) { client in
            let first = try await client.send(.get, "/v1/cities")
            #expect(first.headers[.rateLimitPolicy] == #""token";q=3;w=3000"#)
            #expect(first.headers[.rateLimit]?.hasPrefix(#""token";r=2;t="#) == true)
            let missing = try await client.send(.get, "/v1/cities/nope")
            #expect(missing.status == .notFound)
            #expect(missing.headers[.rateLimit]?.hasPrefix(#""token";r=1;"#) == true)
            _ = try await client.send(.get, "/v1/cities")
            let refused = try await client.send(.get, "/v1/cities")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.rateLimit]?.hasPrefix(#""token";r=0;"#) == true)
            #expect(refused.headers[.retryAfter] != nil)
        }
        try await app.run(token: "wrong-secret") { client in
            let refused = try await client.send(.get, "/v1/cities")
            #expect(refused.status == .unauthorized)
            #expect(refused.headers[.rateLimitPolicy]?.hasPrefix(#""failed-authentication";q=30;w=60"#) == true)
            #expect(refused.headers[.rateLimit]?.hasPrefix(#""failed-authentication";r=29;"#) == true)
        }
    }

    @Test func anAcceptThatNamesNothingTheOperationAnswersIs406() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            let html = try await client.send(.get, "/v1/cities", headers: [.accept: "text/html"])
            #expect(html.status == .notAcceptable)
            #expect(html.headers[.contentType] == "application/problem+json")
            #expect(try html.json()["detail"]?.string?.contains("application/json") == true)
            #expect(try await client.send(.get, "/v1/cities", headers: [.accept: "application/json;q=0, text/html"]).status == .notAcceptable)
            for accepted in ["*/*", "application/*", "application/json", "text/html, application/json;q=0.1", ""] {
                #expect(try await client.send(.get, "/v1/cities", headers: [.accept: accepted]).status == .ok, "\(accepted)")
            }
            // Operations that answer other types take them.
            #expect(try await client.send(.get, "/openapi.yaml", headers: [.accept: "application/yaml"]).status == .ok)
            #expect(try await client.send(.get, "/v1/import-templates/services.csv", headers: [.accept: "text/csv"]).status == .ok)
            let csv = try await client.send(.get, "\(Self.helsinki)/export?type=services", headers: [.accept: "text/csv"])
            #expect(csv.status == .ok)
            #expect(try await client.send(.get, "\(Self.helsinki)/export", headers: [.accept: "image/png"]).status == .notAcceptable)
        }
    }

    @Test func aPatchInAnotherMediaTypeIs415NamingTheOneItTakes() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            let refused = try await client.send(.patch, Self.helsinki, body: "{}", contentType: "application/json")
            #expect(refused.status == .unsupportedMediaType)
            #expect(refused.headers[.acceptPatch] == "application/merge-patch+json")
        }
    }

    @Test func theProducedMediaTypesComeFromTheSpec() {
        let table = ProducedMediaTypes.fromSpec.byOperation
        #expect(table["GET /v1/cities"] == ["application/json"])
        #expect(table["GET /openapi.yaml"] == ["application/yaml"])
        #expect(Set(table["GET /v1/cities/{cityId}/export"] ?? []) == ["application/x-ndjson", "text/csv"])
        #expect(table.count > 60)
    }
}

@Suite struct ServeSettingsTests {
    func resolve(_ flags: [ServeSetting: ConfigValue] = [:], _ environment: [String: String] = [:]) throws -> ServeSettings {
        try ServeSettings.resolve(flags: flags, environment: environment)
    }

    @Test func withNeitherFlagsNorVariablesTheDefaultsHold() throws {
        let settings = try resolve()
        #expect(settings.server.host == "127.0.0.1")
        #expect(settings.server.port == 8080)
        #expect(settings.databasePath == "./salkku.sqlite")
        #expect(!settings.demo)
        #expect(settings.logFormat == .text)
        #expect(settings.logLevel == .info)
        #expect(settings.server.rateLimits.tokenRequestsPerSecond == 200)
        #expect(settings.server.corsOrigins.isEmpty)
        #expect(settings.server.work.requestThreads == 8)
    }

    @Test func everyVariableIsRead() throws {
        let settings = try resolve([:], [
            "SALKKU_HOST": "0.0.0.0", "SALKKU_PORT": "9090", "SALKKU_DB": "/data/s.sqlite", "SALKKU_DEMO": "true",
            "SALKKU_TOKEN_RATE": "12.5", "SALKKU_TOKEN_BURST": "40", "SALKKU_FAILED_AUTH_PER_MINUTE": "5",
            "SALKKU_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.1", "SALKKU_CORS_ORIGINS": "https://Portal.Example.fi,http://localhost:3000",
            "SALKKU_LOG_FORMAT": "json", "SALKKU_LOG_LEVEL": "debug", "SALKKU_REQUEST_THREADS": "4",
            "SALKKU_CONCURRENT_REPORTS": "3", "SALKKU_CONCURRENT_EXPORTS": "5",
        ])
        #expect(settings.server.host == "0.0.0.0")
        #expect(settings.server.port == 9090)
        #expect(settings.databasePath == "/data/s.sqlite")
        #expect(settings.demo)
        #expect(settings.server.rateLimits.tokenRequestsPerSecond == 12.5)
        #expect(settings.server.rateLimits.tokenBurst == 40)
        #expect(settings.server.rateLimits.failedAuthenticationsPerMinute == 5)
        #expect(settings.server.trustedProxies.clientAddress(peer: "192.168.1.1", forwardedFor: ["203.0.113.9"]) == "203.0.113.9")
        #expect(settings.server.corsOrigins == ["https://portal.example.fi", "http://localhost:3000"])
        #expect(settings.logFormat == .json)
        #expect(settings.logLevel == .debug)
        #expect(settings.server.work.requestThreads == 4)
        #expect(settings.server.work.concurrentReports == 3)
        #expect(settings.server.work.concurrentExports == 5)
    }

    @Test func aFlagWinsOverItsVariable() throws {
        let settings = try resolve(
            [.port: ConfigValue(.int(7000), isSecret: false), .corsOrigins: ConfigValue(.stringArray(["https://a.fi"]), isSecret: false),
             .logFormat: ConfigValue(.string("text"), isSecret: false)],
            ["SALKKU_PORT": "9090", "SALKKU_CORS_ORIGINS": "https://b.fi", "SALKKU_LOG_FORMAT": "json", "SALKKU_HOST": "0.0.0.0"])
        #expect(settings.server.port == 7000)
        #expect(settings.server.corsOrigins == ["https://a.fi"])
        #expect(settings.logFormat == .text)
        #expect(settings.server.host == "0.0.0.0")
        #expect(try ServeSettings.databasePath(flag: "/x.sqlite", environment: ["SALKKU_DB": "/y.sqlite"]) == "/x.sqlite")
        #expect(try ServeSettings.databasePath(flag: nil, environment: ["SALKKU_DB": "/y.sqlite"]) == "/y.sqlite")
        // The older LOG_LEVEL still works, below SALKKU_LOG_LEVEL.
        #expect(try resolve([:], ["LOG_LEVEL": "warning"]).logLevel == .warning)
        #expect(try resolve([:], ["LOG_LEVEL": "warning", "SALKKU_LOG_LEVEL": "error"]).logLevel == .error)
    }

    @Test func anUnusableValueIsRefusedNamingWhereItCameFrom() throws {
        let cases: [([ServeSetting: ConfigValue], [String: String], String)] = [
            ([:], ["SALKKU_PORT": "abc"], "SALKKU_PORT must be a whole number from 1 to 65535"),
            ([:], ["SALKKU_PORT": "70000"], "SALKKU_PORT must be a whole number from 1 to 65535"),
            ([.port: ConfigValue(.int(0), isSecret: false)], [:], "--port must be a whole number from 1 to 65535"),
            ([:], ["SALKKU_TOKEN_RATE": "-1"], "SALKKU_TOKEN_RATE must be a number from 0.001 to 1000000"),
            ([:], ["SALKKU_TOKEN_RATE": "fast"], "SALKKU_TOKEN_RATE must be a number from 0.001 to 1000000"),
            ([:], ["SALKKU_DEMO": "maybe"], "SALKKU_DEMO must be true or false"),
            ([:], ["SALKKU_LOG_FORMAT": "xml"], "SALKKU_LOG_FORMAT must be one of: text, json"),
            ([:], ["SALKKU_LOG_LEVEL": "loud"], "SALKKU_LOG_LEVEL must be one of"),
            ([:], ["SALKKU_CORS_ORIGINS": "*"], "SALKKU_CORS_ORIGINS: * is not an origin"),
            ([:], ["SALKKU_CORS_ORIGINS": "https://a.fi/app"], "is not an origin"),
            ([:], ["SALKKU_TRUSTED_PROXIES": "10.0.0.0/33"], "SALKKU_TRUSTED_PROXIES: 10.0.0.0/33 is not an IP address or CIDR network"),
            ([:], ["SALKKU_REQUEST_THREADS": "0"], "SALKKU_REQUEST_THREADS must be a whole number from 1 to 256"),
            ([:], ["SALKKU_HOST": "  "], "SALKKU_HOST must be a non-empty text"),
        ]
        for (flags, environment, message) in cases {
            do {
                _ = try resolve(flags, environment)
                Issue.record("accepted \(environment) \(flags.keys.map(\.key))")
            } catch let error as SettingError {
                #expect(error.description.contains(message), "\(error.description)")
            }
        }
    }

    /// The benchmark and the CI harnesses lift the limits far above any real load; those values must start.
    @Test func theHarnessesLimitsAreAccepted() throws {
        let settings = try resolve([:], ["SALKKU_TOKEN_RATE": "10000000", "SALKKU_TOKEN_BURST": "10000000",
                                         "SALKKU_FAILED_AUTH_PER_MINUTE": "1000000"])
        #expect(settings.server.rateLimits.tokenRequestsPerSecond == 10_000_000)
        #expect(settings.server.rateLimits.failedAuthenticationsPerMinute == 1_000_000)
    }

    @Test func variableNamesFollowTheKeys() {
        #expect(ServeSetting.failedAuthPerMinute.variable == "SALKKU_FAILED_AUTH_PER_MINUTE")
        #expect(ServeSetting.failedAuthPerMinute.flag == "--failed-auth-per-minute")
        #expect(ServeSetting.database.variable == "SALKKU_DB")
        #expect(ServeSetting.trustedProxies.flag == "--trusted-proxy")
    }
}
