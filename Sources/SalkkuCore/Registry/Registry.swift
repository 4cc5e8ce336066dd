/// A name people read in Finnish and, in bilingual cities, Swedish.
public struct LocalizedName: Codable, Sendable, Equatable, JSONReadable {
    public var fi: String
    public var sv: String?

    public init(fi: String, sv: String? = nil) {
        self.fi = fi
        self.sv = sv
    }

    public static func read(_ value: JSONValue, at pointer: JSONPointer, errors: InputErrors) -> LocalizedName? {
        guard var reader = ObjectReader(value, at: pointer, errors: errors) else { return nil }
        let fi = reader.text("fi", required: true, maxLength: 200)
        let sv = reader.text("sv", maxLength: 200)
        reader.finish()
        guard let fi else { return nil }
        return LocalizedName(fi: fi, sv: sv)
    }
}

public enum Sector: String, APIEnum {
    case socialHealth = "social-health"
    case educationCulture = "education-culture"
    case housingEnvironment = "housing-environment"
    case administration
    case crossSector = "cross-sector"
}

extension ObjectReader {
    /// An optional e-mail member, checked for plausibility.
    mutating func email(_ key: String) -> String? {
        guard let email = text(key, maxLength: 254) else { return nil }
        guard EmailAddress.isPlausible(email) else {
            errors.add(pointer.appending(key), "must be an e-mail address")
            return nil
        }
        return email
    }
}

/// A municipality whose IT portfolio Salkku governs.
public struct CityFields: ResourceFields {
    public static let resourceType = "city"

    public var municipalityCode: String
    public var name: LocalizedName
    public var population: Int64?
    public var itOrganisation: String?

    public init(municipalityCode: String, name: LocalizedName, population: Int64?, itOrganisation: String?) {
        self.municipalityCode = municipalityCode
        self.name = name
        self.population = population
        self.itOrganisation = itOrganisation
    }

    public static func read(_ value: JSONValue, errors: InputErrors) -> CityFields? {
        guard var reader = ObjectReader(value, errors: errors) else { return nil }
        let code = reader.text("municipalityCode", required: true, maxLength: 3)
        if let code, !MunicipalityCode.isValid(code) {
            errors.add(.root.appending("municipalityCode"), "must be a Statistics Finland municipality code of three digits, such as 091")
        }
        let name = reader.read("name", required: true, as: LocalizedName.self)
        let population = reader.integer("population", in: 0...100_000_000)
        let itOrganisation = reader.text("itOrganisation", maxLength: 2000)
        reader.finish(readOnly: readOnlyFields)
        guard errors.isEmpty, let code, let name else { return nil }
        return CityFields(municipalityCode: code, name: name, population: population, itOrganisation: itOrganisation)
    }
}

public enum SupplierKind: String, APIEnum {
    case ownProduction = "own-production"
    case inHouseCompany = "in-house-company"
    case municipalEnterprise = "municipal-enterprise"
    case sharedServiceCentre = "shared-service-centre"
    case commercial
}

public struct SupplierContact: Codable, Sendable, Equatable, JSONReadable {
    public var name: String?
    public var email: String?
    public var phone: String?

    public init(name: String? = nil, email: String? = nil, phone: String? = nil) {
        self.name = name
        self.email = email
        self.phone = phone
    }

    public static func read(_ value: JSONValue, at pointer: JSONPointer, errors: InputErrors) -> SupplierContact? {
        guard var reader = ObjectReader(value, at: pointer, errors: errors) else { return nil }
        let name = reader.text("name", maxLength: 200)
        let email = reader.email("email")
        let phone = reader.text("phone", maxLength: 40)
        if let phone, !PhoneNumber.isPlausible(phone) {
            errors.add(pointer.appending("phone"), "must be a phone number: digits, spaces, +, - and parentheses")
        }
        reader.finish()
        return SupplierContact(name: name, email: email, phone: phone)
    }
}

public enum PhoneNumber {
    public static func isPlausible(_ text: String) -> Bool {
        let digits = text.filter(\.isASCII).filter(\.isNumber).count
        return digits >= 5 && text.allSatisfy { $0.isASCII && ($0.isNumber || " +-()".contains($0)) }
    }
}

/// A producer of IT services, in the register all cities share: own production, in-house company, market supplier…
/// A city's own production unit, and a municipal enterprise whose city is recorded, belong to that city.
public struct SupplierFields: ResourceFields {
    public static let resourceType = "supplier"

    public var name: String
    public var businessId: String
    public var kind: SupplierKind
    public var contact: SupplierContact?
    /// The city whose own production unit or municipal enterprise this is; nil for suppliers the cities share.
    public var ownerCityId: String?
    /// Own production whose capabilities and resources are separated from IT management (figure 1.1's target state):
    /// it produces for IT management as a provider does. Only own production can be separated.
    public var separatedFromItManagement: Bool

    /// The kinds that can belong to one city; own production always does.
    public static let ownableKinds: Set<SupplierKind> = [.ownProduction, .municipalEnterprise]

    public init(name: String, businessId: String, kind: SupplierKind, contact: SupplierContact? = nil, ownerCityId: String? = nil,
                separatedFromItManagement: Bool = false) {
        self.name = name
        self.businessId = businessId
        self.kind = kind
        self.contact = contact
        self.ownerCityId = ownerCityId
        self.separatedFromItManagement = separatedFromItManagement
    }

    /// Whether what this supplier produces counts as produced by a provider separate from IT management: every kind
    /// but own production does, and own production does once it is separated from IT management.
    public var isProvider: Bool { kind != .ownProduction || separatedFromItManagement }

    enum CodingKeys: String, CodingKey { case name, businessId, kind, contact, ownerCityId, separatedFromItManagement }

    /// Records written before the separation flag existed (exports, change-log states) read as not separated.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        businessId = try container.decode(String.self, forKey: .businessId)
        kind = try container.decode(SupplierKind.self, forKey: .kind)
        contact = try container.decodeIfPresent(SupplierContact.self, forKey: .contact)
        ownerCityId = try container.decodeIfPresent(String.self, forKey: .ownerCityId)
        separatedFromItManagement = try container.decodeIfPresent(Bool.self, forKey: .separatedFromItManagement) ?? false
    }

    public static func read(_ value: JSONValue, errors: InputErrors) -> SupplierFields? {
        guard var reader = ObjectReader(value, errors: errors) else { return nil }
        let name = reader.text("name", required: true, maxLength: 200)
        let businessId = reader.text("businessId", required: true, maxLength: 20)
        if let businessId, let problem = BusinessID.problem(in: businessId) {
            errors.add(.root.appending("businessId"), BusinessID.explain(problem))
        }
        let kind = reader.read("kind", required: true, as: SupplierKind.self)
        let contact = reader.read("contact", as: SupplierContact.self)
        let ownerCityId = reader.text("ownerCityId", maxLength: 64)
        let separated = reader.bool("separatedFromItManagement") ?? false
        if let kind {
            // Other kinds are providers already; a separation flag on them would say nothing and read as if it did.
            if separated, kind != .ownProduction {
                errors.add(.root.appending("separatedFromItManagement"),
                           "is only for own production; a \(kind.rawValue) supplier is a provider already")
            }
            if kind == .ownProduction, ownerCityId == nil {
                errors.add(.root.appending("ownerCityId"), "is required for own production: the city whose unit it is")
            } else if ownerCityId != nil, !ownableKinds.contains(kind) {
                errors.add(.root.appending("ownerCityId"), "is only for own production and municipal enterprises; a \(kind.rawValue) supplier is shared")
            }
        }
        reader.finish(readOnly: readOnlyFields)
        guard errors.isEmpty, let name, let businessId, let kind else { return nil }
        return SupplierFields(name: name, businessId: businessId, kind: kind, contact: contact, ownerCityId: ownerCityId,
                              separatedFromItManagement: separated)
    }
}

public enum Lifecycle: String, APIEnum {
    case plan
    case phaseIn = "phase-in"
    case active
    case phaseOut = "phase-out"
    case retired
}

public enum Criticality: String, APIEnum {
    case low, medium, high, critical
}

/// The person who answers for a service or a project.
public struct Owner: Codable, Sendable, Equatable, JSONReadable {
    public var name: String
    public var title: String?
    public var email: String?

    public init(name: String, title: String? = nil, email: String? = nil) {
        self.name = name
        self.title = title
        self.email = email
    }

    public static func read(_ value: JSONValue, at pointer: JSONPointer, errors: InputErrors) -> Owner? {
        guard var reader = ObjectReader(value, at: pointer, errors: errors) else { return nil }
        let name = reader.text("name", required: true, maxLength: 200)
        let title = reader.text("title", maxLength: 200)
        let email = reader.email("email")
        reader.finish()
        guard let name else { return nil }
        return Owner(name: name, title: title, email: email)
    }
}

/// When a service entered each stage of its life cycle; the dates must not go backwards.
public struct LifecycleDates: Codable, Sendable, Equatable, JSONReadable {
    public var phaseIn: LocalDate?
    public var active: LocalDate?
    public var phaseOut: LocalDate?
    public var retired: LocalDate?

    public init(phaseIn: LocalDate? = nil, active: LocalDate? = nil, phaseOut: LocalDate? = nil, retired: LocalDate? = nil) {
        self.phaseIn = phaseIn
        self.active = active
        self.phaseOut = phaseOut
        self.retired = retired
    }

    public static func read(_ value: JSONValue, at pointer: JSONPointer, errors: InputErrors) -> LifecycleDates? {
        guard var reader = ObjectReader(value, at: pointer, errors: errors) else { return nil }
        let dates = LifecycleDates(
            phaseIn: reader.read("phaseIn"), active: reader.read("active"),
            phaseOut: reader.read("phaseOut"), retired: reader.read("retired"))
        reader.finish()
        let ordered: [(String, LocalDate?)] = [("phaseIn", dates.phaseIn), ("active", dates.active),
                                               ("phaseOut", dates.phaseOut), ("retired", dates.retired)]
        var previous: (String, LocalDate)?
        for case let (name, date?) in ordered {
            if let previous, date < previous.1 {
                errors.add(pointer.appending(name), "must be on or after \(previous.0)")
            }
            previous = (name, date)
        }
        return dates
    }
}

/// An IT service that a city uses, with its owner, provider, cost and place in its life cycle.
public struct ServiceFields: ResourceFields {
    public static let resourceType = "service"

    public var name: String
    public var description: String?
    public var sector: Sector
    public var owner: Owner
    public var lifecycle: Lifecycle
    public var lifecycleDates: LifecycleDates?
    public var providerId: String?
    public var annualCostCents: Int64?
    public var criticality: Criticality
    public var externalId: String?
    /// The service arranger (palvelun järjestäjä) through whom the city gets the service, if any.
    public var arrangerId: String?
    public var capabilityIds: [String]
    public var processIds: [String]

    public init(
        name: String, description: String? = nil, sector: Sector, owner: Owner, lifecycle: Lifecycle,
        lifecycleDates: LifecycleDates? = nil, providerId: String?, annualCostCents: Int64?,
        criticality: Criticality, externalId: String? = nil, arrangerId: String? = nil,
        capabilityIds: [String] = [], processIds: [String] = []
    ) {
        self.name = name
        self.description = description
        self.sector = sector
        self.owner = owner
        self.lifecycle = lifecycle
        self.lifecycleDates = lifecycleDates
        self.providerId = providerId
        self.annualCostCents = annualCostCents
        self.criticality = criticality
        self.externalId = externalId
        self.arrangerId = arrangerId
        self.capabilityIds = capabilityIds
        self.processIds = processIds
    }

    public static func read(_ value: JSONValue, errors: InputErrors) -> ServiceFields? {
        guard var reader = ObjectReader(value, errors: errors) else { return nil }
        let name = reader.text("name", required: true, maxLength: 200)
        let description = reader.text("description", maxLength: 10_000)
        let sector = reader.read("sector", required: true, as: Sector.self)
        let owner = reader.read("owner", required: true, as: Owner.self)
        let lifecycle = reader.read("lifecycle", required: true, as: Lifecycle.self)
        let lifecycleDates = reader.read("lifecycleDates", as: LifecycleDates.self)
        let providerId = reader.text("providerId", maxLength: 64)
        if let lifecycle, lifecycle != .plan, !reader.has("providerId") {
            errors.add(.root.appending("providerId"), "is required unless lifecycle is plan")
        }
        let annualCostCents = reader.cents("annualCostCents")
        let criticality = reader.read("criticality", required: true, as: Criticality.self)
        let externalId = reader.text("externalId", maxLength: 100)
        let arrangerId = reader.text("arrangerId", maxLength: 64)
        let mapping = reader.governanceMapping()
        reader.finish(readOnly: readOnlyFields)
        guard errors.isEmpty, let name, let sector, let owner, let lifecycle, let criticality else { return nil }
        return ServiceFields(
            name: name, description: description, sector: sector, owner: owner, lifecycle: lifecycle,
            lifecycleDates: lifecycleDates, providerId: providerId, annualCostCents: annualCostCents,
            criticality: criticality, externalId: externalId, arrangerId: arrangerId,
            capabilityIds: mapping.capabilityIds, processIds: mapping.processIds)
    }
}
