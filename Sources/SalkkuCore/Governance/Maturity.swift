/// Everything the maturity of one city on one date is computed from.
public struct MaturityInputs: Sendable {
    public var cityId: String
    public var date: LocalDate
    /// The record time of the records the inputs were read from.
    public var recordedAt: Timestamp?
    public var governance: GovernanceFactsFields?
    public var effortProfile: EffortProfileFields?
    public var assessments: [Resource<AssessmentFields>]
    public var contracts: [Resource<ContractFields>]
    public var services: [Resource<ServiceFields>]
    public var projects: [Resource<ProjectFields>]
    public var slas: [Resource<SLAFields>]
    public var suppliers: [String: Resource<SupplierFields>]
    /// Compliance per SLA over the last 12 full months before the date.
    public var reporting: [String: ComplianceTally]
    /// How the city sources its capabilities (figure 1.4), one record per capability.
    public var capabilitySourcings: [CapabilitySourcingFields] = []
    /// The city's municipality code: what says whether it is bilingual and reports in Finnish and Swedish.
    public var municipalityCode: String?
    /// The published model in force at the record time of the inputs: its version and thresholds.
    public var model: MaturityModelVersion = .first
    /// The city's own transition plan, if it has recorded one.
    public var transitionPlan: TransitionPlanFields?

    public init(cityId: String, date: LocalDate, governance: GovernanceFactsFields?, effortProfile: EffortProfileFields?,
                assessments: [Resource<AssessmentFields>], contracts: [Resource<ContractFields>], services: [Resource<ServiceFields>],
                projects: [Resource<ProjectFields>], slas: [Resource<SLAFields>], suppliers: [String: Resource<SupplierFields>],
                reporting: [String: ComplianceTally]) {
        self.cityId = cityId
        self.date = date
        self.governance = governance
        self.effortProfile = effortProfile
        self.assessments = assessments
        self.contracts = contracts
        self.services = services
        self.projects = projects
        self.slas = slas
        self.suppliers = suppliers
        self.reporting = reporting
    }

    /// The twelve full months before the date's month: the window SLA reporting is judged on.
    public static func reportingWindow(before date: LocalDate) -> MonthRange {
        let last = YearMonth(date).adding(-1)
        return MonthRange(from: last.adding(-11), to: last)
    }
}

/// The thresholds of the transition-path criteria, kept as data so a city network can agree on others.
public struct MaturityThresholds: Sendable, Equatable, Codable {
    public var strategyMaxAgeMonths = 48
    public var strategyAlternativeLevel = 2
    public var centralContractSharePercentStage2: Int64 = 70
    public var portfolioDecisionSharePercent: Int64 = 70
    public var centralContractSharePercentStage3: Int64 = 90
    public var providerProductionSharePercent: Int64 = 70
    public var slaCoverSharePercent: Int64 = 80
    public var reportCoveragePercent: Int64 = 80
    public var infrastructureEffortMaxPercent: Int64 = 20
    public var purchaserProcessLevel = 3
    /// Stage 3: the share of active services' annual cost a service arranger arranges (figure 1.1's "palvelun järjestäjä").
    public var serviceArrangerSharePercent: Int64 = 50
    /// Stage 3: the share of the sector-expertise capabilities held centrally, not in the sectors (figure 1.1).
    public var centralisedSectorExpertisePercent: Int64 = 100

    public init() {}
    public static let defaults = MaturityThresholds()
}

/// A text a city reads in its maturity report, in Finnish, Swedish and English; every one is given in all three.
public struct CityText: Codable, Sendable, Equatable, Hashable {
    public var fi: String
    public var sv: String
    public var en: String

    public init(fi: String, sv: String, en: String) {
        self.fi = fi
        self.sv = sv
        self.en = en
    }
}

/// The languages a city's reports are written in.
public enum ReportLanguage: String, Codable, Sendable, CaseIterable {
    case fi, sv, en

    /// The bilingual municipalities of 2023–2032 (kielilaki 423/2003 5 §; the Government decree on the linguistic
    /// status of municipalities 2023–2032), by Statistics Finland municipality code. Every municipality has a Swedish
    /// name in the register (Tampere is Tammerfors), so the name cannot say it; only the decree can.
    public static let bilingualMunicipalityCodes: Set<String> = [
        // Finnish-speaking majority
        "049", "078", "091", "092", "231", "235", "257", "272", "407", "434", "444", "504", "624", "638", "753", "755", "853", "905",
        // Swedish-speaking majority
        "149", "280", "287", "288", "322", "440", "445", "475", "499", "545", "598", "599", "710", "893", "946",
    ]

    /// Finnish for every city, and Swedish too for a bilingual one (Helsinki, Espoo, Vantaa, Turku, Vaasa…).
    public static func of(municipalityCode: String?) -> [ReportLanguage] {
        municipalityCode.map { bilingualMunicipalityCodes.contains($0) } == true ? [.fi, .sv] : [.fi]
    }
}

public enum CriterionMeasure: String, Codable, Sendable {
    case percent, boolean, level, count
}

/// The numbers behind a criterion: what was counted, and the records that hold it back.
public struct CriterionEvidence: Codable, Sendable, Equatable {
    public var numerator: Total?
    public var denominator: Total?
    /// Up to 10 ids of the records that fail the criterion, worst first.
    public var failingIds: [String]
    public var failingCount: Int

    public init(numerator: Total? = nil, denominator: Total? = nil, failing: [String] = []) {
        self.numerator = numerator
        self.denominator = denominator
        self.failingIds = Array(failing.prefix(10))
        self.failingCount = failing.count
    }

    enum CodingKeys: String, CodingKey { case numerator, denominator, failingIds, failingCount }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(numerator, forKey: .numerator)
        try container.encode(denominator, forKey: .denominator)
        try container.encode(failingIds, forKey: .failingIds)
        try container.encode(failingCount, forKey: .failingCount)
    }
}

/// A measured value: a percentage or level as a number, a declared fact as a boolean.
public enum CriterionValue: Codable, Sendable, Equatable {
    case number(ExactDecimal)
    case boolean(Bool)

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .number(let value): try value.encode(to: encoder)
        case .boolean(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) { self = .boolean(flag) } else { self = .number(try ExactDecimal(from: decoder)) }
    }
}

public struct Criterion: Codable, Sendable, Equatable {
    public var id: String
    public var stage: Int
    public var description: CityText
    public var measure: CriterionMeasure
    public var measured: CriterionValue?
    public var comparison: SLAComparator
    public var threshold: CriterionValue
    public var met: Bool
    /// Why the criterion could not be measured; such a criterion is not met.
    public var missingData: String?
    public var evidence: CriterionEvidence
    /// How far from the threshold, as a share of the way (0–100); 100 when nothing is known.
    public var gapPercent: ExactDecimal
    /// What would close the gap, in the city's own terms.
    public var action: CityText?
    public var actionAmountCents: Total?

    enum CodingKeys: String, CodingKey {
        case id, stage, description, measure, measured, comparison, threshold, met, missingData, evidence, gapPercent, action, actionAmountCents
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(stage, forKey: .stage)
        try container.encode(description, forKey: .description)
        try container.encode(measure, forKey: .measure)
        try container.encode(measured, forKey: .measured)
        try container.encode(comparison, forKey: .comparison)
        try container.encode(threshold, forKey: .threshold)
        try container.encode(met, forKey: .met)
        try container.encode(missingData, forKey: .missingData)
        try container.encode(evidence, forKey: .evidence)
        try container.encode(gapPercent, forKey: .gapPercent)
        try container.encode(action, forKey: .action)
        try container.encode(actionAmountCents, forKey: .actionAmountCents)
    }
}

public struct NextStep: Codable, Sendable, Equatable {
    public var criterionId: String
    public var gapPercent: ExactDecimal
    public var action: CityText
    public var amountCents: Total?
    public var recordIds: [String]
}

public enum ProductionArrangementKind: String, Codable, Sendable {
    case current, hybrid
    case oneStop = "one-stop"
}

/// Figure 1.5: how the city's IT production is arranged, from the cost of its active services.
public struct ProductionArrangement: Codable, Sendable, Equatable {
    public var arrangement: ProductionArrangementKind
    public var activeServiceCostCents: Total
    public var inHouseSharePercent: ExactDecimal?
    public var arrangedSharePercent: ExactDecimal?
    public var singleArrangerSharePercent: ExactDecimal?
    public var singleArrangerId: String?

    public static let oneStopSharePercent: Int64 = 90

    enum CodingKeys: String, CodingKey {
        case arrangement, activeServiceCostCents, inHouseSharePercent, arrangedSharePercent, singleArrangerSharePercent, singleArrangerId
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(arrangement, forKey: .arrangement)
        try container.encode(activeServiceCostCents, forKey: .activeServiceCostCents)
        try container.encode(inHouseSharePercent, forKey: .inHouseSharePercent)
        try container.encode(arrangedSharePercent, forKey: .arrangedSharePercent)
        try container.encode(singleArrangerSharePercent, forKey: .singleArrangerSharePercent)
        try container.encode(singleArrangerId, forKey: .singleArrangerId)
    }

    public static func of(_ services: [Resource<ServiceFields>], suppliers: [String: Resource<SupplierFields>], on date: LocalDate) -> ProductionArrangement {
        let active = services.filter { $0.fields.isActive(on: date) }
        let total = Total.of(active.map(\.fields.annualCostCents))
        // In-house is own production not separated from IT management: separated own production produces as a provider.
        let inHouse = Total.of(active.filter { service in
            service.fields.providerId.flatMap { suppliers[$0] }.map { !$0.fields.isProvider } ?? false
        }.map(\.fields.annualCostCents))
        var byArranger: [String: Total] = [:]
        for service in active { if let arranger = service.fields.arrangerId { byArranger[arranger, default: 0] += service.fields.annualCostCents ?? 0 } }
        let arranged = byArranger.values.reduce(Total(), +)
        let largest = byArranger.max { ($0.value, $1.key) < ($1.value, $0.key) }
        guard total > 0 else {
            return ProductionArrangement(arrangement: .current, activeServiceCostCents: 0, inHouseSharePercent: nil,
                                         arrangedSharePercent: nil, singleArrangerSharePercent: nil, singleArrangerId: nil)
        }
        let kind: ProductionArrangementKind =
            if let largest, largest.value * 100 >= total * oneStopSharePercent { .oneStop }
            else if arranged > 0 { .hybrid }
            else { .current }
        return ProductionArrangement(
            arrangement: kind, activeServiceCostCents: total, inHouseSharePercent: Rounding.percent(inHouse, of: total),
            arrangedSharePercent: Rounding.percent(arranged, of: total),
            singleArrangerSharePercent: largest.map { Rounding.percent($0.value, of: total) }, singleArrangerId: largest?.key)
    }
}

public struct FocusAreaLevel: Codable, Sendable, Equatable {
    public var id: String
    public var name: BilingualText
    public var level: Int
    public var limitingProcesses: [String]
    public var unassessedProcesses: [String]

    /// COBIT 2019: a focus area reaches level n only when all its processes do; unassessed processes count as 0.
    public static func of(_ area: FocusArea, standings: [String: ProcessStanding]) -> FocusAreaLevel {
        let levels = area.processIds.map { ($0, standings[$0]?.level ?? 0) }
        let level = levels.map(\.1).min() ?? 0
        return FocusAreaLevel(id: area.id, name: area.name, level: level,
                              limitingProcesses: levels.filter { $0.1 == level }.map(\.0),
                              unassessedProcesses: area.processIds.filter { standings[$0] == nil })
    }
}

public struct EffortProfileView: Codable, Sendable, Equatable {
    public var current: EffortSplit
    public var target: EffortSplit
    public var distance: ExactDecimal
}

public struct TransitionStage: Codable, Sendable, Equatable {
    public var level: Int
    public var name: CityText

    public static let names: [Int: CityText] = [
        1: CityText(fi: "Hajautunut tietohallinto", sv: "Decentraliserad IT-förvaltning", en: "Decentralised IT management"),
        2: CityText(fi: "Keskitetty tietohallinnon ohjaus", sv: "Centralt styrd IT-förvaltning", en: "Centrally steered IT management"),
        3: CityText(fi: "Tilaaja–tuottajamalli, yhden luukun periaate", sv: "Beställar–utförarmodellen, principen om en enda kontaktpunkt",
                    en: "Purchaser–provider model, one-stop principle"),
    ]

    public init(level: Int) {
        self.level = level
        self.name = Self.names[level]!
    }
}

/// Where a city stands on the transition path on a date, every step explained.
public struct Maturity: Codable, Sendable, Equatable {
    public var cityId: String
    /// The business date the criteria are judged on, and the record time of the records judged.
    public var on: LocalDate
    public var asOf: Timestamp?
    /// The languages the city reports in; every text carries Finnish, Swedish and English whatever this says.
    public var languages: [ReportLanguage]
    public var stage: TransitionStage
    public var criteria: [Criterion]
    public var nextSteps: [NextStep]
    public var productionArrangement: ProductionArrangement
    public var focusAreas: [FocusAreaLevel]
    public var effortProfile: EffortProfileView?
    /// The version of the published maturity model the criteria were judged with, and its thresholds.
    public var modelVersion: Int
    public var thresholds: MaturityThresholds
    /// Progress against the city's own transition plan; nil when it has none.
    public var transitionPlan: TransitionPlanProgress?

    enum CodingKeys: String, CodingKey {
        case cityId, on, asOf, languages, stage, criteria, nextSteps, productionArrangement, focusAreas, effortProfile, modelVersion, thresholds
        case transitionPlan
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cityId, forKey: .cityId)
        try container.encode(on, forKey: .on)
        try container.encode(asOf, forKey: .asOf)
        try container.encode(languages, forKey: .languages)
        try container.encode(stage, forKey: .stage)
        try container.encode(criteria, forKey: .criteria)
        try container.encode(nextSteps, forKey: .nextSteps)
        try container.encode(productionArrangement, forKey: .productionArrangement)
        try container.encode(focusAreas, forKey: .focusAreas)
        try container.encode(effortProfile, forKey: .effortProfile)
        try container.encode(modelVersion, forKey: .modelVersion)
        try container.encode(thresholds, forKey: .thresholds)
        try container.encode(transitionPlan, forKey: .transitionPlan)
    }

    /// Judged with the model version the inputs carry; `thresholds` overrides its values (what-if questions, tests).
    public init(_ inputs: MaturityInputs, thresholds: MaturityThresholds? = nil) {
        let thresholds = thresholds ?? inputs.model.thresholds
        let measured = MaturityCriteria(inputs: inputs, thresholds: thresholds)
        let criteria = measured.all
        var level = 1
        for stage in 2...3 where level == stage - 1 {
            if criteria.filter({ $0.stage == stage }).allSatisfy(\.met) { level = stage }
        }
        cityId = inputs.cityId
        on = inputs.date
        asOf = inputs.recordedAt
        languages = ReportLanguage.of(municipalityCode: inputs.municipalityCode)
        stage = TransitionStage(level: level)
        self.criteria = criteria
        nextSteps = criteria.filter { $0.stage == level + 1 && !$0.met }
            .sorted { ($1.gapPercent, $0.id) < ($0.gapPercent, $1.id) }
            .map { NextStep(criterionId: $0.id, gapPercent: $0.gapPercent, action: $0.action ?? CityText(fi: "", sv: "", en: ""), amountCents: $0.actionAmountCents,
                            recordIds: $0.evidence.failingIds) }
        productionArrangement = .of(inputs.services, suppliers: inputs.suppliers, on: inputs.date)
        let standings = measured.standings
        focusAreas = GovernanceCatalogue.focusAreas.map { FocusAreaLevel.of($0, standings: standings) }
        effortProfile = inputs.effortProfile.map { EffortProfileView(current: $0.current, target: $0.target, distance: $0.distance) }
        modelVersion = inputs.model.version
        self.thresholds = thresholds
        // A plan decided after the business date did not yet exist on it; an undecided plan (a draft) has no date to
        // hold it back.
        transitionPlan = inputs.transitionPlan.flatMap { plan in
            if let decision = plan.decision, decision.decidedOn > inputs.date { return nil }
            return TransitionPlanProgress(plan: plan, currentStage: level, on: inputs.date, projects: inputs.projects)
        }
    }
}
