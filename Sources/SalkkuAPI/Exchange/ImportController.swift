import Foundation
import HTTPTypes
import NIOCore
import Hummingbird
import SalkkuCore
import SalkkuExchange
import SalkkuJSON
import SalkkuStore

/// Imports of a city's register from CSV or NDJSON files, all or nothing per file, with a dry run; and the
/// templates a CIO fills in.
struct ImportController: Sendable {
    let database: AppDatabase
    static let maxRows = FileImport.maxRows
    static let maxBytes = 32 << 20

    func register(on router: Router<AppRequestContext>) {
        router.post("/v1/cities/{cityId}/imports/{type}", use: importCityFile)
        router.post("/v1/imports/suppliers", use: importSuppliers)
        router.get("/v1/import-templates/{type}.csv", use: template)
    }

    @Sendable func importCityFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let type = try context.parameters.require("type")
        guard let format = ExchangeFormat.named(type) else {
            throw Problem.notFound("no import type \(type); the types are \(ExchangeFormat.all.map(\.name).joined(separator: ", "))")
        }
        guard format.name != ExchangeFormat.suppliers.name else {
            throw Problem.notFound("suppliers are shared by every city: import them with POST /v1/imports/suppliers")
        }
        let cityId = try database.requireCity(context)
        return try await run(request, context: context, format: format, cityId: cityId)
    }

    @Sendable func importSuppliers(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await run(request, context: context, format: .suppliers, cityId: nil)
    }

    private func run(_ request: Request, context: AppRequestContext, format: ExchangeFormat, cityId: String?) async throws -> Response {
        var query = QueryReader(request)
        let dryRun = query.bool("dryRun") ?? false
        try query.finish()
        var request = request
        let (kind, bytes) = try await Self.file(&request)
        let report = try FileImport(database: database, format: format, cityId: cityId, actor: context.actor, scope: context.scope)
            .run(kind, bytes, dryRun: dryRun)
        return try ImportAnswer(report).response()
    }

    /// The body as a file: CSV or NDJSON by its Content-Type, at most 32 MiB.
    static func file(_ request: inout Request) async throws -> (FileImport.Kind, [UInt8]) {
        let declared = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        let kind: FileImport.Kind
        switch declared {
        case "text/csv": kind = .csv
        case "application/x-ndjson": kind = .ndjson
        default: throw Problem.unsupportedMediaType(expected: "text/csv or application/x-ndjson")
        }
        // Files are read as UTF-8; one declared in another encoding would be misread, so it is refused.
        let charset = request.headers[.contentType]?.split(separator: ";").dropFirst()
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .first { $0.hasPrefix("charset=") }?.dropFirst("charset=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        if let charset, charset != "utf-8", charset != "utf8" {
            throw Problem(.unsupportedMediaType, type: "/problems/unsupported-media-type", title: "Unsupported media type",
                          detail: "files are read as UTF-8, not \(Echo.short(charset)); save the file as CSV UTF-8")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes { throw tooLarge }
        do {
            let buffer = try await request.collectBody(upTo: maxBytes)
            return (kind, Array(buffer.readableBytesView))
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge
        } catch is NIOTooManyBytesError {
            throw tooLarge
        }
    }

    static let tooLarge = Problem(.contentTooLarge, type: "/problems/payload-too-large", title: "Payload too large",
                                  detail: "the file is larger than 32 MiB; split it")

    /// The header row and one example row of a type's CSV.
    @Sendable func template(_ request: Request, context: AppRequestContext) async throws -> Response {
        let type = try context.parameters.require("type")
        var query = QueryReader(request)
        let dialect = query.dialect()
        try query.finish()
        guard let format = ExchangeFormat.named(type) else {
            throw Problem.notFound("no import template \(type).csv; the types are \(ExchangeFormat.all.map(\.name).joined(separator: ", "))")
        }
        let columns = format.templateColumns
        let text = dialect.byteOrderMark + CSV.line(columns.map(\.name), dialect: dialect)
            + CSV.line(columns.map { format.example[$0.name] ?? "" }, dialect: dialect)
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8; header=present",
                                               .contentDisposition: "attachment; filename=\"\(format.name).csv\""],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// One import file of one type, from its bytes to its report: the same for the API and the `salkku import` command.
public struct FileImport: Sendable {
    public enum Kind: Sendable { case csv, ndjson }
    public static let maxRows = 50_000

    let database: AppDatabase
    let format: ExchangeFormat
    let cityId: String?
    let actor: Actor
    let scope: AccessScope

    public init(database: AppDatabase, format: ExchangeFormat, cityId: String?, actor: Actor, scope: AccessScope) {
        self.database = database
        self.format = format
        self.cityId = cityId
        self.actor = actor
        self.scope = scope
    }

    /// Reads the file and imports it (or checks it, in a dry run); more than `maxRows` rows is a validation failure.
    public func run(_ kind: Kind, _ bytes: [UInt8], dryRun: Bool) throws -> ImportReport {
        let (rows, errors): ([ImportRow], [ImportError])
        switch kind {
        case .csv:
            do {
                (rows, errors) = format.rows(of: try CSVTable.read(bytes))
            } catch {
                (rows, errors) = ([], [ImportError(row: error.row, column: error.column, value: nil, detail: error.detail)])
            }
        case .ndjson:
            (rows, errors) = format.rows(ofNDJSON: bytes)
        }
        let total = rows.count + Set(errors.map(\.row)).subtracting([1]).count
        guard total <= Self.maxRows else {
            throw ValidationFailure([FieldError(pointer: "", "must have at most \(Self.maxRows) rows, not \(total); split the file")])
        }
        return try report(rows: rows, errors: errors, dryRun: dryRun)
    }

    private func report(rows: [ImportRow], errors: [ImportError], dryRun: Bool) throws -> ImportReport {
        let today = database.today
        func run<F: ImportableResource>(_ type: F.Type, _ rules: ImportRules<F>) throws -> ImportReport {
            try database.importRows(type, format: format, rows: rows, fileErrors: errors, cityId: cityId, dryRun: dryRun, by: actor, rules: rules)
        }
        /// The API's own checks of a record, as its POST and PATCH make them, as row errors.
        func rules<F: ImportableResource>(_ type: F.Type, writeRule: WriteRule<F> = .none,
                                          read: @escaping @Sendable (JSONValue, InputErrors) -> F? = { F.read($0, errors: $1) }) -> ImportRules<F> {
            // Fact dates after today are named as the row is read, beside its other errors.
            let readByToday: @Sendable (JSONValue, InputErrors) -> F? = { value, errors in
                errors.today = today
                return read(value, errors)
            }
            return ImportRules(read: readByToday) { current, proposed in
                do {
                    try writeRule.check(scope, current, proposed)
                    try proposed.checkFactDates(today: today)
                } catch let problem as Problem {
                    // The member a refusal names is the row's column of the same name.
                    throw ImportRefusal(column: problem.errors?.first?.pointer.map { String($0.dropFirst()) }, detail: problem.detail)
                }
                return proposed.changeProblems(from: current?.fields)
            }
        }
        switch format.name {
        case ExchangeFormat.suppliers.name: return try run(SupplierFields.self, rules(SupplierFields.self, writeRule: .supplier))
        case ExchangeFormat.services.name: return try run(ServiceFields.self, rules(ServiceFields.self))
        case ExchangeFormat.contracts.name: return try run(ContractFields.self, rules(ContractFields.self))
        case ExchangeFormat.slas.name: return try run(SLAFields.self, rules(SLAFields.self))
        case ExchangeFormat.projects.name: return try run(ProjectFields.self, rules(ProjectFields.self))
        case ExchangeFormat.measurements.name:
            let now = database.clock()
            // A measurement without `reportedAt` is reported now, as the API's PUT takes it; a stored one keeps its own.
            return try run(MeasurementFields.self, rules(MeasurementFields.self) { value, errors in
                MeasurementFields.read(value, at: .root, errors: errors, context: .init(now: now, acceptsDispute: true))
            })
        case ExchangeFormat.capabilities.name: return try run(CapabilitySourcingFields.self, rules(CapabilitySourcingFields.self))
        case ExchangeFormat.assessments.name:
            // A row may name the retired method `caf` only as the stored assessment it matches (an old file
            // imported again); a new process assessment may not.
            let stored = rules(AssessmentFields.self) { AssessmentFields.read($0, errors: $1, acceptsRetiredMethod: true) }
            return try run(AssessmentFields.self, ImportRules(read: stored.read) { current, proposed in
                let retired = proposed.method == .caf && current?.fields.method != .caf
                let refusal = retired ? [FieldError(pointer: "/method", AssessmentMethod.cafRetirement)] : []
                return try refusal + stored.check(current, proposed)
            })
        default: throw Problem.notFound("no import type \(format.name)")
        }
    }

}

/// An import's answer: 200 with every row's outcome, or, when any row has an error, a 422 problem that lists them
/// with the same outcomes (nothing was stored).
struct ImportAnswer: Encodable {
    var report: ImportReport

    init(_ report: ImportReport) {
        self.report = report
    }

    enum CodingKeys: String, CodingKey { case type, title, status, detail, instance, importType, dryRun, stored, totals, rows, errors }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if !report.errors.isEmpty {
            try container.encode("/problems/import-rejected", forKey: .type)
            try container.encode("Import rejected", forKey: .title)
            try container.encode(422, forKey: .status)
            let rows = Set(report.errors.map(\.row)).count
            try container.encode("\(report.errors.count) error\(report.errors.count == 1 ? "" : "s") in \(rows) row\(rows == 1 ? "" : "s"); nothing was stored",
                                 forKey: .detail)
            try container.encodeIfPresent(RequestId.current.map(Problem.instance(requestId:)), forKey: .instance)
        }
        try container.encode(report.type, forKey: .importType)
        try container.encode(report.dryRun, forKey: .dryRun)
        try container.encode(report.stored, forKey: .stored)
        try container.encode(report.totals, forKey: .totals)
        try container.encode(report.rows, forKey: .rows)
        try container.encode(report.errors, forKey: .errors)
    }

    func response() throws -> Response {
        let failed = !report.errors.isEmpty
        return Response(status: failed ? .unprocessableContent : .ok,
                        headers: [.contentType: failed ? "application/problem+json" : MediaType.json],
                        body: .init(byteBuffer: ByteBuffer(bytes: try CompactJSONEncoder.encode(self))))
    }
}

extension QueryReader {
    /// `dialect`: `excel-fi` for what Finnish Excel opens as it is, else standard CSV.
    mutating func dialect() -> CSVDialect {
        guard let text = string("dialect") else { return .standard }
        guard let dialect = CSVDialect(rawValue: text) else {
            fail("dialect", "must be one of: \(CSVDialect.allCases.map(\.rawValue).joined(separator: ", "))")
            return .standard
        }
        return dialect
    }
}
