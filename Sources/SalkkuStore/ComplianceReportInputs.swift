import GRDB
import SalkkuCore

/// What each compliance report is computed from, read in one transaction so that the SLAs, their names and their
/// measurements come from one state of the records. `ComplianceReports` in Core computes the reports.
extension AppDatabase {
    /// A city's SLAs on `date` that the filters admit, with the names reports show; nil when no city has the id.
    func citySLAs(cityId: String, on date: LocalDate, filters: ComplianceFilters) throws -> CitySLAs? {
        guard let city = try fetch(CityFields.self, id: cityId) else { return nil }
        let entries = try slaEntries(cityId: cityId, on: date).filter(filters.admits)
        return CitySLAs(city: city, entries: entries, suppliers: try byId(SupplierFields.self, ids: Set(entries.map(\.supplierId))),
                        services: try byId(ServiceFields.self, ids: Set(entries.map(\.serviceId))))
    }

    /// A city's roll-up (`byMonth` false) or trend (true) over the range, with reports due by `dueBy`; nil when no
    /// city has the id.
    public func complianceReportInput(cityId: String, on date: LocalDate, filters: ComplianceFilters, range: MonthRange,
                                      dueBy: LocalDate, byMonth: Bool = false) throws -> ComplianceReportInput? {
        try readTogether {
            guard let slas = try citySLAs(cityId: cityId, on: date, filters: filters) else { return nil }
            return ComplianceReportInput(slas: slas, range: range, dueBy: dueBy,
                                         counts: try measuredCounts(slas.entries.map(\.scope), range: range, on: dueBy, byMonth: byMonth),
                                         byMonth: byMonth)
        }
    }

    /// A city's missing reports over the range; nil when no city has the id.
    public func missingReportsInput(cityId: String, on date: LocalDate, filters: ComplianceFilters, range: MonthRange,
                                    dueBy: LocalDate) throws -> MissingReportsInput? {
        try readTogether {
            guard let slas = try citySLAs(cityId: cityId, on: date, filters: filters) else { return nil }
            return MissingReportsInput(slas: slas, range: range, dueBy: dueBy,
                                       measured: try measuredPeriods(slas.entries.map(\.scope), range: range))
        }
    }

    /// A city's breaches in the range, oldest period first, after `position`, at most `limit` of them (nil: all);
    /// nil when no city has the id.
    public func breachReportInput(cityId: String, on date: LocalDate, filters: ComplianceFilters, range: MonthRange,
                                  disputed: Bool?, after position: BreachPosition?, limit: Int?) throws -> BreachReportInput? {
        try readTogether {
            guard let slas = try citySLAs(cityId: cityId, on: date, filters: filters) else { return nil }
            let scopes = slas.entries.map(\.scope)
            return BreachReportInput(slas: slas, rows: try breaches(scopes, range: range, disputed: disputed, after: position, limit: limit),
                                     credits: try creditsInForce(scopes, range: range))
        }
    }

    /// Every city's SLAs (of one supplier, when given) with their counts over the range.
    func measuredSLAs(supplierId: String?, on date: LocalDate, range: MonthRange, dueBy: LocalDate) throws -> MeasuredSLAs {
        // Every city's SLAs and their measured counts in two queries: one aggregation over the country. Its slices
        // are counted side by side on connections of their own.
        let entries = try allSLAEntries(on: date, supplierId: supplierId)
        return MeasuredSLAs(entries: entries, range: range, dueBy: dueBy,
                            counts: try measuredCounts(entries.map(\.scope), range: range, on: dueBy))
    }

    /// The scorecards of every supplier over every city.
    public func scorecardsInput(on date: LocalDate, range: MonthRange, dueBy: LocalDate) throws -> ScorecardsInput {
        try readTogether {
            let measured = try measuredSLAs(supplierId: nil, on: date, range: range, dueBy: dueBy)
            return ScorecardsInput(measured: measured,
                                   suppliers: try byId(SupplierFields.self, ids: Set(measured.entries.map(\.supplierId))).mapValues(SupplierRef.init))
        }
    }

    /// One supplier's scorecard over every city; nil when no supplier has the id.
    public func supplierScorecardInput(supplierId: String, on date: LocalDate, range: MonthRange,
                                       dueBy: LocalDate) throws -> SupplierScorecardInput? {
        try readTogether {
            guard let supplier = try fetch(SupplierFields.self, id: supplierId) else { return nil }
            let measured = try measuredSLAs(supplierId: supplierId, on: date, range: range, dueBy: dueBy)
            return SupplierScorecardInput(supplier: SupplierRef(supplier), measured: measured,
                                          cities: try byId(CityFields.self, ids: Set(measured.entries.map(\.cityId))).mapValues(CityRef.init))
        }
    }
}
