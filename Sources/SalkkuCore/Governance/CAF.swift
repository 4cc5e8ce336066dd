/// The nine criteria of the Common Assessment Framework (CAF 2020): five enablers and four results. The seeds ask
/// for one common model so that cities can compare themselves; CAF is the one the Finnish public sector uses.
public enum CAFCriterion: String, APIEnum, Comparable {
    case leadership
    case strategyAndPlanning = "strategy-and-planning"
    case people
    case partnershipsAndResources = "partnerships-and-resources"
    case processes
    case citizenCustomerResults = "citizen-customer-results"
    case peopleResults = "people-results"
    case socialResponsibilityResults = "social-responsibility-results"
    case keyPerformanceResults = "key-performance-results"

    /// The criterion's number in the CAF model, 1–9.
    public var number: Int { Self.allCases.firstIndex(of: self)! + 1 }

    /// Criteria 1–5 are enablers (what the organisation does), 6–9 results (what it achieves).
    public var isResult: Bool { number > 5 }

    public static func < (lhs: CAFCriterion, rhs: CAFCriterion) -> Bool { lhs.number < rhs.number }

    /// The official names of the CAF 2020 model in Finnish and Swedish, and the English original.
    public var name: TrilingualText {
        switch self {
        case .leadership: TrilingualText(fi: "Johtajuus", sv: "Ledarskap", en: "Leadership")
        case .strategyAndPlanning: TrilingualText(fi: "Strategia ja suunnittelu", sv: "Strategi och planering", en: "Strategy and planning")
        case .people: TrilingualText(fi: "Henkilöstö", sv: "Personal", en: "People")
        case .partnershipsAndResources:
            TrilingualText(fi: "Kumppanuudet ja resurssit", sv: "Partnerskap och resurser", en: "Partnerships and resources")
        case .processes: TrilingualText(fi: "Prosessit", sv: "Processer", en: "Processes")
        case .citizenCustomerResults:
            TrilingualText(fi: "Kansalais-/asiakaskeskeiset tulokset", sv: "Medborgar-/kundorienterade resultat",
                           en: "Citizen/customer-oriented results")
        case .peopleResults: TrilingualText(fi: "Henkilöstötulokset", sv: "Personalrelaterade resultat", en: "People results")
        case .socialResponsibilityResults:
            TrilingualText(fi: "Yhteiskuntavastuun tulokset", sv: "Resultat avseende socialt ansvar", en: "Social responsibility results")
        case .keyPerformanceResults:
            TrilingualText(fi: "Keskeiset suorituskyvyn tulokset", sv: "Resultat avseende nyckelprestationer", en: "Key performance results")
        }
    }
}

/// A text a city reads, in Finnish, Swedish and English.
public struct TrilingualText: Codable, Sendable, Equatable, Hashable {
    public var fi: String
    public var sv: String
    public var en: String

    public init(fi: String, sv: String, en: String) {
        self.fi = fi
        self.sv = sv
        self.en = en
    }
}

/// One criterion's score in a self-assessment, with what it rests on.
public struct CAFCriterionScore: Codable, Sendable, Equatable, JSONReadable {
    public var criterion: CAFCriterion
    /// CAF's scoring panels give 0–100 points; whole points, as the panels are filled in.
    public var score: Int
    /// Why the score: the strengths and areas for improvement the assessment group found.
    public var evidence: String
    /// Where the evidence is kept: a document, its record number or address.
    public var reference: String?

    public static let scores: ClosedRange<Int64> = 0...100

    public init(criterion: CAFCriterion, score: Int, evidence: String, reference: String? = nil) {
        self.criterion = criterion
        self.score = score
        self.evidence = evidence
        self.reference = reference
    }

    public static func read(_ value: JSONValue, at pointer: JSONPointer, errors: InputErrors) -> CAFCriterionScore? {
        guard var reader = ObjectReader(value, at: pointer, errors: errors) else { return nil }
        let criterion = reader.read("criterion", required: true, as: CAFCriterion.self)
        let score = reader.integer("score", required: true, in: scores)
        let evidence = reader.text("evidence", required: true, maxLength: 5000)
        let reference = reader.text("reference", maxLength: 500)
        reader.finish()
        guard let criterion, let score, let evidence else { return nil }
        return CAFCriterionScore(criterion: criterion, score: Int(score), evidence: evidence, reference: reference)
    }
}

/// A CAF self-assessment of the city's IT organisation: all nine criteria scored on one business date.
/// Assessments are never changed: a new one supersedes.
public struct CAFAssessmentFields: ResourceFields {
    public static let resourceType = "caf-assessment"
    public static let computedFields: Set<String> = ["totalScore", "meanScore"]

    public var assessedOn: LocalDate
    /// Who assessed: the self-assessment group, as the city names it.
    public var assessor: String
    /// One score per criterion, in the model's order.
    public var criteria: [CAFCriterionScore]
    public var note: String?

    public init(assessedOn: LocalDate, assessor: String, criteria: [CAFCriterionScore], note: String? = nil) {
        self.assessedOn = assessedOn
        self.assessor = assessor
        self.criteria = criteria.sorted { $0.criterion < $1.criterion }
        self.note = note
    }

    /// The sum of the nine scores, 0–900.
    public var totalScore: Int { criteria.reduce(0) { $0 + $1.score } }

    /// The mean of the nine scores, rounded half-even to three decimals.
    public var meanScore: ExactDecimal { CAFAssessmentFields.mean(criteria.map(\.score)) }

    public func score(of criterion: CAFCriterion) -> Int? { criteria.first { $0.criterion == criterion }?.score }

    static func mean(_ scores: [Int]) -> ExactDecimal {
        guard !scores.isEmpty else { return ExactDecimal(0) }
        return ExactDecimal(thousandths: roundedHalfEven(Int64(scores.reduce(0, +)) * ExactDecimal.unit, dividedBy: Int64(scores.count)))
    }

    public static let earliestAssessment = LocalDate("2000-01-01")!

    public static func read(_ value: JSONValue, errors: InputErrors) -> CAFAssessmentFields? {
        guard var reader = ObjectReader(value, errors: errors) else { return nil }
        let assessedOn = reader.factDate("assessedOn", required: true, notBefore: (earliestAssessment, "the Common Assessment Framework was first published in 2000"))
        let assessor = reader.text("assessor", required: true, maxLength: 300)
        let criteriaValue = reader.member("criteria", required: true)
        let note = reader.text("note", maxLength: 5000)
        reader.finish(readOnly: readOnlyFields)
        var criteria: [CAFCriterionScore] = []
        if let criteriaValue {
            let at = JSONPointer.root.appending("criteria")
            criteria = [CAFCriterionScore].read(criteriaValue, at: at, errors: errors, maxCount: CAFCriterion.allCases.count)
            if case .array(let items) = criteriaValue {
                // Repeats are named among the first hundred items; which are missing only when there are at most nine.
                checkComplete(items.prefix(100).map(namedCriterion), at: at, errors: errors,
                              judgeMissing: items.count <= CAFCriterion.allCases.count)
            }
        }
        guard errors.isEmpty, let assessedOn, let assessor else { return nil }
        return CAFAssessmentFields(assessedOn: assessedOn, assessor: assessor, criteria: criteria, note: note)
    }

    /// Every criterion exactly once: a self-assessment that skips one cannot be compared with another city's.
    /// Judged on the criteria the items name, read or not, so that a repeat is named beside an item's other errors;
    /// `nil` for an item that names no known criterion (its own error says why).
    static func checkComplete(_ named: [CAFCriterion?], at pointer: JSONPointer, errors: InputErrors, judgeMissing: Bool = true) {
        var seen: [CAFCriterion: Int] = [:]
        for (index, criterion) in named.enumerated() {
            guard let criterion else { continue }
            if let first = seen[criterion] {
                errors.add(pointer.appending(index).appending("criterion"), "repeats \(criterion.rawValue) of item \(first): each criterion once")
            } else {
                seen[criterion] = index
            }
        }
        // A missing criterion is certain only when every item names one: an unreadable item may be the missing one.
        let missing = CAFCriterion.allCases.filter { seen[$0] == nil }
        if judgeMissing, !missing.isEmpty, !named.contains(nil) {
            // Worded so that the longest list (eight names) fits the 200 characters a detail is shown with.
            errors.add(pointer, missing.count == CAFCriterion.allCases.count
                ? "must score the nine CAF criteria (GET /v1/catalogue/caf-criteria); none is given"
                : "misses \(missing.count) of the nine criteria: \(missing.map(\.rawValue).joined(separator: ", "))")
        }
    }

    static func namedCriterion(_ item: JSONValue) -> CAFCriterion? {
        guard case .object(let members) = item, case .string(let name)? = members["criterion"] else { return nil }
        return CAFCriterion(rawValue: name)
    }

    public var factDates: [(member: JSONPointer, date: LocalDate)] { [(JSONPointer.root.appending("assessedOn"), assessedOn)] }

    /// The city's latest self-assessment on a business date: by `assessedOn`, then the latest recorded.
    public static func latest(_ assessments: [Resource<CAFAssessmentFields>], on date: LocalDate) -> Resource<CAFAssessmentFields>? {
        assessments.filter { $0.fields.assessedOn <= date }.max {
            ($0.fields.assessedOn, $0.meta.createdAt, $0.meta.id) < ($1.fields.assessedOn, $1.meta.createdAt, $1.meta.id)
        }
    }
}

/// `value / divisor` rounded half to even; the divisor is positive.
func roundedHalfEven(_ value: Int64, dividedBy divisor: Int64) -> Int64 {
    let quotient = value / divisor
    let remainder = value % divisor
    let twice: Int64 = abs(remainder) + abs(remainder)
    if twice > divisor || (twice == divisor && quotient % 2 != 0) { return quotient + (value < 0 ? -1 : 1) }
    return quotient
}
