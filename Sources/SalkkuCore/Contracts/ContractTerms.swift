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

/// How a contract's estimated value for the threshold was reached.
public enum EstimatedValueBasis: String, APIEnum {
    /// The total value recorded on the contract, which counts its options (Directive 2014/24/EU art. 5(1)).
    case totalValue = "total-value"
    /// A tacit renewal leaves the term open: 48 × the monthly value (art. 5(14)(b), 1397/2016 § 31).
    case monthlyValueTimes48 = "monthly-value-times-48"
}

/// The value a contract is judged by against the thresholds, and how it was reached.
public struct EstimatedValue: Sendable, Equatable {
    public var cents: Int64
    public var basis: EstimatedValueBasis

    public init(cents: Int64, basis: EstimatedValueBasis) {
        self.cents = cents
        self.basis = basis
    }

    /// Whole months of the initial term, a started month counting as one; at least one.
    static func termMonths(from start: LocalDate, to end: LocalDate) -> Int {
        let after = end.adding(days: 1)
        let months = start.monthsUntil(after) + (after.day > start.day ? 1 : 0) - (after.day < start.day ? 1 : 0)
        return max(1, months)
    }

    /// A contract that renews tacitly has no fixed term: it is valued at 48 months of its monthly value, from the
    /// annual value when recorded (48 × annual / 12 = 4 × annual, exactly), else from the total over the initial
    /// term, rounded up to the cent. Every other contract is valued at its recorded total, options included.
    public static func of(_ contract: ContractFields) -> EstimatedValue {
        guard contract.renewal == .tacit else { return EstimatedValue(cents: contract.totalValueCents, basis: .totalValue) }
        if let annual = contract.annualValueCents {
            return EstimatedValue(cents: annual.multipliedReportingOverflow(by: 4).overflow ? .max : annual * 4, basis: .monthlyValueTimes48)
        }
        let months = Int64(termMonths(from: contract.startDate, to: contract.initialEndDate))
        // Exact in 128 bits: rounding up adds up to months − 1, which would overflow a product near Int64.max.
        let cents = (Total(contract.totalValueCents) * 48).dividedRoundingUp(by: months).int64 ?? .max
        return EstimatedValue(cents: cents, basis: .monthlyValueTimes48)
    }
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
    public var noticePeriodMonths: Int
    public var terminatedOn: LocalDate?
    public var annualValueCents: Int64?

    public init(startDate: LocalDate, initialEndDate: LocalDate, options: [ContractOption], renewal: Renewal,
                renewalPeriodMonths: Int?, noticePeriodMonths: Int, terminatedOn: LocalDate?, annualValueCents: Int64?) {
        self.startDate = startDate
        self.initialEndDate = initialEndDate
        self.options = options
        self.renewal = renewal
        self.renewalPeriodMonths = renewalPeriodMonths
        self.noticePeriodMonths = noticePeriodMonths
        self.terminatedOn = terminatedOn
        self.annualValueCents = annualValueCents
    }

    /// The initial end extended by every exercised option, in one step.
    public var extendedEndDate: LocalDate {
        initialEndDate.adding(months: options.filter(\.exercised).reduce(0) { $0 + $1.months })
    }

    /// The dates, decision and status the schedule gives on a business date.
    ///
    /// - An option not yet exercised is the decision while its notice deadline (end − notice) is on or after
    ///   `date`; once that passes the option lapses, and the later ones with it, since none of them can extend
    ///   the end any more. The renewal rule then decides from the unextended end.
    /// - A tacit renewal whose notice deadline passed without notice rolls to the following end, in closed form.
    /// - An express renewal must be agreed by its notice deadline or, once that has passed, by the end itself.
    /// - A recorded termination ends the contract on the earlier of that date and the end, leaving nothing to decide.
    public func evaluated(on date: LocalDate) -> ContractTerms.Dates {
        let base = extendedEndDate
        let baseDeadline = base.adding(months: -noticePeriodMonths)
        var end = base
        var decision: ContractDecision?
        var deadline: LocalDate?
        if options.contains(where: { !$0.exercised }), baseDeadline >= date {
            (decision, deadline) = (.exerciseOption, baseDeadline)
        } else {
            switch renewal {
            case .tacit:
                if let period = renewalPeriodMonths, period > 0 {
                    let renewals = ContractTerms.renewalsBeforeNotice(from: base, noticeMonths: noticePeriodMonths,
                                                                      periodMonths: period, on: date)
                    end = base.adding(months: renewals * period)
                    (decision, deadline) = (.stopTacitRenewal, end.adding(months: -noticePeriodMonths))
                } else if baseDeadline >= date {
                    // Without a period the renewal cannot roll; it is a decision only until its deadline.
                    (decision, deadline) = (.stopTacitRenewal, baseDeadline)
                }
            case .express:
                if baseDeadline >= date {
                    (decision, deadline) = (.agreeRenewal, baseDeadline)
                } else if base >= date {
                    (decision, deadline) = (.agreeRenewal, base)
                }
            case .none:
                break
            }
        }
        var terminated = false
        if let terminatedOn {
            end = min(end, terminatedOn)
            (decision, deadline) = (nil, nil)
            terminated = terminatedOn <= date
        }
        let status: ContractStatus = if terminated { .terminated }
            else if date < startDate { .upcoming }
            else if date <= end { .active }
            else { .expired }
        return ContractTerms.Dates(currentEndDate: end, decision: decision, noticeDeadline: deadline, status: status)
    }
}

extension ContractFields {
    public var schedule: ContractSchedule {
        ContractSchedule(startDate: startDate, initialEndDate: initialEndDate, options: options, renewal: renewal,
                         renewalPeriodMonths: renewalPeriodMonths, noticePeriodMonths: noticePeriodMonths,
                         terminatedOn: terminatedOn, annualValueCents: annualValueCents)
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
    public var estimatedValueCents: Int64
    public var estimatedValueBasis: EstimatedValueBasis

    /// The members that follow from the schedule alone.
    public struct Dates: Sendable, Equatable {
        public var currentEndDate: LocalDate
        public var decision: ContractDecision?
        /// The next date by which the city can still act; never before the evaluation date while the contract runs.
        public var noticeDeadline: LocalDate?
        public var status: ContractStatus

        public init(currentEndDate: LocalDate, decision: ContractDecision?, noticeDeadline: LocalDate?, status: ContractStatus) {
            self.currentEndDate = currentEndDate
            self.decision = decision
            self.noticeDeadline = noticeDeadline
            self.status = status
        }
    }

    enum CodingKeys: String, CodingKey {
        case currentEndDate, decision, noticeDeadline, status, thresholdClass, procedureWarnings
        case estimatedValueCents, estimatedValueBasis
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
        try container.encode(estimatedValueCents, forKey: .estimatedValueCents)
        try container.encode(estimatedValueBasis, forKey: .estimatedValueBasis)
    }

    public init(currentEndDate: LocalDate, decision: ContractDecision?, noticeDeadline: LocalDate?, status: ContractStatus,
                thresholdClass: ThresholdClass?, procedureWarnings: [ProcedureWarning],
                estimatedValue: EstimatedValue) {
        self.currentEndDate = currentEndDate
        self.decision = decision
        self.noticeDeadline = noticeDeadline
        self.status = status
        self.thresholdClass = thresholdClass
        self.procedureWarnings = procedureWarnings
        estimatedValueCents = estimatedValue.cents
        estimatedValueBasis = estimatedValue.basis
    }

    /// - Parameters:
    ///   - supplierKind: the contracted supplier's kind, when known, for the in-house check.
    ///   - buyerControlsSupplier: whether the buying city controls the supplier (`SupplierFields.isControlled`), when
    ///     known: an in-house award is plausible only then.
    public init(_ contract: ContractFields, on date: LocalDate, supplierKind: SupplierKind?, buyerControlsSupplier: Bool? = nil) {
        let dates = contract.schedule.evaluated(on: date)
        currentEndDate = dates.currentEndDate
        decision = dates.decision
        noticeDeadline = dates.noticeDeadline
        status = dates.status
        let estimated = EstimatedValue.of(contract)
        estimatedValueCents = estimated.cents
        estimatedValueBasis = estimated.basis
        thresholdClass = ProcurementThresholds.classify(
            totalValueCents: estimated.cents, category: contract.category,
            procuredOn: contract.procuredOn ?? contract.startDate)
        procedureWarnings = Self.warnings(contract, supplierKind: supplierKind, buyerControlsSupplier: buyerControlsSupplier)
    }

    public static func currentEndDate(_ contract: ContractFields, on date: LocalDate) -> LocalDate {
        currentEndDate(contract.schedule, on: date)
    }

    /// The end the contract runs to as seen on `date`: the initial end extended by every exercised option, a tacit
    /// renewal rolled past every notice deadline that passed without notice, and a recorded termination.
    public static func currentEndDate(_ contract: ContractSchedule, on date: LocalDate) -> LocalDate {
        contract.evaluated(on: date).currentEndDate
    }

    /// The fewest whole renewal periods k ≥ 0 after which the notice deadline `end + k·period − notice` is on or
    /// after `date`, in closed form: the deadline after k periods lies k·period − notice months after `end`'s month,
    /// so fewer periods than reach `date`'s month fall short, more overshoot, and the one that lands in `date`'s
    /// month is decided by the day. No loop, so no evaluation date, however far, can keep a request busy.
    public static func renewalsBeforeNotice(from end: LocalDate, noticeMonths notice: Int, periodMonths period: Int,
                                            on date: LocalDate) -> Int {
        let months = end.monthsUntil(date) + notice
        let periods = months <= 0 ? 0 : (months + period - 1) / period
        return end.adding(months: periods * period).adding(months: -notice) >= date ? periods : periods + 1
    }

    /// The fewest whole renewal periods (at least one) that take `end` on or past `date`.
    public static func renewalPeriods(from end: LocalDate, to date: LocalDate, periodMonths period: Int) -> Int {
        max(1, renewalsBeforeNotice(from: end, noticeMonths: 0, periodMonths: period, on: date))
    }

    /// What the city must decide on `date`: an option before its deadline, else the renewal; nothing once notice
    /// is recorded or the contract has ended.
    public static func decision(_ contract: ContractFields, on date: LocalDate) -> ContractDecision? {
        contract.schedule.evaluated(on: date).decision
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

    public static func warnings(_ contract: ContractFields, supplierKind: SupplierKind?, buyerControlsSupplier: Bool? = nil) -> [ProcedureWarning] {
        var warnings: [ProcedureWarning] = []
        let procuredOn = contract.procuredOn ?? contract.startDate
        let national = ProcurementThresholds.nationalCents(on: procuredOn, category: contract.category)
        let estimated = EstimatedValue.of(contract).cents
        let atOrAboveNational = national.map { estimated >= $0 } ?? false
        if let coverage = ProcurementThresholds.coverageWarning(on: procuredOn) {
            warnings.append(coverage)
        } else if national == nil {
            warnings.append(ProcedureWarning(
                code: "no-threshold-for-category",
                detail: "no threshold for \(contract.category.rawValue) was in force on \(procuredOn) (the category entered the Procurement Act on 2017-01-01); the threshold class is not judged"))
        }
        switch contract.procedure {
        case .belowThreshold where atOrAboveNational:
            warnings.append(ProcedureWarning(
                code: "below-threshold-procedure-at-or-above-threshold",
                detail: "a below-threshold procedure was used for an estimated value at or above the national threshold of \(euros(national!)) in force on \(procuredOn)"))
        case .directAward where atOrAboveNational:
            warnings.append(ProcedureWarning(
                code: "direct-award-at-or-above-threshold",
                detail: "a direct award at or above the national threshold of \(euros(national!)) needs a documented justification under the Procurement Act"))
        case .inHouse:
            // In-house is a relation (1397/2016 § 15): a unit the buying city controls, alone or with other owners. A
            // warning rather than a refusal: history loaded after the fact must be recordable as it happened.
            if supplierKind == .commercial {
                warnings.append(ProcedureWarning(
                    code: "in-house-award-to-outside-supplier",
                    detail: "an in-house award is exempt from tendering only for units the city controls: its own production, its municipal enterprise, and in-house companies and shared service centres it owns; this supplier is commercial"))
            } else if buyerControlsSupplier == false, let supplierKind {
                warnings.append(ProcedureWarning(
                    code: "in-house-award-buyer-not-owner",
                    detail: SupplierFields.ownableKinds.contains(supplierKind)
                        ? "an in-house award is plausible only from the buying city's own units; this \(supplierKind.rawValue) belongs to another city"
                        : "an in-house award is plausible only when the buying city is an owner of the supplier (hankintalaki 1397/2016 § 15); this \(supplierKind.rawValue) does not record the city among its owners"))
            }
        default:
            break
        }
        if contract.procedure != .inHouse, let supplierKind, [.ownProduction, .municipalEnterprise].contains(supplierKind) {
            warnings.append(ProcedureWarning(
                code: "own-production-under-market-procedure",
                detail: "the supplier is the city's \(supplierKind.rawValue); an agreement with it is an internal order, not a \(contract.procedure.rawValue) procurement"))
        }
        let initialEnd = contract.schedule.extendedEndDate
        let noticeDeadline = initialEnd.adding(months: -contract.noticePeriodMonths)
        if noticeDeadline < contract.startDate {
            let months = contract.noticePeriodMonths == 1 ? "1 month" : "\(contract.noticePeriodMonths) months"
            warnings.append(ProcedureWarning(
                code: "notice-deadline-before-start",
                detail: "the notice period of \(months) puts the notice deadline \(noticeDeadline) before the start date \(contract.startDate)"))
        }
        return warnings
    }
}
