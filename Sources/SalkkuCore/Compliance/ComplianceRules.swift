/// What the compliance rules need of one SLA on an evaluation date: its comparison, its validity
/// (the SLA's own, or its contract's), and the credit one breach owes.
public struct SLAScope: Sendable, Equatable {
    public var slaId: String
    public var kind: SLAPeriod
    public var comparator: SLAComparator
    public var target: ExactDecimal
    public var validFrom: LocalDate
    public var validTo: LocalDate
    public var creditPerBreachCents: Int64

    public init(slaId: String, kind: SLAPeriod, comparator: SLAComparator, target: ExactDecimal, validFrom: LocalDate,
                validTo: LocalDate, creditPerBreachCents: Int64) {
        self.slaId = slaId
        self.kind = kind
        self.comparator = comparator
        self.target = target
        self.validFrom = validFrom
        self.validTo = validTo
        self.creditPerBreachCents = creditPerBreachCents
    }

    public init(id: String, sla: SLAFields, contract: ContractSchedule, on date: LocalDate) {
        let terms = SLAEffectiveTerms(period: sla.period, periodFeeCents: sla.periodFeeCents, validFrom: sla.validFrom,
                                      validTo: sla.validTo, contract: contract, on: date)
        self.init(slaId: id, kind: sla.period, comparator: sla.comparator, target: sla.target,
                  validFrom: terms.effectiveValidFrom, validTo: terms.effectiveValidTo,
                  creditPerBreachCents: ComplianceRules.creditCents(
                    periodFeeCents: terms.effectivePeriodFeeCents ?? 0, creditPercent: sla.serviceCreditPercent))
    }

    /// A period is in scope when it overlaps the validity.
    public func isInScope(_ period: MeasurementPeriod) -> Bool {
        period.firstDay <= validTo && period.lastDay >= validFrom
    }
}

/// A stored value as the rules see it.
public struct MeasuredValue: Sendable, Equatable {
    public var period: MeasurementPeriod
    public var value: ExactDecimal
    public var dispute: DisputeStatus?

    public init(period: MeasurementPeriod, value: ExactDecimal, dispute: DisputeStatus? = nil) {
        self.period = period
        self.value = value
        self.dispute = dispute
    }
}

public enum PeriodOutcome: String, Sendable, Codable {
    case met, breached, missing, pending
}

/// Counts of measured periods in scope that a store aggregated, for one SLA over a range.
public struct MeasuredCounts: Sendable, Equatable {
    public var met = 0
    public var breached = 0
    /// Breaches whose dispute is still open: counted as breaches, and flagged.
    public var openDisputes = 0
    /// Measured periods that had ended by the evaluation date, and those that had not.
    public var ended = 0
    public var notEnded = 0
    /// The breaches' credits when they are not one credit at today's fee each (`ServiceCredits`).
    public var creditsCents: Total?

    public init(met: Int = 0, breached: Int = 0, openDisputes: Int = 0, ended: Int = 0, notEnded: Int = 0) {
        self.met = met
        self.breached = breached
        self.openDisputes = openDisputes
        self.ended = ended
        self.notEnded = notEnded
    }
}

/// Compliance numbers that add up: tallies of groups sum to the tally of their union.
public struct ComplianceTally: Sendable, Equatable, Encodable {
    public var slaCount = 0
    public var periodsInScope = 0
    public var met = 0
    public var breached = 0
    public var missing = 0
    public var pending = 0
    public var openDisputes = 0
    public var serviceCreditsCents: Total = 0

    public init() {}

    /// met / (met + breached) × 100, two decimals half-even; nil when nothing was measured.
    public var compliancePercent: ExactDecimal? {
        met + breached == 0 ? nil : Rounding.percent(Int64(met), of: Int64(met + breached))
    }

    /// (met + breached) / (met + breached + missing) × 100, two decimals half-even; nil when nothing was due.
    public var coveragePercent: ExactDecimal? {
        met + breached + missing == 0 ? nil : Rounding.percent(Int64(met + breached), of: Int64(met + breached + missing))
    }

    public static func + (lhs: ComplianceTally, rhs: ComplianceTally) -> ComplianceTally {
        var sum = lhs
        sum.slaCount += rhs.slaCount
        sum.periodsInScope += rhs.periodsInScope
        sum.met += rhs.met
        sum.breached += rhs.breached
        sum.missing += rhs.missing
        sum.pending += rhs.pending
        sum.openDisputes += rhs.openDisputes
        sum.serviceCreditsCents += rhs.serviceCreditsCents
        return sum
    }

    public static func += (lhs: inout ComplianceTally, rhs: ComplianceTally) { lhs = lhs + rhs }

    enum CodingKeys: String, CodingKey {
        case slaCount, periodsInScope, met, breached, missing, pending, openDisputes, serviceCreditsCents
        case compliancePercent, coveragePercent
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(slaCount, forKey: .slaCount)
        try container.encode(periodsInScope, forKey: .periodsInScope)
        try container.encode(met, forKey: .met)
        try container.encode(breached, forKey: .breached)
        try container.encode(missing, forKey: .missing)
        try container.encode(pending, forKey: .pending)
        try container.encode(openDisputes, forKey: .openDisputes)
        try container.encode(serviceCreditsCents, forKey: .serviceCreditsCents)
        try container.encode(compliancePercent, forKey: .compliancePercent)
        try container.encode(coveragePercent, forKey: .coveragePercent)
    }
}

/// The SLA compliance rules: the single definition the reports and the store's aggregation answer to.
public enum ComplianceRules {
    public static func isMet(_ value: ExactDecimal, _ scope: SLAScope) -> Bool {
        scope.comparator.isMet(value: value, target: scope.target)
    }

    /// A value that misses the target is a breach unless a dispute about it was accepted.
    public static func isBreach(_ measured: MeasuredValue, _ scope: SLAScope) -> Bool {
        !isMet(measured.value, scope) && measured.dispute != .accepted
    }

    /// floor(periodFee × creditPercent / 100), in integers (the percent has three fractional digits).
    public static func creditCents(periodFeeCents: Int64, creditPercent: ExactDecimal) -> Int64 {
        let (high, low) = periodFeeCents.multipliedFullWidth(by: creditPercent.thousandths)
        // Only values edited into the file behind the API's back come near this; the credit is then the most a
        // 64-bit count holds, not a trap.
        guard high.magnitude < 50_000 else { return high < 0 ? .min : .max }
        let (quotient, _) = Int64(100_000).dividingFullWidth((high, low))
        return quotient
    }

    public static func shortfall(_ value: ExactDecimal, target: ExactDecimal) -> ExactDecimal {
        (value - target).magnitude
    }

    /// What a period of the SLA counts as on `date`; nil when it is out of scope.
    public static func outcome(of period: MeasurementPeriod, _ scope: SLAScope, measured: MeasuredValue?,
                               on date: LocalDate) -> PeriodOutcome? {
        guard scope.isInScope(period) else { return nil }
        guard let measured else { return period.hasEnded(before: date) ? .missing : .pending }
        return isBreach(measured, scope) ? .breached : .met
    }

    /// In-scope periods of the range that had ended by `date` without a measurement.
    public static func missingPeriods(_ scope: SLAScope, range: MonthRange, measured: Set<MeasurementPeriod>,
                                      on date: LocalDate) -> [MeasurementPeriod] {
        range.periods(of: scope.kind).filter {
            scope.isInScope($0) && $0.hasEnded(before: date) && !measured.contains($0)
        }
    }

    /// The reference tally of one SLA over a range, period by period.
    public static func tally(_ scope: SLAScope, range: MonthRange, measurements: [MeasurementPeriod: MeasuredValue],
                             on date: LocalDate) -> ComplianceTally {
        var tally = ComplianceTally()
        tally.slaCount = 1
        for period in range.periods(of: scope.kind) {
            let measured = measurements[period]
            guard let outcome = outcome(of: period, scope, measured: measured, on: date) else { continue }
            tally.periodsInScope += 1
            switch outcome {
            case .met: tally.met += 1
            case .breached:
                tally.breached += 1
                tally.serviceCreditsCents += scope.creditPerBreachCents
                if measured?.dispute == .open { tally.openDisputes += 1 }
            case .missing: tally.missing += 1
            case .pending: tally.pending += 1
            }
        }
        return tally
    }

    /// The tally of every SLA with a period in scope in the range, by SLA id, from the counts a store aggregated
    /// per SLA (under `month`, or nil for the whole range): the one tally every report and criterion uses.
    public static func tallies(_ scopes: [SLAScope], range: MonthRange, counts: [String: [Int?: MeasuredCounts]], month: Int? = nil,
                               on date: LocalDate) -> [String: ComplianceTally] {
        var result: [String: ComplianceTally] = [:]
        for scope in scopes {
            let tally = Self.tally(scope, range: range, measured: counts[scope.slaId]?[month] ?? MeasuredCounts(), on: date)
            if tally.periodsInScope > 0 { result[scope.slaId] = tally }
        }
        return result
    }

    /// The same tally from counts a store aggregated over the in-scope measurements of the range.
    public static func tally(_ scope: SLAScope, range: MonthRange, measured: MeasuredCounts, on date: LocalDate) -> ComplianceTally {
        var tally = ComplianceTally()
        tally.slaCount = 1
        var endedInScope = 0
        for period in range.periods(of: scope.kind) where scope.isInScope(period) {
            tally.periodsInScope += 1
            if period.hasEnded(before: date) { endedInScope += 1 }
        }
        tally.met = measured.met
        tally.breached = measured.breached
        tally.openDisputes = measured.openDisputes
        tally.serviceCreditsCents = measured.creditsCents ?? Total(scope.creditPerBreachCents) * Int64(measured.breached)
        tally.missing = endedInScope - measured.ended
        tally.pending = tally.periodsInScope - endedInScope - measured.notEnded
        return tally
    }
}

public enum ComplianceGroupBy: String, APIEnum {
    case none, sla, contract, supplier, service, metric
}

/// What a group of a report stands for.
public struct GroupKey: Sendable, Hashable, Codable {
    public var type: String
    public var id: String
    public var name: String

    public init(type: String, id: String, name: String) {
        self.type = type
        self.id = id
        self.name = name
    }
}

/// A tally under a key, flattened into one JSON object.
public struct GroupTally: Sendable, Equatable, Encodable {
    public var key: GroupKey
    public var tally: ComplianceTally

    public init(key: GroupKey, tally: ComplianceTally) {
        self.key = key
        self.tally = tally
    }

    enum CodingKeys: String, CodingKey { case key }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try tally.encode(to: encoder)
    }

    /// Sums tallies by key; groups come out by name, then id, and add up to the sum of the input.
    public static func grouped(_ tallies: [(GroupKey, ComplianceTally)]) -> [GroupTally] {
        var sums: [GroupKey: ComplianceTally] = [:]
        for (key, tally) in tallies { sums[key, default: ComplianceTally()] += tally }
        return sums.map { GroupTally(key: $0.key, tally: $0.value) }
            .sorted { ($0.key.name, $0.key.id) < ($1.key.name, $1.key.id) }
    }
}

/// Service credits where one credit per breach at today's fee would mislead: the fee changed since a breach (the
/// fee in force in the breached period applies), or the contract caps what its SLAs' credits may come to.
public enum ServiceCredits {
    public struct Breach: Sendable, Equatable {
        public var slaId: String
        public var contractId: String
        public var period: MeasurementPeriod
        /// The SLA's credit percentage and period fee, and the contract's fee for such a period and cap, all as in
        /// force in the breached period.
        public var creditPercent: ExactDecimal
        public var periodFeeCents: Int64
        public var contractPeriodFeeCents: Int64?
        public var capPercent: ExactDecimal?

        public init(slaId: String, contractId: String, period: MeasurementPeriod, creditPercent: ExactDecimal, periodFeeCents: Int64,
                    contractPeriodFeeCents: Int64?, capPercent: ExactDecimal?) {
            self.slaId = slaId
            self.contractId = contractId
            self.period = period
            self.creditPercent = creditPercent
            self.periodFeeCents = periodFeeCents
            self.contractPeriodFeeCents = contractPeriodFeeCents
            self.capPercent = capPercent
        }
    }

    /// Each breach's credit, in the order given: floor(fee × percent / 100); under a cap, the breaches of one
    /// contract in one period together get at most floor(contract fee × cap / 100), shared out in SLA id order.
    public static func credits(_ breaches: [Breach]) -> [Int64] {
        var credits = breaches.map { ComplianceRules.creditCents(periodFeeCents: $0.periodFeeCents, creditPercent: $0.creditPercent) }
        let capped = Dictionary(grouping: breaches.indices.filter { breaches[$0].capPercent != nil }) {
            "\(breaches[$0].contractId) \(breaches[$0].period)"
        }
        for indices in capped.values {
            guard let first = indices.first, let cap = breaches[first].capPercent else { continue }
            var left = ComplianceRules.creditCents(periodFeeCents: breaches[first].contractPeriodFeeCents ?? 0, creditPercent: cap)
            for index in indices.sorted(by: { breaches[$0].slaId < breaches[$1].slaId }) {
                credits[index] = min(credits[index], left)
                left -= credits[index]
            }
        }
        return credits
    }
}
