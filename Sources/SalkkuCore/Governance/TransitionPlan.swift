/// The two ways the seed report gives a city to reach the target state (section 3.1.3).
public enum TransitionOption: String, APIEnum {
    /// "Vaihtoehto 1: oman toiminnan kehittämisen malli": the city builds the purchaser's and strategic expertise
    /// of the target state itself.
    case ownDevelopmentModel = "own-development-model"
    /// "Vaihtoehto 2: yhteistyömalli": the city networks, besides its regional cooperation, in the national
    /// expertise network (KPK ICT, JIP) for service development, arranging services and supplier management.
    case cooperationModel = "cooperation-model"

    /// In the three languages of a city's maturity report, as its other texts.
    public var name: CityText {
        switch self {
        case .ownDevelopmentModel: CityText(fi: "Vaihtoehto 1: oman toiminnan kehittämisen malli", sv: "Alternativ 1: modell för utveckling av den egna verksamheten",
                                            en: "Option 1: own development model")
        case .cooperationModel: CityText(fi: "Vaihtoehto 2: yhteistyömalli", sv: "Alternativ 2: samarbetsmodell", en: "Option 2: cooperation model")
        }
    }
}

public enum TransitionMeasureStatus: String, APIEnum {
    case planned
    case inProgress = "in-progress"
    case done, cancelled

    /// A measure still to be carried out: one whose due date can pass.
    public var isOpen: Bool { self == .planned || self == .inProgress }
}

/// One step of a city's transition plan, carried out through the city's development projects.
public struct TransitionMeasure: Codable, Sendable, Equatable, JSONReadable {
    public var title: String
    public var dueOn: LocalDate
    public var status: TransitionMeasureStatus
    /// Projects of the same city that carry the measure out.
    public var projectIds: [String]

    public init(title: String, dueOn: LocalDate, status: TransitionMeasureStatus, projectIds: [String] = []) {
        self.title = title
        self.dueOn = dueOn
        self.status = status
        self.projectIds = projectIds
    }

    public static func read(_ value: JSONValue, at pointer: JSONPointer, errors: InputErrors) -> TransitionMeasure? {
        guard var reader = ObjectReader(value, at: pointer, errors: errors) else { return nil }
        let title = reader.text("title", required: true, maxLength: 300)
        let dueOn = reader.date("dueOn", required: true)
        let status = reader.read("status", required: true, as: TransitionMeasureStatus.self)
        let projectIds = reader.idList("projectIds", maxCount: 100)
        reader.finish()
        guard let title, let dueOn, let status else { return nil }
        return TransitionMeasure(title: title, dueOn: dueOn, status: status, projectIds: projectIds)
    }
}

/// The body that approved the plan: in a Finnish city the council (kaupunginvaltuusto), the board
/// (kaupunginhallitus) or one of its committees or divisions (lautakunta, jaosto).
public enum DecisionBody: String, APIEnum {
    case cityCouncil = "city-council"
    case cityBoard = "city-board"
    case committee
}

/// The decision that approved the plan, as the minutes name it.
public struct PlanDecision: Codable, Sendable, Equatable, JSONReadable {
    public var body: DecisionBody
    public var decidedOn: LocalDate
    /// The minutes' reference: `"Kaupunginhallitus 12.3.2026 § 45"`.
    public var reference: String

    public init(body: DecisionBody, decidedOn: LocalDate, reference: String) {
        self.body = body
        self.decidedOn = decidedOn
        self.reference = reference
    }

    public static func read(_ value: JSONValue, at pointer: JSONPointer, errors: InputErrors) -> PlanDecision? {
        guard var reader = ObjectReader(value, at: pointer, errors: errors) else { return nil }
        let body = reader.read("body", required: true, as: DecisionBody.self)
        let decidedOn = reader.factDate("decidedOn", required: true)
        let reference = reader.text("reference", required: true, maxLength: 300)
        reader.finish()
        guard let body, let decidedOn, let reference else { return nil }
        return PlanDecision(body: body, decidedOn: decidedOn, reference: reference)
    }
}

/// A city's own transition path (seed report: "jokainen kaupunki … määrittelee oman muutospolun ja suunnitelman
/// tavoitetilan saavuttamiseksi"): where it aims on the path, by when, along which option, through which measures,
/// and who decided it. One per city; its earlier versions are the record history.
public struct TransitionPlanFields: ResourceFields {
    public static let resourceType = "transition-plan"
    public static let maxMeasures = 200

    public var targetStage: Int
    public var targetDate: LocalDate
    public var option: TransitionOption
    public var measures: [TransitionMeasure]
    public var decision: PlanDecision?
    public var note: String?

    public init(targetStage: Int, targetDate: LocalDate, option: TransitionOption, measures: [TransitionMeasure] = [],
                decision: PlanDecision? = nil, note: String? = nil) {
        self.targetStage = targetStage
        self.targetDate = targetDate
        self.option = option
        self.measures = measures
        self.decision = decision
        self.note = note
    }

    public var factDates: [(member: JSONPointer, date: LocalDate)] {
        decision.map { [(JSONPointer.root.appending("decision").appending("decidedOn"), $0.decidedOn)] } ?? []
    }

    public static func read(_ value: JSONValue, errors: InputErrors) -> TransitionPlanFields? {
        guard var reader = ObjectReader(value, errors: errors) else { return nil }
        // Stage 1 is where every path starts; a plan aims at stage 2 or 3 of figure 1.1.
        let targetStage = reader.integer("targetStage", required: true, in: 2...3)
        let targetDate = reader.date("targetDate", required: true)
        let option = reader.read("option", required: true, as: TransitionOption.self)
        let measures = reader.list("measures", of: TransitionMeasure.self, maxCount: maxMeasures)
        let decision = reader.read("decision", as: PlanDecision.self)
        let note = reader.text("note", maxLength: 5000)
        reader.finish(readOnly: readOnlyFields)
        if let decision, let targetDate, targetDate < decision.decidedOn {
            errors.add(.root.appending("targetDate"), "must be on or after the decision's date \(decision.decidedOn)")
        }
        for (index, measure) in measures.enumerated() {
            if let decision, measure.dueOn < decision.decidedOn, measure.status.isOpen {
                errors.add(.root.appending("measures").appending(index).appending("dueOn"),
                           "must be on or after the decision's date \(decision.decidedOn) for a measure still open")
            }
        }
        guard errors.isEmpty, let targetStage, let targetDate, let option else { return nil }
        return TransitionPlanFields(targetStage: Int(targetStage), targetDate: targetDate, option: option, measures: measures,
                                    decision: decision, note: note)
    }
}

public enum TransitionPlanStatus: String, Codable, Sendable {
    /// The city stands at or beyond the target stage.
    case reached
    /// The target date is ahead, no open measure is overdue and no linked project is off track or cancelled.
    case onTrack = "on-track"
    /// The target date is ahead, but a measure is overdue or a linked project is off track or cancelled.
    case behind
    /// The target date has passed without the target stage.
    case missed
}

/// A project a measure is carried out through, as it stands.
public struct LinkedProjectState: Codable, Sendable, Equatable {
    public var projectId: String
    /// Nil when the project no longer exists (deleted after the plan named it).
    public var name: String?
    public var phase: ProjectPhase?
    public var health: ProjectHealth?
    /// Past its planned end date on the business date and not finished.
    public var late: Bool
    /// The measures (by index) the project carries.
    public var measureIndexes: [Int]

    enum CodingKeys: String, CodingKey { case projectId, name, phase, health, late, measureIndexes }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(projectId, forKey: .projectId)
        try container.encode(name, forKey: .name)
        try container.encode(phase, forKey: .phase)
        try container.encode(health, forKey: .health)
        try container.encode(late, forKey: .late)
        try container.encode(measureIndexes, forKey: .measureIndexes)
    }

    /// Whether the project holds its measure back: cancelled, off track, or late.
    var troubled: Bool { phase == .cancelled || health == .offTrack || late || name == nil }
}

public struct MeasureTally: Codable, Sendable, Equatable {
    public var total: Int
    public var done: Int
    public var inProgress: Int
    public var planned: Int
    public var cancelled: Int
    /// Open measures whose due date is before the business date.
    public var overdue: Int
    /// Indexes of the overdue measures, earliest due first.
    public var overdueIndexes: [Int]
}

/// How far the city has come along its own plan on a business date.
public struct TransitionPlanProgress: Codable, Sendable, Equatable {
    public var option: TransitionOption
    public var optionName: CityText
    public var targetStage: TransitionStage
    public var currentStage: Int
    /// Stages still to go: 0 once the target is reached.
    public var stagesToGo: Int
    public var targetDate: LocalDate
    /// Days from the business date to the target date; negative once it has passed.
    public var daysToTarget: Int
    public var status: TransitionPlanStatus
    public var onTrack: Bool
    public var measures: MeasureTally
    public var projects: [LinkedProjectState]
    public var decision: PlanDecision?

    enum CodingKeys: String, CodingKey {
        case option, optionName, targetStage, currentStage, stagesToGo, targetDate, daysToTarget, status, onTrack, measures, projects, decision
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(option, forKey: .option)
        try container.encode(optionName, forKey: .optionName)
        try container.encode(targetStage, forKey: .targetStage)
        try container.encode(currentStage, forKey: .currentStage)
        try container.encode(stagesToGo, forKey: .stagesToGo)
        try container.encode(targetDate, forKey: .targetDate)
        try container.encode(daysToTarget, forKey: .daysToTarget)
        try container.encode(status, forKey: .status)
        try container.encode(onTrack, forKey: .onTrack)
        try container.encode(measures, forKey: .measures)
        try container.encode(projects, forKey: .projects)
        try container.encode(decision, forKey: .decision)
    }

    /// The plan's progress on business date `on`, for a city standing at `currentStage`, its projects as they stand.
    public init(plan: TransitionPlanFields, currentStage: Int, on date: LocalDate, projects: [Resource<ProjectFields>]) {
        option = plan.option
        optionName = plan.option.name
        targetStage = TransitionStage(level: plan.targetStage)
        self.currentStage = currentStage
        stagesToGo = max(0, plan.targetStage - currentStage)
        targetDate = plan.targetDate
        daysToTarget = date.daysUntil(plan.targetDate)
        decision = plan.decision

        let overdue = plan.measures.enumerated().filter { $0.element.status.isOpen && $0.element.dueOn < date }
            .sorted { ($0.element.dueOn, $0.offset) < ($1.element.dueOn, $1.offset) }.map(\.offset)
        func count(_ status: TransitionMeasureStatus) -> Int { plan.measures.filter { $0.status == status }.count }
        measures = MeasureTally(total: plan.measures.count, done: count(.done), inProgress: count(.inProgress), planned: count(.planned),
                                cancelled: count(.cancelled), overdue: overdue.count, overdueIndexes: overdue)

        let byId = Dictionary(projects.map { ($0.meta.id, $0.fields) }, uniquingKeysWith: { first, _ in first })
        var order: [String] = []
        var carried: [String: [Int]] = [:]
        for (index, measure) in plan.measures.enumerated() {
            for id in measure.projectIds {
                if carried[id] == nil { order.append(id) }
                carried[id, default: []].append(index)
            }
        }
        let linked = order.map { id in
            let project = byId[id]
            let late = project.map { !$0.phase.isFinished && ($0.plannedEndDate.map { $0 < date } ?? false) } ?? false
            return LinkedProjectState(projectId: id, name: project?.name, phase: project?.phase, health: project?.health, late: late,
                                      measureIndexes: carried[id] ?? [])
        }
        self.projects = linked

        // Only projects carrying an open measure hold the plan back: a cancelled project of a measure done is history.
        let openIndexes = Set(plan.measures.enumerated().filter { $0.element.status.isOpen }.map(\.offset))
        let troubled = linked.contains { $0.troubled && !openIndexes.isDisjoint(with: $0.measureIndexes) }
        status = if currentStage >= plan.targetStage { .reached }
            else if daysToTarget < 0 { .missed }
            else if !overdue.isEmpty || troubled { .behind }
            else { .onTrack }
        onTrack = status == .reached || status == .onTrack
    }
}
