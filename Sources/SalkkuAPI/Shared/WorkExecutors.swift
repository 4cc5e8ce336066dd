import Foundation
import HTTPTypes
import Hummingbird
import Prometheus
import SalkkuStore
import Synchronization

/// A task executor over threads of its own. Handlers read SQLite synchronously; on Swift's cooperative pool
/// (one thread per core) a few slow reads would hold every thread, and `/healthz` and cheap reads would wait
/// behind them. Requests run here instead, so the cooperative pool stays free for the server itself.
final class ThreadPoolExecutor: TaskExecutor, Sendable {
    private let threads: WorkerThreads

    init(threads count: Int) {
        threads = WorkerThreads(count: count)
    }

    func enqueue(_ job: UnownedJob) {
        // The executor outlives every job it is given: a task prefers it only while it is referenced.
        let executor = asUnownedTaskExecutor()
        threads.run { job.runSynchronously(on: executor) }
    }
}

/// How requests share the machine: the open routes on the server's own threads, every other request on the
/// request pool, and the expensive all-city reports on a pool of their own, a few at a time (503 beyond).
public struct WorkLimits: Sendable {
    /// Threads that run ordinary requests.
    public var requestThreads: Int
    /// All-city reports (scorecards, benchmark) that may run at once; beyond it 503 with Retry-After.
    public var concurrentReports: Int
    /// Exports that may be open at once, each holding a snapshot of the database; beyond it 503 with Retry-After.
    public var concurrentExports: Int
    /// How long an export waits for a client that takes nothing before it gives up and ends its read.
    public var exportStallLimit: Duration

    public init(requestThreads: Int = 8, concurrentReports: Int = 2, concurrentExports: Int = 4, exportStallLimit: Duration = .seconds(30)) {
        self.requestThreads = requestThreads
        self.concurrentReports = concurrentReports
        self.concurrentExports = concurrentExports
        self.exportStallLimit = exportStallLimit
    }
}

final class WorkExecutors: Sendable {
    let requests: ThreadPoolExecutor
    let reports: ThreadPoolExecutor
    let reportSlots: Places
    let imports: ThreadPoolExecutor
    let importSlots: Places
    /// The threads that read and encode exports, a batch at a time: fewer than the cores, so that however many
    /// exports run, the other requests keep a core.
    let exports: WorkerThreads
    let exportSlots: Places
    let limits: WorkLimits
    /// Where refusals for want of a place are counted.
    let metrics: ServerMetrics?

    /// The routes that read every city, or the whole change log; what they cost grows with the country, not
    /// with the request.
    static let reportTemplates: Set<String> = [
        "/v1/supplier-scorecards", "/v1/suppliers/{supplierId}/scorecard", "/v1/benchmark", "/v1/audit-log/verify",
    ]

    /// Imports of tens of thousands of rows hold a thread (and the database's writer) for seconds: they run on
    /// threads of their own with places of their own, apart from the reports.
    static let importTemplates: Set<String> = ["/v1/cities/{cityId}/imports/{type}", "/v1/imports/suppliers"]
    /// Imports write in one transaction each, one after another; a second waits its turn, a third is told to retry.
    static let concurrentImports = 2

    /// Answered from memory, so that a liveness probe never waits behind the database.
    static let inMemoryTemplates: Set<String> = ["/healthz", "/openapi.yaml"]

    init(_ limits: WorkLimits, metrics: ServerMetrics? = nil) {
        self.limits = limits
        self.metrics = metrics
        requests = ThreadPoolExecutor(threads: max(1, limits.requestThreads))
        reports = ThreadPoolExecutor(threads: max(1, limits.concurrentReports))
        reportSlots = Places(max(1, limits.concurrentReports))
        imports = ThreadPoolExecutor(threads: Self.concurrentImports)
        importSlots = Places(Self.concurrentImports)
        exports = WorkerThreads(count: max(1, min(limits.concurrentExports, ProcessInfo.processInfo.activeProcessorCount - 1)))
        exportSlots = Places(max(1, limits.concurrentExports))
    }

    func takeReportSlot() -> Bool { counted(reportSlots.take(), metrics?.busyReports) }

    func returnReportSlot() { reportSlots.giveBack() }

    func takeImportSlot() -> Bool { counted(importSlots.take(), metrics?.busyImports) }

    func returnImportSlot() { importSlots.giveBack() }

    func takeExportSlot() -> Bool { counted(exportSlots.take(), metrics?.busyExports) }

    func returnExportSlot() { exportSlots.giveBack() }

    private func counted(_ taken: Bool, _ refusals: Prometheus.Counter?) -> Bool {
        if !taken { refusals?.increment() }
        return taken
    }
}

/// A number of places, taken and given back: how many reports, imports or exports may run at once.
final class Places: Sendable {
    private let free: Mutex<Int>

    init(_ count: Int) { free = Mutex(count) }

    /// The places not taken now.
    var available: Int { free.withLock { $0 } }

    func take() -> Bool {
        free.withLock { free in
            guard free > 0 else { return false }
            free -= 1
            return true
        }
    }

    func giveBack() { free.withLock { $0 += 1 } }
}

/// Moves every request that may touch the database off the cooperative pool, before authentication reads the
/// token table. `/readyz` is among them: when the readers are all busy it waits for one.
struct RequestExecutorMiddleware<Context: RequestContext>: RouterMiddleware {
    let executors: WorkExecutors
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let template = context.endpointPath, WorkExecutors.inMemoryTemplates.contains(template) {
            return try await next(request, context)
        }
        return try await withTaskExecutorPreference(executors.requests) { try await next(request, context) }
    }
}

/// Runs the all-city reports of authenticated callers on their own pool, a few at a time: beyond the limit the
/// caller gets 503 with Retry-After at once instead of a place in a queue that would grow without bound.
struct ReportLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let executors: WorkExecutors

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let template = context.endpointPath else { return try await next(request, context) }
        if WorkExecutors.importTemplates.contains(template) {
            guard executors.takeImportSlot() else {
                var problem = Problem(.serviceUnavailable, type: "/problems/busy", title: "Busy",
                                      detail: "\(WorkExecutors.concurrentImports) imports are already running; retry in a few seconds")
                problem.headers[.retryAfter] = "5"
                throw problem
            }
            defer { executors.returnImportSlot() }
            return try await withTaskExecutorPreference(executors.imports) { try await next(request, context) }
        }
        guard WorkExecutors.reportTemplates.contains(template) else { return try await next(request, context) }
        guard executors.takeReportSlot() else {
            var problem = Problem(.serviceUnavailable, type: "/problems/busy", title: "Busy",
                                  detail: "\(executors.limits.concurrentReports) all-city reports are already running; retry in a second")
            problem.headers[.retryAfter] = "1"
            throw problem
        }
        defer { executors.returnReportSlot() }
        return try await withTaskExecutorPreference(executors.reports) { try await next(request, context) }
    }
}
