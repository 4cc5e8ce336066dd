import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SalkkuCore
import SalkkuExchange
import SalkkuJSON
import SalkkuStore
import ServiceLifecycle
import Synchronization

/// Whole-portfolio exports as NDJSON: one city's records, or every city of an admin's scope, from one snapshot
/// of the database, streamed a batch at a time. The `Salkku-Change-Seq` header names the change-log position
/// of the snapshot, so that an integration continues with `GET /v1/changes?after=<n>`.
struct ExportController: Sendable {
    let database: AppDatabase
    let executors: WorkExecutors

    static let mediaType = "application/x-ndjson"
    static let changeSeqHeader = HTTPField.Name("Salkku-Change-Seq")!

    func register(on router: Router<AppRequestContext>) {
        router.get("/v1/cities/{cityId}/export", use: exportCity)
        router.get("/v1/export", use: exportAll)
    }

    @Sendable func exportCity(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try context.parameters.require("cityId")
        if Self.wantsCSV(request) { return try csv(request, cityId: cityId) }
        let asOf = try Self.recordTime(request, database)
        return try ndjson(.city(cityId), asOf: asOf, context: context)
    }

    /// Every city the admin's token covers, in id order; each supplier once, with the first city that needs it.
    @Sendable func exportAll(_ request: Request, context: AppRequestContext) async throws -> Response {
        if Self.wantsCSV(request) {
            throw Problem(.notAcceptable, type: "/problems/not-acceptable", title: "Not acceptable",
                          detail: "the export of every city is NDJSON only; ask each city's export for CSV")
        }
        let asOf = try Self.recordTime(request, database)
        return try ndjson(.cities(context.scope.cityIds), asOf: asOf, context: context)
    }

    /// `Accept` prefers `text/csv` to NDJSON: by quality, then the more specific range, then the one named first.
    static func wantsCSV(_ request: Request) -> Bool {
        AcceptHeader.preferred(request.headers[.accept], among: [mediaType, "text/csv"]) == "text/csv"
    }

    /// One type of the city's records as CSV in the columns its import takes (`type` required), from one read
    /// transaction at the record time asked for. One city's records of one type are bounded (the national data set's
    /// largest city has some 12 000 measurements), so the file is made before it is sent.
    func csv(_ request: Request, cityId: String) throws -> Response {
        var query = QueryReader(request)
        let recordTime = query.recordTime(now: database.clock()).recordTime
        let dialect = query.dialect()
        let typeName = query.string("type")
        let format = typeName.flatMap(ExchangeFormat.named)
        if typeName == nil {
            query.fail("type", "is required with Accept: text/csv: one of \(ExchangeFormat.all.map(\.name).joined(separator: ", "))")
        } else if format == nil {
            query.fail("type", "must be one of: \(ExchangeFormat.all.map(\.name).joined(separator: ", "))")
        }
        try query.finish()
        let past = try recordTime.map { try database.asOf($0) } ?? database
        var chunks: [ByteBuffer] = []
        var changeSeq: Int64 = 0
        try past.readTogether {
            guard try past.exists(CityFields.self, id: cityId) else { throw Problem.notFound("no city has id \(cityId)") }
            // In the same read as the rows, so that the position is the one they show (as the NDJSON export names it).
            changeSeq = try past.lastChangeSeq(atOrBefore: recordTime)
            try CSVExport.write(format!, cityId: cityId, dialect: dialect, from: past) { chunks.append(ByteBuffer(string: $0)) }
        }
        let body = chunks
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8; header=present",
                                               .contentDisposition: "attachment; filename=\"\(format!.name).csv\"",
                                               Self.changeSeqHeader: String(changeSeq)],
                        body: ResponseBody { writer in
                            for chunk in body { try await writer.write(chunk) }
                            try await writer.finish(nil)
                        })
    }

    /// `asOf`, the only parameter; anything else is refused.
    static func recordTime(_ request: Request, _ database: AppDatabase) throws -> Timestamp? {
        var query = QueryReader(request)
        let recordTime = query.recordTime(now: database.clock()).recordTime
        try query.finish()
        return recordTime
    }

    /// Opens the export (404 for an unknown city, 503 when as many exports as allowed are open) and answers
    /// with its position in the header and its records streamed as NDJSON.
    func ndjson(_ scope: ExportScope, asOf: Timestamp?, context: AppRequestContext) throws -> Response {
        let lease = try ExportLease.open(scope, asOf: asOf, database: database, executors: executors)
        let threads = executors.exports, stallLimit = executors.limits.exportStallLimit, logger = context.logger
        return Response(
            status: .ok,
            headers: [.contentType: Self.mediaType, Self.changeSeqHeader: String(lease.reader.changeSeq)],
            body: ResponseBody { writer in
                do {
                    try await Self.writeNDJSON(lease, to: writer, threads: threads, stallLimit: stallLimit)
                } catch {
                    // The status is sent: the client sees the body end without its last chunk.
                    logger.warning("export ended early: \(String(describing: error))")
                    throw error
                }
            })
    }

    /// Writes an export as NDJSON, one line per record, `{"type":"<resourceType>","resource":{…}}`, in the reader's
    /// order, and ends the export. The store reads and encodes a batch at a time on the export threads, never on
    /// a request's or the server's; the writing waits for the client. A client that takes nothing for `stallLimit`
    /// is cut off, and one that goes away ends the export at its next write: either way the snapshot is closed.
    static func writeNDJSON(_ lease: ExportLease, to writer: any ResponseBodyWriter, threads: WorkerThreads,
                            stallLimit: Duration) async throws {
        defer { lease.end() }
        let output = WriterBox(writer)
        let progress = Progress()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while let lines = try await nextBatch(lease.reader, on: threads) {
                    // A server shutting down does not wait for a long export: the client sees it cut short and exports again.
                    if Task.isShuttingDownGracefully { throw ExportInterrupted() }
                    progress.touch()
                    try await output.writer.write(ndjsonLines(lines))
                    progress.touch()
                }
                try await output.finish()
            }
            group.addTask {
                let tick = min(stallLimit / 4, .seconds(1))
                while true {
                    try await Task.sleep(for: tick)
                    if progress.idle > stallLimit { throw ExportStalled(limit: stallLimit) }
                }
            }
            // The first to end decides: the writing done (or failed), or the client stalled.
            _ = try await group.next()
            group.cancelAll()
        }
    }

    /// The next batch of records, read on the export threads.
    static func nextBatch(_ reader: ExportReader, on threads: WorkerThreads) async throws -> [ExportLine]? {
        try await withCheckedThrowingContinuation { continuation in
            threads.run { continuation.resume(with: Result { try reader.next() }) }
        }
    }

    /// The lines of a batch: each record's change-log state as written, inside an object whose `type` comes first,
    /// so that a reader knows the kind before it parses the record.
    static func ndjsonLines(_ lines: [ExportLine]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(lines.reduce(0) { $0 + $1.resource.count + 40 })
        for line in lines {
            buffer.writeBytes(linePrefix(line.resourceType))
            buffer.writeBytes(line.resource)
            buffer.writeBytes(lineEnd)
        }
        return buffer
    }

    /// `{"type":"contract","resource":` for each kind, the type written by the one JSON writer.
    static let linePrefixes: [String: [UInt8]] = Dictionary(uniqueKeysWithValues: ResourceRegistry.portfolio.map { kind in
        (kind.resourceType, Array(#"{"type":"#.utf8) + ((try? CompactJSONEncoder.encode(kind.resourceType)) ?? []) + Array(#","resource":"#.utf8))
    })

    static func linePrefix(_ type: String) -> [UInt8] {
        linePrefixes[type] ?? Array(#"{"type":"#.utf8) + ((try? CompactJSONEncoder.encode(type)) ?? []) + Array(#","resource":"#.utf8)
    }

    static let lineEnd = Array("}\n".utf8)
}

/// An open export's hold on its slot and its snapshot, let go when the export ends however it ends: written,
/// failed, the client gone, or the response dropped before its body was written.
final class ExportLease: Sendable {
    let reader: ExportReader
    private let executors: WorkExecutors
    private let ended = Mutex(false)

    private init(reader: ExportReader, executors: WorkExecutors) {
        self.reader = reader
        self.executors = executors
    }

    static func open(_ scope: ExportScope, asOf: Timestamp?, database: AppDatabase, executors: WorkExecutors) throws -> ExportLease {
        guard executors.takeExportSlot() else {
            var problem = Problem(.serviceUnavailable, type: "/problems/busy", title: "Busy",
                                  detail: "\(executors.limits.concurrentExports) exports are already running; retry in a few seconds")
            problem.headers[.retryAfter] = "5"
            throw problem
        }
        do {
            return ExportLease(reader: try database.openExport(scope, asOf: asOf), executors: executors)
        } catch {
            executors.returnExportSlot()
            throw error
        }
    }

    func end() {
        guard ended.withLock({ ended in
            defer { ended = true }
            return !ended
        }) else { return }
        reader.close()
        executors.returnExportSlot()
    }

    deinit { end() }
}

/// The response's body writer, shared by the task that writes with the one that watches it. Only one task uses it
/// at a time: the writing task, then (once it has returned) nobody.
private final class WriterBox: @unchecked Sendable {
    var writer: any ResponseBodyWriter

    init(_ writer: any ResponseBodyWriter) { self.writer = writer }

    func finish() async throws {
        let writer = self.writer
        try await writer.finish(nil)
    }
}

/// When an export last moved: a batch read or written.
private final class Progress: Sendable {
    private let last = Mutex(ContinuousClock.now)

    func touch() { last.withLock { $0 = .now } }

    var idle: Duration { .now - last.withLock { $0 } }
}

struct ExportInterrupted: Error, CustomStringConvertible {
    var description: String { "the server is shutting down" }
}

struct ExportStalled: Error, CustomStringConvertible {
    let limit: Duration
    var description: String { "the client took nothing for \(limit)" }
}
