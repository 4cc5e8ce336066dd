/// What a contract procures, as the Procurement Act's thresholds tell categories apart.
public enum ContractCategory: String, APIEnum {
    case services, supplies
    case socialHealthServices = "social-health-services"
    /// Other specific services of annex E 5–15 of 1397/2016 (annex XIV of Directive 2014/24/EU).
    case otherSpecificServices = "other-specific-services"
    case works
    /// Works and services concessions alike: 1397/2016 § 25 gives both 500 000 € and Directive 2014/23/EU one
    /// EU threshold for both, so the law never needs them apart.
    case concessions
}

public enum ProcurementProcedure: String, APIEnum {
    case open, restricted, negotiated
    case competitiveDialogue = "competitive-dialogue"
    case frameworkCallOff = "framework-call-off"
    case inHouse = "in-house"
    case directAward = "direct-award"
    case belowThreshold = "below-threshold"
}

public enum Renewal: String, APIEnum {
    case none, tacit, express
}

public enum ManagedBy: String, APIEnum {
    case central, sector
}

/// An option period the city may exercise to extend the contract, in the order they come.
public struct ContractOption: Codable, Sendable, Equatable, JSONReadable {
    public var months: Int
    public var exercised: Bool

    public init(months: Int, exercised: Bool) {
        self.months = months
        self.exercised = exercised
    }

    /// How long one option may extend a contract.
    public static let monthRange = 1...240

    enum CodingKeys: String, CodingKey { case months, exercised }

    /// Stored options are read in the range `read` accepts, as the store's fast path reads them: months beyond any
    /// calendar, edited into the file, would overflow the date arithmetic and stop the process.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        months = try container.decode(Int.self, forKey: .months)
        exercised = try container.decode(Bool.self, forKey: .exercised)
        guard Self.monthRange.contains(months) else {
            throw DecodingError.dataCorruptedError(forKey: .months, in: container, debugDescription: "not \(Self.monthRange) months")
        }
    }

    public static func read(_ value: JSONValue, at pointer: JSONPointer, errors: InputErrors) -> ContractOption? {
        guard var reader = ObjectReader(value, at: pointer, errors: errors) else { return nil }
        let months = reader.integer("months", required: true, in: Int64(monthRange.lowerBound)...Int64(monthRange.upperBound))
        let exercised = reader.bool("exercised") ?? false
        reader.finish()
        guard let months else { return nil }
        return ContractOption(months: Int(months), exercised: exercised)
    }
}

/// An agreement under which a city buys a service from a supplier.
public struct ContractFields: ResourceFields {
    public static let resourceType = "contract"
    public static let computedFields: Set<String> = [
        "currentEndDate", "decision", "noticeDeadline", "status", "thresholdClass", "procedureWarnings",
        "estimatedValueCents", "estimatedValueBasis",
    ]

    public var title: String
    public var supplierId: String
    public var externalId: String?
    public var category: ContractCategory
    public var procedure: ProcurementProcedure
    public var procuredOn: LocalDate?
    public var totalValueCents: Int64
    public var annualValueCents: Int64?
    public var startDate: LocalDate
    public var initialEndDate: LocalDate
    public var options: [ContractOption]
    public var renewal: Renewal
    public var renewalPeriodMonths: Int?
    public var noticePeriodMonths: Int
    public var managedBy: ManagedBy
    public var sector: Sector?
    public var serviceIds: [String]
    public var terminatedOn: LocalDate?
    /// The most the credits of all the contract's SLAs may come to in one period, as a percentage of the
    /// contract's fee for that period; nil for no cap.
    public var serviceCreditCapPercent: ExactDecimal?
    public var capabilityIds: [String]
    public var processIds: [String]

    public init(
        title: String, supplierId: String, externalId: String? = nil, category: ContractCategory,
        procedure: ProcurementProcedure, procuredOn: LocalDate?, totalValueCents: Int64, annualValueCents: Int64?,
        startDate: LocalDate, initialEndDate: LocalDate, options: [ContractOption] = [], renewal: Renewal,
        renewalPeriodMonths: Int? = nil, noticePeriodMonths: Int, managedBy: ManagedBy, sector: Sector? = nil,
        serviceIds: [String] = [], terminatedOn: LocalDate? = nil, serviceCreditCapPercent: ExactDecimal? = nil,
        capabilityIds: [String] = [], processIds: [String] = []
    ) {
        self.serviceCreditCapPercent = serviceCreditCapPercent
        self.title = title
        self.supplierId = supplierId
        self.externalId = externalId
        self.category = category
        self.procedure = procedure
        self.procuredOn = procuredOn
        self.totalValueCents = totalValueCents
        self.annualValueCents = annualValueCents
        self.startDate = startDate
        self.initialEndDate = initialEndDate
        self.options = options
        self.renewal = renewal
        self.renewalPeriodMonths = renewalPeriodMonths
        self.noticePeriodMonths = noticePeriodMonths
        self.managedBy = managedBy
        self.sector = sector
        self.serviceIds = serviceIds
        self.terminatedOn = terminatedOn
        self.capabilityIds = capabilityIds
        self.processIds = processIds
    }

    public static func read(_ value: JSONValue, errors: InputErrors) -> ContractFields? {
        guard var reader = ObjectReader(value, errors: errors) else { return nil }
        let title = reader.text("title", required: true, maxLength: 300)
        let supplierId = reader.text("supplierId", required: true, maxLength: 64)
        let externalId = reader.text("externalId", maxLength: 100)
        let category = reader.read("category", required: true, as: ContractCategory.self)
        let procedure = reader.read("procedure", required: true, as: ProcurementProcedure.self)
        let procuredOn = reader.date("procuredOn")
        let totalValueCents = reader.cents("totalValueCents", required: true)
        let annualValueCents = reader.cents("annualValueCents")
        let startDate = reader.date("startDate", required: true)
        let initialEndDate = reader.date("initialEndDate", required: true)
        let options = reader.list("options", of: ContractOption.self, maxCount: 20)
        let renewal = reader.read("renewal", required: true, as: Renewal.self)
        let renewalPeriodMonths = reader.integer("renewalPeriodMonths", in: 1...120)
        let noticePeriodMonths = reader.integer("noticePeriodMonths", in: 0...60) ?? 0
        let managedBy = reader.read("managedBy", required: true, as: ManagedBy.self)
        let sector = reader.read("sector", as: Sector.self)
        let serviceIds = reader.idList("serviceIds")
        let terminatedOn = reader.date("terminatedOn")
        if let lapsed = options.firstIndex(where: { !$0.exercised }), options[lapsed...].contains(where: \.exercised) {
            errors.add(.root.appending("options"), "an option is exercised only after every option before it: option \(lapsed + 1) is not exercised")
        }
        let creditCap = reader.decimal("serviceCreditCapPercent", in: .percent)
        let mapping = reader.governanceMapping()
        reader.finish(readOnly: readOnlyFields)

        if let startDate, let initialEndDate, initialEndDate < startDate {
            errors.add(.root.appending("initialEndDate"), "must be on or after startDate")
        }
        // Every option exercised, the contract must still end in the span Salkku reasons about (its answers print the end).
        if let initialEndDate, !options.isEmpty {
            let lastEnd = initialEndDate.adding(months: options.reduce(0) { $0 + $1.months })
            if lastEnd > SupportedDates.last {
                errors.add(.root.appending("options"), "would run the contract to \(lastEnd) with every option exercised; its end must stay \(SupportedDates.phrase)")
            }
        }
        // Only a tacit renewal runs past the end the options reach; a termination after that end ends nothing.
        if let initialEndDate, let terminatedOn, let renewal, renewal != .tacit {
            let end = initialEndDate.adding(months: options.filter(\.exercised).reduce(0) { $0 + $1.months })
            if terminatedOn > end {
                errors.add(.root.appending("terminatedOn"), "must not be after the contract's end \(end): only a running contract is terminated")
            }
        }
        if let startDate, let terminatedOn, terminatedOn < min(procuredOn ?? startDate, startDate) {
            errors.add(.root.appending("terminatedOn"), "must be on or after the award (procuredOn) or startDate")
        }
        if renewal == .tacit, renewalPeriodMonths == nil, !reader.has("renewalPeriodMonths") {
            errors.add(.root.appending("renewalPeriodMonths"), "is required when renewal is tacit")
        }
        if renewal == Renewal.none, reader.has("renewalPeriodMonths") {
            errors.add(.root.appending("renewalPeriodMonths"), "must be absent when renewal is none")
        }
        if managedBy == .sector, !reader.has("sector") {
            errors.add(.root.appending("sector"), "is required when managedBy is sector")
        }
        if let total = totalValueCents, let annual = annualValueCents, let startDate, let initialEndDate,
           annual > total, startDate.monthsUntil(initialEndDate) >= 12 {
            errors.add(.root.appending("annualValueCents"), "must not exceed totalValueCents for a contract of a year or more")
        }
        guard errors.isEmpty, let title, let supplierId, let category, let procedure, let totalValueCents,
              let startDate, let initialEndDate, let renewal, let managedBy else { return nil }
        return ContractFields(
            title: title, supplierId: supplierId, externalId: externalId, category: category, procedure: procedure,
            procuredOn: procuredOn, totalValueCents: totalValueCents, annualValueCents: annualValueCents,
            startDate: startDate, initialEndDate: initialEndDate, options: options, renewal: renewal,
            renewalPeriodMonths: renewalPeriodMonths.map(Int.init), noticePeriodMonths: Int(noticePeriodMonths),
            managedBy: managedBy, sector: sector, serviceIds: serviceIds, terminatedOn: terminatedOn, serviceCreditCapPercent: creditCap,
            capabilityIds: mapping.capabilityIds, processIds: mapping.processIds)
    }
}
