/// A contract's next deadline within a window: the notice deadline when it falls in the window,
/// else the end date when the contract really ends there.
public struct ContractDeadline: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case noticeDeadline = "notice-deadline", end }

    public var contractId: String
    public var title: String
    public var supplierId: String
    public var supplierName: String
    public var kind: Kind
    public var deadline: LocalDate
    public var daysLeft: Int
    public var decision: ContractDecision?
    public var currentEndDate: LocalDate
    public var noticeDeadline: LocalDate?

    enum CodingKeys: String, CodingKey {
        case contractId, title, supplierId, supplierName, kind, deadline, daysLeft, decision, currentEndDate, noticeDeadline
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(contractId, forKey: .contractId)
        try container.encode(title, forKey: .title)
        try container.encode(supplierId, forKey: .supplierId)
        try container.encode(supplierName, forKey: .supplierName)
        try container.encode(kind, forKey: .kind)
        try container.encode(deadline, forKey: .deadline)
        try container.encode(daysLeft, forKey: .daysLeft)
        try container.encode(decision, forKey: .decision)
        try container.encode(currentEndDate, forKey: .currentEndDate)
        try container.encode(noticeDeadline, forKey: .noticeDeadline)
    }

    /// Contracts with a notice deadline or end date from `date` to `date + withinDays`, soonest first.
    /// Terminated and expired contracts have nothing left to act on and are left out. A tacit renewal without
    /// notice never ends at its current end (it rolls), so it is listed only by its notice deadline; one whose
    /// termination is recorded for a later date ends then.
    public static func upcoming(
        _ contracts: [(record: Resource<ContractFields>, terms: ContractTerms)], suppliers: [String: Resource<SupplierFields>],
        on date: LocalDate, withinDays: Int
    ) -> [ContractDeadline] {
        let window = date...date.adding(days: withinDays)
        return contracts.compactMap { record, terms -> ContractDeadline? in
            guard terms.status != .terminated, terms.status != .expired else { return nil }
            let kind: Kind, deadline: LocalDate
            if let notice = terms.noticeDeadline, window.contains(notice) {
                (kind, deadline) = (.noticeDeadline, notice)
            } else if record.fields.renewal == .tacit, record.fields.terminatedOn == nil {
                return nil
            } else if window.contains(terms.currentEndDate) {
                (kind, deadline) = (.end, terms.currentEndDate)
            } else {
                return nil
            }
            let supplierId = record.fields.supplierId
            return ContractDeadline(
                contractId: record.meta.id, title: record.fields.title, supplierId: supplierId,
                supplierName: suppliers[supplierId]?.fields.name ?? "", kind: kind, deadline: deadline,
                daysLeft: date.daysUntil(deadline), decision: terms.decision, currentEndDate: terms.currentEndDate,
                noticeDeadline: terms.noticeDeadline)
        }
        .sorted { ($0.deadline, $0.contractId) < ($1.deadline, $1.contractId) }
    }
}

/// Counts for every value of an enumeration, zeros included, so that clients see the whole scale.
func countsByValue<E: APIEnum>(_ values: some Sequence<E>) -> [String: Int] {
    var counts = Dictionary(uniqueKeysWithValues: E.allCases.map { ($0.rawValue, 0) })
    for value in values { counts[value.rawValue, default: 0] += 1 }
    return counts
}

func sumsByValue<E: APIEnum>(_ pairs: some Sequence<(E, Int64)>) -> [String: Total] {
    var sums = Dictionary(uniqueKeysWithValues: E.allCases.map { ($0.rawValue, Total()) })
    for (value, amount) in pairs { sums[value.rawValue, default: 0] += amount }
    return sums
}

/// A CIO's one-page overview of a city's portfolio on a date. Every number is a count or sum over
/// what the lists return for the same date.
public struct PortfolioSummary: Encodable, Sendable, Equatable {
    public struct Services: Encodable, Sendable, Equatable {
        public var count: Int
        public var byLifecycle: [String: Int]
        public var bySector: [String: Int]
        /// Sum of `annualCostCents` over all services (services without a cost count as 0).
        public var annualCostCents: Total
        public var annualCostCentsBySector: [String: Total]
        /// By the kind of the providing supplier; `unassigned` for services without a provider.
        public var annualCostCentsBySupplierKind: [String: Total]
    }

    public struct SupplierShare: Encodable, Sendable, Equatable {
        public var supplierId: String
        public var supplierName: String
        public var supplierKind: SupplierKind?
        public var activeContracts: Int
        public var annualValueCents: Total
        /// Share of the city's active annual contract value, percent with two decimals (half-even).
        public var sharePercent: ExactDecimal?
    }

    public struct Contracts: Encodable, Sendable, Equatable {
        public var count: Int
        public var byStatus: [String: Int]
        /// Sum of `annualValueCents` over active contracts.
        public var activeAnnualValueCents: Total
        /// Every supplier with an active contract, largest annual value first.
        public var annualValueBySupplier: [SupplierShare]
        public var topSuppliers: [SupplierShare]
    }

    public struct Deadlines: Encodable, Sendable, Equatable {
        public var withinDays: Int
        public var count: Int
        public var items: [ContractDeadline]
    }

    public struct PhaseTotals: Encodable, Sendable, Equatable {
        public var count: Int
        public var budgetCents: Total
        public var actualCostCents: Total
    }

    public struct Projects: Encodable, Sendable, Equatable {
        public var count: Int
        public var byPhase: [String: PhaseTotals]
        public var budgetCents: Total
        public var actualCostCents: Total
        public var late: Int
    }

    public var cityId: String
    /// The business date the portfolio is evaluated on, and the record time of the records it sums.
    public var on: LocalDate
    public var asOf: Timestamp
    public var services: Services
    public var contracts: Contracts
    public var upcomingDeadlines: Deadlines
    public var projects: Projects

    public static let deadlineWindowDays = 90
    public static let topSupplierCount = 5

    public init(
        cityId: String, on date: LocalDate, asOf recordedAt: Timestamp, services: [Resource<ServiceFields>],
        contracts: [(record: Resource<ContractFields>, terms: ContractTerms)], projects: [Resource<ProjectFields>],
        suppliers: [String: Resource<SupplierFields>]
    ) {
        self.cityId = cityId
        on = date
        asOf = recordedAt
        let providerKinds = services.map { service in
            service.fields.providerId.flatMap { suppliers[$0]?.fields.kind.rawValue } ?? "unassigned"
        }
        var costByKind = Dictionary(uniqueKeysWithValues: (SupplierKind.allCases.map(\.rawValue) + ["unassigned"]).map { ($0, Total()) })
        for (service, kind) in zip(services, providerKinds) { costByKind[kind, default: 0] += service.fields.annualCostCents ?? 0 }
        self.services = Services(
            count: services.count,
            byLifecycle: countsByValue(services.map(\.fields.lifecycle)),
            bySector: countsByValue(services.map(\.fields.sector)),
            annualCostCents: Total.of(services.map(\.fields.annualCostCents)),
            annualCostCentsBySector: sumsByValue(services.map { ($0.fields.sector, $0.fields.annualCostCents ?? 0) }),
            annualCostCentsBySupplierKind: costByKind)

        let active = contracts.filter { $0.terms.status == .active }
        let activeTotal = Total.of(active.map(\.record.fields.annualValueCents))
        var bySupplier: [String: (count: Int, cents: Total)] = [:]
        for contract in active {
            bySupplier[contract.record.fields.supplierId, default: (0, 0)].count += 1
            bySupplier[contract.record.fields.supplierId, default: (0, 0)].cents += contract.record.fields.annualValueCents ?? 0
        }
        let shares = bySupplier.map { id, totals in
            SupplierShare(
                supplierId: id, supplierName: suppliers[id]?.fields.name ?? "", supplierKind: suppliers[id]?.fields.kind,
                activeContracts: totals.count, annualValueCents: totals.cents,
                sharePercent: activeTotal > 0 ? Rounding.percent(totals.cents, of: activeTotal) : nil)
        }
        .sorted { ($1.annualValueCents, $0.supplierId) < ($0.annualValueCents, $1.supplierId) }
        self.contracts = Contracts(
            count: contracts.count, byStatus: countsByValue(contracts.map(\.terms.status)),
            activeAnnualValueCents: activeTotal, annualValueBySupplier: shares,
            topSuppliers: Array(shares.prefix(Self.topSupplierCount)))

        let deadlines = ContractDeadline.upcoming(contracts, suppliers: suppliers, on: date, withinDays: Self.deadlineWindowDays)
        upcomingDeadlines = Deadlines(withinDays: Self.deadlineWindowDays, count: deadlines.count, items: deadlines)

        var byPhase = Dictionary(uniqueKeysWithValues: ProjectPhase.allCases.map { ($0.rawValue, PhaseTotals(count: 0, budgetCents: 0, actualCostCents: 0)) })
        for project in projects {
            byPhase[project.fields.phase.rawValue]!.count += 1
            byPhase[project.fields.phase.rawValue]!.budgetCents += project.fields.budgetCents ?? 0
            byPhase[project.fields.phase.rawValue]!.actualCostCents += project.fields.actualCostCents ?? 0
        }
        self.projects = Projects(
            count: projects.count, byPhase: byPhase,
            budgetCents: Total.of(projects.map(\.fields.budgetCents)),
            actualCostCents: Total.of(projects.map(\.fields.actualCostCents)),
            late: projects.filter { $0.fields.status(on: date).late }.count)
    }
}
