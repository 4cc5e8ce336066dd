import Foundation
import Testing

@testable import SalkkuCore

private func date(_ text: String) -> LocalDate { LocalDate(text)! }

@Suite struct MonthArithmeticTests {
    @Test(arguments: [
        // Ordinary days keep their number.
        ("2026-01-15", 1, "2026-02-15"), ("2026-01-15", 12, "2027-01-15"), ("2026-11-15", 3, "2027-02-15"),
        // Month ends map to month ends.
        ("2026-01-31", 1, "2026-02-28"), ("2026-02-28", 1, "2026-03-31"), ("2026-04-30", 1, "2026-05-31"),
        ("2026-06-30", 12, "2027-06-30"), ("2027-02-28", 12, "2028-02-29"), ("2028-02-29", 12, "2029-02-28"),
        // Other days are clamped to the target month's length.
        ("2026-01-30", 1, "2026-02-28"), ("2028-01-30", 1, "2028-02-29"), ("2026-03-30", -1, "2026-02-28"),
        ("2026-05-29", 9, "2027-02-28"), ("2027-03-29", -1, "2027-02-28"),
        // Several months in one step, not month by month: Jan 30 + 2 months is Mar 30, not Mar 28.
        ("2026-01-30", 2, "2026-03-30"), ("2026-01-29", 13, "2027-02-28"), ("2024-02-29", 48, "2028-02-29"),
        ("2023-02-28", 12, "2024-02-29"), ("2024-02-28", 12, "2025-02-28"),
        // Century leap rules.
        ("2099-02-28", 12, "2100-02-28"), ("2099-02-28", 1, "2099-03-31"), ("2399-02-28", 12, "2400-02-29"),
        // Backwards, across years.
        ("2027-03-31", -3, "2026-12-31"), ("2027-01-15", -13, "2025-12-15"), ("2026-08-31", -6, "2026-02-28"),
        ("2028-05-31", -3, "2028-02-29"), ("2026-03-01", 0, "2026-03-01"),
    ])
    func addsCalendarMonths(start: String, months: Int, expected: String) {
        #expect(date(start).adding(months: months) == date(expected))
    }

    @Test func leapYears() {
        #expect(LocalDate.isLeap(2024) && LocalDate.isLeap(2000) && LocalDate.isLeap(2400))
        #expect(!LocalDate.isLeap(2026) && !LocalDate.isLeap(1900) && !LocalDate.isLeap(2100))
    }

    @Test func weekdays() {
        #expect(date("1970-01-01").weekday == 4)
        #expect(date("2026-11-23").weekday == 1)
        #expect(date("2026-03-29").weekday == 0)
    }
}

@Suite struct HelsinkiCalendarTests {
    @Test(arguments: [
        ("2026-11-23T21:59:59.999Z", "2026-11-23"), ("2026-11-23T22:00:00.000Z", "2026-11-24"),
        ("2026-07-01T20:59:59.999Z", "2026-07-01"), ("2026-07-01T21:00:00.000Z", "2026-07-02"),
        // Summer time starts 2026-03-29 01:00 UTC and ends 2026-10-25 01:00 UTC.
        ("2026-03-29T00:59:59.999Z", "2026-03-29"), ("2026-10-24T21:00:00.000Z", "2026-10-25"),
        ("2026-12-31T22:30:00.000Z", "2027-01-01"),
    ])
    func dateInHelsinki(instant: String, expected: String) {
        #expect(HelsinkiCalendar.date(at: Timestamp(rfc3339: instant)!) == date(expected))
    }

    @Test func offsets() {
        #expect(HelsinkiCalendar.offsetMilliseconds(at: Timestamp(rfc3339: "2026-03-29T00:59:59Z")!) == 7_200_000)
        #expect(HelsinkiCalendar.offsetMilliseconds(at: Timestamp(rfc3339: "2026-03-29T01:00:00Z")!) == 10_800_000)
        #expect(HelsinkiCalendar.offsetMilliseconds(at: Timestamp(rfc3339: "2026-10-25T00:59:59Z")!) == 10_800_000)
        #expect(HelsinkiCalendar.offsetMilliseconds(at: Timestamp(rfc3339: "2026-10-25T01:00:00Z")!) == 7_200_000)
    }

    @Test func endOfDay() {
        #expect(HelsinkiCalendar.endOfDay(date("2026-01-15")).description == "2026-01-15T21:59:59.999Z")
        #expect(HelsinkiCalendar.endOfDay(date("2026-07-15")).description == "2026-07-15T20:59:59.999Z")
    }
}

/// A contract for the tables below: services, open procedure, central management.
private func contract(
    start: String = "2024-01-01", initialEnd: String = "2026-12-31", options: [(Int, Bool)] = [],
    renewal: Renewal = .none, period: Int? = nil, notice: Int = 3, terminatedOn: String? = nil,
    procedure: ProcurementProcedure = .open, category: ContractCategory = .services, totalEuros: Int64 = 100_000,
    procuredOn: String? = "2023-10-01"
) -> ContractFields {
    ContractFields(
        title: "Testisopimus", supplierId: "s", category: category, procedure: procedure,
        procuredOn: procuredOn.map(date), totalValueCents: totalEuros * 100, annualValueCents: nil,
        startDate: date(start), initialEndDate: date(initialEnd),
        options: options.map { ContractOption(months: $0.0, exercised: $0.1) }, renewal: renewal,
        renewalPeriodMonths: period, noticePeriodMonths: notice, managedBy: .central,
        terminatedOn: terminatedOn.map(date))
}

@Suite struct ContractTermsTests {
    @Test func exercisedOptionsAreAddedInOneStep() {
        let c = contract(initialEnd: "2026-02-28", options: [(12, true), (6, true), (12, false)])
        #expect(ContractTerms.currentEndDate(c, on: date("2026-01-01")) == date("2027-08-31"))
        let mid = contract(initialEnd: "2026-01-30", options: [(1, true), (1, true)])
        #expect(ContractTerms.currentEndDate(mid, on: date("2026-01-01")) == date("2026-03-30"))
    }

    @Test(arguments: [
        // (initial end, period months, evaluation date, expected current end)
        ("2025-06-30", 12, "2025-06-30", "2025-06-30"),  // on the end date: not yet rolled
        ("2025-06-30", 12, "2025-07-01", "2026-06-30"),
        ("2025-06-30", 12, "2026-06-30", "2026-06-30"),
        ("2025-06-30", 12, "2026-07-01", "2027-06-30"),
        ("2020-02-29", 12, "2026-11-23", "2027-02-28"),  // month end stays a month end across leap years
        ("2020-02-29", 12, "2027-03-01", "2028-02-29"),
        ("2024-01-30", 1, "2024-03-29", "2024-03-30"),   // k × period from the base, never chained
        ("2024-01-30", 1, "2024-02-29", "2024-02-29"),
        ("2023-12-31", 6, "2026-11-23", "2026-12-31"),
        ("2023-12-31", 6, "2027-01-01", "2027-06-30"),
        ("2010-05-15", 36, "2026-11-23", "2028-05-15"),
    ])
    func tacitRenewalRollsForward(initialEnd: String, period: Int, on evaluation: String, expected: String) {
        let c = contract(start: "2009-01-01", initialEnd: initialEnd, renewal: .tacit, period: period)
        #expect(ContractTerms.currentEndDate(c, on: date(evaluation)) == date(expected))
    }

    @Test func terminatedTacitContractDoesNotRoll() {
        let c = contract(initialEnd: "2025-06-30", renewal: .tacit, period: 12, terminatedOn: "2025-06-30")
        let terms = ContractTerms(c, on: date("2026-11-23"), supplierKind: .commercial)
        #expect(terms.currentEndDate == date("2025-06-30"))
        #expect(terms.status == .terminated)
        #expect(terms.decision == nil && terms.noticeDeadline == nil)
    }

    @Test(arguments: [
        ([(12, true), (12, false)], Renewal.tacit, ContractDecision?.some(.exerciseOption)),
        ([(12, true)], .tacit, .stopTacitRenewal),
        ([], .express, .agreeRenewal),
        ([(6, false)], .none, .exerciseOption),
        ([], .none, nil),
        ([(12, true), (12, true)], .none, nil),
    ])
    func decisions(options: [(Int, Bool)], renewal: Renewal, expected: ContractDecision?) {
        let c = contract(options: options, renewal: renewal, period: renewal == .tacit ? 12 : nil)
        #expect(ContractTerms.decision(c) == expected)
    }

    @Test(arguments: [
        ("2026-12-31", 3, "2026-09-30"), ("2026-12-31", 0, "2026-12-31"), ("2027-05-31", 3, "2027-02-28"),
        ("2028-05-31", 3, "2028-02-29"), ("2027-08-15", 6, "2027-02-15"), ("2027-03-30", 1, "2027-02-28"),
    ])
    func noticeDeadlineIsEndMinusNoticeMonths(end: String, notice: Int, expected: String) {
        let c = contract(initialEnd: end, renewal: .express, notice: notice)
        #expect(ContractTerms(c, on: date("2026-01-01"), supplierKind: nil).noticeDeadline == date(expected))
    }

    @Test func noDecisionMeansNoDeadline() {
        let terms = ContractTerms(contract(renewal: .none), on: date("2026-01-01"), supplierKind: nil)
        #expect(terms.decision == nil && terms.noticeDeadline == nil)
    }

    @Test(arguments: [
        ("2023-12-31", nil as String?, ContractStatus.upcoming),
        ("2024-01-01", nil, .active), ("2026-12-31", nil, .active), ("2027-01-01", nil, .expired),
        ("2026-06-29", "2026-06-30", .active), ("2026-06-30", "2026-06-30", .terminated),
        ("2027-06-01", "2026-06-30", .terminated),
    ])
    func statuses(on evaluation: String, terminatedOn: String?, expected: ContractStatus) {
        let c = contract(terminatedOn: terminatedOn)
        #expect(ContractTerms(c, on: date(evaluation), supplierKind: nil).status == expected)
    }

    @Test func tacitContractsNeverExpire() {
        let c = contract(initialEnd: "2024-12-31", renewal: .tacit, period: 12)
        #expect(ContractTerms(c, on: date("2031-05-05"), supplierKind: nil).status == .active)
    }
}

@Suite struct ThresholdTests {
    @Test(arguments: [
        // (category, procuredOn, euros, expected)
        (ContractCategory.services, "2026-03-01", Int64(59_999), ThresholdClass?.some(.belowNational)),
        (.services, "2026-03-01", 60_000, .national),
        (.supplies, "2026-03-01", 215_999, .national),
        (.supplies, "2026-03-01", 216_000, .eu),
        (.services, "2025-12-31", 216_000, .national),  // 221 000 still in force
        (.services, "2025-12-31", 221_000, .eu),
        (.services, "2024-01-01", 220_999, .national),
        (.services, "2023-12-31", 215_000, .eu),
        (.services, "2021-06-01", 214_000, .eu),
        (.services, "2021-06-01", 213_999, .national),
        (.services, "2019-06-01", 220_999, .national),
        (.services, "2018-01-01", 221_000, .eu),
        (.socialHealthServices, "2026-03-01", 399_999, .belowNational),
        (.socialHealthServices, "2026-03-01", 400_000, .national),
        (.socialHealthServices, "2026-03-01", 749_999, .national),
        (.socialHealthServices, "2026-03-01", 750_000, .eu),
        (.services, "2016-12-31", 30_000, .national),  // Act 348/2007 before 2017
        (.services, "2016-12-31", 29_999, .belowNational),
        (.services, "2009-01-01", 1_000_000, nil),
    ])
    func classification(category: ContractCategory, procuredOn: String, euros: Int64, expected: ThresholdClass?) {
        #expect(ProcurementThresholds.classify(totalValueCents: euros * 100, category: category,
                                               procuredOn: date(procuredOn)) == expected)
    }

    @Test func procuredOnDefaultsToStartDate() {
        let c = contract(start: "2026-02-01", totalEuros: 216_000, procuredOn: nil)
        #expect(ContractTerms(c, on: date("2026-03-01"), supplierKind: nil).thresholdClass == .eu)
    }
}

@Suite struct ProcedureWarningTests {
    private func codes(_ c: ContractFields, _ kind: SupplierKind? = .commercial) -> [String] {
        ContractTerms.warnings(c, supplierKind: kind).map(\.code)
    }

    @Test func belowThresholdProcedureAtTheThreshold() {
        #expect(codes(contract(procedure: .belowThreshold, totalEuros: 59_999)) == [])
        #expect(codes(contract(procedure: .belowThreshold, totalEuros: 60_000)) == ["below-threshold-procedure-at-or-above-threshold"])
        #expect(codes(contract(procedure: .belowThreshold, category: .socialHealthServices, totalEuros: 399_999)) == [])
    }

    @Test func directAwardAtTheThreshold() {
        #expect(codes(contract(procedure: .directAward, totalEuros: 59_999)) == [])
        #expect(codes(contract(procedure: .directAward, totalEuros: 60_000)) == ["direct-award-at-or-above-threshold"])
    }

    @Test func inHouseAwardOnlyToInHouseSuppliers() {
        for kind in [SupplierKind.ownProduction, .inHouseCompany, .municipalEnterprise] {
            #expect(codes(contract(procedure: .inHouse, totalEuros: 5_000_000), kind) == [])
        }
        for kind in [SupplierKind.commercial, .sharedServiceCentre] {
            #expect(codes(contract(procedure: .inHouse), kind) == ["in-house-award-to-outside-supplier"])
        }
        #expect(codes(contract(procedure: .inHouse), nil) == [])
    }

    @Test func ownProductionUnderAMarketProcedure() {
        #expect(codes(contract(procedure: .open), .ownProduction) == ["own-production-under-market-procedure"])
        #expect(codes(contract(procedure: .open), .inHouseCompany) == [])
    }

    @Test func warningDetailsNameTheThreshold() {
        let detail = ContractTerms.warnings(contract(procedure: .directAward, totalEuros: 80_000), supplierKind: .commercial)[0].detail
        #expect(detail.contains("60 000 €"))
    }
}

@Suite struct ContractValidationTests {
    private func errors(_ json: String) -> Set<String> {
        let errors = InputErrors()
        _ = ContractFields.read(try! JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)), errors: errors)
        return Set(errors.list.compactMap(\.pointer))
    }

    private let base = #""title": "T", "supplierId": "s", "category": "services", "procedure": "open", "totalValueCents": 100, "startDate": "2026-01-01", "initialEndDate": "2026-12-31", "managedBy": "central""#

    @Test func validMinimalContract() {
        #expect(errors("{\(base), \"renewal\": \"none\"}").isEmpty)
    }

    @Test func crossFieldRules() {
        #expect(errors("{\(base), \"renewal\": \"tacit\"}") == ["/renewalPeriodMonths"])
        #expect(errors("{\(base), \"renewal\": \"none\", \"renewalPeriodMonths\": 12}") == ["/renewalPeriodMonths"])
        #expect(errors(#"{"title": "T", "supplierId": "s", "category": "services", "procedure": "open", "totalValueCents": 100, "startDate": "2026-01-01", "initialEndDate": "2025-12-31", "managedBy": "sector", "renewal": "none"}"#)
            == ["/initialEndDate", "/sector"])
        #expect(errors("{\(base), \"renewal\": \"none\", \"options\": [{\"months\": 0}, {\"months\": 12, \"extra\": 1}]}")
            == ["/options/0/months", "/options/1/extra"])
        #expect(errors("{\(base), \"renewal\": \"none\", \"serviceIds\": [\"a\", \"a\", 3]}") == ["/serviceIds/1", "/serviceIds/2"])
        #expect(errors("{\(base), \"renewal\": \"none\", \"currentEndDate\": \"2027-01-01\", \"status\": \"active\"}")
            == ["/currentEndDate", "/status"])
    }
}
