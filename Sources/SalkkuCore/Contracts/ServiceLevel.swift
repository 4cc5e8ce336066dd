public enum SLAMetric: String, APIEnum {
    case availability
    case responseTime = "response-time"
    case resolutionTime = "resolution-time"
    case answerTime = "answer-time"
    case satisfaction
    case custom

    /// Whether a bigger measured value is the better one, when the metric itself says so.
    public var defaultComparator: SLAComparator? {
        switch self {
        case .availability, .satisfaction: .atLeast
        case .responseTime, .resolutionTime, .answerTime: .atMost
        case .custom: nil
        }
    }

    public var takesPriority: Bool { self == .responseTime || self == .resolutionTime }
}

public enum SLAComparator: String, APIEnum {
    case atLeast = "at-least"
    case atMost = "at-most"

    public func isMet(value: ExactDecimal, target: ExactDecimal) -> Bool {
        switch self {
        case .atLeast: value >= target
        case .atMost: value <= target
        }
    }
}

public enum MeasurementUnit: String, APIEnum {
    case percent, minutes, hours, score
}

public enum SLAPeriod: String, APIEnum {
    case month, quarter
}

/// A service level promised under a contract for one of its services.
public struct SLAFields: ResourceFields {
    public static let resourceType = "sla"
    public static let computedFields: Set<String> = ["effectivePeriodFeeCents", "effectiveValidFrom", "effectiveValidTo"]

    public var contractId: String
    public var serviceId: String
    public var name: String
    public var metric: SLAMetric
    public var priority: Int?
    public var unit: MeasurementUnit
    public var comparator: SLAComparator
    public var target: ExactDecimal
    public var period: SLAPeriod
    public var serviceCreditPercent: ExactDecimal
    /// Nil: the contract's annual value divided by the periods of a year, rounded down.
    public var periodFeeCents: Int64?
    /// Nil: from the contract's start date.
    public var validFrom: LocalDate?
    /// Nil: until the contract's current end date, which moves when options are exercised or the contract renews.
    public var validTo: LocalDate?
    public var capabilityIds: [String] = []
    public var processIds: [String] = []
    /// The city's own key for the SLA (its row in the contract's SLA table), unique within the city.
    public var externalId: String?

    public init(contractId: String, serviceId: String, name: String, metric: SLAMetric, priority: Int? = nil,
                unit: MeasurementUnit, comparator: SLAComparator, target: ExactDecimal, period: SLAPeriod,
                serviceCreditPercent: ExactDecimal, periodFeeCents: Int64? = nil, validFrom: LocalDate? = nil,
                validTo: LocalDate? = nil, capabilityIds: [String] = [], processIds: [String] = [], externalId: String? = nil) {
        self.contractId = contractId
        self.serviceId = serviceId
        self.name = name
        self.metric = metric
        self.priority = priority
        self.unit = unit
        self.comparator = comparator
        self.target = target
        self.period = period
        self.serviceCreditPercent = serviceCreditPercent
        self.periodFeeCents = periodFeeCents
        self.validFrom = validFrom
        self.validTo = validTo
        self.capabilityIds = capabilityIds
        self.processIds = processIds
        self.externalId = externalId
    }

    public static func read(_ value: JSONValue, errors: InputErrors) -> SLAFields? {
        guard var reader = ObjectReader(value, errors: errors) else { return nil }
        let contractId = reader.text("contractId", required: true, maxLength: 64)
        let serviceId = reader.text("serviceId", required: true, maxLength: 64)
        let name = reader.text("name", required: true, maxLength: 300)
        let metric = reader.read("metric", required: true, as: SLAMetric.self)
        let priority = reader.integer("priority", in: 1...4)
        let unit = reader.read("unit", required: true, as: MeasurementUnit.self)
        let comparator = reader.read("comparator", as: SLAComparator.self)
        let target = reader.read("target", required: true, as: ExactDecimal.self)
        let period = reader.read("period", required: true, as: SLAPeriod.self)
        let credit = reader.decimal("serviceCreditPercent", required: true, in: .percent)
        let periodFeeCents = reader.cents("periodFeeCents")
        let validFrom = reader.date("validFrom")
        let validTo = reader.date("validTo")
        let mapping = reader.governanceMapping()
        let externalId = reader.text("externalId", maxLength: 100)
        reader.finish(readOnly: readOnlyFields)

        if let metric, priority != nil, !metric.takesPriority {
            errors.add(.root.appending("priority"), "applies only to response-time and resolution-time")
        }
        if metric == .custom, comparator == nil, !reader.has("comparator") {
            errors.add(.root.appending("comparator"), "is required for a custom metric")
        }
        let percent = ExactDecimal(0)...ExactDecimal(100)
        if let target {
            if unit == .percent, !percent.contains(target) {
                errors.add(.root.appending("target"), "must be between 0 and 100 for a percentage")
            } else if target < ExactDecimal(0) {
                errors.add(.root.appending("target"), "must not be negative")
            }
        }
        if let validFrom, let validTo, validTo < validFrom {
            errors.add(.root.appending("validTo"), "must be on or after validFrom")
        }
        guard errors.isEmpty, let contractId, let serviceId, let name, let metric, let unit, let target, let period,
              let credit, let comparator = comparator ?? metric.defaultComparator else { return nil }
        return SLAFields(
            contractId: contractId, serviceId: serviceId, name: name, metric: metric, priority: priority.map(Int.init),
            unit: unit, comparator: comparator, target: target, period: period, serviceCreditPercent: credit,
            periodFeeCents: periodFeeCents, validFrom: validFrom, validTo: validTo,
            capabilityIds: mapping.capabilityIds, processIds: mapping.processIds, externalId: externalId)
    }

    /// The fee and validity the SLA has under its contract on a date, where the SLA leaves them to the contract.
    public func effectiveTerms(contract: ContractFields, on date: LocalDate) -> SLAEffectiveTerms {
        SLAEffectiveTerms(period: period, periodFeeCents: periodFeeCents, validFrom: validFrom, validTo: validTo,
                          contract: contract.schedule, on: date)
    }
}

public struct SLAEffectiveTerms: Codable, Sendable, Equatable {
    public var effectivePeriodFeeCents: Int64?
    public var effectiveValidFrom: LocalDate
    public var effectiveValidTo: LocalDate

    public init(effectivePeriodFeeCents: Int64?, effectiveValidFrom: LocalDate, effectiveValidTo: LocalDate) {
        self.effectivePeriodFeeCents = effectivePeriodFeeCents
        self.effectiveValidFrom = effectiveValidFrom
        self.effectiveValidTo = effectiveValidTo
    }

    /// What the SLA leaves out comes from its contract: the fee from the annual value, the validity from its dates.
    /// A recorded termination ends the validity too, whatever the SLA says.
    public init(period: SLAPeriod, periodFeeCents: Int64?, validFrom: LocalDate?, validTo: LocalDate?,
                contract: ContractSchedule, on date: LocalDate) {
        let periodsPerYear: Int64 = period == .month ? 12 : 4
        let validTo = validTo ?? ContractTerms.currentEndDate(contract, on: date)
        self.init(effectivePeriodFeeCents: periodFeeCents ?? contract.annualValueCents.map { $0 / periodsPerYear },
                  effectiveValidFrom: validFrom ?? contract.startDate,
                  effectiveValidTo: contract.terminatedOn.map { min(validTo, $0) } ?? validTo)
    }

    enum CodingKeys: String, CodingKey { case effectivePeriodFeeCents, effectiveValidFrom, effectiveValidTo }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(effectivePeriodFeeCents, forKey: .effectivePeriodFeeCents)
        try container.encode(effectiveValidFrom, forKey: .effectiveValidFrom)
        try container.encode(effectiveValidTo, forKey: .effectiveValidTo)
    }
}

/// Which SLAs count toward a service's cover: the one rule every view of SLA cover reads.
public enum SLACover {
    /// An SLA covers a service only when its contract covers the service and is with the service's provider or
    /// its arranger: a service level agreed with any other supplier on the contract measures someone else's work.
    public static func counts(contract: ContractFields, serviceId: String, service: ServiceFields) -> Bool {
        contract.serviceIds.contains(serviceId)
            && (service.providerId == contract.supplierId || service.arrangerId == contract.supplierId)
    }
}
