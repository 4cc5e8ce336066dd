import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SalkkuStore
import Testing

@testable import SalkkuAPI

/// The operator's metrics: each test's application has a registry of its own.
@Suite struct MetricsTests {
    /// Runs requests against the API with `metrics` as its registry.
    func run(_ app: TestApp, metrics: ServerMetrics, token: String? = TestApp.adminSecret, rateLimits: RateLimits = .init(),
             _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let application = buildApplication(database: app.database, configuration: .init(rateLimits: rateLimits, metrics: metrics))
        try await application.test(.router) { client in try await body(AuthorizedClient(client: client, token: token)) }
    }

    /// The value of every sample line, by its name and labels as written.
    static func samples(_ metrics: ServerMetrics) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in metrics.registry.emitToString().split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    @Test func aRequestIsCountedByItsRouteTemplateAndStatus() async throws {
        let app = try TestApp(demo: true)
        let metrics = ServerMetrics()
        try await run(app, metrics: metrics) { client async throws in
            let cityId = try await client.send(.get, "/v1/cities").json()["items"]!.array[0]["id"]!.string!
            #expect(try await client.send(.get, "/v1/cities/\(cityId)").status == .ok)
            #expect(try await client.send(.get, "/v1/cities/\(cityId)").status == .ok)
            #expect(try await client.send(.get, "/v1/cities/no-such-city").status == .notFound)

            let samples = Self.samples(metrics)
            #expect(samples[#"salkku_http_requests_total{method="GET",route="/v1/cities",status="200"}"#] == 1)
            #expect(samples[#"salkku_http_requests_total{method="GET",route="/v1/cities/{cityId}",status="200"}"#] == 2)
            #expect(samples[#"salkku_http_requests_total{method="GET",route="/v1/cities/{cityId}",status="404"}"#] == 1)
            #expect(samples[#"salkku_http_request_duration_seconds_count{method="GET",route="/v1/cities/{cityId}",status="200"}"#] == 2)
            let text = metrics.registry.emitToString()
            #expect(!text.contains(cityId) && !text.contains("no-such-city"))
        }
    }

    @Test func unmatchedPathsAndInventedMethodsShareOneSeries() async throws {
        let app = try TestApp()
        let metrics = ServerMetrics()
        try await run(app, metrics: metrics) { client async throws in
            for path in ["/nothing-here", "/v1/nothing-here", "/v1/cities/x/y/z", "/metrics"] {
                #expect(try await client.send(.get, path).status == .notFound, "\(path)")
            }
            #expect(try await client.send(HTTPRequest.Method("BREW")!, "/v1/cities").status.code >= 400)
        }
        let samples = Self.samples(metrics)
        #expect(samples[#"salkku_http_requests_total{method="GET",route="unmatched",status="404"}"#] == 4)
        #expect(samples.keys.contains { $0.contains(#"method="other""#) })
        let text = metrics.registry.emitToString()
        #expect(!text.contains("nothing-here") && !text.contains("BREW") && !text.contains("/x/y"))
    }

    @Test func databaseReadsAndWritesAreTimed() async throws {
        let app = try TestApp()
        let metrics = ServerMetrics()
        try await run(app, metrics: metrics) { client async throws in
            _ = try await client.send(.get, "/v1/cities")
            _ = try await client.create("/v1/tokens", #"{"name": "metrics", "role": "integration"}"#)
        }
        let samples = Self.samples(metrics)
        #expect(samples[#"salkku_database_transaction_duration_seconds_count{operation="read"}"#] ?? 0 >= 1)
        #expect(samples[#"salkku_database_transaction_duration_seconds_count{operation="write"}"#] ?? 0 >= 1)
    }

    @Test func rateLimitRefusalsAreCountedByLimit() async throws {
        let app = try TestApp()
        let metrics = ServerMetrics()
        let limits = RateLimits(tokenRequestsPerSecond: 0.001, tokenBurst: 1, failedAuthenticationsPerMinute: 0.001, failedAuthenticationBurst: 1)
        try await run(app, metrics: metrics, rateLimits: limits) { client async throws in
            #expect(try await client.send(.get, "/v1/cities").status == .ok)
            #expect(try await client.send(.get, "/v1/cities").status == .tooManyRequests)
            let wrong: HTTPFields = [.authorization: "Bearer wrong"]
            #expect(try await client.send(.get, "/v1/cities", headers: wrong).status == .unauthorized)
            #expect(try await client.send(.get, "/v1/cities", headers: wrong).status == .tooManyRequests)
            #expect(try await client.send(.get, "/v1/cities", headers: wrong).status == .tooManyRequests)
        }
        let samples = Self.samples(metrics)
        #expect(samples[#"salkku_rate_limit_refusals_total{limit="token_rate"}"#] == 1)
        #expect(samples[#"salkku_rate_limit_refusals_total{limit="failed_authentication"}"#] == 2)
        #expect(samples[#"salkku_http_requests_total{method="GET",route="/v1/cities",status="429"}"#] == 3)
    }

    @Test func busyRefusalsAreCountedByWork() {
        let metrics = ServerMetrics()
        let executors = WorkExecutors(WorkLimits(concurrentReports: 1, concurrentExports: 1), metrics: metrics)
        #expect(executors.takeReportSlot() && !executors.takeReportSlot())
        #expect(executors.takeExportSlot() && !executors.takeExportSlot() && !executors.takeExportSlot())
        let samples = Self.samples(metrics)
        #expect(samples[#"salkku_busy_refusals_total{work="reports"}"#] == 1)
        #expect(samples[#"salkku_busy_refusals_total{work="exports"}"#] == 2)
        #expect(samples[#"salkku_busy_refusals_total{work="imports"}"#] == 0)
    }

    @Test func aChangeFeedWaitIsCountedWhileItIsOpen() async throws {
        let app = try TestApp()
        let metrics = ServerMetrics()
        let waiters = #"salkku_change_feed_waiters"#
        try await run(app, metrics: metrics) { client async throws in
            let cursor = try #require(try await client.send(.get, "/v1/changes?limit=1000").json()["nextCursor"]?.int)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let feed = try await client.send(.get, "/v1/changes?after=\(cursor)&wait=60").json()
                    #expect(!feed["items"]!.array.isEmpty)
                }
                // The wait has begun once the gauge says so; then a change ends it.
                var polls = 0
                while Self.samples(metrics)[waiters] != 1, polls < 3000 {
                    polls += 1
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(polls < 3000, "the open wait was never counted")
                _ = try await client.create("/v1/suppliers", #"{"name": "Odottaja Oy", "businessId": "0112038-9", "kind": "commercial"}"#)
                try await group.waitForAll()
            }
        }
        #expect(Self.samples(metrics)[waiters] == 0)
    }

    @Test func theListenerServesPrometheusTextAndTheAuditLogLength() async throws {
        let app = try TestApp(demo: true)
        let metrics = ServerMetrics()
        try await run(app, metrics: metrics) { client async throws in _ = try await client.send(.get, "/v1/cities") }
        let listener = buildMetricsApplication(metrics: metrics, database: app.database)
        try await listener.test(.router) { client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let text = String(buffer: response.body)
            let name = #"[a-zA-Z_:][a-zA-Z0-9_:]*"#
            let labels = #"\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\}"#
            let sample = try Regex("^\(name)(?:\(labels))? (?:[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?|NaN|[-+]Inf)$")
            let comment = try Regex("^# (?:HELP \(name) .*|TYPE \(name) (?:counter|gauge|histogram|summary|untyped))$")
            let lines = text.split(separator: "\n")
            #expect(lines.count > 20)
            for line in lines {
                #expect(line.wholeMatch(of: sample) != nil || line.wholeMatch(of: comment) != nil, "\(line)")
            }
            #expect(text.contains("# TYPE salkku_http_request_duration_seconds histogram"))
            let entries = try await app.database.reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM change") }
            #expect(entries ?? 0 > 100)
            #expect(Self.samples(metrics)["salkku_audit_log_entries"] == Double(entries ?? 0))
            #expect(try await client.execute(uri: "/v1/cities", method: .get).status == .notFound)
        }
    }
}
