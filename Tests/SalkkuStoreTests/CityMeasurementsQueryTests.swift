import Foundation
import GRDB
import SalkkuCore
import Testing

@testable import SalkkuStore

/// A city's list of measurements across its SLAs: one indexed query per page, in the documented order.
@Suite struct CityMeasurementsQueryTests {
    let actor = Actor(id: "t", name: "tester", role: "admin")

    struct World {
        var database: AppDatabase
        var cityId: String
        var slas: [(id: String, contractId: String, supplierId: String)] = []
        var contractIds: [String] = []
        var supplierIds: [String] = []
        /// Every measurement of the city: SLA and period.
        var measurements: [(slaId: String, period: MeasurementPeriod)] = []
    }

    /// Two cities with the same suppliers; SLAs of both kinds, and measurements written straight into the table,
    /// some SLAs with a month and a quarter ending the same month (a period kind changed since), which the
    /// order must still tell apart.
    func world(seed: UInt64) throws -> World {
        var random = SeededRandom(seed: seed)
        let database = try AppDatabase.temporary()
        let suppliers = try ["0112038-9", "2345000-4", "1572860-0"].map { businessId in
            try database.create(SupplierFields(name: "Oy \(businessId)", businessId: businessId, kind: .commercial), cityId: nil, by: actor).meta.id
        }
        var worlds: [World] = []
        for code in ["092", "179"] {
            let cityId = try database.create(CityFields(municipalityCode: code, name: LocalizedName(fi: code), population: nil,
                                                        itOrganisation: nil), cityId: nil, by: actor).meta.id
            let serviceId = try database.create(ServiceFields(name: "S", sector: .administration, owner: Owner(name: "A"), lifecycle: .active,
                                                              providerId: suppliers[0], annualCostCents: nil, criticality: .low),
                                                cityId: cityId, by: actor).meta.id
            var world = World(database: database, cityId: cityId, supplierIds: suppliers)
            for _ in 0..<4 {
                let supplierId = suppliers.randomElement(using: &random)!
                let contract = try database.create(ContractFields(
                    title: "C", supplierId: supplierId, category: .services, procedure: .open, procuredOn: nil, totalValueCents: 1,
                    annualValueCents: 1_000, startDate: LocalDate("2023-01-01")!, initialEndDate: LocalDate("2027-12-31")!, options: [],
                    renewal: .none, renewalPeriodMonths: nil, noticePeriodMonths: 1, managedBy: .central, serviceIds: [serviceId]),
                    cityId: cityId, by: actor)
                world.contractIds.append(contract.meta.id)
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    let sla = try database.create(SLAFields(
                        contractId: contract.meta.id, serviceId: serviceId, name: "SLA", metric: .custom, unit: .score, comparator: .atLeast,
                        target: ExactDecimal(thousandths: 3_000), period: SLAPeriod.allCases.randomElement(using: &random)!,
                        serviceCreditPercent: ExactDecimal(thousandths: 0)), cityId: cityId, by: actor)
                    world.slas.append((sla.meta.id, contract.meta.id, supplierId))
                    var seen: Set<MeasurementPeriod> = []
                    for _ in 0..<Int.random(in: 0...20, using: &random) {
                        let month = YearMonth(year: Int.random(in: 2024...2026, using: &random), month: Int.random(in: 1...12, using: &random))
                        let period = Bool.random(using: &random) ? MeasurementPeriod.month(month) : MeasurementPeriod.quarter(containing: month)
                        guard seen.insert(period).inserted else { continue }
                        world.measurements.append((sla.meta.id, period))
                        try database.writer.write { db in
                            try Resource(meta: ResourceMeta(id: UUID().uuidString, cityId: cityId, version: 1, createdAt: Timestamp(Date()),
                                                            updatedAt: Timestamp(Date())),
                                         fields: MeasurementFields(slaId: sla.meta.id, period: period, value: ExactDecimal(thousandths: 4_000),
                                                                   source: .manual, reportedAt: Timestamp(Date()))).insert(db)
                        }
                    }
                }
            }
            worlds.append(world)
        }
        return worlds[0]
    }

    /// The documented order: the month the period ends, the SLA, then the month it starts.
    static func ordered(_ keys: [(slaId: String, period: MeasurementPeriod)]) -> [String] {
        keys.sorted { ($0.period.last.index, $0.slaId, $0.period.first.index) < ($1.period.last.index, $1.slaId, $1.period.first.index) }
            .map { "\($0.slaId) \($0.period)" }
    }

    @Test(arguments: [1, 2, 3, 4])
    func pagesEqualTheFilteredSortedMeasurements(seed: UInt64) throws {
        var random = SeededRandom(seed: seed + 100)
        let world = try world(seed: seed)
        #expect(world.measurements.count > 20)
        for _ in 0..<30 {
            var filters = MeasurementFilters()
            if Int.random(in: 0..<4, using: &random) == 0 { filters.slaId = world.slas.randomElement(using: &random)!.id }
            if Int.random(in: 0..<3, using: &random) == 0 { filters.contractId = world.contractIds.randomElement(using: &random)! }
            if Int.random(in: 0..<3, using: &random) == 0 { filters.supplierId = world.supplierIds.randomElement(using: &random)! }
            var range: MonthRange?
            if Bool.random(using: &random) {
                let from = YearMonth(year: Int.random(in: 2023...2026, using: &random), month: Int.random(in: 1...12, using: &random))
                range = MonthRange(from: from, to: from.adding(Int.random(in: 0...18, using: &random)))
            }
            let expected = Self.ordered(world.measurements.filter { measurement in
                let sla = world.slas.first { $0.id == measurement.slaId }!
                return (range?.contains(measurement.period) ?? true) && (filters.slaId.map { $0 == sla.id } ?? true)
                    && (filters.contractId.map { $0 == sla.contractId } ?? true) && (filters.supplierId.map { $0 == sla.supplierId } ?? true)
            })
            let limit = Int.random(in: 1...7, using: &random)
            var listed: [String] = []
            var after: MeasurementPosition?
            for _ in 0...world.measurements.count {
                let page = try world.database.cityMeasurements(cityId: world.cityId, range: range, filters: filters, after: after, limit: limit + 1)
                #expect(page.allSatisfy { $0.meta.cityId == world.cityId })
                listed += page.prefix(limit).map { "\($0.fields.slaId) \($0.fields.period)" }
                guard page.count > limit, let last = page.prefix(limit).last else { break }
                after = MeasurementPosition(period: last.fields.period, slaId: last.fields.slaId)
            }
            #expect(listed == expected, "\(filters) \(String(describing: range)) limit \(limit)")
        }
    }

    /// Every combination of filters reads an index of the measurements, never the table, and never sorts a
    /// whole page's worth of rows: at most one SLA's periods ending the same month are sorted apart. At a past
    /// record time, the history's copy of the same index.
    @Test func everyFilterCombinationReadsAnIndex() throws {
        let world = try world(seed: 1)
        let past = try world.database.asOf(Timestamp(rfc3339: "2000-01-01T00:00:00Z")!)
        #expect(past.recordTime != nil)
        let sla = world.slas[0]
        for mask in 0..<32 {
            let filters = MeasurementFilters(slaId: mask & 1 != 0 ? sla.id : nil, contractId: mask & 2 != 0 ? sla.contractId : nil,
                                             supplierId: mask & 4 != 0 ? sla.supplierId : nil)
            let range = mask & 8 != 0 ? MonthRange(from: YearMonth(year: 2025, month: 1), to: YearMonth(year: 2025, month: 12)) : nil
            let after = mask & 16 != 0 ? MeasurementPosition(period: .month(YearMonth(year: 2025, month: 6)), slaId: sla.id) : nil
            let (sql, arguments) = AppDatabase.cityMeasurementsQuery(cityId: world.cityId, range: range, filters: filters, after: after, limit: 51)
            for (database, table) in [(world.database, "measurement"), (past, "main.measurement_history")] {
                let plan = try database.read { db in
                    try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
                }
                let reads = plan.filter { $0.contains(" \(table) ") }
                #expect(reads.count == 1 && reads.allSatisfy { $0.hasPrefix("SEARCH") && $0.contains("USING INDEX") }, "\(mask) \(table): \(plan)")
                #expect(!plan.contains { $0.contains("TEMP B-TREE FOR ORDER BY") }, "\(mask) \(table): \(plan)")
            }
            // Limits and cursors hold the one statement text per set of filters given.
            #expect(AppDatabase.cityMeasurementsQuery(cityId: "x", range: range, filters: filters, after: after, limit: 2).sql == sql)
        }
    }
}
