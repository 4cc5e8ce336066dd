import Testing

@testable import SalkkuCore

private let stamp = Timestamp(millisecondsSinceEpoch: 0)
private let date = LocalDate("2026-11-23")!

private func resource<F: ResourceFields>(_ id: String, _ fields: F, cityId: String = "c") -> Resource<F> {
    Resource(meta: ResourceMeta(id: id, cityId: cityId, version: 1, createdAt: stamp, updatedAt: stamp), fields: fields)
}

/// A request body's `criteria` with every criterion scored `score`, changed by `edit`.
private func criteria(_ score: Int64 = 50, edit: (inout [JSONValue]) -> Void = { _ in }) -> JSONValue {
    var items = CAFCriterion.allCases.map { criterion -> JSONValue in
        .object(["criterion": .string(criterion.rawValue), "score": .integer(score), "evidence": .string("Arviointiraportti 2026")])
    }
    edit(&items)
    return .array(items)
}

private func body(_ criteria: JSONValue, assessedOn: String = "2026-10-15", extra: [String: JSONValue] = [:]) -> JSONValue {
    var members: [String: JSONValue] = ["assessedOn": .string(assessedOn), "assessor": .string("CAF-ryhmä"), "criteria": criteria]
    for (key, value) in extra { members[key] = value }
    return .object(members)
}

private func scored(_ scores: [Int], on day: String = "2026-06-01") -> CAFAssessmentFields {
    CAFAssessmentFields(assessedOn: LocalDate(day)!, assessor: "CAF-ryhmä",
                        criteria: zip(CAFCriterion.allCases, scores).map { CAFCriterionScore(criterion: $0, score: $1, evidence: "e") })
}

private func city(_ id: String, _ code: String, population: Int64?) -> Resource<CityFields> {
    resource(id, CityFields(municipalityCode: code, name: LocalizedName(fi: id), population: population, itOrganisation: nil), cityId: id)
}

private func service(cost: Int64?, lifecycle: Lifecycle = .active) -> ServiceFields {
    ServiceFields(name: "s", sector: .administration, owner: Owner(name: "A"), lifecycle: lifecycle, providerId: nil,
                  annualCostCents: cost, criticality: .low)
}

private func maturity(_ cityId: String) -> Maturity {
    Maturity(MaturityInputs(cityId: cityId, date: date, governance: nil, effortProfile: nil, assessments: [], contracts: [], services: [],
                            projects: [], slas: [], suppliers: [:], reporting: [:]))
}

@Suite struct CAFTests {
    @Test func theNineCriteriaHaveTheirOfficialNames() {
        #expect(CAFCriterion.allCases.count == 9)
        #expect(CAFCriterion.allCases.map(\.name.fi) == [
            "Johtajuus", "Strategia ja suunnittelu", "Henkilöstö", "Kumppanuudet ja resurssit", "Prosessit",
            "Kansalais-/asiakaskeskeiset tulokset", "Henkilöstötulokset", "Yhteiskuntavastuun tulokset", "Keskeiset suorituskyvyn tulokset",
        ])
        #expect(CAFCriterion.allCases.map(\.number) == Array(1...9))
        #expect(CAFCriterion.allCases.filter(\.isResult).map(\.number) == [6, 7, 8, 9])
        #expect(Benchmark.cafMeasureId(.citizenCustomerResults) == "cafCitizenCustomerResults")
        #expect(Benchmark.cafMeasureId(.leadership) == "cafLeadership")
    }

    /// Each case: the request body and the pointers its errors name (none: it is read).
    static let validationCases: [(String, JSONValue, [String])] = [
        ("complete", body(criteria()), []),
        ("zero and a hundred", body(criteria(edit: { items in
            items[0] = .object(["criterion": "leadership", "score": 0, "evidence": "e"])
            items[1] = .object(["criterion": "strategy-and-planning", "score": 100, "evidence": "e"])
        })), []),
        ("one missing", body(criteria(edit: { $0.removeLast() })), ["/criteria"]),
        ("one twice", body(criteria(edit: { $0[8] = $0[0] })), ["/criteria/8/criterion", "/criteria"]),
        ("ten items", body(criteria(edit: { $0.append($0[0]) })), ["/criteria", "/criteria/9/criterion"]),
        ("score over 100", body(criteria(101)), (0..<9).map { "/criteria/\($0)/score" }),
        ("negative score", body(criteria(edit: { $0[2] = .object(["criterion": "people", "score": -1, "evidence": "e"]) })),
         ["/criteria/2/score"]),
        ("fractional score", body(criteria(edit: { $0[2] = .object(["criterion": "people", "score": .real(50.5), "evidence": "e"]) })),
         ["/criteria/2/score"]),
        ("unknown criterion", body(criteria(edit: { $0[4] = .object(["criterion": "innovation", "score": 50, "evidence": "e"]) })),
         ["/criteria/4/criterion"]),
        ("no evidence", body(criteria(edit: { $0[3] = .object(["criterion": "partnerships-and-resources", "score": 50]) })),
         ["/criteria/3/evidence"]),
        ("blank evidence", body(criteria(edit: { $0[3] = .object(["criterion": "partnerships-and-resources", "score": 50, "evidence": " "]) })),
         ["/criteria/3/evidence"]),
        ("unknown member", body(criteria(edit: { $0[0] = .object(["criterion": "leadership", "score": 50, "evidence": "e", "weight": 2]) })),
         ["/criteria/0/weight"]),
        ("not an array", body(.object([:])), ["/criteria"]),
        ("no criteria", .object(["assessedOn": "2026-10-15", "assessor": "x"]), ["/criteria"]),
        ("date out of range", body(criteria(), assessedOn: "1899-12-31"), ["/assessedOn"]),
        ("read-only total", body(criteria(), extra: ["totalScore": 450]), ["/totalScore"]),
    ]

    @Test(arguments: validationCases)
    func validation(_ name: String, _ body: JSONValue, _ pointers: [String]) {
        let errors = InputErrors()
        let fields = CAFAssessmentFields.read(body, errors: errors)
        #expect(Set(errors.list.compactMap(\.pointer)) == Set(pointers), "\(name): \(errors.list.map(\.detail))")
        #expect((fields != nil) == pointers.isEmpty, "\(name)")
    }

    @Test func criteriaAreKeptInTheModelsOrder() {
        let errors = InputErrors()
        let fields = CAFAssessmentFields.read(body(criteria { $0.reverse() }), errors: errors)
        #expect(fields?.criteria.map(\.criterion) == CAFCriterion.allCases)
    }

    static let scoreCases: [([Int], Int, String)] = [
        ([50, 50, 50, 50, 50, 50, 50, 50, 50], 450, "50"),
        ([0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "0"),
        ([100, 100, 100, 100, 100, 100, 100, 100, 100], 900, "100"),
        ([55, 60, 45, 50, 40, 35, 40, 30, 45], 400, "44.444"),   // 44.4444…
        ([51, 50, 50, 50, 50, 50, 50, 50, 50], 451, "50.111"),
        ([56, 60, 45, 50, 40, 35, 40, 30, 45], 401, "44.556"),   // 44.5555… rounds up
    ]

    @Test(arguments: scoreCases)
    func totalAndMean(_ scores: [Int], _ total: Int, _ mean: String) {
        let fields = scored(scores)
        #expect(fields.totalScore == total)
        #expect(fields.meanScore == ExactDecimal(mean)!)
    }

    @Test func theLatestOnTheDateCounts() {
        let old = resource("a", scored(Array(repeating: 40, count: 9), on: "2025-05-01"))
        let new = resource("b", scored(Array(repeating: 60, count: 9), on: "2026-05-01"))
        let future = resource("c", scored(Array(repeating: 90, count: 9), on: "2027-01-01"))
        #expect(CAFAssessmentFields.latest([new, old, future], on: date)?.meta.id == "b")
        #expect(CAFAssessmentFields.latest([new, old], on: LocalDate("2025-12-31")!)?.meta.id == "a")
        #expect(CAFAssessmentFields.latest([new, old], on: LocalDate("2025-04-30")!) == nil)
    }

    /// Population, services (cost, lifecycle), the euros per resident or the reason there are none.
    static let costCases: [(Int64?, [ServiceFields], String?, String?)] = [
        (100_000, [service(cost: 10_000_000_00)], "100", nil),                     // 10 M€ / 100 000
        (3, [service(cost: 100)], "0.33", nil),                                     // 33.33… cents → 33
        (3, [service(cost: 200)], "0.67", nil),                                     // 66.66… cents → 67
        (2, [service(cost: 1)], "0", nil),                                          // half a cent → even: 0
        (2, [service(cost: 3)], "0.02", nil),                                       // 1.5 cents → even: 2
        (1000, [service(cost: 0)], "0", nil),                                       // zero cost is a value
        (1000, [service(cost: 5000), service(cost: 5000, lifecycle: .retired), service(cost: nil)], "0.05", nil),
        (nil, [service(cost: 5000)], nil, "the city has no population recorded"),
        (0, [service(cost: 5000)], nil, "the city's population is recorded as 0"),
        (1000, [service(cost: nil)], nil, "no active service of the city has an annual cost recorded"),
        (1000, [service(cost: 5000, lifecycle: .plan)], nil, "the city has no active services"),
    ]

    @Test(arguments: costCases)
    func itCostPerResident(_ population: Int64?, _ services: [ServiceFields], _ euros: String?, _ reason: String?) {
        let cost = ITCostPerResident(population: population, services: services)
        #expect(cost.euros == euros.flatMap { ExactDecimal($0) })
        #expect(cost.reason == reason)
    }

    @Test func benchmarkComparesTheLatestSelfAssessmentsAndCostPerResident() {
        let rows = [
            BenchmarkRow(city: city("a", "091", population: 1000), maturity: maturity("a"), reporting: ComplianceTally(),
                         caf: resource("ca", scored([60, 60, 60, 60, 60, 60, 60, 60, 60])),
                         itCost: ITCostPerResident(population: 1000, services: [service(cost: 200_000)])),
            BenchmarkRow(city: city("b", "049", population: 1000), maturity: maturity("b"), reporting: ComplianceTally(),
                         caf: resource("cb", scored([40, 50, 50, 50, 50, 50, 50, 50, 50])),
                         itCost: ITCostPerResident(population: 1000, services: [service(cost: 100_000)])),
            BenchmarkRow(city: city("c", "092", population: nil), maturity: maturity("c"), reporting: ComplianceTally(), caf: nil,
                         itCost: ITCostPerResident(population: nil, services: [service(cost: 100_000)])),
        ]
        let benchmark = Benchmark(on: date, asOf: stamp, rows: rows)
        let measures = Dictionary(uniqueKeysWithValues: benchmark.measures.map { ($0.id, $0) })
        // Two cities with an assessment: the median is the mean of the two.
        #expect(measures["cafLeadership"]?.median == ExactDecimal(50))
        #expect(measures["cafMeanScore"]?.median == ExactDecimal("54.444")!)   // (60 + 48.889) / 2 = 54.4445 → half-even
        #expect(measures["itCostPerResidentEuros"]?.median == ExactDecimal("1.5")!)
        #expect(measures["itCostPerResidentEuros"]?.higherIsBetter == false)
        let lines = Dictionary(uniqueKeysWithValues: benchmark.cities.map { ($0.cityId, $0) })
        #expect(lines["a"]?.values["cafLeadership"] == ExactDecimal(60) && lines["a"]?.ranks["cafLeadership"] == 1)
        #expect(lines["b"]?.ranks["cafLeadership"] == 2)
        #expect(lines["b"]?.ranks["itCostPerResidentEuros"] == 1)
        #expect(lines["a"]?.cafAssessmentId == "ca" && lines["a"]?.unavailable.isEmpty == true)
        #expect(lines["c"]?.values["cafMeanScore"] == .some(nil) && lines["c"]?.ranks["cafMeanScore"] == .some(nil))
        #expect(lines["c"]?.unavailable["cafMeanScore"] == "the city has no CAF self-assessment made on or before 2026-11-23")
        #expect(lines["c"]?.unavailable["itCostPerResidentEuros"] == "the city has no population recorded")
        #expect(lines["c"]?.unavailable.count == 11)
    }
}

@Suite struct RetiredAssessmentMethodTests {
    private func assessment(method: String) -> JSONValue {
        .object(["processId": "cobit-2019:APO09", "level": 3, "achievement": "largely", "assessedOn": "2026-10-15", "assessor": "x",
                 "method": .string(method)])
    }

    @Test func cafIsRefusedForNewProcessAssessmentsAndReadBackForStoredOnes() {
        let errors = InputErrors()
        #expect(AssessmentFields.read(assessment(method: "caf"), errors: errors) == nil)
        #expect(errors.list.map(\.pointer) == ["/method"])
        #expect(errors.list.first?.detail.contains("/v1/cities/{cityId}/caf-assessments") == true)
        let stored = InputErrors()
        #expect(AssessmentFields.read(assessment(method: "caf"), errors: stored, acceptsRetiredMethod: true)?.method == .caf)
        #expect(stored.isEmpty)
        let current = InputErrors()
        #expect(AssessmentFields.read(assessment(method: "internal-audit"), errors: current)?.method == .internalAudit)
    }
}

/// Request bodies in the tables read as JSON.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
}
