/// One SLA of a city as the compliance reports need it: names for grouping, and its scope on a date.
public struct SLAEntry: Sendable, Equatable {
    public var id: String
    public var cityId: String
    public var name: String
    public var metric: SLAMetric
    public var unit: MeasurementUnit
    public var contractId: String
    public var contractTitle: String
    public var supplierId: String
    public var serviceId: String
    public var creditPercent: ExactDecimal
    public var scope: SLAScope

    public init(id: String, cityId: String, name: String, metric: SLAMetric, unit: MeasurementUnit, contractId: String,
                contractTitle: String, supplierId: String, serviceId: String, creditPercent: ExactDecimal, scope: SLAScope) {
        self.id = id
        self.cityId = cityId
        self.name = name
        self.metric = metric
        self.unit = unit
        self.contractId = contractId
        self.contractTitle = contractTitle
        self.supplierId = supplierId
        self.serviceId = serviceId
        self.creditPercent = creditPercent
        self.scope = scope
    }
}

/// The filters of a city's compliance reports: an SLA is in the report when it matches every one given.
public struct ComplianceFilters: Sendable, Equatable {
    public var supplierId: String?
    public var contractId: String?
    public var serviceId: String?

    public init(supplierId: String? = nil, contractId: String? = nil, serviceId: String? = nil) {
        self.supplierId = supplierId
        self.contractId = contractId
        self.serviceId = serviceId
    }

    public func admits(_ entry: SLAEntry) -> Bool {
        (supplierId.map { $0 == entry.supplierId } ?? true) && (contractId.map { $0 == entry.contractId } ?? true)
            && (serviceId.map { $0 == entry.serviceId } ?? true)
    }
}

/// A record a report names: its id and the name shown for it.
public struct ReportRef: Sendable, Equatable, Encodable {
    public var id: String
    public var name: String
}

/// A city's SLAs on the evaluation date, narrowed by a report's filters, with the names reports show for their
/// suppliers and services (a name the store did not find shows as empty).
public struct CitySLAs: Sendable, Equatable {
    /// The city's id and Finnish name.
    public var city: ReportRef
    public var entries: [SLAEntry]
    public var supplierNames: [String: String]
    public var serviceNames: [String: String]

    public func supplier(of entry: SLAEntry) -> ReportRef { ReportRef(id: entry.supplierId, name: supplierNames[entry.supplierId] ?? "") }
    public func service(of entry: SLAEntry) -> ReportRef { ReportRef(id: entry.serviceId, name: serviceNames[entry.serviceId] ?? "") }

    /// The group an SLA's tally is summed into.
    public func key(_ entry: SLAEntry, by groupBy: ComplianceGroupBy) -> GroupKey {
        switch groupBy {
        case .none: GroupKey(type: "city", id: city.id, name: city.name)
        case .sla: GroupKey(type: "sla", id: entry.id, name: entry.name)
        case .contract: GroupKey(type: "contract", id: entry.contractId, name: entry.contractTitle)
        case .supplier: GroupKey(type: "supplier", id: entry.supplierId, name: supplierNames[entry.supplierId] ?? "")
        case .service: GroupKey(type: "service", id: entry.serviceId, name: serviceNames[entry.serviceId] ?? "")
        case .metric: GroupKey(type: "metric", id: entry.metric.rawValue, name: entry.metric.rawValue)
        }
    }
}

extension CitySLAs {
    /// The city's SLAs with the suppliers and services they name, as the store read them.
    public init(city: Resource<CityFields>, entries: [SLAEntry], suppliers: [String: Resource<SupplierFields>],
                services: [String: Resource<ServiceFields>]) {
        self.init(city: ReportRef(id: city.meta.id, name: city.fields.name.fi), entries: entries,
                  supplierNames: suppliers.mapValues(\.fields.name), serviceNames: services.mapValues(\.fields.name))
    }
}

/// What a city's roll-up or trend is computed from: its SLAs and the counts a store aggregated of their
/// measurements in the range, per SLA under nil (the whole range) or, when `byMonth`, under the index of the
/// month each period ends.
public struct ComplianceReportInput: Sendable, Equatable {
    public var slas: CitySLAs
    public var range: MonthRange
    /// The date reports were due by: periods that had ended before it and were not measured are missing.
    public var dueBy: LocalDate
    public var counts: [String: [Int?: MeasuredCounts]]
    public var byMonth: Bool

    public init(slas: CitySLAs, range: MonthRange, dueBy: LocalDate, counts: [String: [Int?: MeasuredCounts]], byMonth: Bool) {
        self.slas = slas
        self.range = range
        self.dueBy = dueBy
        self.counts = counts
        self.byMonth = byMonth
    }
}

/// What a city's missing reports are found from: its SLAs and the periods measured in scope in the range.
public struct MissingReportsInput: Sendable, Equatable {
    public var slas: CitySLAs
    public var range: MonthRange
    public var dueBy: LocalDate
    public var measured: [String: Set<MeasurementPeriod>]

    public init(slas: CitySLAs, range: MonthRange, dueBy: LocalDate, measured: [String: Set<MeasurementPeriod>]) {
        self.slas = slas
        self.range = range
        self.dueBy = dueBy
        self.measured = measured
    }
}

/// Where one page of breaches ends: the month its period ends, then the SLA.
public struct BreachPosition: Sendable, Hashable {
    public var lastMonth: Int
    public var slaId: String

    public init(lastMonth: Int, slaId: String) {
        self.lastMonth = lastMonth
        self.slaId = slaId
    }
}

/// A measurement that breached its SLA, as stored.
public struct BreachRow: Sendable, Equatable {
    public var position: BreachPosition
    public var measurement: Resource<MeasurementFields>

    public init(position: BreachPosition, measurement: Resource<MeasurementFields>) {
        self.position = position
        self.measurement = measurement
    }
}

/// What a city's breaches are listed from: its SLAs, the breached measurements in the order they are listed,
/// and the credits that are not one credit at today's fee (keyed by `slaId period`).
public struct BreachReportInput: Sendable, Equatable {
    public var slas: CitySLAs
    public var rows: [BreachRow]
    public var credits: [String: Int64]

    public init(slas: CitySLAs, rows: [BreachRow], credits: [String: Int64]) {
        self.slas = slas
        self.rows = rows
        self.credits = credits
    }
}

/// A supplier as a scorecard names it.
public struct SupplierRef: Sendable, Equatable, Encodable {
    public var id: String
    public var name: String
    public var kind: SupplierKind
}

extension SupplierRef {
    public init(_ supplier: Resource<SupplierFields>) {
        self.init(id: supplier.meta.id, name: supplier.fields.name, kind: supplier.fields.kind)
    }
}

/// A city as a scorecard names it.
public struct CityRef: Sendable, Equatable, Encodable {
    public var id: String
    public var name: String
    public var municipalityCode: String
}

extension CityRef {
    /// The city under its Finnish name.
    public init(_ city: Resource<CityFields>) {
        self.init(id: city.meta.id, name: city.fields.name.fi, municipalityCode: city.fields.municipalityCode)
    }
}

/// SLAs of any cities and the counts a store aggregated of their measurements over the whole range (under nil).
public struct MeasuredSLAs: Sendable, Equatable {
    public var entries: [SLAEntry]
    public var range: MonthRange
    public var dueBy: LocalDate
    public var counts: [String: [Int?: MeasuredCounts]]

    public init(entries: [SLAEntry], range: MonthRange, dueBy: LocalDate, counts: [String: [Int?: MeasuredCounts]]) {
        self.entries = entries
        self.range = range
        self.dueBy = dueBy
        self.counts = counts
    }

    /// Tallies per supplier and city.
    public func bySupplierAndCity() -> [String: [String: ComplianceTally]] {
        var result: [String: [String: ComplianceTally]] = [:]
        for (entry, tally) in ComplianceReports.tallied(entries, range: range, counts: counts, on: dueBy) {
            result[entry.supplierId, default: [:]][entry.cityId, default: ComplianceTally()] += tally
        }
        return result
    }
}

/// What the scorecards of every supplier are computed from: every city's SLAs with their counts, and the suppliers.
public struct ScorecardsInput: Sendable, Equatable {
    public var measured: MeasuredSLAs
    /// The suppliers by id; a supplier the store did not find has no line.
    public var suppliers: [String: SupplierRef]

    public init(measured: MeasuredSLAs, suppliers: [String: SupplierRef]) {
        self.measured = measured
        self.suppliers = suppliers
    }
}

/// What one supplier's scorecard is computed from: its SLAs in every city with their counts, and those cities.
public struct SupplierScorecardInput: Sendable, Equatable {
    public var supplier: SupplierRef
    public var measured: MeasuredSLAs
    /// The cities by id; a city the store did not find has no line, though its SLAs count in the totals.
    public var cities: [String: CityRef]

    public init(supplier: SupplierRef, measured: MeasuredSLAs, cities: [String: CityRef]) {
        self.supplier = supplier
        self.measured = measured
        self.cities = cities
    }
}

// MARK: What the reports say

/// A city's compliance: groups by name then id, and their totals.
public struct ComplianceRollUp: Sendable, Equatable {
    public var groups: [GroupTally]
    public var totals: ComplianceTally
}

/// One month of a trend: the periods that end in it.
public struct ComplianceTrendPeriod: Sendable, Equatable, Encodable {
    public var month: YearMonth
    public var groups: [GroupTally]
    public var totals: ComplianceTally
}

/// One breach as an auditor reads it.
public struct BreachLine: Sendable, Equatable, Encodable {
    public var sla: ReportRef
    public var metric: SLAMetric
    public var contract: ReportRef
    public var supplier: ReportRef
    public var service: ReportRef
    public var period: MeasurementPeriod
    public var comparator: SLAComparator
    public var target: ExactDecimal
    public var value: ExactDecimal
    public var unit: MeasurementUnit
    public var shortfall: ExactDecimal
    public var creditCents: Int64
    public var source: MeasurementSource
    public var evidence: String?
    public var reportedAt: Timestamp
    public var dispute: Dispute?

    enum CodingKeys: String, CodingKey {
        case sla, metric, contract, supplier, service, period, comparator, target, value, unit, shortfall, creditCents
        case source, evidence, reportedAt, dispute
    }

    /// Every member, a missing evidence or dispute as null.
    public func encode(to encoder: any Encoder) throws {
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
}

/// An SLA's in-scope periods of the range that had ended unmeasured.
public struct MissingReport: Sendable, Equatable, Encodable {
    public var sla: ReportRef
    public var metric: SLAMetric
    public var contract: ReportRef
    public var supplier: ReportRef
    public var service: ReportRef
    public var missingPeriods: [MeasurementPeriod]
}

/// How many SLAs of a supplier miss reports, and how many periods they miss together.
public struct MissingReportsOfSupplier: Sendable, Equatable, Encodable {
    public var supplier: ReportRef
    public var slaCount: Int
    public var missingPeriods: Int
}

public struct MissingReports: Sendable, Equatable {
    /// By supplier name, SLA name and SLA id.
    public var items: [MissingReport]
    /// By supplier name and id.
    public var bySupplier: [MissingReportsOfSupplier]
}

/// A supplier's tally, with the number of cities it serves; `measured` is met + breached.
public struct ScorecardLine: Sendable, Equatable, Encodable {
    public var supplier: SupplierRef
    public var citiesServed: Int
    public var tally: ComplianceTally

    enum CodingKeys: String, CodingKey { case supplier, citiesServed, measured }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(supplier, forKey: .supplier)
        try container.encode(citiesServed, forKey: .citiesServed)
        try container.encode(tally.met + tally.breached, forKey: .measured)
        try tally.encode(to: encoder)
    }
}

/// A supplier's tally in one city; `measured` is met + breached.
public struct ScorecardCityLine: Sendable, Equatable, Encodable {
    public var city: CityRef
    public var tally: ComplianceTally

    enum CodingKeys: String, CodingKey { case city, measured }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(city, forKey: .city)
        try container.encode(tally.met + tally.breached, forKey: .measured)
        try tally.encode(to: encoder)
    }
}

/// One supplier's scorecard over every city, and its lines per city by municipality code then id.
public struct SupplierScorecard: Sendable, Equatable {
    public var scorecard: ScorecardLine
    public var cities: [ScorecardCityLine]
}

/// The compliance reports, computed from what a store read: grouping, the trend, breaches, missing reports and
/// scorecards. Every tally comes from `ComplianceRules.tallies`.
public enum ComplianceReports {
    /// The tally of each entry with a period in scope in the range (under `month`, or nil for the whole range), in entry order.
    static func tallied(_ entries: [SLAEntry], range: MonthRange, counts: [String: [Int?: MeasuredCounts]], month: Int? = nil,
                        on date: LocalDate) -> [(SLAEntry, ComplianceTally)] {
        let tallies = ComplianceRules.tallies(entries.map(\.scope), range: range, counts: counts, month: month, on: date)
        return entries.compactMap { entry in tallies[entry.id].map { (entry, $0) } }
    }

    /// The tallies grouped, and their sum.
    static func rollUp(_ tallied: [(SLAEntry, ComplianceTally)], _ slas: CitySLAs, by groupBy: ComplianceGroupBy) -> ComplianceRollUp {
        ComplianceRollUp(groups: GroupTally.grouped(tallied.map { (slas.key($0.0, by: groupBy), $0.1) }),
                         totals: tallied.reduce(ComplianceTally()) { $0 + $1.1 })
    }

    /// A city's compliance over the range, grouped.
    public static func rollUp(_ input: ComplianceReportInput, by groupBy: ComplianceGroupBy) -> ComplianceRollUp {
        precondition(!input.byMonth, "a roll-up is computed from counts over the whole range")
        return rollUp(tallied(input.slas.entries, range: input.range, counts: input.counts, on: input.dueBy), input.slas, by: groupBy)
    }

    /// The same numbers month by month: a quarter counts in the month it ends. Every month of the range has a period.
    public static func trend(_ input: ComplianceReportInput, by groupBy: ComplianceGroupBy) -> [ComplianceTrendPeriod] {
        precondition(input.byMonth, "a trend is computed from counts by month")
        return input.range.months.map { month in
            let monthly = tallied(input.slas.entries, range: MonthRange(from: month, to: month), counts: input.counts, month: month.index,
                                  on: input.dueBy)
            let rollUp = rollUp(monthly, input.slas, by: groupBy)
            return ComplianceTrendPeriod(month: month, groups: rollUp.groups, totals: rollUp.totals)
        }
    }

    /// The breaches of `rows` as an auditor reads them, in the rows' order; a row of an SLA not in `input` is left out.
    public static func breaches(_ rows: some Sequence<BreachRow>, of input: BreachReportInput) -> [BreachLine] {
        let entries = Dictionary(input.slas.entries.map { ($0.id, $0) }) { first, _ in first }
        return rows.compactMap { row in
            let fields = row.measurement.fields
            guard let entry = entries[fields.slaId] else { return nil }
            return BreachLine(
                sla: ReportRef(id: entry.id, name: entry.name), metric: entry.metric,
                contract: ReportRef(id: entry.contractId, name: entry.contractTitle),
                supplier: input.slas.supplier(of: entry), service: input.slas.service(of: entry),
                period: fields.period, comparator: entry.scope.comparator, target: entry.scope.target, value: fields.value,
                unit: entry.unit, shortfall: ComplianceRules.shortfall(fields.value, target: entry.scope.target),
                creditCents: input.credits["\(fields.slaId) \(fields.period)"] ?? entry.scope.creditPerBreachCents,
                source: fields.source, evidence: fields.evidence, reportedAt: fields.reportedAt, dispute: fields.dispute)
        }
    }

    /// Every SLA with a period missing, and the count per supplier.
    public static func missingReports(_ input: MissingReportsInput) -> MissingReports {
        let slas = input.slas
        let items: [MissingReport] = slas.entries.compactMap { entry in
            let missing = ComplianceRules.missingPeriods(entry.scope, range: input.range, measured: input.measured[entry.id] ?? [],
                                                         on: input.dueBy)
            guard !missing.isEmpty else { return nil }
            return MissingReport(sla: ReportRef(id: entry.id, name: entry.name), metric: entry.metric,
                                 contract: ReportRef(id: entry.contractId, name: entry.contractTitle),
                                 supplier: slas.supplier(of: entry), service: slas.service(of: entry), missingPeriods: missing)
        }
        .sorted { ($0.supplier.name, $0.sla.name, $0.sla.id) < ($1.supplier.name, $1.sla.name, $1.sla.id) }
        var bySupplier: [String: MissingReportsOfSupplier] = [:]
        for item in items {
            bySupplier[item.supplier.id, default: MissingReportsOfSupplier(supplier: item.supplier, slaCount: 0, missingPeriods: 0)].slaCount += 1
            bySupplier[item.supplier.id]!.missingPeriods += item.missingPeriods.count
        }
        return MissingReports(items: items, bySupplier: bySupplier.values.sorted {
            ($0.supplier.name, $0.supplier.id) < ($1.supplier.name, $1.supplier.id)
        })
    }

    /// Every supplier with an SLA period in scope in the range, by name then id.
    public static func scorecards(_ input: ScorecardsInput) -> [ScorecardLine] {
        input.measured.bySupplierAndCity().compactMap { supplierId, cities -> ScorecardLine? in
            guard let supplier = input.suppliers[supplierId] else { return nil }
            return ScorecardLine(supplier: supplier, citiesServed: cities.count, tally: cities.values.reduce(ComplianceTally(), +))
        }
        .sorted { ($0.supplier.name, $0.supplier.id) < ($1.supplier.name, $1.supplier.id) }
    }

    /// One supplier's scorecard: its totals over every city it serves, and a line per city.
    public static func scorecard(_ input: SupplierScorecardInput) -> SupplierScorecard {
        let perCity = input.measured.bySupplierAndCity()[input.supplier.id] ?? [:]
        let lines = perCity.compactMap { cityId, tally -> ScorecardCityLine? in
            input.cities[cityId].map { ScorecardCityLine(city: $0, tally: tally) }
        }
        .sorted { ($0.city.municipalityCode, $0.city.id) < ($1.city.municipalityCode, $1.city.id) }
        return SupplierScorecard(
            scorecard: ScorecardLine(supplier: input.supplier, citiesServed: perCity.count, tally: perCity.values.reduce(ComplianceTally(), +)),
            cities: lines)
    }
}
