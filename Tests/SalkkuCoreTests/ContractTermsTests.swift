import Foundation
import Testing

@testable import SalkkuCore

/// A date of a table below; a typo fails its test instead of crashing the suite.
private func date(_ text: String) -> LocalDate {
    guard let date = LocalDate(text) else {
        Issue.record("not a date: \(text)")
        return LocalDate(daysSinceEpoch: 0)
    }
    return date
}

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

/// The tacit contract of the rules' worked example: yearly renewal from 2023-02-28 with three months' notice.
private func yearlyTacit(terminatedOn: String? = nil) -> ContractFields {
    contract(start: "2022-03-01", initialEnd: "2023-02-28", renewal: .tacit, period: 12, notice: 3, terminatedOn: terminatedOn)
}

/// One row of a terms table: a contract, the business date, and what its terms must be on that date.
struct TermsCase: Sendable, CustomTestStringConvertible {
    var label: String
    var contract: ContractFields
    var on: String
    var end: String
    var decision: ContractDecision?
    var deadline: String?
    var status: ContractStatus

    init(_ label: String, _ contract: ContractFields, on: String, end: String, _ decision: ContractDecision?,
         deadline: String?, _ status: ContractStatus) {
        self.label = label
        self.contract = contract
        self.on = on
        self.end = end
        self.decision = decision
        self.deadline = deadline
        self.status = status
    }

    var testDescription: String { "\(label) on \(on)" }

    func check() {
        let terms = ContractTerms(contract, on: date(on), supplierKind: nil)
        #expect(terms.currentEndDate == date(end), "currentEndDate")
        #expect(terms.decision == decision, "decision")
        #expect(terms.noticeDeadline == deadline.map(date), "noticeDeadline")
        #expect(terms.status == status, "status")
        // The static accessors agree with the terms.
        #expect(ContractTerms.currentEndDate(contract, on: date(on)) == terms.currentEndDate)
        #expect(ContractTerms.currentEndDate(contract.schedule, on: date(on)) == terms.currentEndDate)
        #expect(ContractTerms.decision(contract, on: date(on)) == terms.decision)
        // Rule 1: while the contract runs, the deadline is never before the business date nor after the end.
        if let deadline = terms.noticeDeadline {
            #expect([.active, .upcoming].contains(terms.status))
            #expect(deadline >= date(on) && deadline <= terms.currentEndDate)
        }
    }
}

@Suite struct ContractTermsTests {
    @Test func exercisedOptionsAreAddedInOneStep() {
        let c = contract(initialEnd: "2026-02-28", options: [(12, true), (6, true), (12, false)])
        #expect(ContractTerms.currentEndDate(c, on: date("2026-01-01")) == date("2027-08-31"))
        let mid = contract(initialEnd: "2026-01-30", options: [(1, true), (1, true)])
        #expect(ContractTerms.currentEndDate(mid, on: date("2026-01-01")) == date("2026-03-30"))
    }

    @Test(arguments: [
        // (initial end, period months, notice months, evaluation date, expected current end)
        // Without notice the deadline is the end itself, so the contract rolls once its end has passed.
        ("2025-06-30", 12, 0, "2025-06-30", "2025-06-30"),  // on the end date: not yet rolled
        ("2025-06-30", 12, 0, "2025-07-01", "2026-06-30"),
        ("2025-06-30", 12, 0, "2026-06-30", "2026-06-30"),
        ("2025-06-30", 12, 0, "2026-07-01", "2027-06-30"),
        ("2020-02-29", 12, 0, "2026-11-23", "2027-02-28"),  // month end stays a month end across leap years
        ("2020-02-29", 12, 0, "2027-03-01", "2028-02-29"),
        ("2024-01-30", 1, 0, "2024-03-29", "2024-03-30"),   // k × period from the base, never chained
        ("2024-01-30", 1, 0, "2024-02-29", "2024-02-29"),
        ("2023-12-31", 6, 0, "2026-11-23", "2026-12-31"),
        ("2023-12-31", 6, 0, "2027-01-01", "2027-06-30"),
        ("2010-05-15", 36, 0, "2026-11-23", "2028-05-15"),
        // With notice the contract rolls as soon as the notice deadline has passed, not at the end.
        ("2023-02-28", 12, 3, "2026-11-30", "2027-02-28"),  // the deadline day itself: still this end
        ("2023-02-28", 12, 3, "2026-12-01", "2028-02-29"),
        ("2023-02-28", 12, 3, "2026-12-15", "2028-02-29"),
        ("2023-02-28", 12, 3, "2027-02-28", "2028-02-29"),  // on the old end date it has long rolled
        ("2025-06-30", 12, 3, "2025-03-31", "2025-06-30"),
        ("2025-06-30", 12, 3, "2025-04-01", "2026-06-30"),
        ("2025-06-30", 12, 3, "2025-06-30", "2026-06-30"),
        ("2024-01-30", 1, 1, "2024-01-31", "2024-02-29"),   // deadline of 2024-02-29 is 2024-01-31 (month end)
        ("2024-01-30", 1, 1, "2024-02-01", "2024-03-30"),
        ("2010-05-15", 36, 6, "2027-11-15", "2028-05-15"),
        ("2010-05-15", 36, 6, "2027-11-16", "2031-05-15"),
        ("2024-12-31", 12, 24, "2025-01-01", "2027-12-31"),  // notice longer than the period: three deadlines already past
    ])
    func tacitRenewalRollsForward(initialEnd: String, period: Int, notice: Int, on evaluation: String, expected: String) {
        let c = contract(start: "2009-01-01", initialEnd: initialEnd, renewal: .tacit, period: period, notice: notice)
        #expect(ContractTerms.currentEndDate(c, on: date(evaluation)) == date(expected))
        #expect(ContractTerms.currentEndDate(c.schedule, on: date(evaluation)) == date(expected))
    }

    @Test(arguments: [
        // Rule 2: the worked example, and the days around its deadlines.
        TermsCase("tacit example", yearlyTacit(), on: "2026-12-15", end: "2028-02-29", .stopTacitRenewal, deadline: "2027-11-30", .active),
        TermsCase("tacit on its deadline", yearlyTacit(), on: "2026-11-30", end: "2027-02-28", .stopTacitRenewal, deadline: "2026-11-30", .active),
        TermsCase("tacit a day after", yearlyTacit(), on: "2026-12-01", end: "2028-02-29", .stopTacitRenewal, deadline: "2027-11-30", .active),
        TermsCase("tacit first period", yearlyTacit(), on: "2022-11-30", end: "2023-02-28", .stopTacitRenewal, deadline: "2022-11-30", .active),
        TermsCase("tacit first roll", yearlyTacit(), on: "2022-12-01", end: "2024-02-29", .stopTacitRenewal, deadline: "2023-11-30", .active),
        TermsCase("tacit on an old end", yearlyTacit(), on: "2027-02-28", end: "2028-02-29", .stopTacitRenewal, deadline: "2027-11-30", .active),
        TermsCase("tacit far ahead", yearlyTacit(), on: "2199-12-01", end: "2201-02-28", .stopTacitRenewal, deadline: "2200-11-30", .active),
        // Rule 3: options, their lapse, and the renewal rule after it.
        TermsCase("option open", contract(options: [(12, false)]), on: "2026-09-30", end: "2026-12-31", .exerciseOption, deadline: "2026-09-30", .active),
        TermsCase("option lapsed", contract(options: [(12, false)]), on: "2026-10-01", end: "2026-12-31", nil, deadline: nil, .active),
        TermsCase("option lapsed, ended", contract(options: [(12, false)]), on: "2027-01-01", end: "2026-12-31", nil, deadline: nil, .expired),
        TermsCase("two options open", contract(options: [(12, false), (12, false)]), on: "2026-09-30", end: "2026-12-31", .exerciseOption, deadline: "2026-09-30", .active),
        TermsCase("two options lapse together", contract(options: [(12, false), (12, false)]), on: "2026-10-01", end: "2026-12-31", nil, deadline: nil, .active),
        TermsCase("second option open", contract(options: [(12, true), (12, false)]), on: "2027-09-30", end: "2027-12-31", .exerciseOption, deadline: "2027-09-30", .active),
        TermsCase("second option lapsed", contract(options: [(12, true), (12, false)]), on: "2027-10-01", end: "2027-12-31", nil, deadline: nil, .active),
        TermsCase("all options exercised", contract(options: [(12, true), (12, true)]), on: "2026-10-01", end: "2028-12-31", nil, deadline: nil, .active),
        TermsCase("option before tacit", contract(options: [(12, false)], renewal: .tacit, period: 12), on: "2026-06-01", end: "2026-12-31", .exerciseOption, deadline: "2026-09-30", .active),
        TermsCase("option lapsed to tacit", contract(options: [(12, false)], renewal: .tacit, period: 12), on: "2026-10-01", end: "2027-12-31", .stopTacitRenewal, deadline: "2027-09-30", .active),
        TermsCase("two options lapsed to tacit", contract(options: [(12, false), (24, false)], renewal: .tacit, period: 6), on: "2026-10-01", end: "2027-06-30", .stopTacitRenewal, deadline: "2027-03-31", .active),
        TermsCase("option lapsed to express", contract(options: [(12, false)], renewal: .express), on: "2026-10-01", end: "2026-12-31", .agreeRenewal, deadline: "2026-12-31", .active),
        TermsCase("two options lapsed to express", contract(options: [(12, false), (12, false)], renewal: .express), on: "2026-12-31", end: "2026-12-31", .agreeRenewal, deadline: "2026-12-31", .active),
        // Rule 4: express renewal, before and after its notice deadline.
        TermsCase("express before deadline", contract(renewal: .express), on: "2026-09-30", end: "2026-12-31", .agreeRenewal, deadline: "2026-09-30", .active),
        TermsCase("express after deadline", contract(renewal: .express), on: "2026-10-01", end: "2026-12-31", .agreeRenewal, deadline: "2026-12-31", .active),
        TermsCase("express on its end", contract(renewal: .express), on: "2026-12-31", end: "2026-12-31", .agreeRenewal, deadline: "2026-12-31", .active),
        TermsCase("express ended", contract(renewal: .express), on: "2027-01-01", end: "2026-12-31", nil, deadline: nil, .expired),
        // Rule 5: a recorded termination, in the future, on the business date, in the past.
        TermsCase("tacit, notice for the end", yearlyTacit(terminatedOn: "2027-02-28"), on: "2026-12-15", end: "2027-02-28", nil, deadline: nil, .active),
        TermsCase("tacit, terminating tomorrow", yearlyTacit(terminatedOn: "2026-12-16"), on: "2026-12-15", end: "2026-12-16", nil, deadline: nil, .active),
        TermsCase("tacit, terminating today", yearlyTacit(terminatedOn: "2026-12-15"), on: "2026-12-15", end: "2026-12-15", nil, deadline: nil, .terminated),
        TermsCase("tacit, terminated", yearlyTacit(terminatedOn: "2026-06-30"), on: "2026-12-15", end: "2026-06-30", nil, deadline: nil, .terminated),
        TermsCase("tacit, termination after the rolled end", yearlyTacit(terminatedOn: "2029-02-28"), on: "2026-12-15", end: "2028-02-29", nil, deadline: nil, .active),
        TermsCase("option, terminating", contract(options: [(12, false)], terminatedOn: "2026-11-30"), on: "2026-06-01", end: "2026-11-30", nil, deadline: nil, .active),
        TermsCase("express, terminating", contract(renewal: .express, terminatedOn: "2026-12-31"), on: "2026-06-01", end: "2026-12-31", nil, deadline: nil, .active),
        TermsCase("none, terminated", contract(terminatedOn: "2026-06-30"), on: "2027-06-01", end: "2026-06-30", nil, deadline: nil, .terminated),
        TermsCase("none, termination after its end", contract(terminatedOn: "2027-06-30"), on: "2027-03-01", end: "2026-12-31", nil, deadline: nil, .expired),
        TermsCase("upcoming, terminating", contract(renewal: .express, terminatedOn: "2025-06-30"), on: "2023-12-01", end: "2025-06-30", nil, deadline: nil, .upcoming),
        // Rule 6: expired and upcoming.
        TermsCase("none, running", contract(), on: "2026-12-31", end: "2026-12-31", nil, deadline: nil, .active),
        TermsCase("none, expired", contract(), on: "2027-01-01", end: "2026-12-31", nil, deadline: nil, .expired),
        TermsCase("express, upcoming", contract(renewal: .express), on: "2023-06-01", end: "2026-12-31", .agreeRenewal, deadline: "2026-09-30", .upcoming),
        TermsCase("option, upcoming", contract(options: [(12, false)]), on: "2023-12-31", end: "2026-12-31", .exerciseOption, deadline: "2026-09-30", .upcoming),
        TermsCase("tacit, upcoming", yearlyTacit(), on: "2022-02-01", end: "2023-02-28", .stopTacitRenewal, deadline: "2022-11-30", .upcoming),
        // Rule 7: a notice deadline before the start is a warning only; the dates follow the rules.
        TermsCase("tacit, deadline before start", contract(start: "2026-03-01", initialEnd: "2026-07-31", renewal: .tacit, period: 12, notice: 6),
                  on: "2026-02-15", end: "2027-07-31", .stopTacitRenewal, deadline: "2027-01-31", .upcoming),
        TermsCase("tacit, deadline before start, awaiting it", contract(start: "2026-03-01", initialEnd: "2026-07-31", renewal: .tacit, period: 12, notice: 6),
                  on: "2026-01-15", end: "2026-07-31", .stopTacitRenewal, deadline: "2026-01-31", .upcoming),
        TermsCase("express, deadline before start", contract(start: "2026-03-01", initialEnd: "2026-07-31", renewal: .express, notice: 6),
                  on: "2026-03-01", end: "2026-07-31", .agreeRenewal, deadline: "2026-07-31", .active),
        TermsCase("option, deadline before start", contract(start: "2026-03-01", initialEnd: "2026-07-31", options: [(12, false)], notice: 6),
                  on: "2026-03-01", end: "2026-07-31", nil, deadline: nil, .active),
    ])
    func termsOnABusinessDate(_ row: TermsCase) {
        row.check()
    }

    @Test func terminatedTacitContractEndsOnItsTermination() {
        let c = contract(initialEnd: "2025-06-30", renewal: .tacit, period: 12, terminatedOn: "2025-06-30")
        let terms = ContractTerms(c, on: date("2026-11-23"), supplierKind: .commercial)
        #expect(terms.currentEndDate == date("2025-06-30"))
        #expect(terms.status == .terminated)
        #expect(terms.decision == nil && terms.noticeDeadline == nil)
    }

    @Test(arguments: [
        ([(12, true), (12, false)], Renewal.tacit, "2026-01-01", ContractDecision?.some(.exerciseOption)),
        ([(12, true)], .tacit, "2026-01-01", .stopTacitRenewal),
        ([], .express, "2026-01-01", .agreeRenewal),
        ([(6, false)], .none, "2026-01-01", .exerciseOption),
        ([(6, false)], .none, "2026-10-01", nil),  // lapsed
        ([(6, false)], .express, "2026-10-01", .agreeRenewal),
        ([(6, false)], .tacit, "2026-10-01", .stopTacitRenewal),
        ([], .none, "2026-01-01", nil),
        ([(12, true), (12, true)], .none, "2026-01-01", nil),
        ([], .express, "2027-01-01", nil),  // expired
    ])
    func decisions(options: [(Int, Bool)], renewal: Renewal, on evaluation: String, expected: ContractDecision?) {
        let c = contract(options: options, renewal: renewal, period: renewal == .tacit ? 12 : nil)
        #expect(ContractTerms.decision(c, on: date(evaluation)) == expected)
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

    @Test(arguments: [
        // (start, initial end, options, notice, expected warning detail)
        ("2026-03-01", "2026-07-31", [(Int, Bool)](), 6,
         String?.some("the notice period of 6 months puts the notice deadline 2026-01-31 before the start date 2026-03-01")),
        ("2026-03-01", "2026-03-15", [], 1,
         "the notice period of 1 month puts the notice deadline 2026-02-15 before the start date 2026-03-01"),
        ("2026-03-01", "2026-07-31", [(12, false)], 6,  // an option not exercised does not count
         "the notice period of 6 months puts the notice deadline 2026-01-31 before the start date 2026-03-01"),
        ("2026-03-01", "2026-09-01", [], 6, nil),  // the deadline on the start date itself
        ("2026-03-01", "2026-07-31", [(12, true)], 6, nil),  // an exercised option moves the initial end
        ("2026-03-01", "2026-03-01", [], 0, nil),
        ("2024-01-01", "2026-12-31", [], 60, "the notice period of 60 months puts the notice deadline 2021-12-31 before the start date 2024-01-01"),
    ])
    func noticeDeadlineBeforeStartIsAWarning(start: String, initialEnd: String, options: [(Int, Bool)], notice: Int, expected: String?) {
        let c = contract(start: start, initialEnd: initialEnd, options: options, renewal: .express, notice: notice)
        let warnings = ContractTerms(c, on: date("2026-01-01"), supplierKind: .commercial).procedureWarnings
            .filter { $0.code == "notice-deadline-before-start" }
        #expect(warnings.map(\.detail) == (expected.map { [$0] } ?? []))
        #expect(ContractTerms.warnings(c, supplierKind: .commercial).filter { $0.code == "notice-deadline-before-start" } == warnings)
    }
}

@Suite struct SLAValidityTests {
    @Test(arguments: [
        // (SLA validTo, contract terminatedOn, business date, expected effectiveValidTo) for the worked tacit example
        (String?.none, String?.none, "2026-12-15", "2028-02-29"),
        (nil, nil, "2026-11-30", "2027-02-28"),
        ("2029-12-31", nil, "2026-12-15", "2029-12-31"),
        (nil, "2027-02-28", "2026-12-15", "2027-02-28"),
        ("2027-12-31", "2027-02-28", "2026-12-15", "2027-02-28"),
        ("2026-06-30", "2027-02-28", "2026-12-15", "2026-06-30"),
        (nil, "2026-06-30", "2026-12-15", "2026-06-30"),
        ("2030-01-31", "2026-06-30", "2026-12-15", "2026-06-30"),
    ])
    func validToEndsWithTheContract(validTo: String?, terminatedOn: String?, on evaluation: String, expected: String) {
        let c = yearlyTacit(terminatedOn: terminatedOn)
        let terms = SLAEffectiveTerms(period: .month, periodFeeCents: nil, validFrom: nil, validTo: validTo.map(date),
                                      contract: c.schedule, on: date(evaluation))
        #expect(terms.effectiveValidTo == date(expected))
        #expect(terms.effectiveValidFrom == date("2022-03-01"))
        if validTo == nil {
            #expect(terms.effectiveValidTo == ContractTerms(c, on: date(evaluation), supplierKind: nil).currentEndDate)
        }
    }
}

private let stamp = Timestamp(millisecondsSinceEpoch: 0)

private func contractRecord(_ id: String, _ fields: ContractFields) -> Resource<ContractFields> {
    Resource(meta: ResourceMeta(id: id, cityId: "c", version: 1, createdAt: stamp, updatedAt: stamp), fields: fields)
}

@Suite struct ContractDeadlineTests {
    static let today = "2026-11-23"  // a 90-day window reaches 2027-02-21

    @Test(arguments: [
        // (label, contract, expected kind, expected deadline)
        ("express, deadline in the window", contract(initialEnd: "2027-01-31", renewal: .express, notice: 2),
         ContractDeadline.Kind?.some(.noticeDeadline), String?.some("2026-11-30")),
        ("express, its end as deadline", contract(initialEnd: "2027-01-31", renewal: .express, notice: 3), .noticeDeadline, "2027-01-31"),
        ("none, ending in the window", contract(initialEnd: "2027-02-15"), .end, "2027-02-15"),
        ("none, ending on the window's last day", contract(initialEnd: "2027-02-21"), .end, "2027-02-21"),
        ("none, ending after the window", contract(initialEnd: "2027-02-22"), nil, nil),
        ("none, ending far away", contract(initialEnd: "2029-12-31"), nil, nil),
        ("option, deadline in the window", contract(initialEnd: "2027-02-15", options: [(12, false)], notice: 2), .noticeDeadline, "2026-12-15"),
        ("option lapsed, ending in the window", contract(initialEnd: "2027-01-31", options: [(12, false)], notice: 3), .end, "2027-01-31"),
        ("tacit, deadline in the window", contract(initialEnd: "2027-01-31", renewal: .tacit, period: 12, notice: 1), .noticeDeadline, "2026-12-31"),
        ("tacit, rolled past its old end", contract(initialEnd: "2027-01-31", renewal: .tacit, period: 12, notice: 3), nil, nil),
        ("tacit without a period, never an end", contract(initialEnd: "2027-01-31", renewal: .tacit, period: nil, notice: 3), nil, nil),
        ("tacit, terminating in the window", contract(initialEnd: "2026-01-31", renewal: .tacit, period: 12, terminatedOn: "2027-01-31"), .end, "2027-01-31"),
        ("tacit, terminating after the window", contract(initialEnd: "2026-01-31", renewal: .tacit, period: 12, terminatedOn: "2027-03-31"), nil, nil),
        ("express, terminating in the window", contract(initialEnd: "2027-06-30", renewal: .express, terminatedOn: "2027-01-15"), .end, "2027-01-15"),
        ("terminated", contract(initialEnd: "2027-01-31", terminatedOn: "2026-10-31"), nil, nil),
        ("terminated today", contract(initialEnd: "2027-01-31", renewal: .express, terminatedOn: "2026-11-23"), nil, nil),
        ("expired", contract(initialEnd: "2026-11-22"), nil, nil),
        ("upcoming, deadline in the window", contract(start: "2026-12-01", initialEnd: "2027-03-31", renewal: .express, notice: 3), .noticeDeadline, "2026-12-31"),
    ])
    func listing(label: String, contract c: ContractFields, kind: ContractDeadline.Kind?, deadline: String?) {
        let terms = ContractTerms(c, on: date(Self.today), supplierKind: nil)
        let items = ContractDeadline.upcoming([(contractRecord("k", c), terms)], suppliers: [:], on: date(Self.today), withinDays: 90)
        #expect(items.map(\.kind) == (kind.map { [$0] } ?? []), "\(label)")
        #expect(items.map(\.deadline) == (deadline.map { [date($0)] } ?? []), "\(label)")
        for item in items {
            #expect(item.daysLeft == date(Self.today).daysUntil(item.deadline))
            #expect(item.currentEndDate == terms.currentEndDate && item.noticeDeadline == terms.noticeDeadline)
            #expect(item.decision == terms.decision)
        }
    }

    @Test func soonestFirstWithSupplierNames() throws {
        let on = date(Self.today)
        let contracts = [
            ("a", contract(initialEnd: "2027-02-15")),
            ("b", contract(initialEnd: "2027-01-31", renewal: .express, notice: 2)),
            ("c", contract(initialEnd: "2027-01-31", renewal: .tacit, period: 12, notice: 3)),
            ("d", contract(initialEnd: "2026-01-31", renewal: .tacit, period: 12, terminatedOn: "2027-01-31")),
        ].map { (record: contractRecord($0.0, $0.1), terms: ContractTerms($0.1, on: on, supplierKind: nil)) }
        let supplier = Resource(meta: ResourceMeta(id: "s", cityId: "c", version: 1, createdAt: stamp, updatedAt: stamp),
                                fields: SupplierFields(name: "Esimerkki Oy", businessId: "0112038-9", kind: .commercial))
        let items = ContractDeadline.upcoming(contracts, suppliers: ["s": supplier], on: on, withinDays: 90)
        #expect(items.map(\.contractId) == ["b", "d", "a"])
        #expect(items.map(\.kind) == [.noticeDeadline, .end, .end])
        #expect(items.allSatisfy { $0.supplierName == "Esimerkki Oy" })
        let first = try #require(items.first)
        #expect(first.daysLeft == 7)
    }
}


@Suite struct RenewalClosedFormTests {
    /// The reference: step one period at a time from the base end until the notice deadline is not past.
    static func renewalsByLoop(from end: LocalDate, notice: Int, period: Int, on date: LocalDate) -> Int {
        var periods = 0
        while end.adding(months: periods * period).adding(months: -notice) < date { periods += 1 }
        return periods
    }

    @Test func closedFormMatchesTheLoop() {
        var random = SeededRandom(seed: 20_261_215)
        let first = LocalDate(year: 1900, month: 1, day: 1).map(\.daysSinceEpoch) ?? 0
        let last = LocalDate(year: 2200, month: 12, day: 31).map(\.daysSinceEpoch) ?? 0
        var mismatches = 0
        for _ in 0..<5_000 {
            let start = LocalDate(daysSinceEpoch: Int.random(in: first...(last - 4_000), using: &random))
            // Month ends and days 29–31 are where month arithmetic differs; draw them often.
            let drawnEnd = start.adding(days: Int.random(in: 0...4_000, using: &random))
            let end = Bool.random(using: &random) ? drawnEnd
                : LocalDate(year: drawnEnd.year, month: drawnEnd.month, day: LocalDate.daysIn(month: drawnEnd.month, year: drawnEnd.year)) ?? drawnEnd
            let period = Int.random(in: 1...120, using: &random)
            let notice = Int.random(in: 0...60, using: &random)
            let on = LocalDate(daysSinceEpoch: Int.random(in: first...last, using: &random))
            let options = (0..<Int.random(in: 0...2, using: &random)).map { _ in
                ContractOption(months: Int.random(in: 1...36, using: &random), exercised: true)
            }

            let renewals = ContractTerms.renewalsBeforeNotice(from: end, noticeMonths: notice, periodMonths: period, on: on)
            let byLoop = Self.renewalsByLoop(from: end, notice: notice, period: period, on: on)
            if renewals != byLoop { mismatches += 1 }
            #expect(renewals == byLoop, "\(end) − \(notice) by \(period) on \(on)")

            // The whole terms of a tacit contract follow the loop too.
            let c = ContractFields(
                title: "T", supplierId: "s", category: .services, procedure: .open, procuredOn: nil, totalValueCents: 0,
                annualValueCents: nil, startDate: start, initialEndDate: end, options: options, renewal: .tacit,
                renewalPeriodMonths: period, noticePeriodMonths: notice, managedBy: .central)
            let base = c.schedule.extendedEndDate
            let loopEnd = base.adding(months: Self.renewalsByLoop(from: base, notice: notice, period: period, on: on) * period)
            let terms = ContractTerms(c, on: on, supplierKind: nil)
            #expect(terms.currentEndDate == loopEnd, "\(c.initialEndDate) by \(period), notice \(notice), on \(on)")
            #expect(terms.noticeDeadline == loopEnd.adding(months: -notice))
            #expect(terms.decision == .stopTacitRenewal)
            #expect(terms.status == (on < start ? .upcoming : .active))
            if let deadline = terms.noticeDeadline { #expect(deadline >= on && deadline <= terms.currentEndDate) }
            if mismatches > 10 { break }  // one failure is enough to see; thousands are noise
        }
    }

    @Test func oldRenewalPeriodsIsTheZeroNoticeCase() {
        let end = date("2024-01-30")
        #expect(ContractTerms.renewalPeriods(from: end, to: date("2024-01-01"), periodMonths: 1) == 1)
        #expect(ContractTerms.renewalPeriods(from: end, to: date("2024-03-29"), periodMonths: 1) == 2)
        #expect(ContractTerms.renewalPeriods(from: end, to: date("2024-03-31"), periodMonths: 1) == 3)
    }

    @Test func anEvaluationDateFarAwayAnswersAtOnce() {
        let c = contract(start: "1900-01-01", initialEnd: "1900-12-31", renewal: .tacit, period: 1, notice: 60)
        let terms = ContractTerms(c, on: date("2200-12-15"), supplierKind: nil)
        #expect(terms.currentEndDate == date("2205-12-31"))
        #expect(terms.noticeDeadline == date("2200-12-31"))
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
        for kind in [SupplierKind.ownProduction, .inHouseCompany, .municipalEnterprise, .sharedServiceCentre] {
            #expect(codes(contract(procedure: .inHouse, totalEuros: 5_000_000), kind) == [])
        }
        #expect(codes(contract(procedure: .inHouse), .commercial) == ["in-house-award-to-outside-supplier"])
        #expect(codes(contract(procedure: .inHouse), nil) == [])
    }

    /// In-house is a relation (1397/2016 § 15): the buying city must control the unit, whatever its kind.
    static let controlCases: [(SupplierKind, Bool, [String])] = [
        (SupplierKind.inHouseCompany, true, [String]()), (.inHouseCompany, false, ["in-house-award-buyer-not-owner"]),
        (.sharedServiceCentre, true, []), (.sharedServiceCentre, false, ["in-house-award-buyer-not-owner"]),
        (.ownProduction, false, ["in-house-award-buyer-not-owner"]), (.municipalEnterprise, true, []),
        (.commercial, false, ["in-house-award-to-outside-supplier"]),
    ]

    @Test(arguments: ProcedureWarningTests.controlCases)
    func inHouseAwardOnlyFromAUnitTheBuyerControls(kind: SupplierKind, controls: Bool, expected: [String]) {
        let warnings = ContractTerms.warnings(contract(procedure: .inHouse), supplierKind: kind, buyerControlsSupplier: controls)
        #expect(warnings.map(\.code) == expected)
        // A market procedure with a unit the city does not control is no in-house question.
        #expect(ContractTerms.warnings(contract(procedure: .open), supplierKind: .inHouseCompany, buyerControlsSupplier: controls).isEmpty)
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
    private func errors(_ json: String) throws -> Set<String> {
        let errors = InputErrors()
        _ = ContractFields.read(try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)), errors: errors)
        return Set(errors.list.compactMap(\.pointer))
    }

    private let base = #""title": "T", "supplierId": "s", "category": "services", "procedure": "open", "totalValueCents": 100, "startDate": "2026-01-01", "initialEndDate": "2026-12-31", "managedBy": "central""#

    @Test func validMinimalContract() throws {
        #expect(try errors("{\(base), \"renewal\": \"none\"}").isEmpty)
    }

    @Test func crossFieldRules() throws {
        #expect(try errors("{\(base), \"renewal\": \"tacit\"}") == ["/renewalPeriodMonths"])
        #expect(try errors("{\(base), \"renewal\": \"none\", \"renewalPeriodMonths\": 12}") == ["/renewalPeriodMonths"])
        #expect(try errors(#"{"title": "T", "supplierId": "s", "category": "services", "procedure": "open", "totalValueCents": 100, "startDate": "2026-01-01", "initialEndDate": "2025-12-31", "managedBy": "sector", "renewal": "none"}"#)
            == ["/initialEndDate", "/sector"])
        #expect(try errors("{\(base), \"renewal\": \"none\", \"options\": [{\"months\": 0}, {\"months\": 12, \"extra\": 1}]}")
            == ["/options/0/months", "/options/1/extra"])
        #expect(try errors("{\(base), \"renewal\": \"none\", \"serviceIds\": [\"a\", \"a\", 3]}") == ["/serviceIds/1", "/serviceIds/2"])
        #expect(try errors("{\(base), \"renewal\": \"none\", \"currentEndDate\": \"2027-01-01\", \"status\": \"active\"}")
            == ["/currentEndDate", "/status"])
    }
}
