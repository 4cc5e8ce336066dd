import Testing

@testable import SalkkuCore

private func month(_ text: String) -> YearMonth { YearMonth(text)! }
private func period(_ text: String) -> MeasurementPeriod { MeasurementPeriod(text)! }
private func date(_ text: String) -> LocalDate { LocalDate(text)! }
private func range(_ from: String, _ to: String) -> MonthRange { MonthRange(from: month(from), to: month(to)) }

private func entry(_ id: String, _ name: String, _ metric: SLAMetric = .availability, _ kind: SLAPeriod = .month, city: String = "city",
                   contract: (String, String) = ("c1", "Sopimus"), supplier: String = "s1", service: String = "v1",
                   from: String = "2025-01-01", to: String = "2026-12-31", credit: Int64 = 0) -> SLAEntry {
    SLAEntry(id: id, cityId: city, name: name, metric: metric, unit: .percent, contractId: contract.0, contractTitle: contract.1,
             supplierId: supplier, serviceId: service, creditPercent: ExactDecimal(5),
             scope: SLAScope(slaId: id, kind: kind, comparator: .atLeast, target: ExactDecimal("99.5")!, validFrom: date(from),
                             validTo: date(to), creditPerBreachCents: credit))
}

private func outcomes(_ tally: ComplianceTally) -> [Int] { [tally.met, tally.breached, tally.missing, tally.pending] }

/// Five SLAs of one city over January–June 2026, reports due by 10 May (January to April have ended, and Q1).
/// Tallies worked out by hand, period by period:
/// - a1 (monthly, 100 ¢ a breach): 3 met, 1 breached with an open dispute, May and June pending.
/// - a2 (monthly): 2 met, one of them May's, reported early; March and April missing, June pending.
/// - q1 (quarterly): Q1 breached, Q2 pending.
/// - x (monthly, valid from April): April missing, May and June pending.
/// - z (valid only in 2027): out of scope, in no group and not counted.
private enum CityFixture {
    static let slas = CitySLAs(
        city: ReportRef(id: "city", name: "Vantaa"),
        entries: [
            entry("a1", "Käytettävyys", contract: ("c1", "Sopimus B"), supplier: "s2", service: "v1", credit: 100),
            entry("a2", "Käytettävyys", contract: ("c2", "Sopimus A"), supplier: "s1", service: "v2", credit: 50),
            entry("q1", "Tyytyväisyys", .satisfaction, .quarter, contract: ("c1", "Sopimus B"), supplier: "s2", service: "v1"),
            entry("x", "Vasteaika", .responseTime, contract: ("c2", "Sopimus A"), supplier: "s3", service: "v2", from: "2026-04-01",
                  credit: 10),
            entry("z", "Tuleva", supplier: "s1", from: "2027-01-01", to: "2027-12-31"),
        ],
        // s2 and s3 share a name; v2's name is unknown and shows empty.
        supplierNames: ["s1": "Beta Oy", "s2": "Alfa Oy", "s3": "Alfa Oy"], serviceNames: ["v1": "Asianhallinta"])

    static let input = ComplianceReportInput(
        slas: slas, range: range("2026-01", "2026-06"), dueBy: date("2026-05-10"),
        counts: [
            "a1": [nil: MeasuredCounts(met: 3, breached: 1, openDisputes: 1, ended: 4, notEnded: 0)],
            "a2": [nil: MeasuredCounts(met: 2, breached: 0, ended: 2, notEnded: 1)],
            "q1": [nil: MeasuredCounts(met: 0, breached: 1, ended: 1)],
        ],
        byMonth: false)
}

@Suite struct ComplianceRollUpTests {
    @Test func totalsOfTheSLAsInScope() {
        let totals = ComplianceReports.rollUp(CityFixture.input, by: .none).totals
        #expect(totals.slaCount == 4)                      // z is out of scope
        #expect(totals.periodsInScope == 6 + 6 + 2 + 3)
        #expect(outcomes(totals) == [5, 2, 3, 6])
        #expect(totals.openDisputes == 1)
        #expect(totals.serviceCreditsCents == 100)          // a1's one breach; q1's credit is 0
        #expect(totals.compliancePercent == ExactDecimal("71.43"))   // 5 / 7
        #expect(totals.coveragePercent == ExactDecimal("70"))        // 7 / 10
    }

    /// Groups come out by name, then id; each group's outcomes are the sum of its SLAs'.
    @Test(arguments: [
        (ComplianceGroupBy.none, [("city", "Vantaa", [5, 2, 3, 6])]),
        (.sla, [("a1", "Käytettävyys", [3, 1, 0, 2]), ("a2", "Käytettävyys", [2, 0, 2, 1]), ("q1", "Tyytyväisyys", [0, 1, 0, 1]),
                ("x", "Vasteaika", [0, 0, 1, 2])]),
        (.contract, [("c2", "Sopimus A", [2, 0, 3, 3]), ("c1", "Sopimus B", [3, 2, 0, 3])]),
        (.supplier, [("s2", "Alfa Oy", [3, 2, 0, 3]), ("s3", "Alfa Oy", [0, 0, 1, 2]), ("s1", "Beta Oy", [2, 0, 2, 1])]),
        (.service, [("v2", "", [2, 0, 3, 3]), ("v1", "Asianhallinta", [3, 2, 0, 3])]),
        (.metric, [("availability", "availability", [5, 1, 2, 3]), ("response-time", "response-time", [0, 0, 1, 2]),
                   ("satisfaction", "satisfaction", [0, 1, 0, 1])]),
    ] as [(ComplianceGroupBy, [(String, String, [Int])])])
    func groupsInOrder(groupBy: ComplianceGroupBy, expected: [(String, String, [Int])]) {
        let rollUp = ComplianceReports.rollUp(CityFixture.input, by: groupBy)
        #expect(rollUp.groups.map(\.key.id) == expected.map(\.0))
        #expect(rollUp.groups.map(\.key.name) == expected.map(\.1))
        #expect(rollUp.groups.map { outcomes($0.tally) } == expected.map(\.2))
        #expect(rollUp.groups.allSatisfy { $0.key.type == (groupBy == .none ? "city" : groupBy.rawValue) })
        #expect(rollUp.groups.reduce(ComplianceTally()) { $0 + $1.tally } == rollUp.totals)
    }

    @Test(arguments: [
        (ComplianceFilters(), true), (ComplianceFilters(supplierId: "s2"), true), (ComplianceFilters(supplierId: "s1"), false),
        (ComplianceFilters(contractId: "c1", serviceId: "v1"), true), (ComplianceFilters(contractId: "c1", serviceId: "v2"), false),
        (ComplianceFilters(supplierId: "s2", contractId: "c1", serviceId: "v1"), true),
    ])
    func filtersAdmitWhatMatchesEveryOneGiven(filters: ComplianceFilters, admitsA1: Bool) {
        #expect(filters.admits(CityFixture.slas.entries[0]) == admitsA1)
    }
}

/// A monthly SLA (100 ¢ a breach) and a quarterly one (30 ¢) over February–April 2026, due by 15 April; counts are
/// under the month each period ends. February met; March breached, and Q1 breached with an open dispute, counted
/// in March, the month it ends; April not yet ended; Q2 ends after the range.
@Suite struct ComplianceTrendTests {
    static let input = ComplianceReportInput(
        slas: CitySLAs(city: ReportRef(id: "city", name: "Vantaa"),
                       entries: [entry("m", "Käytettävyys", credit: 100), entry("q", "Tyytyväisyys", .satisfaction, .quarter, credit: 30)],
                       supplierNames: [:], serviceNames: [:]),
        range: range("2026-02", "2026-04"), dueBy: date("2026-04-15"),
        counts: [
            "m": [month("2026-02").index: MeasuredCounts(met: 1, ended: 1), month("2026-03").index: MeasuredCounts(breached: 1, ended: 1)],
            "q": [month("2026-03").index: MeasuredCounts(breached: 1, openDisputes: 1, ended: 1)],
        ],
        byMonth: true)

    /// Month, SLA count, periods in scope, outcomes, open disputes, credits, metric groups.
    @Test(arguments: [
        ("2026-02", 1, 1, [1, 0, 0, 0], 0, 0, ["availability"]),
        ("2026-03", 2, 2, [0, 2, 0, 0], 1, 130, ["availability", "satisfaction"]),
        ("2026-04", 1, 1, [0, 0, 0, 1], 0, 0, ["availability"]),
    ] as [(String, Int, Int, [Int], Int, Int64, [String])])
    func quartersCountInTheMonthTheyEnd(text: String, slaCount: Int, periods: Int, expected: [Int], openDisputes: Int, credits: Int64,
                                        groups: [String]) throws {
        let trend = ComplianceReports.trend(Self.input, by: .metric)
        let found = try #require(trend.first { $0.month == month(text) })
        #expect(found.totals.slaCount == slaCount && found.totals.periodsInScope == periods)
        #expect(outcomes(found.totals) == expected)
        #expect(found.totals.openDisputes == openDisputes && found.totals.serviceCreditsCents == Total(credits))
        #expect(found.groups.map(\.key.id) == groups)
    }

    @Test func everyMonthOfTheRangeInOrder() {
        #expect(ComplianceReports.trend(Self.input, by: .none).map(\.month.description) == ["2026-02", "2026-03", "2026-04"])
        var empty = Self.input
        empty.counts = [:]
        empty.range = range("2026-05", "2026-06")
        let quiet = ComplianceReports.trend(empty, by: .sla)
        // May and June: the monthly SLA is pending; Q2 ends in June.
        #expect(quiet.map { $0.groups.map(\.key.id) } == [["m"], ["m", "q"]])
        #expect(quiet.map { outcomes($0.totals) } == [[0, 0, 0, 1], [0, 0, 0, 2]])
    }
}

@Suite struct MissingReportsTests {
    /// January–June 2026, due by 10 May: January to April and Q1 have ended.
    static let input = MissingReportsInput(
        slas: CitySLAs(
            city: ReportRef(id: "city", name: "Vantaa"),
            entries: [
                entry("a1", "Käytettävyys", supplier: "s2"), entry("a0", "Käytettävyys", supplier: "s3"),
                entry("q1", "Tyytyväisyys", .satisfaction, .quarter, supplier: "s2"), entry("x", "Vasteaika", supplier: "s3", from: "2026-04-01"),
                entry("b", "Aika", supplier: "s1"), entry("a2", "Käytettävyys", supplier: "s1"),
            ],
            supplierNames: ["s1": "Beta Oy", "s2": "Alfa Oy", "s3": "Alfa Oy"], serviceNames: [:]),
        range: range("2026-01", "2026-06"), dueBy: date("2026-05-10"),
        measured: [
            "a1": [period("2026-01"), period("2026-02"), period("2026-04")],
            "b": [period("2026-01"), period("2026-02"), period("2026-03"), period("2026-04")],
            "a2": [period("2026-05")],
        ])

    /// By supplier name, then SLA name, then SLA id; an SLA with nothing missing is not listed.
    @Test(arguments: [
        ("a0", "s3", ["2026-01", "2026-02", "2026-03", "2026-04"]),
        ("a1", "s2", ["2026-03"]),
        ("q1", "s2", ["2026-Q1"]),
        ("x", "s3", ["2026-04"]),
        ("a2", "s1", ["2026-01", "2026-02", "2026-03", "2026-04"]),
    ])
    func listsEndedPeriodsWithoutAReport(slaId: String, supplierId: String, missing: [String]) throws {
        let items = ComplianceReports.missingReports(Self.input).items
        #expect(items.map(\.sla.id) == ["a0", "a1", "q1", "x", "a2"])
        let item = try #require(items.first { $0.sla.id == slaId })
        #expect(item.supplier.id == supplierId && item.missingPeriods.map(\.description) == missing)
    }

    @Test func countsPerSupplier() {
        let bySupplier = ComplianceReports.missingReports(Self.input).bySupplier
        #expect(bySupplier.map(\.supplier.id) == ["s2", "s3", "s1"])   // Alfa Oy twice, by id; then Beta Oy
        #expect(bySupplier.map(\.slaCount) == [2, 2, 1])
        #expect(bySupplier.map(\.missingPeriods) == [2, 5, 4])
    }
}

/// January–March 2026, every period ended by the due date. Supplier s1 serves Helsinki (two monthly SLAs: 5 met,
/// 1 breached at 100 ¢) and Turku (a quarterly SLA, Q1 missing); its Espoo SLA is valid only in 2027. s2 has one
/// monthly SLA in Turku (1 met, 2 missing). s3 is unknown to the store.
@Suite struct ScorecardTests {
    static let measured = MeasuredSLAs(
        entries: [
            entry("e1", "A", city: "hki", supplier: "s1", credit: 100), entry("e2", "B", city: "hki", supplier: "s1"),
            entry("e3", "C", .satisfaction, .quarter, city: "tku", supplier: "s1"), entry("e4", "D", city: "tku", supplier: "s2"),
            entry("e5", "E", city: "hki", supplier: "s3"), entry("e6", "F", city: "esp", supplier: "s1", from: "2027-01-01", to: "2027-12-31"),
        ],
        range: range("2026-01", "2026-03"), dueBy: date("2026-06-01"),
        counts: [
            "e1": [nil: MeasuredCounts(met: 2, breached: 1, ended: 3)], "e2": [nil: MeasuredCounts(met: 3, ended: 3)],
            "e4": [nil: MeasuredCounts(met: 1, ended: 1)], "e5": [nil: MeasuredCounts(met: 3, ended: 3)],
        ])
    static let s1 = SupplierRef(id: "s1", name: "Palvelu Oy", kind: .commercial)
    static let s2 = SupplierRef(id: "s2", name: "Atk Oy", kind: .commercial)
    static let cities = [
        "hki": CityRef(id: "hki", name: "Helsinki", municipalityCode: "091"), "tku": CityRef(id: "tku", name: "Turku", municipalityCode: "853"),
        "esp": CityRef(id: "esp", name: "Espoo", municipalityCode: "049"),
    ]

    @Test func oneLinePerKnownSupplierByName() {
        let lines = ComplianceReports.scorecards(ScorecardsInput(measured: Self.measured, suppliers: ["s1": Self.s1, "s2": Self.s2]))
        #expect(lines.map(\.supplier.id) == ["s2", "s1"])
        #expect(lines.map(\.citiesServed) == [1, 2])
        #expect(lines.map(\.tally.slaCount) == [1, 3])
        #expect(lines.map(\.tally.periodsInScope) == [3, 7])
        #expect(lines.map { outcomes($0.tally) } == [[1, 0, 2, 0], [5, 1, 1, 0]])
        #expect(lines.map(\.tally.serviceCreditsCents) == [0, 100])
        #expect(lines[1].tally.compliancePercent == ExactDecimal("83.33"))
    }

    /// Which cities the store found, and the lines (by municipality code) that follow; the totals are the same.
    @Test(arguments: [
        (["hki", "tku", "esp"], ["hki", "tku"]), (["tku", "hki"], ["hki", "tku"]), (["hki"], ["hki"]), ([], []),
    ] as [([String], [String])])
    func aSuppliersCitiesByMunicipalityCode(found: [String], lines: [String]) {
        let card = ComplianceReports.scorecard(SupplierScorecardInput(
            supplier: Self.s1, measured: Self.measured, cities: Self.cities.filter { found.contains($0.key) }))
        #expect(card.cities.map(\.city.id) == lines)
        #expect(card.scorecard.citiesServed == 2 && card.scorecard.tally.slaCount == 3)
        #expect(outcomes(card.scorecard.tally) == [5, 1, 1, 0])
        let byCity = Dictionary(uniqueKeysWithValues: card.cities.map { ($0.city.id, outcomes($0.tally)) })
        if found.contains("hki") { #expect(byCity["hki"] == [5, 1, 0, 0]) }
        if found.contains("tku") { #expect(byCity["tku"] == [0, 0, 1, 0]) }
    }

    @Test func aSupplierWithoutSLAsInScope() {
        let card = ComplianceReports.scorecard(SupplierScorecardInput(
            supplier: SupplierRef(id: "s9", name: "Uusi Oy", kind: .commercial), measured: Self.measured, cities: Self.cities))
        #expect(card.cities.isEmpty && card.scorecard.citiesServed == 0 && card.scorecard.tally == ComplianceTally())
    }
}

@Suite struct BreachLineTests {
    @Test func namesShortfallAndCredit() {
        func row(_ slaId: String, _ text: String, _ value: String) -> BreachRow {
            let at = Timestamp(millisecondsSinceEpoch: 1_770_000_000_000)
            return BreachRow(position: BreachPosition(lastMonth: period(text).last.index, slaId: slaId), measurement: Resource(
                meta: ResourceMeta(id: "m-\(slaId)-\(text)", cityId: "city", version: 1, createdAt: at, updatedAt: at),
                fields: MeasurementFields(slaId: slaId, period: period(text), value: ExactDecimal(value)!, source: .monitoring, reportedAt: at)))
        }
        let input = BreachReportInput(
            slas: CitySLAs(city: ReportRef(id: "city", name: "Vantaa"),
                           entries: [entry("a", "Käytettävyys", contract: ("c", "Sopimus"), supplier: "s", service: "v", credit: 4_166)],
                           supplierNames: ["s": "Oy"], serviceNames: [:]),
            rows: [row("a", "2026-01", "99.2"), row("gone", "2026-01", "1"), row("a", "2026-02", "98")],
            // February's fee changed: its credit is not one at today's fee.
            credits: ["a 2026-02": 1_000])
        let lines = ComplianceReports.breaches(input.rows, of: input)
        #expect(lines.map(\.period.description) == ["2026-01", "2026-02"])
        #expect(lines.map(\.shortfall) == [ExactDecimal("0.3")!, ExactDecimal("1.5")!])
        #expect(lines.map(\.creditCents) == [4_166, 1_000])
        #expect(lines[0].supplier == ReportRef(id: "s", name: "Oy") && lines[0].service == ReportRef(id: "v", name: ""))
        #expect(lines[0].contract == ReportRef(id: "c", name: "Sopimus") && lines[0].target == ExactDecimal("99.5")!)
    }
}
