import Hummingbird
import Logging
import NIOCore
import SalkkuStore

/// The operator's metrics on a listener of their own (`--metrics-host`, loopback by default), never on the API's:
/// route names, refusal counts and the audit log's length are for whoever runs the server, and a listener apart
/// cannot be exposed with the public API by a proxy rule that forwards everything.
public func buildMetricsApplication(
    metrics: ServerMetrics, database: AppDatabase, host: String = "127.0.0.1", port: Int = 9464,
    logger: Logger = Logger(label: "salkku-metrics")
) -> some ApplicationProtocol {
    Application(
        router: buildMetricsRouter(metrics: metrics, database: database, logger: logger),
        server: .http1(configuration: .init(idleTimeout: .seconds(30))),
        configuration: .init(address: .hostname(host, port: port), serverName: "salkku"),
        logger: logger)
}

/// `GET /metrics` in Prometheus's text exposition format; nothing else.
public func buildMetricsRouter(metrics: ServerMetrics, database: AppDatabase,
                               logger: Logger = Logger(label: "salkku-metrics")) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    // The scrape's one database read waits for a reader like any other; on a thread of its own it cannot hold
    // Swift's cooperative pool while the API's readers are all busy.
    let scrapeThread = ThreadPoolExecutor(threads: 1)
    router.get("/metrics") { _, _ in
        // A database that does not answer leaves the last length in place; the other metrics are still worth a scrape.
        let length: Int64? = await withTaskExecutorPreference(scrapeThread) {
            do { return try database.auditLogLength() } catch {
                logger.warning("metrics: the audit log's length could not be read: \(error)")
                return nil
            }
        }
        return Response(status: .ok, headers: [.contentType: ServerMetrics.contentType],
                        body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition(auditLogLength: length))))
    }
    return router
}

extension ServerMetrics {
    /// Prometheus's text exposition format, version 0.0.4.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
