import Hummingbird

/// Counts every request and its duration by method, route template and status. It is the outermost middleware, so
/// it sees the status each error was answered with. The route is the template the router matched, never the path:
/// a series per path would let any client grow the registry without bound.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    /// The change feed's long polls are counted while they are open.
    static var changeFeedTemplate: String { "/v1/changes" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        // The router has matched the route before its middleware runs.
        let route = context.endpointPath
        let waits = route == Self.changeFeedTemplate && (request.uri.queryParameters["wait"].flatMap { Int($0) } ?? 0) > 0
        if waits { metrics.changeFeedWaiters.increment() }
        defer { if waits { metrics.changeFeedWaiters.decrement() } }
        do {
            let response = try await next(request, context)
            record(request, route: route, status: Int(response.status.code), since: start)
            return response
        } catch {
            record(request, route: route, status: Int((error as? any HTTPResponseError)?.status.code ?? 500), since: start)
            throw error
        }
    }

    private func record(_ request: Request, route: String?, status: Int, since start: ContinuousClock.Instant) {
        let series = metrics.requests(method: request.method, route: route, status: status)
        series.count.increment()
        series.duration.record(start.duration(to: .now))
    }
}
