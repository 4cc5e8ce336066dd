/// Who produces a capability's expertise, as figure 1.4's legend gives it, plus sourcing from the market, which
/// figure 1.4 draws for IT production ("Kaupallinen ICT-tuottaja"). The national centre's support is not one of
/// these: the legend draws it in addition to them, so it is `CapabilitySourcingFields.nationalCentreSupports`.
public enum CapabilitySourcing: String, APIEnum {
    /// "Kuntatoimija tuottaa asiantuntijuuden itsenäisesti".
    case own
    /// "KPK ICT tukee kuntatoimijaa asiantuntijuuden tuottamisessa".
    case sharedCentreSupports = "shared-centre-supports"
    /// "KPK ICT tuottaa asiantuntijuuden palveluna kuntatoimijalle".
    case sharedCentreProvides = "shared-centre-provides"
    /// Bought from a commercial supplier.
    case market

    /// The kinds of supplier that can be named as the one who produces or supports the capability: the city's own
    /// units for `own`, a shared service centre or an in-house company for the centre's values, a commercial
    /// supplier for `market`.
    public var providerKinds: Set<SupplierKind> {
        switch self {
        case .own: [.ownProduction, .municipalEnterprise]
        case .sharedCentreSupports, .sharedCentreProvides: [.sharedServiceCentre, .inHouseCompany]
        case .market: [.commercial]
        }
    }

    /// The legend has the national centre support the city or the shared centre ("JIP tukee … KPK ICT:tä"); a market
    /// supplier's expertise is its own business.
    public var admitsNationalCentreSupport: Bool { self != .market }
}

/// Figure 1.3's "arvio tarvittavasta asiantuntijatuesta": how much outside expert support the city needs for a
/// capability. The figure gives an estimate per sector and per capability, not a headcount, so it is a level.
public enum ExpertSupportNeed: String, APIEnum {
    case notNeeded = "none"
    case low
    case medium
    case high
}

/// How a city sources one capability (figure 1.4's legend), and the expert support it needs (figure 1.3).
public struct CapabilitySourcingFields: ResourceFields {
    public static let resourceType = "capability-sourcing"
    /// The value releases before v14 stored for the national centre's support; see `init(from:)`.
    public static let legacyNationalCentreSupports = "national-centre-supports"

    public var capabilityId: String
    public var sourcing: CapabilitySourcing
    /// The national centre supports the expertise in addition to `sourcing` (figure 1.4: "JIP tukee
    /// asiantuntijuuden tuottamisessa KPK ICT:tä").
    public var nationalCentreSupports: Bool
    /// The supplier of the registry that produces or supports the capability (the shared centre, the company, the
    /// city's own unit).
    public var providerId: String?
    public var expertSupportNeed: ExpertSupportNeed?
    public var note: String?

    public init(capabilityId: String, sourcing: CapabilitySourcing, nationalCentreSupports: Bool = false, providerId: String? = nil,
                expertSupportNeed: ExpertSupportNeed? = nil, note: String? = nil) {
        self.capabilityId = capabilityId
        self.sourcing = sourcing
        self.nationalCentreSupports = nationalCentreSupports
        self.providerId = providerId
        self.expertSupportNeed = expertSupportNeed
        self.note = note
    }

    enum CodingKeys: String, CodingKey { case capabilityId, sourcing, nationalCentreSupports, providerId, expertSupportNeed, note }

    /// Reads stored rows and change-log states. States written before v14 say `national-centre-supports`, which the
    /// hash-chained log keeps as written; they read as the shared centre supporting with the national centre's
    /// support, as the migration moved the rows (the legend has the national centre support the shared centre).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        capabilityId = try container.decode(String.self, forKey: .capabilityId)
        let sourcingText = try container.decode(String.self, forKey: .sourcing)
        var nationalCentre = try container.decodeIfPresent(Bool.self, forKey: .nationalCentreSupports) ?? false
        if sourcingText == Self.legacyNationalCentreSupports {
            sourcing = .sharedCentreSupports
            nationalCentre = true
        } else if let known = CapabilitySourcing(rawValue: sourcingText) {
            sourcing = known
        } else {
            throw DecodingError.dataCorruptedError(forKey: .sourcing, in: container, debugDescription: "unknown sourcing \(sourcingText)")
        }
        nationalCentreSupports = nationalCentre
        providerId = try container.decodeIfPresent(String.self, forKey: .providerId)
        expertSupportNeed = try container.decodeIfPresent(ExpertSupportNeed.self, forKey: .expertSupportNeed)
        note = try container.decodeIfPresent(String.self, forKey: .note)
    }

    public static func read(_ value: JSONValue, errors: InputErrors) -> CapabilitySourcingFields? {
        read(value, errors: errors, capabilityId: nil)
    }

    /// The body of `PUT …/capabilities/{capabilityId}`; the capability comes from the path.
    public static func read(_ value: JSONValue, errors: InputErrors, capabilityId pathId: String?) -> CapabilitySourcingFields? {
        guard var reader = ObjectReader(value, errors: errors) else { return nil }
        let capabilityId = pathId ?? reader.text("capabilityId", required: true, maxLength: 100)
        let sourcing = reader.read("sourcing", required: true, as: CapabilitySourcing.self)
        let nationalCentreSupports = reader.bool("nationalCentreSupports") ?? false
        let providerId = reader.text("providerId", maxLength: 64)
        let expertSupportNeed = reader.read("expertSupportNeed", as: ExpertSupportNeed.self)
        let note = reader.text("note", maxLength: 5000)
        if nationalCentreSupports, let sourcing, !sourcing.admitsNationalCentreSupport {
            errors.add(JSONPointer.root.appending("nationalCentreSupports"),
                       "the national centre supports the city's or the shared centre's expertise, not a market supplier's (sourcing \(sourcing.rawValue))")
        }
        reader.finish(readOnly: pathId == nil ? readOnlyFields : readOnlyFields.union(["capabilityId"]))
        guard errors.isEmpty, let capabilityId, let sourcing else { return nil }
        return CapabilitySourcingFields(capabilityId: capabilityId, sourcing: sourcing, nationalCentreSupports: nationalCentreSupports,
                                        providerId: providerId, expertSupportNeed: expertSupportNeed, note: note)
    }

    /// Why a supplier of `kind` cannot be the provider of this sourcing; nil when it can.
    public func providerRefusal(kind: SupplierKind) -> String? {
        sourcing.providerKinds.contains(kind) ? nil
            : "is a supplier of kind \(kind.rawValue); sourcing \(sourcing.rawValue) names one of kind \(sourcing.providerKinds.map(\.rawValue).sorted().joined(separator: ", "))"
    }
}

/// How IT management's effort divides between its capabilities (figure 1.2), in percent.
public struct EffortSplit: Codable, Sendable, Equatable, JSONReadable {
    public var strategy: ExactDecimal
    public var architectureAndInfrastructureDevelopment: ExactDecimal
    public var serviceDevelopmentSupport: ExactDecimal
    public var purchasingAndPartnershipManagement: ExactDecimal
    public var infrastructureMaintenanceAndSupport: ExactDecimal

    public static let memberNames = ["strategy", "architectureAndInfrastructureDevelopment", "serviceDevelopmentSupport",
                                     "purchasingAndPartnershipManagement", "infrastructureMaintenanceAndSupport"]

    /// The seed report's target state, as far as its figure can be read: 20 / 15 / 50 / 10 / 5.
    public static let defaultTarget = EffortSplit(
        strategy: ExactDecimal(20), architectureAndInfrastructureDevelopment: ExactDecimal(15),
        serviceDevelopmentSupport: ExactDecimal(50), purchasingAndPartnershipManagement: ExactDecimal(10),
        infrastructureMaintenanceAndSupport: ExactDecimal(5))

    public init(strategy: ExactDecimal, architectureAndInfrastructureDevelopment: ExactDecimal, serviceDevelopmentSupport: ExactDecimal,
                purchasingAndPartnershipManagement: ExactDecimal, infrastructureMaintenanceAndSupport: ExactDecimal) {
        self.strategy = strategy
        self.architectureAndInfrastructureDevelopment = architectureAndInfrastructureDevelopment
        self.serviceDevelopmentSupport = serviceDevelopmentSupport
        self.purchasingAndPartnershipManagement = purchasingAndPartnershipManagement
        self.infrastructureMaintenanceAndSupport = infrastructureMaintenanceAndSupport
    }

    public var shares: [ExactDecimal] {
        [strategy, architectureAndInfrastructureDevelopment, serviceDevelopmentSupport, purchasingAndPartnershipManagement,
         infrastructureMaintenanceAndSupport]
    }

    public var total: ExactDecimal { ExactDecimal(thousandths: shares.reduce(0) { $0 + $1.thousandths }) }

    /// Half the sum of the absolute differences: the share of effort that would have to move.
    public func distance(to other: EffortSplit) -> ExactDecimal {
        let sum = zip(shares, other.shares).reduce(Int64(0)) { $0 + abs($1.0.thousandths - $1.1.thousandths) }
        // Halving thousandths can leave half a thousandth; round half to even like every other report figure.
        let half = sum / 2
        return ExactDecimal(thousandths: sum % 2 == 1 && half % 2 == 1 ? half + 1 : half)
    }

    public static func read(_ value: JSONValue, at pointer: JSONPointer, errors: InputErrors) -> EffortSplit? {
        guard var reader = ObjectReader(value, at: pointer, errors: errors) else { return nil }
        var shares: [ExactDecimal?] = []
        for name in memberNames {
            let share = reader.decimal(name, required: true, in: .percent)
            shares.append(share)
        }
        reader.finish()
        let known = shares.compactMap { $0 }
        guard known.count == memberNames.count else { return nil }
        let split = EffortSplit(strategy: known[0], architectureAndInfrastructureDevelopment: known[1], serviceDevelopmentSupport: known[2],
                                purchasingAndPartnershipManagement: known[3], infrastructureMaintenanceAndSupport: known[4])
        if split.total != ExactDecimal(100) {
            errors.add(pointer, "must sum to 100, not \(split.total)")
        }
        return split
    }
}

public struct EffortProfileFields: ResourceFields {
    public static let resourceType = "effort-profile"
    public static let computedFields: Set<String> = ["distance"]

    public var current: EffortSplit
    public var target: EffortSplit

    public init(current: EffortSplit, target: EffortSplit = .defaultTarget) {
        self.current = current
        self.target = target
    }

    public var distance: ExactDecimal { current.distance(to: target) }

    public static func read(_ value: JSONValue, errors: InputErrors) -> EffortProfileFields? {
        guard var reader = ObjectReader(value, errors: errors) else { return nil }
        let current = reader.read("current", required: true, as: EffortSplit.self)
        let target = reader.read("target", as: EffortSplit.self) ?? .defaultTarget
        reader.finish(readOnly: readOnlyFields)
        guard errors.isEmpty, let current else { return nil }
        return EffortProfileFields(current: current, target: target)
    }
}

/// Facts about the city's IT organisation that only the city can declare, each with where it is shown.
public struct GovernanceFactsFields: ResourceFields {
    public static let resourceType = "governance-facts"
    public static let factNames: Set<String> = ["centralItUnit", "ictStrategyApprovedOn", "sectorItUnits", "itSteeringGroup"]

    public var centralItUnit: Bool?
    public var ictStrategyApprovedOn: LocalDate?
    public var sectorItUnits: Int?
    public var itSteeringGroup: Bool?
    /// Per fact, a reference to the decision or document that shows it (`"Kaupunginvaltuusto 12.3.2024 § 45"`).
    public var evidence: [String: String]

    public init(centralItUnit: Bool? = nil, ictStrategyApprovedOn: LocalDate? = nil, sectorItUnits: Int? = nil,
                itSteeringGroup: Bool? = nil, evidence: [String: String] = [:]) {
        self.centralItUnit = centralItUnit
        self.ictStrategyApprovedOn = ictStrategyApprovedOn
        self.sectorItUnits = sectorItUnits
        self.itSteeringGroup = itSteeringGroup
        self.evidence = evidence
    }

    public static func read(_ value: JSONValue, errors: InputErrors) -> GovernanceFactsFields? {
        guard var reader = ObjectReader(value, errors: errors) else { return nil }
        let centralItUnit = reader.bool("centralItUnit")
        let strategy = reader.factDate("ictStrategyApprovedOn")
        let sectorItUnits = reader.integer("sectorItUnits", in: 0...1000)
        let steeringGroup = reader.bool("itSteeringGroup")
        var evidence: [String: String] = [:]
        if let member = reader.member("evidence", required: false) {
            let at = JSONPointer.root.appending("evidence")
            if case .object(let references) = member {
                for (fact, reference) in references.sorted(by: { $0.key < $1.key }) {
                    if !factNames.contains(fact) {
                        errors.add(at.appending(fact), "is not a governance fact; use one of: \(factNames.sorted().joined(separator: ", "))")
                    } else if case .string(let sent) = reference {
                        switch TextRules.cleaned(sent, singleLine: false) {
                        case .success(let text) where !text.isEmpty && text.unicodeScalars.count <= 2000: evidence[fact] = text
                        case .success: errors.add(at.appending(fact), "must be a reference text of 1 to 2000 characters")
                        case .failure(let refusal): errors.add(at.appending(fact), refusal.detail)
                        }
                    } else {
                        errors.add(at.appending(fact), "must be a reference text of 1 to 2000 characters")
                    }
                }
            } else {
                errors.add(at, "must be an object from fact name to a reference")
            }
        }
        reader.finish(readOnly: readOnlyFields)
        guard errors.isEmpty else { return nil }
        return GovernanceFactsFields(centralItUnit: centralItUnit, ictStrategyApprovedOn: strategy,
                                     sectorItUnits: sectorItUnits.map(Int.init), itSteeringGroup: steeringGroup, evidence: evidence)
    }
}

extension GovernanceFactsFields {
    public var factDates: [(member: JSONPointer, date: LocalDate)] {
        ictStrategyApprovedOn.map { [(JSONPointer.root.appending("ictStrategyApprovedOn"), $0)] } ?? []
    }
}
