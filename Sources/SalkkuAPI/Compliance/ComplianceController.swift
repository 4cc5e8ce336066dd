import Foundation
import HTTPTypes
import Hummingbird
import SalkkuCore
import SalkkuStore

/// The SLA compliance reports of a city, and the supplier scorecards across cities.
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

    /// A city's SLAs on the evaluation date, narrowed by the report filters, with the names reports show.
    struct CitySLAs {
        var city: Resource<CityFields>
        var entries: [SLAEntry]
        var suppliers: [String: Resource<SupplierFields>]
        var services: [String: Resource<ServiceFields>]

        func key(_ entry: SLAEntry, by groupBy: ComplianceGroupBy) -> GroupKey {
            switch groupBy {
            case .none: GroupKey(type: "city", id: city.meta.id, name: city.fields.name.fi)
            case .sla: GroupKey(type: "sla", id: entry.id, name: entry.name)
            case .contract: GroupKey(type: "contract", id: entry.contractId, name: entry.contractTitle)
            case .supplier: GroupKey(type: "supplier", id: entry.supplierId, name: suppliers[entry.supplierId]?.fields.name ?? "")
            case .service: GroupKey(type: "service", id: entry.serviceId, name: services[entry.serviceId]?.fields.name ?? "")
            case .metric: GroupKey(type: "metric", id: entry.metric.rawValue, name: entry.metric.rawValue)
            }
        }
    }

    private func citySLAs(_ context: AppRequestContext, on date: LocalDate, supplierId: String? = nil,
                          contractId: String? = nil, serviceId: String? = nil) throws -> CitySLAs {
        let cityId = try context.parameters.require("cityId")
        guard let city = try database.fetch(CityFields.self, id: cityId) else { throw Problem.notFound("no city has id \(cityId)") }
        let entries = try database.slaEntries(cityId: cityId, on: date).filter { entry in
            (supplierId.map { $0 == entry.supplierId } ?? true) && (contractId.map { $0 == entry.contractId } ?? true)
                && (serviceId.map { $0 == entry.serviceId } ?? true)
        }
        return CitySLAs(city: city, entries: entries,
                        suppliers: try database.byId(SupplierFields.self, ids: Set(entries.map(\.supplierId))),
                        services: try database.byId(ServiceFields.self, ids: Set(entries.map(\.serviceId))))
    }

    /// The tally of every SLA with at least one period in scope in the range.
    private func tallies(_ slas: CitySLAs, range: MonthRange, dueBy: LocalDate) throws -> [(SLAEntry, ComplianceTally)] {
        let tallies = try database.tallies(slas.entries.map(\.scope), range: range, dueBy: dueBy)
        return slas.entries.compactMap { entry in tallies[entry.id].map { (entry, $0) } }
    }

    struct ReportParameters {
        var range: MonthRange
        var clocks: Clocks
        var date: LocalDate { clocks.on }
        var groupBy: ComplianceGroupBy
        var supplierId: String?
        var contractId: String?
        var serviceId: String?
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
        return ReportParameters(range: range!, clocks: clocks, groupBy: groupBy, supplierId: supplierId, contractId: contractId,
                                serviceId: serviceId)
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

    /// The controller over the database as its records stood at the request's record time.
    private func view(_ clocks: Clocks) throws -> ComplianceController {
        ComplianceController(database: try clocks.database(database))
    }

    @Sendable func compliance(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = try reportParameters(request)
        let view = try view(parameters.clocks)
        // One read transaction: the SLAs and their measurements from one state of the records.
        let (slas, tallies) = try view.database.readTogether {
            let slas = try view.citySLAs(context, on: parameters.date, supplierId: parameters.supplierId,
                                         contractId: parameters.contractId, serviceId: parameters.serviceId)
            return (slas, try view.tallies(slas, range: parameters.range, dueBy: parameters.clocks.dueBy))
        }
        let groups = GroupTally.grouped(tallies.map { (slas.key($0.0, by: parameters.groupBy), $0.1) })
        return try .json(ComplianceBody(
            cityId: slas.city.meta.id, from: parameters.range.from, to: parameters.range.to, on: parameters.date, asOf: parameters.clocks.recordedAt,
            groupBy: parameters.groupBy, groups: groups, totals: tallies.reduce(ComplianceTally()) { $0 + $1.1 }))
    }

    struct TrendPeriod: Encodable {
        var month: YearMonth
        var groups: [GroupTally]
        var totals: ComplianceTally
    }

    struct TrendBody: Encodable {
        var cityId: String
        var from: YearMonth
        var to: YearMonth
        var on: LocalDate
        var asOf: Timestamp
        var groupBy: ComplianceGroupBy
        var periods: [TrendPeriod]
    }

    /// The same numbers month by month; a quarter counts in the month it ends.
    @Sendable func trend(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = try reportParameters(request)
        let view = try view(parameters.clocks)
        let (slas, monthly) = try view.database.readTogether {
            let slas = try view.citySLAs(context, on: parameters.date, supplierId: parameters.supplierId,
                                         contractId: parameters.contractId, serviceId: parameters.serviceId)
            return (slas, try view.database.monthlyTallies(slas.entries.map(\.scope), range: parameters.range, dueBy: parameters.clocks.dueBy))
        }
        let periods = parameters.range.months.map { month in
            let tallies: [(GroupKey, ComplianceTally)] = slas.entries.compactMap { entry in
                monthly[month]?[entry.id].map { (slas.key(entry, by: parameters.groupBy), $0) }
            }
            return TrendPeriod(month: month, groups: GroupTally.grouped(tallies),
                               totals: tallies.reduce(ComplianceTally()) { $0 + $1.1 })
        }
        return try .json(TrendBody(cityId: slas.city.meta.id, from: parameters.range.from, to: parameters.range.to,
                                   on: parameters.date, asOf: parameters.clocks.recordedAt, groupBy: parameters.groupBy, periods: periods))
    }

    // MARK: Breaches

    struct Ref: Encodable, Sendable {
        var id: String
        var name: String
    }

    /// One breach as an auditor reads it.
    struct BreachItem: Encodable, Sendable {
        var sla: Ref
        var metric: SLAMetric
        var contract: Ref
        var supplier: Ref
        var service: Ref
        var period: MeasurementPeriod
        var comparator: SLAComparator
        var target: ExactDecimal
        var value: ExactDecimal
        var unit: MeasurementUnit
        var shortfall: ExactDecimal
        var creditCents: Int64
        var source: MeasurementSource
        var evidence: String?
        var reportedAt: Timestamp
        var dispute: Dispute?

        enum CodingKeys: String, CodingKey {
            case sla, metric, contract, supplier, service, period, comparator, target, value, unit, shortfall, creditCents
            case source, evidence, reportedAt, dispute
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sla, forKey: .sla)
            try container.encode(metric, forKey: .metric)
            try container.encode(contract, forKey: .contract)
            try container.encode(supplier, forKey: .supplier)
            try container.encode(service, forKey: .service)
            try container.encode(period, forKey: .period)
            try container.encode(comparator, forKey: .comparator)
            try container.encode(target, forKey: .target)
            try container.encode(value, forKey: .value)
            try container.encode(unit, forKey: .unit)
            try container.encode(shortfall, forKey: .shortfall)
            try container.encode(creditCents, forKey: .creditCents)
            try container.encode(source, forKey: .source)
            try container.encode(evidence, forKey: .evidence)
            try container.encode(reportedAt, forKey: .reportedAt)
            try container.encode(dispute, forKey: .dispute)
        }

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

    private func breachItem(_ row: BreachRow, _ slas: CitySLAs, entries: [String: SLAEntry], credits: [String: Int64]) -> BreachItem {
        let entry = entries[row.measurement.fields.slaId]!
        let fields = row.measurement.fields
        return BreachItem(
            sla: Ref(id: entry.id, name: entry.name), metric: entry.metric,
            contract: Ref(id: entry.contractId, name: entry.contractTitle),
            supplier: Ref(id: entry.supplierId, name: slas.suppliers[entry.supplierId]?.fields.name ?? ""),
            service: Ref(id: entry.serviceId, name: slas.services[entry.serviceId]?.fields.name ?? ""),
            period: fields.period, comparator: entry.scope.comparator, target: entry.scope.target, value: fields.value,
            unit: entry.unit, shortfall: ComplianceRules.shortfall(fields.value, target: entry.scope.target),
            creditCents: credits["\(fields.slaId) \(fields.period)"] ?? entry.scope.creditPerBreachCents, source: fields.source, evidence: fields.evidence,
            reportedAt: fields.reportedAt, dispute: fields.dispute)
    }

    @Sendable func breaches(_ request: Request, context: AppRequestContext) async throws -> Response {
        var query = QueryReader(request)
        let range = query.monthRange()
        let clocks = query.clocks(database)
        let date = clocks.on
        let supplierId = query.naming("supplierId"), contractId = query.naming("contractId")
        let disputed = query.bool("disputed")
        let limit = query.integer("limit", in: 1...1000, default: 50)
        let cursor = query.string("cursor")
        try query.finish()
        let view = try view(clocks)
        let slas = try view.citySLAs(context, on: date, supplierId: supplierId, contractId: contractId)
        let scopes = slas.entries.map(\.scope)
        let entries = Dictionary(uniqueKeysWithValues: slas.entries.map { ($0.id, $0) })
        let credits = try view.database.creditsInForce(scopes, range: range!)
        let wantsCSV = request.headers[.accept].map { $0.lowercased().contains("text/csv") } ?? false

        if wantsCSV {
            let database = view.database
            let (range, slaList) = (range!, slas)
            let body = ResponseBody { writer in
                try await writer.write(ByteBuffer(string: CSV.line(BreachItem.csvHeader)))
                var position: BreachPosition?
                while true {
                    let rows = try database.breaches(scopes, range: range, disputed: disputed, after: position, limit: 1000)
                    guard !rows.isEmpty else { break }
                    var chunk = ""
                    for row in rows { chunk += CSV.line(breachItem(row, slaList, entries: entries, credits: credits).csvFields) }
                    try await writer.write(ByteBuffer(string: chunk))
                    position = rows.last!.position
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8; header=present",
                                                   .contentDisposition: "attachment; filename=\"sla-breaches.csv\""], body: body)
        }

        let fingerprint = PageCursor.fingerprint(path: request.uri.path, filters: clocks.cursorBinding + [
            ("from", range!.from.description), ("to", range!.to.description),
            ("supplierId", supplierId ?? ""), ("contractId", contractId ?? ""), ("disputed", disputed.map { "\($0)" } ?? ""),
        ])
        let after = try cursor.map { text -> BreachPosition in
            let last = try PageCursor.lastId(from: text, fingerprint: fingerprint).get()
            let parts = last.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let month = Int(parts[0]) else { throw Problem.invalidParameter("cursor", "is not a cursor this API issued") }
            return BreachPosition(lastMonth: month, slaId: String(parts[1]))
        }
        let rows = try view.database.breaches(scopes, range: range!, disputed: disputed, after: after, limit: limit + 1)
        let page = Array(rows.prefix(limit))
        let next = rows.count > limit ? page.last.map {
            PageCursor.make(lastId: "\($0.position.lastMonth):\($0.position.slaId)", fingerprint: fingerprint)
        } : nil
        return try .json(ListBody(items: page.map { breachItem($0, slas, entries: entries, credits: credits) }, nextCursor: next))
    }

    // MARK: Missing reports

    struct MissingItem: Encodable {
        var sla: Ref
        var metric: SLAMetric
        var contract: Ref
        var supplier: Ref
        var service: Ref
        var missingPeriods: [MeasurementPeriod]
    }

    struct MissingBySupplier: Encodable {
        var supplier: Ref
        var slaCount: Int
        var missingPeriods: Int
    }

    struct MissingBody: Encodable {
        var cityId: String
        var from: YearMonth
        var to: YearMonth
        var on: LocalDate
        var asOf: Timestamp
        var items: [MissingItem]
        var bySupplier: [MissingBySupplier]
    }

    @Sendable func missingReports(_ request: Request, context: AppRequestContext) async throws -> Response {
        var query = QueryReader(request)
        let range = query.monthRange()
        let clocks = query.clocks(database)
        let date = clocks.on
        let supplierId = query.naming("supplierId")
        try query.finish()
        let view = try view(clocks)
        let (slas, measured) = try view.database.readTogether {
            let slas = try view.citySLAs(context, on: date, supplierId: supplierId)
            return (slas, try view.database.measuredPeriods(slas.entries.map(\.scope), range: range!))
        }
        let items: [MissingItem] = slas.entries.compactMap { entry in
            let missing = ComplianceRules.missingPeriods(entry.scope, range: range!, measured: measured[entry.id] ?? [], on: clocks.dueBy)
            guard !missing.isEmpty else { return nil }
            return MissingItem(
                sla: Ref(id: entry.id, name: entry.name), metric: entry.metric,
                contract: Ref(id: entry.contractId, name: entry.contractTitle),
                supplier: Ref(id: entry.supplierId, name: slas.suppliers[entry.supplierId]?.fields.name ?? ""),
                service: Ref(id: entry.serviceId, name: slas.services[entry.serviceId]?.fields.name ?? ""),
                missingPeriods: missing)
        }
        .sorted { ($0.supplier.name, $0.sla.name, $0.sla.id) < ($1.supplier.name, $1.sla.name, $1.sla.id) }
        var bySupplier: [String: MissingBySupplier] = [:]
        for item in items {
            bySupplier[item.supplier.id, default: MissingBySupplier(supplier: item.supplier, slaCount: 0, missingPeriods: 0)].slaCount += 1
            bySupplier[item.supplier.id]!.missingPeriods += item.missingPeriods.count
        }
        return try .json(MissingBody(
            cityId: slas.city.meta.id, from: range!.from, to: range!.to, on: date, asOf: clocks.recordedAt, items: items,
            bySupplier: bySupplier.values.sorted { ($0.supplier.name, $0.supplier.id) < ($1.supplier.name, $1.supplier.id) }))
    }

    // MARK: Supplier scorecards

    struct ScorecardLine: Encodable {
        var supplier: SupplierRef
        var citiesServed: Int
        var tally: ComplianceTally

        enum CodingKeys: String, CodingKey { case supplier, citiesServed, measured }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(supplier, forKey: .supplier)
            try container.encode(citiesServed, forKey: .citiesServed)
            try container.encode(tally.met + tally.breached, forKey: .measured)
            try tally.encode(to: encoder)
        }
    }

    struct SupplierRef: Encodable {
        var id: String
        var name: String
        var kind: SupplierKind
    }

    struct CityLine: Encodable {
        var city: CityRef
        var tally: ComplianceTally

        enum CodingKeys: String, CodingKey { case city, measured }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(city, forKey: .city)
            try container.encode(tally.met + tally.breached, forKey: .measured)
            try tally.encode(to: encoder)
        }
    }

    struct CityRef: Encodable {
        var id: String
        var name: String
        var municipalityCode: String
    }

    /// Tallies per supplier and city over every city.
    private func supplierTallies(range: MonthRange, _ clocks: Clocks, supplierId: String? = nil)
        throws -> [String: [String: ComplianceTally]] {
        // Every city's SLAs and their measured counts in two queries: one aggregation over the country.
        var result: [String: [String: ComplianceTally]] = [:]
        let entries = try database.allSLAEntries(on: clocks.on, supplierId: supplierId)
        let tallies = try database.tallies(entries.map(\.scope), range: range, dueBy: clocks.dueBy)
        for entry in entries {
            guard let tally = tallies[entry.id] else { continue }
            result[entry.supplierId, default: [:]][entry.cityId, default: ComplianceTally()] += tally
        }
        return result
    }

    /// The range, the clocks, and the controller over the whole database as its records stood then.
    private func rangeAndClocks(_ request: Request) throws -> (MonthRange, Clocks, ComplianceController) {
        var query = QueryReader(request)
        let range = query.monthRange()
        let clocks = query.clocks(database)
        try query.finish()
        return (range!, clocks, try view(clocks))
    }

    struct ScorecardsBody: Encodable {
        var from: YearMonth
        var to: YearMonth
        var on: LocalDate
        var asOf: Timestamp
        var items: [ScorecardLine]
    }

    @Sendable func scorecards(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (range, clocks, view) = try rangeAndClocks(request)
        let date = clocks.on
        let (bySupplier, suppliers) = try view.database.readTogether {
            let bySupplier = try view.supplierTallies(range: range, clocks)
            return (bySupplier, try view.database.byId(SupplierFields.self, ids: Array(bySupplier.keys)))
        }
        let items = bySupplier.compactMap { supplierId, cities -> ScorecardLine? in
            guard let supplier = suppliers[supplierId] else { return nil }
            return ScorecardLine(supplier: SupplierRef(id: supplierId, name: supplier.fields.name, kind: supplier.fields.kind),
                                 citiesServed: cities.count, tally: cities.values.reduce(ComplianceTally(), +))
        }
        .sorted { ($0.supplier.name, $0.supplier.id) < ($1.supplier.name, $1.supplier.id) }
        return try .json(ScorecardsBody(from: range.from, to: range.to, on: date, asOf: clocks.recordedAt, items: items))
    }

    struct ScorecardBody: Encodable {
        var from: YearMonth
        var to: YearMonth
        var on: LocalDate
        var asOf: Timestamp
        var scorecard: ScorecardLine
        var cities: [CityLine]
    }

    @Sendable func scorecard(_ request: Request, context: AppRequestContext) async throws -> Response {
        let supplierId = try context.parameters.require("supplierId")
        let (range, clocks, view) = try rangeAndClocks(request)
        let date = clocks.on
        guard let supplier = try view.database.fetch(SupplierFields.self, id: supplierId) else {
            throw Problem.notFound("no supplier had id \(supplierId)\(clocks.recordTimePhrase)")
        }
        let perCity = try view.supplierTallies(range: range, clocks, supplierId: supplierId)[supplierId] ?? [:]
        let cities = try view.database.byId(CityFields.self, ids: Array(perCity.keys))
        // The totals cover every city; the breakdown only the cities in the caller's scope.
        let lines = perCity.compactMap { cityId, tally -> CityLine? in
            guard let city = cities[cityId], context.scope.covers(cityId: cityId) else { return nil }
            return CityLine(city: CityRef(id: cityId, name: city.fields.name.fi, municipalityCode: city.fields.municipalityCode),
                            tally: tally)
        }
        .sorted { ($0.city.municipalityCode, $0.city.id) < ($1.city.municipalityCode, $1.city.id) }
        return try .json(ScorecardBody(
            from: range.from, to: range.to, on: date, asOf: clocks.recordedAt,
            scorecard: ScorecardLine(supplier: SupplierRef(id: supplierId, name: supplier.fields.name, kind: supplier.fields.kind),
                                     citiesServed: perCity.count, tally: perCity.values.reduce(ComplianceTally(), +)),
            cities: lines))
    }
}
