import Foundation
import Testing

@testable import SalkkuCore

private func json(_ text: String) -> JSONValue { try! JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

@Suite struct ExactDecimalTests {
    @Test(arguments: [
        ("99.49", Int64(99_490)), ("-0.5", -500), ("0", 0), ("100", 100_000), ("1e-3", 1), ("1.5E+2", 150_000),
        ("99.950", 99_950), ("0.001", 1), ("12.3400000", 12_340), ("1e2", 100_000),
    ])
    func parses(text: String, thousandths: Int64) {
        #expect(ExactDecimal(text)?.thousandths == thousandths)
    }

    @Test(arguments: ["", "-", ".", "1.2.3", "abc", "1e", "0x10", "1,5"])
    func rejectsNonNumbers(text: String) {
        #expect(ExactDecimal.parse(text) == .failure(.format))
    }

    @Test func rejectsMoreThanThreeFractionalDigits() {
        #expect(ExactDecimal.parse("99.4999") == .failure(.tooManyFractionalDigits))
        #expect(ExactDecimal.parse("1e-4") == .failure(.tooManyFractionalDigits))
        #expect(ExactDecimal.parse("10000000000000") == .failure(.tooLarge))
    }

    @Test func readsDoublesWithoutBinaryNoise() {
        let errors = InputErrors()
        #expect(ExactDecimal.read(.real(99.49), at: .root, errors: errors)?.description == "99.49")
        #expect(ExactDecimal.read(.real(0.1 + 0.2), at: .root, errors: errors) == nil)  // 0.30000000000000004
        #expect(errors.list.map(\.detail) == ["must have at most 3 fractional digits"])
        #expect(ExactDecimal.read(.string("1"), at: .root, errors: InputErrors()) == nil)
    }

    @Test func rendersExactly() throws {
        #expect(ExactDecimal(thousandths: 99_490).description == "99.49")
        #expect(ExactDecimal(thousandths: -1).description == "-0.001")
        #expect(ExactDecimal(thousandths: 5_000).description == "5")
        let encoded = String(decoding: try JSONEncoder().encode([ExactDecimal(thousandths: 99_495)]), as: UTF8.self)
        #expect(encoded == "[99.495]")
    }

    @Test func comparesExactly() {
        let target = ExactDecimal("99.5")!
        #expect(SLAComparator.atLeast.isMet(value: ExactDecimal("99.5")!, target: target))
        #expect(!SLAComparator.atLeast.isMet(value: ExactDecimal("99.499")!, target: target))
        #expect(SLAComparator.atMost.isMet(value: ExactDecimal("30")!, target: ExactDecimal(30)))
        #expect((ExactDecimal("99.2")! - target).magnitude == ExactDecimal("0.3")!)
    }
}

@Suite struct RoundingTests {
    @Test(arguments: [
        (Int64(1), Int64(3), "33.33"), (2, 3, "66.67"), (1, 8, "12.5"), (1, 1, "100"),
        // Half-even on exact halves of a hundredth: 0.125 % → 0.12, 0.375 % → 0.38.
        (1, 800, "0.12"), (3, 800, "0.38"), (5, 40_000, "0.01"), (15, 40_000, "0.04"),
    ])
    func percentRoundsHalfEven(numerator: Int64, denominator: Int64, expected: String) {
        #expect(Rounding.percent(numerator, of: denominator).description == expected)
    }
}

@Suite struct SLADefinitionTests {
    private func read(_ text: String) -> (SLAFields?, Set<String>) {
        let errors = InputErrors()
        let fields = SLAFields.read(json(text), errors: errors)
        return (fields, Set(errors.list.compactMap(\.pointer)))
    }

    private let base = #""contractId": "c", "serviceId": "s", "name": "Käytettävyys", "period": "month", "serviceCreditPercent": 5"#

    @Test func comparatorDefaultsByMetric() {
        #expect(read("{\(base), \"metric\": \"availability\", \"unit\": \"percent\", \"target\": 99.5}").0?.comparator == .atLeast)
        #expect(read("{\(base), \"metric\": \"resolution-time\", \"priority\": 2, \"unit\": \"hours\", \"target\": 8}").0?.comparator == .atMost)
        #expect(read("{\(base), \"metric\": \"custom\", \"unit\": \"score\", \"target\": 3}").1 == ["/comparator"])
    }

    @Test func rangesAndPriority() {
        #expect(read("{\(base), \"metric\": \"availability\", \"unit\": \"percent\", \"target\": 100.5}").1 == ["/target"])
        #expect(read("{\(base), \"metric\": \"availability\", \"unit\": \"percent\", \"target\": 99.5, \"priority\": 1}").1 == ["/priority"])
        #expect(read("{\(base), \"metric\": \"availability\", \"unit\": \"percent\", \"target\": 99.9999}").1 == ["/target"])
        #expect(read(#"{"contractId": "c", "serviceId": "s", "name": "n", "period": "month", "serviceCreditPercent": 101, "metric": "availability", "unit": "percent", "target": 99, "validFrom": "2026-02-01", "validTo": "2026-01-31"}"#).1
            == ["/serviceCreditPercent", "/validTo"])
    }

    @Test func effectiveTermsFollowTheContract() {
        let sla = read("{\(base), \"metric\": \"availability\", \"unit\": \"percent\", \"target\": 99.5}").0!
        let contract = ContractFields(
            title: "T", supplierId: "s", category: .services, procedure: .open, procuredOn: nil, totalValueCents: 0,
            annualValueCents: 1_000_001, startDate: LocalDate("2024-01-01")!, initialEndDate: LocalDate("2024-12-31")!,
            renewal: .tacit, renewalPeriodMonths: 12, noticePeriodMonths: 3, managedBy: .central)
        let terms = sla.effectiveTerms(contract: contract, on: LocalDate("2026-03-01")!)
        #expect(terms.effectivePeriodFeeCents == 83_333)
        #expect(terms.effectiveValidFrom == LocalDate("2024-01-01")!)
        #expect(terms.effectiveValidTo == LocalDate("2026-12-31")!)
        var quarterly = sla
        quarterly.period = .quarter
        #expect(quarterly.effectiveTerms(contract: contract, on: LocalDate("2026-03-01")!).effectivePeriodFeeCents == 250_000)
    }
}

@Suite struct ProjectTests {
    private func project(_ extra: String) -> (ProjectFields?, Set<String>) {
        let errors = InputErrors()
        let fields = ProjectFields.read(json(#"{"name": "P", "sector": "administration", "owner": {"name": "A"}, "#
            + extra + "}"), errors: errors)
        return (fields, Set(errors.list.compactMap(\.pointer)))
    }

    @Test func healthIsRequiredWhileUnderWay() {
        #expect(project(#""phase": "execution""#).1 == ["/health"])
        #expect(project(#""phase": "idea""#).1.isEmpty)
        #expect(project(#""phase": "execution", "actualEndDate": "2026-01-01", "health": "on-track""#).1 == ["/actualEndDate"])
    }

    @Test func budgetUsedAndLateness() {
        let (fields, _) = project(#""phase": "execution", "health": "at-risk", "budgetCents": 300, "actualCostCents": 100, "plannedEndDate": "2026-06-30""#)
        #expect(fields!.status(on: LocalDate("2026-06-30")!) == ProjectStatus(budgetUsedPercent: ExactDecimal("33.33"), late: false))
        #expect(fields!.status(on: LocalDate("2026-07-01")!).late)
        var closed = fields!
        closed.phase = .closed
        #expect(!closed.status(on: LocalDate("2027-01-01")!).late)
        closed.budgetCents = 0
        #expect(closed.status(on: LocalDate("2027-01-01")!).budgetUsedPercent == nil)
    }
}
