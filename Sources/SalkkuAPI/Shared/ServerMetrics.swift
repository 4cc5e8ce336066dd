import CoreMetrics
import HTTPTypes
import Prometheus
import SalkkuStore
import Synchronization

/// What the operator's metrics listener serves: requests, database transactions, refusals, change-feed waits and
/// the audit log's length, in one Prometheus registry of this application's own. Nothing goes through the
/// process-wide `MetricsSystem`, so applications side by side in one process (the tests) keep their counts apart.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    /// A request takes well under a millisecond by id and seconds for an all-city report; a read transaction tens
    /// of microseconds. The buckets span both.
    static let durationBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
    ]

    /// The methods the API knows; any other token a client sends is counted as `other`, so that clients cannot
    /// make a series per invented method.
    static let countedMethods: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .patch, .delete, .options]
    /// The route label of a request no route matched (404, 405): one series, whatever the path.
    static let unmatchedRoute = "unmatched"

    struct RequestKey: Hashable {
        var method: String
        var route: String
        var status: Int
    }

    struct RequestSeries {
        let count: Prometheus.Counter
        let duration: DurationHistogram
    }

    private let requestSeries = Mutex<[RequestKey: RequestSeries]>([:])
    let tokenRateRefusals: Prometheus.Counter
    let failedAuthenticationRefusals: Prometheus.Counter
    let busyReports: Prometheus.Counter
    let busyImports: Prometheus.Counter
    let busyExports: Prometheus.Counter
    let changeFeedWaiters: Prometheus.Gauge
    let auditLogEntries: Prometheus.Gauge
    public let database: DatabaseMetrics

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        let refusals = Self.name(
            "rate_limit_refusals", unit: "total",
            "Requests refused with 429 by a rate limit: token_rate (a token's request allowance) or failed_authentication (an address's failed authentications)")
        tokenRateRefusals = registry.makeCounter(descriptor: refusals, labels: [("limit", "token_rate")])
        failedAuthenticationRefusals = registry.makeCounter(descriptor: refusals, labels: [("limit", "failed_authentication")])
        let busy = Self.name("busy_refusals", unit: "total", "Requests refused with 503 because all places of their kind of work were taken")
        busyReports = registry.makeCounter(descriptor: busy, labels: [("work", "reports")])
        busyImports = registry.makeCounter(descriptor: busy, labels: [("work", "imports")])
        busyExports = registry.makeCounter(descriptor: busy, labels: [("work", "exports")])
        changeFeedWaiters = registry.makeGauge(descriptor: Self.name("change_feed_waiters", "Requests to the change feed with wait open now (long polls)"))
        auditLogEntries = registry.makeGauge(descriptor: Self.name("audit_log_entries", "Entries in the audit log (the change log), read at each scrape"))
        let transactions = Self.name("database_transaction_duration", unit: "seconds",
                                     "Database transactions from asking for a connection to the end, read or write")
        let factory = PrometheusMetricsFactory(registry: registry)
        func timer(_ operation: String) -> CoreMetrics.Timer {
            let labels = [("operation", operation)]
            let histogram = registry.makeDurationHistogram(descriptor: transactions, labels: labels, buckets: Self.durationBuckets)
            return CoreMetrics.Timer(label: transactions.name, dimensions: labels, handler: histogram, factory: factory)
        }
        database = DatabaseMetrics(reads: timer("read"), writes: timer("write"))
    }

    /// Every name starts `salkku_`; a unit, when there is one, ends it.
    static func name(_ base: String, unit: String = "", _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "salkku", metricName: base, unitName: unit, helpText: help)
    }

    /// The count and duration series of one method, route template and status, made the first time they are seen.
    func requests(method: HTTPRequest.Method, route: String?, status: Int) -> RequestSeries {
        let key = RequestKey(method: Self.countedMethods.contains(method) ? method.rawValue : "other",
                             route: route ?? Self.unmatchedRoute, status: status)
        return requestSeries.withLock { series in
            if let known = series[key] { return known }
            let labels = [("method", key.method), ("route", key.route), ("status", String(key.status))]
            let made = RequestSeries(
                count: registry.makeCounter(
                    descriptor: Self.name("http_requests", unit: "total",
                                          "Requests answered, by method, route template (unmatched for none) and status"),
                    labels: labels),
                duration: registry.makeDurationHistogram(
                    descriptor: Self.name("http_request_duration", unit: "seconds",
                                          "Time to the response's head, by method, route template and status; a streamed body's writing is not included"),
                    labels: labels, buckets: Self.durationBuckets))
            series[key] = made
            return made
        }
    }

    /// The registry in Prometheus's text exposition format, the audit log's length read first.
    func exposition(auditLogLength: Int64?) -> [UInt8] {
        if let auditLogLength { auditLogEntries.set(auditLogLength) }
        return registry.emitToBuffer()
    }
}
