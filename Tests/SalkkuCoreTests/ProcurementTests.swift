import Testing

@testable import SalkkuCore

private func day(_ text: String) -> LocalDate {
    guard let date = LocalDate(text) else {
        Issue.record("not a date: \(text)")
        return LocalDate(daysSinceEpoch: 0)
    }
    return date
}

private func contract(category: ContractCategory = .services, procedure: ProcurementProcedure = .open, totalEuros: Int64,
                      annualEuros: Int64? = nil, start: String = "2024-01-01", end: String = "2026-12-31",
                      renewal: Renewal = .none, procuredOn: String? = "2023-10-01", supplier: String = "s",
                      services: [String] = []) -> ContractFields {
    ContractFields(
        title: "Testisopimus", supplierId: supplier, category: category, procedure: procedure, procuredOn: procuredOn.map(day),
        totalValueCents: totalEuros * 100, annualValueCents: annualEuros.map { $0 * 100 }, startDate: day(start),
        initialEndDate: day(end), renewal: renewal, renewalPeriodMonths: renewal == .tacit ? 12 : nil,
        noticePeriodMonths: 0, managedBy: .central, serviceIds: services)
}

@Suite struct ThresholdTableTests {
    /// Each threshold at its value and one euro under it, on the first and last day of its row.
    @Test(arguments: [
        // EU, sub-central supplies and services, per two-year period.
        (ContractCategory.services, "2010-06-01", 193_000, ThresholdClass.eu), (.services, "2011-12-31", 192_999, .national),
        (.supplies, "2012-01-01", 200_000, .eu), (.supplies, "2013-12-31", 199_999, .national),
        (.services, "2014-01-01", 207_000, .eu), (.services, "2015-12-31", 206_999, .national),
        (.services, "2016-01-01", 209_000, .eu), (.services, "2017-12-31", 208_999, .national),
        (.services, "2018-01-01", 221_000, .eu), (.services, "2019-12-31", 220_999, .national),
        (.services, "2020-01-01", 214_000, .eu), (.services, "2021-12-31", 213_999, .national),
        (.services, "2022-01-01", 215_000, .eu), (.services, "2023-12-31", 214_999, .national),
        (.services, "2024-01-01", 221_000, .eu), (.services, "2025-12-31", 220_999, .national),
        (.services, "2026-01-01", 216_000, .eu), (.services, "2027-12-31", 215_999, .national),
        // EU works.
        (.works, "2010-01-01", 4_845_000, .eu), (.works, "2011-12-31", 4_844_999, .national),
        (.works, "2012-01-01", 5_000_000, .eu), (.works, "2014-01-01", 5_186_000, .eu), (.works, "2016-01-01", 5_225_000, .eu),
        (.works, "2018-01-01", 5_548_000, .eu), (.works, "2020-01-01", 5_350_000, .eu), (.works, "2022-01-01", 5_382_000, .eu),
        (.works, "2024-01-01", 5_538_000, .eu), (.works, "2026-01-01", 5_404_000, .eu), (.works, "2027-12-31", 5_403_999, .national),
        // Light regime and concessions only from 2017.
        (.socialHealthServices, "2016-12-31", 10_000_000, .national), (.socialHealthServices, "2017-01-01", 750_000, .eu),
        (.socialHealthServices, "2017-01-01", 749_999, .national), (.otherSpecificServices, "2026-03-01", 750_000, .eu),
        (.concessions, "2026-03-01", 5_404_000, .eu), (.concessions, "2026-03-01", 5_403_999, .national),
        // National, 1397/2016 § 25.
        (.services, "2017-01-01", 60_000, .national), (.services, "2017-01-01", 59_999, .belowNational),
        (.works, "2017-01-01", 150_000, .national), (.works, "2017-01-01", 149_999, .belowNational),
        (.socialHealthServices, "2026-03-01", 400_000, .national), (.socialHealthServices, "2026-03-01", 399_999, .belowNational),
        (.otherSpecificServices, "2026-03-01", 300_000, .national), (.otherSpecificServices, "2026-03-01", 299_999, .belowNational),
        (.concessions, "2017-01-01", 500_000, .national), (.concessions, "2017-01-01", 499_999, .belowNational),
        // National, 348/2007 as amended by 321/2010, and as enacted.
        (.services, "2010-06-01", 30_000, .national), (.services, "2016-12-31", 29_999, .belowNational),
        (.socialHealthServices, "2010-06-01", 100_000, .national), (.socialHealthServices, "2016-12-31", 99_999, .belowNational),
        (.works, "2010-06-01", 150_000, .national), (.works, "2016-12-31", 149_999, .belowNational),
        (.services, "2010-05-31", 15_000, .national), (.services, "2010-01-01", 14_999, .belowNational),
        (.socialHealthServices, "2010-05-31", 50_000, .national), (.works, "2010-05-31", 100_000, .national),
    ] as [(ContractCategory, String, Int64, ThresholdClass)])
    func classifiesAtEachBoundary(category: ContractCategory, on: String, euros: Int64, expected: ThresholdClass) {
        #expect(ProcurementThresholds.classify(totalValueCents: euros * 100, category: category, procuredOn: day(on)) == expected)
    }

    /// Outside the table, or for a category the law did not yet have, the class is not guessed: a warning says why.
    @Test(arguments: [
        (ContractCategory.services, "2028-01-01", "threshold-table-ends"), (.works, "2031-06-01", "threshold-table-ends"),
        (.services, "2009-12-31", "threshold-table-begins-later"), (.services, "2005-01-01", "threshold-table-begins-later"),
        (.concessions, "2016-12-31", "no-threshold-for-category"),
    ])
    func warnsWhereTheTableDoesNotJudge(category: ContractCategory, on: String, code: String) {
        let fields = contract(category: category, totalEuros: 100_000, start: on, end: "2032-12-31", procuredOn: on)
        let terms = ContractTerms(fields, on: day("2026-12-01"), supplierKind: .commercial)
        #expect(terms.thresholdClass == nil)
        #expect(terms.procedureWarnings.map(\.code).contains(code))
    }

    @Test func everyRowCitesItsSourceAndEveryDayHasOneRowPerLevelAndCategory() {
        for row in ProcurementThresholds.rows {
            #expect(!row.source.isEmpty && !row.verification.isEmpty)
            #expect(row.until.map { row.from <= $0 } ?? true)
        }
        for date in ["2010-01-01", "2016-12-31", "2017-01-01", "2025-12-31", "2026-01-01", "2027-12-31"].map(day) {
            for level in ThresholdLevel.allCases {
                for category in ContractCategory.allCases {
                    let rows = ProcurementThresholds.rows(on: date).filter { $0.level == level && $0.category == category }
                    #expect(rows.count <= 1, "\(date) \(level) \(category)")
                }
            }
        }
        #expect(ProcurementThresholds.rows(on: day("2026-03-01")).count == 12)   // six categories, two levels
        #expect(ProcurementThresholds.coverageWarning(on: day("2028-01-01"))?.code == "threshold-table-ends")
    }
}

@Suite struct EstimatedValueTests {
    /// A tacit renewal has no fixed term: 48 months of its monthly value, not the typed total.
    @Test(arguments: [
        // total, annual, start, end, renewal, expected value, basis
        (100_000, nil, "2024-01-01", "2026-12-31", Renewal.none, 100_000, EstimatedValueBasis.totalValue),
        (100_000, 40_000, "2024-01-01", "2026-12-31", .express, 100_000, .totalValue),
        (50_000, 60_000, "2024-01-01", "2024-12-31", .tacit, 240_000, .monthlyValueTimes48),   // 4 × annual
        (60_000, nil, "2024-01-01", "2024-12-31", .tacit, 240_000, .monthlyValueTimes48),     // 5 000 a month × 48
        (36_000, nil, "2024-01-15", "2027-01-14", .tacit, 48_000, .monthlyValueTimes48),     // 36 months: 1 000 a month
        (10_000, nil, "2024-01-01", "2024-01-10", .tacit, 480_000, .monthlyValueTimes48),     // a started month counts as one
    ] as [(Int64, Int64?, String, String, Renewal, Int64, EstimatedValueBasis)])
    func valuesTheContract(total: Int64, annual: Int64?, start: String, end: String, renewal: Renewal, expected: Int64,
                           basis: EstimatedValueBasis) {
        let value = EstimatedValue.of(contract(totalEuros: total, annualEuros: annual, start: start, end: end, renewal: renewal))
        #expect(value == EstimatedValue(cents: expected * 100, basis: basis))
    }

    @Test func theClassAndTheProcedureWarningsReadTheEstimatedValue() {
        // 50 000 € typed, 60 000 € a year renewing tacitly: 240 000 € ≥ 216 000 € in 2026.
        let tacit = contract(procedure: .belowThreshold, totalEuros: 50_000, annualEuros: 60_000, start: "2026-02-01",
                             end: "2027-01-31", renewal: .tacit, procuredOn: "2026-01-15")
        let terms = ContractTerms(tacit, on: day("2026-03-01"), supplierKind: .commercial)
        #expect(terms.thresholdClass == .eu)
        #expect(terms.estimatedValueCents == 24_000_000 && terms.estimatedValueBasis == .monthlyValueTimes48)
        #expect(terms.procedureWarnings.map(\.code) == ["below-threshold-procedure-at-or-above-threshold"])
    }
}

@Suite struct ModificationLimitTests {
    /// 1397/2016 § 136: the change stays below the EU threshold and within 10 % (works 15 %) of the original value.
    @Test(arguments: [
        // category, original, current total, spend, expected codes
        (ContractCategory.services, 1_000_000, 1_000_000, 1_100_000, [String]()),   // exactly 10 %: allowed, but above the value
        (.services, 1_000_000, 1_000_000, 1_000_000, []),
        (.services, 1_000_000, 1_000_000, 999_999, []),
        (.services, 1_000_000, 1_100_001, 0, ["value-change-exceeds-modification-limit"]),
        (.services, 1_000_000, 1_000_000, 1_100_001, ["spend-exceeds-modification-limit"]),
        (.works, 1_000_000, 1_150_000, 1_150_000, []),
        (.works, 1_000_000, 1_150_001, 1_150_001, ["value-change-exceeds-modification-limit", "spend-exceeds-modification-limit"]),
        // 10 % of 3 000 000 € is 300 000 €, but the change must stay below the EU threshold of 216 000 €.
        (.services, 3_000_000, 3_215_999, 0, []),
        (.services, 3_000_000, 3_216_000, 0, ["value-change-exceeds-modification-limit"]),
    ] as [(ContractCategory, Int64, Int64, Int64, [String])])
    func judgesTheChange(category: ContractCategory, original: Int64, current: Int64, spend: Int64, expected: [String]) {
        let first = contract(category: category, totalEuros: original, start: "2026-01-01", end: "2027-12-31", procuredOn: "2026-01-01")
        var now = first
        now.totalValueCents = current * 100
        var codes = ModificationLimits.warnings(original: first, current: now, spendCents: spend * 100).map(\.code)
        if spend > original, !codes.contains("spend-exceeds-modification-limit") {
            #expect(codes.contains("spend-exceeds-procured-value"))
            codes.removeAll { $0 == "spend-exceeds-procured-value" }
        }
        #expect(codes == expected)
    }

    @Test func allowedIncrease() {
        let on = day("2026-06-01")
        #expect(ModificationLimits.allowedIncreaseCents(originalCents: 100_000_000, category: .services, on: on) == 10_000_000)
        #expect(ModificationLimits.allowedIncreaseCents(originalCents: 100_000_000, category: .works, on: on) == 15_000_000)
        #expect(ModificationLimits.allowedIncreaseCents(originalCents: 1_000_000_000, category: .supplies, on: on) == 21_599_999)
        // Outside the table the EU threshold is unknown: the share limit still holds, and the allowance says why.
        #expect(ModificationLimits.allowedIncreaseCents(originalCents: 100_000_000, category: .services, on: day("2028-01-01")) == 10_000_000)
        let before = ModificationLimits.allowance(originalCents: 1_000_000_000, category: .works, on: day("2008-10-01"))
        #expect(before.increaseCents == 150_000_000 && before.euThresholdCents == nil)
        #expect(before.euThresholdUnknown?.code == "threshold-table-begins-later")
        #expect(ModificationLimits.allowance(originalCents: 1_000_000_000, category: .supplies, on: on).euThresholdUnknown == nil)
    }

    /// Finding 7: the § 136 share limit does not depend on finding an EU threshold row for the procurement date.
    @Test(arguments: [
        // procured on, category, original, current total, spend, expected codes
        ("2008-10-01", ContractCategory.services, 1_000_000, 1_000_000, 1_100_001,
         ["spend-exceeds-modification-limit", "threshold-table-begins-later"]),
        ("2005-01-01", .services, 1_000_000, 1_100_001, 0, ["value-change-exceeds-modification-limit", "threshold-table-begins-later"]),
        ("2008-10-01", .works, 1_000_000, 1_000_000, 1_150_000, ["spend-exceeds-procured-value", "threshold-table-begins-later"]),
        ("2008-10-01", .works, 1_000_000, 1_000_000, 1_150_001, ["spend-exceeds-modification-limit", "threshold-table-begins-later"]),
        ("2008-10-01", .services, 1_000_000, 1_000_000, 1_000_000, []),
        ("2028-03-01", .services, 1_000_000, 1_000_000, 1_100_001, ["spend-exceeds-modification-limit", "threshold-table-ends"]),
        // 10 % of 3 000 000 € is 300 000 €: with no EU threshold known, only the share is judged.
        ("2009-12-31", .services, 3_000_000, 3_250_000, 0, ["threshold-table-begins-later"]),
        ("2010-01-01", .services, 3_000_000, 3_250_000, 0, ["value-change-exceeds-modification-limit"]),
    ] as [(String, ContractCategory, Int64, Int64, Int64, [String])])
    func judgesTheShareWithoutAThresholdRow(procuredOn: String, category: ContractCategory, original: Int64, current: Int64,
                                            spend: Int64, expected: [String]) {
        let first = contract(category: category, totalEuros: original, start: "2009-01-01", end: "2011-12-31", procuredOn: procuredOn)
        var now = first
        now.totalValueCents = current * 100
        let warnings = ModificationLimits.warnings(original: first, current: now, spendCents: spend * 100)
        #expect(warnings.map(\.code) == expected)
        if procuredOn < "2010-01-01" || procuredOn > "2027-12-31" {
            #expect(warnings.filter { $0.code.contains("modification-limit") }
                .allSatisfy { $0.detail.contains("EU threshold of \(procuredOn) is not in the threshold table") })
        }
    }

    /// Extreme values neither trap nor wrap: the differences are exact.
    @Test(arguments: [
        (Int64.max, Int64.max, Int64.max, [String]()),
        (0, Int64.max, Int64.max, ["value-change-exceeds-modification-limit", "spend-exceeds-modification-limit"]),
        (Int64.max, 0, Int64.min, []),
        (1_000_000, 1_000_000, Int64.min, []),
        (Int64.max, Int64.max, 0, []),
        (Int64.max / 48, Int64.max / 48, Int64.max / 48 * 2, ["spend-exceeds-modification-limit"]),
    ] as [(Int64, Int64, Int64, [String])])
    func extremeValuesDoNotOverflow(originalCents: Int64, currentCents: Int64, spendCents: Int64, expected: [String]) {
        for procuredOn in ["2026-01-01", "2005-01-01"] {
            var first = contract(totalEuros: 0, start: "2026-01-01", end: "2027-12-31", procuredOn: procuredOn)
            first.totalValueCents = originalCents
            var now = first
            now.totalValueCents = currentCents
            let codes = ModificationLimits.warnings(original: first, current: now, spendCents: spendCents).map(\.code)
                .filter { !$0.hasPrefix("threshold-table") }
            #expect(codes == expected, "\(procuredOn)")
        }
    }
}

@Suite struct SpendYearTests {
    @Test(arguments: [
        ("2024", 2024 as Int?), ("1990", 1990), ("2100", 2100), ("1989", nil), ("2101", nil), ("99999", nil), ("0", nil),
        ("-1", nil), ("+202", nil), ("0202", nil), ("20 4", nil), ("２０２４", nil), ("", nil), ("2024\u{0}", nil),
    ] as [(String, Int?)])
    func readsFourDigitsInRange(text: String, expected: Int?) {
        #expect(ContractSpendFields.year(text) == expected)
    }

    @Test(arguments: [
        // year, term starts, today, refused because
        (2026, "2024-01-01", "2026-11-23", nil as String?), (2024, "2024-12-31", "2026-01-01", nil), (2021, "2019-03-01", "2026-01-01", nil),
        (2027, "2024-01-01", "2026-12-31", "years that have begun"), (2026, "2024-01-01", "2026-01-01", nil),
        (2023, "2024-01-01", "2026-11-23", "term starts on 2024-01-01"), (2030, "2030-01-01", "2026-11-23", "years that have begun"),
    ] as [(Int, String, String, String?)])
    func refusesFutureYearsAndYearsBeforeTheTerm(year: Int, start: String, today: String, reason: String?) {
        let refusal = ContractSpendFields.yearRefusal(year, termStartsOn: day(start), today: day(today))
        if let reason { #expect(refusal?.contains(reason) == true, "\(String(describing: refusal))") } else { #expect(refusal == nil) }
    }
}

@Suite struct EstimatedValueOverflowTests {
    /// The 48-month rule at the edge of 64 bits: it saturates, never traps.
    @Test(arguments: [Int64.max / 48, Int64.max / 48 - 1, Int64.max / 48 + 1, Int64.max / 4, Int64.max, Int64.max / 49])
    func totalNearTheEdge(totalCents: Int64) {
        var fields = contract(totalEuros: 0, start: "2024-01-01", end: "2024-01-31", renewal: .tacit)
        fields.totalValueCents = totalCents
        let value = EstimatedValue.of(fields)
        #expect(value.basis == .monthlyValueTimes48)
        // One month's term: 48 × the total, when it fits.
        let (exact, overflow) = totalCents.multipliedReportingOverflow(by: 48)
        #expect(value.cents == (overflow ? Int64.max : exact))
        // Over 47 months the rounding up is what would overflow a plain sum.
        fields.initialEndDate = day("2027-11-30")
        let spread = EstimatedValue.of(fields)
        #expect(spread.cents > 0)
        var annual = fields
        annual.annualValueCents = totalCents
        #expect(EstimatedValue.of(annual).cents == (totalCents.multipliedReportingOverflow(by: 4).overflow ? Int64.max : totalCents * 4))
    }
}

@Suite struct SLACoverTests {
    private func service(provider: String?, arranger: String?) -> ServiceFields {
        ServiceFields(name: "Palvelu", sector: .administration, owner: Owner(name: "A"), lifecycle: .active, providerId: provider,
                      annualCostCents: 100, criticality: .low, arrangerId: arranger)
    }

    /// An SLA counts only under a contract with the service's provider or arranger, and only for a service the contract covers.
    @Test(arguments: [
        ("provider", ["s1"], "provider", nil as String?, true),
        ("arranger", ["s1"], "provider", "arranger", true),
        ("other", ["s1"], "provider", "arranger", false),
        ("other", ["s1"], "provider", nil, false),
        ("provider", ["s2"], "provider", nil, false),
        ("provider", ["s1"], nil, nil, false),
    ] as [(String, [String], String?, String?, Bool)])
    func counts(supplier: String, covered: [String], provider: String?, arranger: String?, expected: Bool) {
        let fields = contract(totalEuros: 1_000, supplier: supplier, services: covered)
        #expect(SLACover.counts(contract: fields, serviceId: "s1", service: service(provider: provider, arranger: arranger)) == expected)
    }
}
