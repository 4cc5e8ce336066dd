import Foundation
import HTTPTypes
import Hummingbird
import SalkkuCore
import SalkkuExchange
import SalkkuStore

/// The SLA compliance reports of a city, and the supplier scorecards across cities. Each handler reads its query,
/// makes one store call (one read transaction), and presents what `ComplianceReports` computes from it.
struct ComplianceController: Sendable {
    let database: AppDatabase

    func register(on router: Router<AppRequestContext>) {
        router.get("/v1/cities/{cityId}/sla-compliance", use: compliance)
        router.get("/v1/cities/{cityId}/sla-compliance/trend", use: trend)
        router.get("/v1/cities/{cityId}/sla-breaches", use: breaches)
        router.get("/v1/cities/{cityId}/sla-missing-reports", use: missingReports)
        router.get("/v1/supplier-scorecards", use: scorecards)
        router.get("/v1/suppliers/{supplierId}/scorecard", use: scorecard)
    }

    struct ReportParameters {
        var range: MonthRange
        var clocks: Clocks
        var date: LocalDate { clocks.on }
        var groupBy: ComplianceGroupBy
        var filters: ComplianceFilters
    }

    private func reportParameters(_ request: Request) throws -> ReportParameters {
        var query = QueryReader(request)
        let range = query.monthRange()
        let clocks = query.clocks(database)
        var groupBy = ComplianceGroupBy.none
        if let text = query.string("groupBy") {
            if let value = ComplianceGroupBy(rawValue: text) { groupBy = value }
            else { query.fail("groupBy", "must be one of: \(ComplianceGroupBy.allowedValues)") }
        }
        let supplierId = query.naming("supplierId"), contractId = query.naming("contractId"), serviceId = query.naming("serviceId")
        try query.finish()
        return ReportParameters(range: range!, clocks: clocks, groupBy: groupBy,
                                filters: ComplianceFilters(supplierId: supplierId, contractId: contractId, serviceId: serviceId))
    }

    /// The city's roll-up or trend input, read at the request's record time.
    private func reportInput(_ parameters: ReportParameters, _ context: AppRequestContext, byMonth: Bool) throws -> ComplianceReportInput {
        let past = try parameters.clocks.database(database)
        let cityId = try context.parameters.require("cityId")
        guard let input = try past.complianceReportInput(cityId: cityId, on: parameters.date, filters: parameters.filters,
                                                         range: parameters.range, dueBy: parameters.clocks.dueBy, byMonth: byMonth) else {
            throw Problem.notFound("no city has id \(cityId)")
        }
        return input
    }

    struct ComplianceBody: Encodable {
        var cityId: String
        var from: YearMonth
        var to: YearMonth
        var on: LocalDate
        var asOf: Timestamp
        var groupBy: ComplianceGroupBy
        var groups: [GroupTally]
        var totals: ComplianceTally
    }

    @Sendable func compliance(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = try reportParameters(request)
        let input = try reportInput(parameters, context, byMonth: false)
        let rollUp = ComplianceReports.rollUp(input, by: parameters.groupBy)
        return try .json(ComplianceBody(
            cityId: input.slas.city.id, from: parameters.range.from, to: parameters.range.to, on: parameters.date,
            asOf: parameters.clocks.recordedAt, groupBy: parameters.groupBy, groups: rollUp.groups, totals: rollUp.totals))
    }

    struct TrendBody: Encodable {
        var cityId: String
        var from: YearMonth
        var to: YearMonth
        var on: LocalDate
        var asOf: Timestamp
        var groupBy: ComplianceGroupBy
        var periods: [ComplianceTrendPeriod]
    }

    /// The same numbers month by month; a quarter counts in the month it ends.
    @Sendable func trend(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = try reportParameters(request)
        let input = try reportInput(parameters, context, byMonth: true)
        return try .json(TrendBody(cityId: input.slas.city.id, from: parameters.range.from, to: parameters.range.to,
                                   on: parameters.date, asOf: parameters.clocks.recordedAt, groupBy: parameters.groupBy,
                                   periods: ComplianceReports.trend(input, by: parameters.groupBy)))
    }

    // MARK: Breaches

    /// A page's position from a cursor this API issued for the same request.
    private static func breachPosition(_ cursor: String, fingerprint: String) throws -> BreachPosition {
        let last = try PageCursor.lastId(from: cursor, fingerprint: fingerprint).get()
        let parts = last.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let month = Int(parts[0]) else { throw Problem.invalidParameter("cursor", "is not a cursor this API issued") }
        return BreachPosition(lastMonth: month, slaId: String(parts[1]))
    }

    @Sendable func breaches(_ request: Request, context: AppRequestContext) async throws -> Response {
        var query = QueryReader(request)
        let range = query.monthRange()
        let clocks = query.clocks(database)
        let supplierId = query.naming("supplierId"), contractId = query.naming("contractId")
        let disputed = query.bool("disputed")
        let limit = query.integer("limit", in: 1...1000, default: 50)
        let cursor = query.string("cursor")
        let dialect = query.dialect()
        try query.finish()
        let past = try clocks.database(database)
        let cityId = try context.parameters.require("cityId")
        // CSV has every breach, whatever the limit and cursor.
        let wantsCSV = AcceptHeader.preferred(request.headers[.accept], among: [MediaType.json, "text/csv"]) == "text/csv"
        let fingerprint = PageCursor.fingerprint(path: request.uri.path, filters: clocks.cursorBinding + [
            ("from", range!.from.description), ("to", range!.to.description),
            ("supplierId", supplierId ?? ""), ("contractId", contractId ?? ""), ("disputed", disputed.map { "\($0)" } ?? ""),
        ])
        // An unknown city is told before a bad cursor: with one, no breaches are read.
        var after: BreachPosition?
        var cursorProblem: (any Error)?
        if !wantsCSV, let cursor {
            do { after = try Self.breachPosition(cursor, fingerprint: fingerprint) } catch { cursorProblem = error }
        }
        guard let input = try past.breachReportInput(
            cityId: cityId, on: clocks.on, filters: ComplianceFilters(supplierId: supplierId, contractId: contractId), range: range!,
            disputed: disputed, after: after, limit: wantsCSV ? nil : cursorProblem == nil ? limit + 1 : 0) else {
            throw Problem.notFound("no city has id \(cityId)")
        }
        if let cursorProblem { throw cursorProblem }

        if wantsCSV {
            let body = ResponseBody { writer in
                try await writer.write(ByteBuffer(string: dialect.byteOrderMark + CSV.line(BreachLine.csvHeader, dialect: dialect)))
                for start in stride(from: 0, to: input.rows.count, by: 1000) {
                    let rows = input.rows[start..<min(start + 1000, input.rows.count)]
                    try await writer.write(ByteBuffer(string: ComplianceReports.breaches(rows, of: input).map { CSV.line($0.csvFields, dialect: dialect) }.joined()))
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8; header=present",
                                                   .contentDisposition: "attachment; filename=\"sla-breaches.csv\""], body: body)
        }

        let page = Array(input.rows.prefix(limit))
        let next = input.rows.count > limit ? page.last.map {
            PageCursor.make(lastId: "\($0.position.lastMonth):\($0.position.slaId)", fingerprint: fingerprint)
        } : nil
        return try .list(ListBody(items: ComplianceReports.breaches(page, of: input), nextCursor: next), request: request)
    }

    // MARK: Missing reports

    struct MissingBody: Encodable {
        var cityId: String
        var from: YearMonth
        var to: YearMonth
        var on: LocalDate
        var asOf: Timestamp
        var items: [MissingReport]
        var bySupplier: [MissingReportsOfSupplier]
    }

    @Sendable func missingReports(_ request: Request, context: AppRequestContext) async throws -> Response {
        var query = QueryReader(request)
        let range = query.monthRange()
        let clocks = query.clocks(database)
        let supplierId = query.naming("supplierId")
        try query.finish()
        let past = try clocks.database(database)
        let cityId = try context.parameters.require("cityId")
        guard let input = try past.missingReportsInput(cityId: cityId, on: clocks.on, filters: ComplianceFilters(supplierId: supplierId),
                                                       range: range!, dueBy: clocks.dueBy) else {
            throw Problem.notFound("no city has id \(cityId)")
        }
        let missing = ComplianceReports.missingReports(input)
        return try .json(MissingBody(cityId: input.slas.city.id, from: range!.from, to: range!.to, on: clocks.on, asOf: clocks.recordedAt,
                                     items: missing.items, bySupplier: missing.bySupplier))
    }

    // MARK: Supplier scorecards

    /// The range, the clocks, and the whole database as its records stood then.
    private func rangeAndClocks(_ request: Request) throws -> (MonthRange, Clocks, AppDatabase) {
        var query = QueryReader(request)
        let range = query.monthRange()
        let clocks = query.clocks(database)
        try query.finish()
        return (range!, clocks, try clocks.database(database))
    }

    struct ScorecardsBody: Encodable {
        var from: YearMonth
        var to: YearMonth
        var on: LocalDate
        var asOf: Timestamp
        var items: [ScorecardLine]
    }

    @Sendable func scorecards(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (range, clocks, past) = try rangeAndClocks(request)
        let input = try past.scorecardsInput(on: clocks.on, range: range, dueBy: clocks.dueBy)
        return try .json(ScorecardsBody(from: range.from, to: range.to, on: clocks.on, asOf: clocks.recordedAt,
                                        items: ComplianceReports.scorecards(input)))
    }

    struct ScorecardBody: Encodable {
        var from: YearMonth
        var to: YearMonth
        var on: LocalDate
        var asOf: Timestamp
        var scorecard: ScorecardLine
        var cities: [ScorecardCityLine]
    }

    @Sendable func scorecard(_ request: Request, context: AppRequestContext) async throws -> Response {
        let supplierId = try context.parameters.require("supplierId")
        let (range, clocks, past) = try rangeAndClocks(request)
        guard let input = try past.supplierScorecardInput(supplierId: supplierId, on: clocks.on, range: range, dueBy: clocks.dueBy) else {
            throw Problem.notFound("no supplier had id \(supplierId)\(clocks.recordTimePhrase)")
        }
        let scorecard = ComplianceReports.scorecard(input)
        // The totals cover every city; the breakdown only the cities in the caller's scope.
        return try .json(ScorecardBody(from: range.from, to: range.to, on: clocks.on, asOf: clocks.recordedAt,
                                       scorecard: scorecard.scorecard,
                                       cities: scorecard.cities.filter { context.scope.covers(cityId: $0.city.id) }))
    }
}

extension BreachLine {
    static let csvHeader = ["period", "slaId", "slaName", "metric", "contractId", "contractTitle", "supplierId",
                            "supplierName", "serviceId", "serviceName", "comparator", "target", "value", "unit",
                            "shortfall", "creditCents", "source", "evidence", "reportedAt", "disputeStatus", "disputeNote"]

    var csvFields: [String] {
        [period.description, sla.id, sla.name, metric.rawValue, contract.id, contract.name, supplier.id, supplier.name,
         service.id, service.name, comparator.rawValue, target.description, value.description, unit.rawValue,
         shortfall.description, String(creditCents), source.rawValue, evidence ?? "", reportedAt.description,
         dispute?.status.rawValue ?? "", dispute?.note ?? ""]
    }
}
