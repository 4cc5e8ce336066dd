import Testing

@testable import SalkkuCore

private func month(_ text: String) -> YearMonth { YearMonth(text)! }
private func period(_ text: String) -> MeasurementPeriod { MeasurementPeriod(text)! }
private func decimal(_ text: String) -> ExactDecimal { ExactDecimal(text)! }

private func scope(_ kind: SLAPeriod = .month, _ comparator: SLAComparator = .atLeast, target: String = "99.5",
                   from: String = "2025-01-01", to: String = "2026-12-31", credit: Int64 = 1_000) -> SLAScope {
    SLAScope(slaId: "s", kind: kind, comparator: comparator, target: decimal(target), validFrom: LocalDate(from)!,
             validTo: LocalDate(to)!, creditPerBreachCents: credit)
}

@Suite struct PeriodTests {
    @Test(arguments: [("2026-03", "2026-03", "2026-03"), ("2026-Q1", "2026-01", "2026-03"), ("2026-Q4", "2026-10", "2026-12")])
    func parsesPeriods(text: String, first: String, last: String) {
        let parsed = period(text)
        #expect(parsed.first == month(first) && parsed.last == month(last))
        #expect(parsed.description == text)
    }

    @Test(arguments: ["2026-13", "2026-00", "2026-Q5", "2026-Q0", "26-03", "2026-3", "2026/03", "1899-12", "2026-q1"])
    func rejectsOtherText(text: String) {
        #expect(MeasurementPeriod(text) == nil)
    }

    @Test func quartersBelongToARangeByTheirLastMonth() {
        let range = MonthRange(from: month("2026-02"), to: month("2026-09"))
        #expect(range.periods(of: .quarter).map(\.description) == ["2026-Q1", "2026-Q2", "2026-Q3"])
        #expect(MonthRange(from: month("2026-04"), to: month("2026-05")).periods(of: .quarter).isEmpty)
        #expect(range.periods(of: .month).count == 8)
    }

    @Test func periodEndsOnItsLastDay() {
        #expect(!period("2026-02").hasEnded(before: LocalDate("2026-02-28")!))
        #expect(period("2026-02").hasEnded(before: LocalDate("2026-03-01")!))
        #expect(!period("2026-Q1").hasEnded(before: LocalDate("2026-03-31")!))
        #expect(period("2028-02").lastDay == LocalDate("2028-02-29")!)
    }
}

@Suite struct ComplianceRuleTests {
    @Test(arguments: [
        (SLAComparator.atLeast, "99.5", "99.5", true), (.atLeast, "99.5", "99.499", false), (.atLeast, "99.5", "100", true),
        (.atMost, "30", "30", true), (.atMost, "30", "30.001", false), (.atMost, "30", "0", true),
    ])
    func valueEqualToTargetIsMet(comparator: SLAComparator, target: String, value: String, met: Bool) {
        #expect(ComplianceRules.isMet(decimal(value), scope(.month, comparator, target: target)) == met)
    }

    @Test func validityEdgesDecideScope() {
        let partial = scope(from: "2025-03-15", to: "2025-06-01")
        #expect(!partial.isInScope(period("2025-02")))
        #expect(partial.isInScope(period("2025-03")))   // overlaps from the 15th
        #expect(partial.isInScope(period("2025-06")))   // overlaps on the 1st
        #expect(!partial.isInScope(period("2025-07")))
        let quarterly = scope(.quarter, from: "2025-03-31", to: "2025-04-01")
        #expect(quarterly.isInScope(period("2025-Q1")) && quarterly.isInScope(period("2025-Q2")))
        #expect(!quarterly.isInScope(period("2025-Q3")))
    }

    @Test func missingVersusPending() {
        let s = scope()
        let date = LocalDate("2026-03-01")!
        #expect(ComplianceRules.outcome(of: period("2026-02"), s, measured: nil, on: date) == .missing)
        #expect(ComplianceRules.outcome(of: period("2026-03"), s, measured: nil, on: date) == .pending)
        #expect(ComplianceRules.outcome(of: period("2026-02"), s, measured: nil, on: LocalDate("2026-02-28")!) == .pending)
        #expect(ComplianceRules.outcome(of: period("2024-12"), s, measured: nil, on: date) == nil)
        let measured = MeasuredValue(period: period("2026-03"), value: decimal("99"))
        #expect(ComplianceRules.outcome(of: period("2026-03"), s, measured: measured, on: date) == .breached)
    }

    @Test func disputes() {
        let s = scope()
        let low = decimal("98")
        #expect(ComplianceRules.isBreach(MeasuredValue(period: period("2026-01"), value: low, dispute: .open), s))
        #expect(ComplianceRules.isBreach(MeasuredValue(period: period("2026-01"), value: low, dispute: .rejected), s))
        #expect(!ComplianceRules.isBreach(MeasuredValue(period: period("2026-01"), value: low, dispute: .accepted), s))
    }

    @Test(arguments: [
        (Int64(1_000_000), "5", Int64(50_000)), (833_333, "2.5", 20_833), (999, "0.001", 0), (100_001, "33.333", 33_333),
        (0, "100", 0), (123_456, "100", 123_456),
    ])
    func creditsRoundDown(fee: Int64, percent: String, expected: Int64) {
        #expect(ComplianceRules.creditCents(periodFeeCents: fee, creditPercent: decimal(percent)) == expected)
    }

    @Test func shortfallIsTheDistanceToTarget() {
        #expect(ComplianceRules.shortfall(decimal("99.2"), target: decimal("99.5")) == decimal("0.3"))
        #expect(ComplianceRules.shortfall(decimal("45.5"), target: decimal("30")) == decimal("15.5"))
    }

    @Test func tallyOfAYear() {
        let s = scope(from: "2025-03-01", to: "2026-12-31", credit: 2_500)
        var measurements: [MeasurementPeriod: MeasuredValue] = [:]
        for (text, value, dispute) in [("2025-03", "99.9", nil), ("2025-04", "99.5", nil), ("2025-05", "99.1", DisputeStatus?.none),
                                       ("2025-06", "98", .open), ("2025-07", "97", .accepted), ("2025-08", "99.4", .rejected),
                                       ("2025-11", "100", nil)] as [(String, String, DisputeStatus?)] {
            measurements[period(text)] = MeasuredValue(period: period(text), value: decimal(value), dispute: dispute)
        }
        let tally = ComplianceRules.tally(s, range: MonthRange(from: month("2025-01"), to: month("2025-12")),
                                          measurements: measurements, on: LocalDate("2025-11-15")!)
        #expect(tally.periodsInScope == 10)             // March to December
        #expect(tally.met == 4)                          // 03, 04, 07 (accepted dispute), 11
        #expect(tally.breached == 3)                     // 05, 06, 08
        #expect(tally.openDisputes == 1)
        #expect(tally.missing == 2)                      // 09, 10
        #expect(tally.pending == 1)                      // 12; November is measured
        #expect(tally.serviceCreditsCents == 7_500)
        #expect(tally.compliancePercent == decimal("57.14"))
        #expect(tally.coveragePercent == decimal("77.78"))
    }

    @Test func percentagesAreNullWithoutData() {
        let empty = ComplianceRules.tally(scope(), range: MonthRange(from: month("2027-01"), to: month("2027-02")),
                                          measurements: [:], on: LocalDate("2026-01-01")!)
        #expect(empty.periodsInScope == 0 && empty.compliancePercent == nil && empty.coveragePercent == nil)
        let pendingOnly = ComplianceRules.tally(scope(), range: MonthRange(from: month("2026-05"), to: month("2026-06")),
                                                measurements: [:], on: LocalDate("2026-01-01")!)
        #expect(pendingOnly.pending == 2 && pendingOnly.compliancePercent == nil && pendingOnly.coveragePercent == nil)
    }

    @Test func roundingIsHalfEven() {
        var tally = ComplianceTally()
        (tally.met, tally.breached) = (1, 7)     // 12.5 % exactly
        #expect(tally.compliancePercent == decimal("12.5"))
        (tally.met, tally.breached) = (2, 1)     // 66.666… → 66.67
        #expect(tally.compliancePercent == decimal("66.67"))
        (tally.met, tally.breached) = (1, 7999)  // 0.0125 → 0.01 (half to even)
        #expect(tally.compliancePercent == decimal("0.01"))
        (tally.met, tally.breached) = (3, 7997)  // 0.0375 → 0.04
        #expect(tally.compliancePercent == decimal("0.04"))
    }

    @Test func quarterlyTally() {
        let s = scope(.quarter, .atLeast, target: "4", from: "2025-01-01", to: "2025-12-31", credit: 0)
        let measured = [period("2025-Q1"): MeasuredValue(period: period("2025-Q1"), value: decimal("4.2"))]
        let tally = ComplianceRules.tally(s, range: MonthRange(from: month("2025-02"), to: month("2025-10")),
                                          measurements: measured, on: LocalDate("2025-10-01")!)
        #expect(tally.periodsInScope == 3 && tally.met == 1 && tally.missing == 2 && tally.pending == 0)
        // Q3 ended on 2025-09-30; Q4 ends after the range.
        #expect(ComplianceRules.missingPeriods(s, range: MonthRange(from: month("2025-02"), to: month("2025-10")),
                                               measured: [period("2025-Q1")], on: LocalDate("2025-10-01")!).map(\.description)
                == ["2025-Q2", "2025-Q3"])
    }

    @Test func aggregatedCountsGiveTheSameTally() {
        let s = scope(from: "2025-03-01", to: "2026-12-31", credit: 2_500)
        let range = MonthRange(from: month("2025-01"), to: month("2025-12"))
        let date = LocalDate("2025-11-15")!
        let fromCounts = ComplianceRules.tally(s, range: range, measured: MeasuredCounts(met: 4, breached: 3, openDisputes: 1, ended: 6, notEnded: 1), on: date)
        #expect(fromCounts.periodsInScope == 10 && fromCounts.missing == 2 && fromCounts.pending == 1)
        #expect(fromCounts.serviceCreditsCents == 7_500)
    }

    @Test func groupsAddUpToTotals() {
        var a = ComplianceTally(), b = ComplianceTally()
        (a.slaCount, a.met, a.breached, a.missing, a.serviceCreditsCents) = (1, 5, 1, 1, 100)
        (b.slaCount, b.met, b.breached, b.pending, b.serviceCreditsCents) = (2, 7, 2, 3, 50)
        let key = GroupKey(type: "supplier", id: "x", name: "X")
        let groups = GroupTally.grouped([(key, a), (GroupKey(type: "supplier", id: "y", name: "A"), b), (key, b)])
        #expect(groups.map(\.key.name) == ["A", "X"])
        #expect(groups.reduce(ComplianceTally()) { $0 + $1.tally } == a + b + b)
    }
}
