public enum ProjectPhase: String, APIEnum {
    case idea
    case preStudy = "pre-study"
    case planning, execution, deployment, closed, cancelled

    /// Phases in which a project is under way and must report its health.
    public var isUnderWay: Bool { [.planning, .execution, .deployment].contains(self) }
    public var isFinished: Bool { self == .closed || self == .cancelled }
}

public enum ProjectHealth: String, APIEnum {
    case onTrack = "on-track"
    case atRisk = "at-risk"
    case offTrack = "off-track"
}

/// The decision that took a project into the city's central development portfolio.
extension ProjectFields {
    public var factDates: [(member: JSONPointer, date: LocalDate)] {
        (portfolioDecision.map { [(JSONPointer.root.appending("portfolioDecision").appending("decidedOn"), $0.decidedOn)] } ?? [])
            + (actualEndDate.map { [(JSONPointer.root.appending("actualEndDate"), $0)] } ?? [])
    }
}

public struct PortfolioDecision: Codable, Sendable, Equatable, JSONReadable {
    public var decidedOn: LocalDate
    public var decidedBy: String

    public init(decidedOn: LocalDate, decidedBy: String) {
        self.decidedOn = decidedOn
        self.decidedBy = decidedBy
    }

    public static func read(_ value: JSONValue, at pointer: JSONPointer, errors: InputErrors) -> PortfolioDecision? {
        guard var reader = ObjectReader(value, at: pointer, errors: errors) else { return nil }
        let decidedOn = reader.factDate("decidedOn", required: true)
        let decidedBy = reader.text("decidedBy", required: true, maxLength: 300)
        reader.finish()
        guard let decidedOn, let decidedBy else { return nil }
        return PortfolioDecision(decidedOn: decidedOn, decidedBy: decidedBy)
    }
}

/// A development project in the city's development portfolio (kehittämissalkku).
public struct ProjectFields: ResourceFields {
    public static let resourceType = "project"
    public static let computedFields: Set<String> = ["budgetUsedPercent", "late"]

    public var name: String
    public var description: String?
    public var sector: Sector
    public var owner: Owner
    public var phase: ProjectPhase
    public var health: ProjectHealth?
    public var budgetCents: Int64?
    public var actualCostCents: Int64?
    public var startDate: LocalDate?
    public var plannedEndDate: LocalDate?
    public var actualEndDate: LocalDate?
    public var expectedAnnualSavingsCents: Int64?
    public var serviceIds: [String]
    public var supplierIds: [String]
    public var portfolioDecision: PortfolioDecision?
    public var priority: Int?
    public var externalId: String?
    public var capabilityIds: [String]
    public var processIds: [String]

    public init(name: String, description: String? = nil, sector: Sector, owner: Owner, phase: ProjectPhase,
                health: ProjectHealth? = nil, budgetCents: Int64? = nil, actualCostCents: Int64? = nil,
                startDate: LocalDate? = nil, plannedEndDate: LocalDate? = nil, actualEndDate: LocalDate? = nil,
                expectedAnnualSavingsCents: Int64? = nil, serviceIds: [String] = [], supplierIds: [String] = [],
                portfolioDecision: PortfolioDecision? = nil, priority: Int? = nil, externalId: String? = nil,
                capabilityIds: [String] = [], processIds: [String] = []) {
        self.name = name
        self.description = description
        self.sector = sector
        self.owner = owner
        self.phase = phase
        self.health = health
        self.budgetCents = budgetCents
        self.actualCostCents = actualCostCents
        self.startDate = startDate
        self.plannedEndDate = plannedEndDate
        self.actualEndDate = actualEndDate
        self.expectedAnnualSavingsCents = expectedAnnualSavingsCents
        self.serviceIds = serviceIds
        self.supplierIds = supplierIds
        self.portfolioDecision = portfolioDecision
        self.priority = priority
        self.externalId = externalId
        self.capabilityIds = capabilityIds
        self.processIds = processIds
    }

    public static func read(_ value: JSONValue, errors: InputErrors) -> ProjectFields? {
        guard var reader = ObjectReader(value, errors: errors) else { return nil }
        let name = reader.text("name", required: true, maxLength: 300)
        let description = reader.text("description", maxLength: 10_000)
        let sector = reader.read("sector", required: true, as: Sector.self)
        let owner = reader.read("owner", required: true, as: Owner.self)
        let phase = reader.read("phase", required: true, as: ProjectPhase.self)
        let health = reader.read("health", as: ProjectHealth.self)
        let budgetCents = reader.cents("budgetCents")
        let actualCostCents = reader.cents("actualCostCents")
        let startDate = reader.date("startDate")
        let plannedEndDate = reader.date("plannedEndDate")
        let actualEndDate = reader.factDate("actualEndDate")
        let savings = reader.cents("expectedAnnualSavingsCents")
        let serviceIds = reader.idList("serviceIds")
        let supplierIds = reader.idList("supplierIds")
        let decision = reader.read("portfolioDecision", as: PortfolioDecision.self)
        let priority = reader.integer("priority", in: 1...5)
        let externalId = reader.text("externalId", maxLength: 100)
        let mapping = reader.governanceMapping()
        reader.finish(readOnly: readOnlyFields)

        if let phase, phase.isUnderWay, !reader.has("health") {
            errors.add(.root.appending("health"), "is required while the project is in \(phase.rawValue)")
        }
        if let startDate, let plannedEndDate, plannedEndDate < startDate {
            errors.add(.root.appending("plannedEndDate"), "must be on or after startDate")
        }
        if let startDate, let actualEndDate, actualEndDate < startDate {
            errors.add(.root.appending("actualEndDate"), "must be on or after startDate")
        }
        if let phase, actualEndDate != nil, !phase.isFinished {
            errors.add(.root.appending("actualEndDate"), "can be set only when the project is closed or cancelled")
        }
        guard errors.isEmpty, let name, let sector, let owner, let phase else { return nil }
        return ProjectFields(
            name: name, description: description, sector: sector, owner: owner, phase: phase, health: health,
            budgetCents: budgetCents, actualCostCents: actualCostCents, startDate: startDate,
            plannedEndDate: plannedEndDate, actualEndDate: actualEndDate, expectedAnnualSavingsCents: savings,
            serviceIds: serviceIds, supplierIds: supplierIds, portfolioDecision: decision,
            priority: priority.map(Int.init), externalId: externalId,
            capabilityIds: mapping.capabilityIds, processIds: mapping.processIds)
    }

    public func status(on date: LocalDate) -> ProjectStatus {
        ProjectStatus(
            budgetUsedPercent: budgetCents.flatMap { budget in
                actualCostCents.flatMap { budget > 0 ? Rounding.percent($0, of: budget) : nil }
            },
            late: !phase.isFinished && (plannedEndDate.map { $0 < date } ?? false))
    }
}

public struct ProjectStatus: Codable, Sendable, Equatable {
    /// Actual cost as a percentage of the budget, two decimals; null without a positive budget and an actual cost.
    public var budgetUsedPercent: ExactDecimal?
    /// Past its planned end and neither closed nor cancelled.
    public var late: Bool

    enum CodingKeys: String, CodingKey { case budgetUsedPercent, late }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(budgetUsedPercent, forKey: .budgetUsedPercent)
        try container.encode(late, forKey: .late)
    }
}
