public enum ContractStatus: String, APIEnum {
    case upcoming, active, expired, terminated
}

/// What the city must decide before the current end date, if anything.
public enum ContractDecision: String, APIEnum {
    case exerciseOption = "exercise-option"
    case stopTacitRenewal = "stop-tacit-renewal"
    case agreeRenewal = "agree-renewal"
}

public enum ThresholdClass: String, APIEnum {
    case belowNational = "below-national"
    case national
    case eu
}

public struct ProcedureWarning: Codable, Sendable, Equatable {
    public var code: String
    public var detail: String

    public init(code: String, detail: String) {
        self.code = code
        self.detail = detail
    }
}

/// The members of a contract its dates follow from.
public struct ContractSchedule: Sendable, Equatable {
    public var startDate: LocalDate
    public var initialEndDate: LocalDate
    public var options: [ContractOption]
    public var renewal: Renewal
    public var renewalPeriodMonths: Int?
    public var terminatedOn: LocalDate?
    public var annualValueCents: Int64?

    public init(startDate: LocalDate, initialEndDate: LocalDate, options: [ContractOption], renewal: Renewal,
                renewalPeriodMonths: Int?, terminatedOn: LocalDate?, annualValueCents: Int64?) {
        self.startDate = startDate
        self.initialEndDate = initialEndDate
        self.options = options
        self.renewal = renewal
        self.renewalPeriodMonths = renewalPeriodMonths
        self.terminatedOn = terminatedOn
        self.annualValueCents = annualValueCents
    }
}

extension ContractFields {
    public var schedule: ContractSchedule {
        ContractSchedule(startDate: startDate, initialEndDate: initialEndDate, options: options, renewal: renewal,
                         renewalPeriodMonths: renewalPeriodMonths, terminatedOn: terminatedOn, annualValueCents: annualValueCents)
    }
}

/// A contract's derived dates and judgements on an evaluation date.
public struct ContractTerms: Codable, Sendable, Equatable {
    public var currentEndDate: LocalDate
    public var decision: ContractDecision?
    public var noticeDeadline: LocalDate?
    public var status: ContractStatus
    public var thresholdClass: ThresholdClass?
    public var procedureWarnings: [ProcedureWarning]

    enum CodingKeys: String, CodingKey {
        case currentEndDate, decision, noticeDeadline, status, thresholdClass, procedureWarnings
    }

    /// Computed members are always present, null when they do not apply.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(currentEndDate, forKey: .currentEndDate)
        try container.encode(decision, forKey: .decision)
        try container.encode(noticeDeadline, forKey: .noticeDeadline)
        try container.encode(status, forKey: .status)
        try container.encode(thresholdClass, forKey: .thresholdClass)
        try container.encode(procedureWarnings, forKey: .procedureWarnings)
    }

    public init(currentEndDate: LocalDate, decision: ContractDecision?, noticeDeadline: LocalDate?, status: ContractStatus,
                thresholdClass: ThresholdClass?, procedureWarnings: [ProcedureWarning]) {
        self.currentEndDate = currentEndDate
        self.decision = decision
        self.noticeDeadline = noticeDeadline
        self.status = status
        self.thresholdClass = thresholdClass
        self.procedureWarnings = procedureWarnings
    }

    /// - Parameter supplierKind: the contracted supplier's kind, when known, for the in-house check.
    public init(_ contract: ContractFields, on date: LocalDate, supplierKind: SupplierKind?) {
        let terminated = contract.terminatedOn.map { $0 <= date } ?? false
        let end = Self.currentEndDate(contract, on: date)
        currentEndDate = end
        decision = Self.decision(contract)
        noticeDeadline = decision == nil ? nil : end.adding(months: -contract.noticePeriodMonths)
        status = if terminated { .terminated }
            else if date < contract.startDate { .upcoming }
            else if date <= end { .active }
            else { .expired }
        thresholdClass = ProcurementThresholds.classify(
            totalValueCents: contract.totalValueCents, category: contract.category,
            procuredOn: contract.procuredOn ?? contract.startDate)
        procedureWarnings = Self.warnings(contract, supplierKind: supplierKind)
    }

    public static func currentEndDate(_ contract: ContractFields, on date: LocalDate) -> LocalDate {
        currentEndDate(contract.schedule, on: date)
    }

    /// The initial end extended by every exercised option in one step; a tacit renewal that is not
    /// terminated rolls forward by whole renewal periods to the first end on or after `date`.
    public static func currentEndDate(_ contract: ContractSchedule, on date: LocalDate) -> LocalDate {
        let exercisedMonths = contract.options.filter(\.exercised).reduce(0) { $0 + $1.months }
        let end = contract.initialEndDate.adding(months: exercisedMonths)
        guard contract.renewal == .tacit, contract.terminatedOn == nil,
              let period = contract.renewalPeriodMonths, period > 0, end < date else { return end }
        return end.adding(months: renewalPeriods(from: end, to: date, periodMonths: period) * period)
    }

    /// The fewest whole renewal periods (at least one) that take `end` on or past `date`, in closed form: `end`
    /// moved by m months lands in the m-th month after its own, so fewer months than lie between the two
    /// months fall short, more overshoot, and exactly that many land in `date`'s month, where the day decides.
    /// No loop, so no evaluation date, however far, can keep a request busy.
    public static func renewalPeriods(from end: LocalDate, to date: LocalDate, periodMonths period: Int) -> Int {
        let months = end.monthsUntil(date)
        let periods = max(1, (months + period - 1) / period)
        return end.adding(months: periods * period) >= date ? periods : periods + 1
    }

    /// A recorded termination leaves nothing to decide; otherwise options come first, then renewal.
    public static func decision(_ contract: ContractFields) -> ContractDecision? {
        guard contract.terminatedOn == nil else { return nil }
        if contract.options.contains(where: { !$0.exercised }) { return .exerciseOption }
        switch contract.renewal {
        case .tacit: return .stopTacitRenewal
        case .express: return .agreeRenewal
        case .none: return nil
        }
    }

    static func euros(_ cents: Int64) -> String {
        var digits = String(cents / 100)
        var grouped = ""
        while digits.count > 3 {
            grouped = " " + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        return digits + grouped + " €"
    }

    public static func warnings(_ contract: ContractFields, supplierKind: SupplierKind?) -> [ProcedureWarning] {
        var warnings: [ProcedureWarning] = []
        let procuredOn = contract.procuredOn ?? contract.startDate
        let national = ProcurementThresholds.nationalCents(on: procuredOn, category: contract.category)
        let atOrAboveNational = national.map { contract.totalValueCents >= $0 } ?? false
        switch contract.procedure {
        case .belowThreshold where atOrAboveNational:
            warnings.append(ProcedureWarning(
                code: "below-threshold-procedure-at-or-above-threshold",
                detail: "a below-threshold procedure was used for a total value at or above the national threshold of \(euros(national!)) in force on \(procuredOn)"))
        case .directAward where atOrAboveNational:
            warnings.append(ProcedureWarning(
                code: "direct-award-at-or-above-threshold",
                detail: "a direct award at or above the national threshold of \(euros(national!)) needs a documented justification under the Procurement Act"))
        case .inHouse:
            if let supplierKind, ![.ownProduction, .inHouseCompany, .municipalEnterprise].contains(supplierKind) {
                warnings.append(ProcedureWarning(
                    code: "in-house-award-to-outside-supplier",
                    detail: "an in-house award is exempt from tendering only for the city's own production, in-house companies and municipal enterprises; this supplier is \(supplierKind.rawValue)"))
            }
        default:
            break
        }
        if contract.procedure != .inHouse, let supplierKind, [.ownProduction, .municipalEnterprise].contains(supplierKind) {
            warnings.append(ProcedureWarning(
                code: "own-production-under-market-procedure",
                detail: "the supplier is the city's \(supplierKind.rawValue); an agreement with it is an internal order, not a \(contract.procedure.rawValue) procurement"))
        }
        return warnings
    }
}
