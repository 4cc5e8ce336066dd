import Foundation
import GRDB
import SalkkuCore
import Testing

@testable import SalkkuStore

/// The store aggregates compliance in SQL; the Core rules are the definition. On random data both must agree.
@Suite struct ComplianceAggregationTests {
    let actor = Actor(id: "t", name: "tester", role: "admin")

    func randomDate(_ random: inout SeededRandom, years: ClosedRange<Int> = 2023...2027) -> LocalDate {
        LocalDate(year: Int.random(in: years, using: &random), month: Int.random(in: 1...12, using: &random),
                  day: Int.random(in: 1...28, using: &random))!
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func storeAggregationEqualsCoreRules(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let database = try AppDatabase.temporary()
        let cityId = try database.create(CityFields(municipalityCode: "092", name: LocalizedName(fi: "Vantaa"), population: nil,
                                                    itOrganisation: nil), cityId: nil, by: actor).meta.id
        let supplierId = try database.create(SupplierFields(name: "Oy", businessId: "0112038-9", kind: .commercial),
                                             cityId: nil, by: actor).meta.id
        let serviceId = try database.create(ServiceFields(name: "S", sector: .administration, owner: Owner(name: "A"),
                                                          lifecycle: .active, providerId: supplierId, annualCostCents: nil,
                                                          criticality: .low), cityId: cityId, by: actor).meta.id
        var reference: [String: [MeasurementPeriod: MeasuredValue]] = [:]
        for _ in 0..<4 {
            let start = randomDate(&random, years: 2023...2025)
            let renewal = Renewal.allCases.randomElement(using: &random)!
            let contract = try database.create(ContractFields(
                title: "C", supplierId: supplierId, category: .services, procedure: .open, procuredOn: nil,
                totalValueCents: 1, annualValueCents: Int64.random(in: 0...5_000_000, using: &random), startDate: start,
                initialEndDate: start.adding(months: Int.random(in: 6...30, using: &random)),
                options: [ContractOption(months: 6, exercised: Bool.random(using: &random))], renewal: renewal,
                renewalPeriodMonths: renewal == .tacit ? Int.random(in: 1...12, using: &random) : nil, noticePeriodMonths: 1,
                managedBy: .central, serviceIds: [serviceId]), cityId: cityId, by: actor)
            for _ in 0..<4 {
                let kind = SLAPeriod.allCases.randomElement(using: &random)!
                let validFrom: LocalDate? = Bool.random(using: &random) ? nil : randomDate(&random, years: 2023...2025)
                let sla = try database.create(SLAFields(
                    contractId: contract.meta.id, serviceId: serviceId, name: "SLA", metric: .custom, unit: .score,
                    comparator: SLAComparator.allCases.randomElement(using: &random)!,
                    target: ExactDecimal(thousandths: Int64.random(in: 1_000...5_000, using: &random)), period: kind,
                    serviceCreditPercent: ExactDecimal(thousandths: Int64.random(in: 0...100_000, using: &random)),
                    validFrom: validFrom, validTo: validFrom.map { $0.adding(months: Int.random(in: 0...40, using: &random)) }),
                    cityId: cityId, by: actor)
                // Measurements are written straight into the table, wherever they fall: the scope must be applied on reading.
                var seen: Set<MeasurementPeriod> = []
                for _ in 0..<30 {
                    let month = YearMonth(randomDate(&random, years: 2022...2027))
                    let period = kind == .month ? MeasurementPeriod.month(month) : MeasurementPeriod.quarter(containing: month)
                    guard seen.insert(period).inserted else { continue }
                    let measured = MeasuredValue(period: period, value: ExactDecimal(thousandths: Int64.random(in: 0...6_000, using: &random) / 500 * 500),
                                                 dispute: [nil, nil, DisputeStatus.open, .accepted, .rejected].randomElement(using: &random)!)
                    reference[sla.meta.id, default: [:]][period] = measured
                    try database.writer.write { db in
                        try Resource(meta: ResourceMeta(id: UUID().uuidString, cityId: cityId, version: 1, createdAt: Timestamp(Date()),
                                                        updatedAt: Timestamp(Date())),
                                     fields: MeasurementFields(slaId: sla.meta.id, period: period, value: measured.value, source: .manual,
                                                               reportedAt: Timestamp(Date()),
                                                               dispute: measured.dispute.map { Dispute(status: $0) })).insert(db)
                    }
                }
            }
        }

        var overall = ComplianceTally()
        for _ in 0..<12 {
            let date = randomDate(&random)
            let from = YearMonth(randomDate(&random, years: 2022...2027))
            let range = MonthRange(from: from, to: from.adding(Int.random(in: 0...30, using: &random)))
            let entries = try database.slaEntries(cityId: cityId, on: date)
            let scopes = entries.map(\.scope)
            let counts = try database.measuredCounts(scopes, range: range, on: date)
            let byMonth = try database.measuredCounts(scopes, range: range, on: date, byMonth: true)
            // The country's SLAs are counted in slices side by side; slicing must not change a count.
            #expect(try database.measuredCounts(scopes, range: range, on: date, sliceSize: 3) == counts)
            #expect(try database.measuredCounts(scopes, range: range, on: date, byMonth: true, sliceSize: 2) == byMonth)
            let periods = try database.measuredPeriods(scopes, range: range)
            var referenceBreaches: [(Int, String)] = []
            for scope in scopes {
                let measurements = reference[scope.slaId] ?? [:]
                let expected = ComplianceRules.tally(scope, range: range, measurements: measurements, on: date)
                overall += expected
                #expect(ComplianceRules.tally(scope, range: range, measured: counts[scope.slaId]?[nil] ?? MeasuredCounts(), on: date) == expected)
                let monthly = range.months.reduce(ComplianceTally()) { sum, month in
                    var tally = ComplianceRules.tally(scope, range: MonthRange(from: month, to: month),
                                                      measured: byMonth[scope.slaId]?[month.index] ?? MeasuredCounts(), on: date)
                    tally.slaCount = 0
                    return sum + tally
                }
                #expect(monthly.met == expected.met && monthly.breached == expected.breached && monthly.missing == expected.missing
                         && monthly.pending == expected.pending && monthly.serviceCreditsCents == expected.serviceCreditsCents)
                let expectedMissing = range.periods(of: scope.kind).filter {
                    ComplianceRules.outcome(of: $0, scope, measured: measurements[$0], on: date) == .missing
                }
                #expect(ComplianceRules.missingPeriods(scope, range: range, measured: periods[scope.slaId] ?? [], on: date) == expectedMissing)
                for (period, measured) in measurements where range.contains(period)
                    && ComplianceRules.outcome(of: period, scope, measured: measured, on: date) == .breached {
                    referenceBreaches.append((period.last.index, scope.slaId))
                }
            }
            let stored = try database.breaches(scopes, range: range, disputed: nil, after: nil, limit: 10_000)
            #expect(stored.map { "\($0.position.lastMonth) \($0.position.slaId)" }
                    == referenceBreaches.sorted { $0 < $1 }.map { "\($0.0) \($0.1)" })
        }
        // The data must exercise every outcome, or the comparison proves nothing.
        #expect(overall.met > 0 && overall.breached > 0 && overall.missing > 0 && overall.openDisputes > 0)
    }

    @Test func packedCountsHoldTheMostPeriodsARangeCanHave() {
        // Every period of the longest range twice (months and quarters), all breached with an open dispute and ended.
        let periods = Int64(2 * MonthRange.maxMonths)
        let breachedOpenEnded: Int64 = 65536 + 4_294_967_296 + 281_474_976_710_656
        #expect(AppDatabase.unpacked(periods * breachedOpenEnded)
                == MeasuredCounts(met: 0, breached: 240, openDisputes: 240, ended: 240, notEnded: 0))
        #expect(AppDatabase.unpacked(periods * 1) == MeasuredCounts(met: 240, breached: 0, openDisputes: 0, ended: 0, notEnded: 240))
    }
}
