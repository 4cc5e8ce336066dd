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
        if let code, let problem = MunicipalityCode.problem(code) { errors.add(.root.appending("municipalityCode"), problem) }
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

/// An owner of an in-house company or shared service centre: a city in Salkku by its id, or another municipality
/// by its Statistics Finland code (most in-house companies have owners that keep no portfolio here), with its
/// share of the ownership.
public struct SupplierOwner: Codable, Sendable, Equatable, JSONReadable {
    public var cityId: String?
    public var municipalityCode: String?
    /// Per cent of the ownership, more than 0 and at most 100, with at most three decimals (a small municipality's
    /// share of a national company is 0.001 or more: an owner with no share is no owner).
    public var sharePercent: ExactDecimal

    public init(cityId: String? = nil, municipalityCode: String? = nil, sharePercent: ExactDecimal) {
        self.cityId = cityId
        self.municipalityCode = municipalityCode
        self.sharePercent = sharePercent
    }

    public static func read(_ value: JSONValue, at pointer: JSONPointer, errors: InputErrors) -> SupplierOwner? {
        guard var reader = ObjectReader(value, at: pointer, errors: errors) else { return nil }
        let cityId = reader.text("cityId", maxLength: 64)
        let code = reader.text("municipalityCode", maxLength: 3)
        let share = reader.decimal("sharePercent", required: true, in: .sharePercent)
        reader.finish()
        if let code, let problem = MunicipalityCode.problem(code) { errors.add(pointer.appending("municipalityCode"), problem) }
        if (cityId == nil) == (code == nil) {
            errors.add(pointer, "must name the owner by exactly one of cityId (a city in Salkku) and municipalityCode (any other municipality)")
        }
        guard let share else { return nil }
        return SupplierOwner(cityId: cityId, municipalityCode: code, sharePercent: share)
    }

    /// Whether this owner is the city with this id and municipality code.
    public func isCity(id: String, municipalityCode code: String?) -> Bool {
        cityId == id || (code != nil && municipalityCode == code)
    }
}

/// A producer of IT services, in the register all cities share: own production, in-house company, market supplier…
/// A city's own production unit and municipal enterprise belong to that city and carry its business ID; an in-house
/// company or shared service centre is owned by cities (`owners`), which is what makes an award to it in-house
/// (hankintalaki 1397/2016 § 15); a foreign supplier is known by its EU VAT number or its home registry's id.
public struct SupplierFields: ResourceFields {
    public static let resourceType = "supplier"

    public var name: String
    /// The Finnish business ID (Y-tunnus), normalised to seven digits; nil only for a foreign supplier.
    public var businessId: String?
    public var kind: SupplierKind
    public var contact: SupplierContact?
    /// The city whose own production unit or municipal enterprise this is; nil for suppliers the cities share.
    public var ownerCityId: String?
    /// The owners of an in-house company or shared service centre and their shares; nil or empty when none recorded.
    public var owners: [SupplierOwner]?
    /// The EU VAT number, normalised (`SE556677889901`).
    public var vatNumber: String?
    /// A foreign supplier's id in its home country's business register, with `country`.
    public var foreignRegistryId: String?
    /// ISO 3166-1 alpha-2 country of a foreign supplier.
    public var country: String?
    /// Own production whose capabilities and resources are separated from IT management (figure 1.1's target state):
    /// it produces for IT management as a provider does. Only own production can be separated.
    public var separatedFromItManagement: Bool

    /// The kinds that are part of one city and carry its business ID: they must name the city.
    public static let ownableKinds: Set<SupplierKind> = [.ownProduction, .municipalEnterprise]
    /// The kinds owned by municipalities as separate entities: they record their owners.
    public static let ownedKinds: Set<SupplierKind> = [.inHouseCompany, .sharedServiceCentre]
    /// The kinds that may be foreign, without a business ID.
    public static let possiblyForeignKinds: Set<SupplierKind> = [.commercial, .sharedServiceCentre]
    /// More owners than Finland has municipalities is a mistake, not a company.
    public static let maxOwners = 400

    public init(name: String, businessId: String?, kind: SupplierKind, contact: SupplierContact? = nil, ownerCityId: String? = nil,
                owners: [SupplierOwner]? = nil, vatNumber: String? = nil, foreignRegistryId: String? = nil, country: String? = nil,
                separatedFromItManagement: Bool = false) {
        self.name = name
        self.businessId = businessId
        self.kind = kind
        self.contact = contact
        self.ownerCityId = ownerCityId
        self.owners = owners
        self.vatNumber = vatNumber
        self.foreignRegistryId = foreignRegistryId
        self.country = country
        self.separatedFromItManagement = separatedFromItManagement
    }

    /// Whether what this supplier produces counts as produced by a provider separate from IT management: every kind
    /// but own production does, and own production does once it is separated from IT management.
    public var isProvider: Bool { kind != .ownProduction || separatedFromItManagement }

    enum CodingKeys: String, CodingKey {
        case name, businessId, kind, contact, ownerCityId, owners, vatNumber, foreignRegistryId, country, separatedFromItManagement
    }

    /// Records written before the separation flag existed (exports, change-log states) read as not separated.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        businessId = try container.decodeIfPresent(String.self, forKey: .businessId)
        kind = try container.decode(SupplierKind.self, forKey: .kind)
        contact = try container.decodeIfPresent(SupplierContact.self, forKey: .contact)
        ownerCityId = try container.decodeIfPresent(String.self, forKey: .ownerCityId)
        owners = try container.decodeIfPresent([SupplierOwner].self, forKey: .owners)
        vatNumber = try container.decodeIfPresent(String.self, forKey: .vatNumber)
        foreignRegistryId = try container.decodeIfPresent(String.self, forKey: .foreignRegistryId)
        country = try container.decodeIfPresent(String.self, forKey: .country)
        separatedFromItManagement = try container.decodeIfPresent(Bool.self, forKey: .separatedFromItManagement) ?? false
    }

    public static func read(_ value: JSONValue, errors: InputErrors) -> SupplierFields? {
        guard var reader = ObjectReader(value, errors: errors) else { return nil }
        let name = reader.text("name", required: true, maxLength: 200)
        var businessId = reader.text("businessId", maxLength: 20)
        if let sent = businessId {
            switch BusinessID.normalized(sent) {
            case .success(let normalised): businessId = normalised
            case .failure(let problem):
                errors.add(.root.appending("businessId"), BusinessID.explain(problem))
            }
        }
        let kind = reader.read("kind", required: true, as: SupplierKind.self)
        let contact = reader.read("contact", as: SupplierContact.self)
        let ownerCityId = reader.text("ownerCityId", maxLength: 64)
        let owners = reader.member("owners", required: false)
            .map { [SupplierOwner].read($0, at: .root.appending("owners"), errors: errors, maxCount: maxOwners) }
        let vatNumber = reader.text("vatNumber", maxLength: 40).map(VATNumber.normalized)
        let foreignRegistryId = reader.text("foreignRegistryId", maxLength: 64)
        let country = reader.text("country", maxLength: 2)
        let separated = reader.bool("separatedFromItManagement") ?? false
        reader.finish(readOnly: readOnlyFields)
        if let kind {
            // Other kinds are providers already; a separation flag on them would say nothing and read as if it did.
            if separated, kind != .ownProduction {
                errors.add(.root.appending("separatedFromItManagement"),
                           "is only for own production; a \(kind.rawValue) supplier is a provider already")
            }
            checkOwnership(kind: kind, ownerCityId: ownerCityId, owners: owners, errors: errors)
            checkIdentity(kind: kind, businessId: businessId, vatNumber: vatNumber, foreignRegistryId: foreignRegistryId,
                          country: country, errors: errors)
        }
        guard errors.isEmpty, let name, let kind else { return nil }
        return SupplierFields(name: name, businessId: businessId, kind: kind, contact: contact, ownerCityId: ownerCityId,
                              owners: owners, vatNumber: vatNumber, foreignRegistryId: foreignRegistryId, country: country,
                              separatedFromItManagement: separated)
    }

    /// Own production and a municipal enterprise are part of exactly one city; in-house companies and shared service
    /// centres are owned, in shares that add up to at most 100 %, the rest held by owners not recorded.
    static func checkOwnership(kind: SupplierKind, ownerCityId: String?, owners: [SupplierOwner]?, errors: InputErrors) {
        if ownableKinds.contains(kind), ownerCityId == nil {
            errors.add(.root.appending("ownerCityId"),
                       kind == .ownProduction ? "is required for own production: the city whose unit it is"
                                              : "is required for a municipal enterprise: the one city it is part of")
        } else if ownerCityId != nil, !ownableKinds.contains(kind) {
            errors.add(.root.appending("ownerCityId"), "is only for own production and municipal enterprises; a \(kind.rawValue) supplier is shared")
        }
        guard let owners else { return }
        guard ownedKinds.contains(kind) else {
            if !owners.isEmpty {
                errors.add(.root.appending("owners"), "is only for in-house companies and shared service centres; a \(kind.rawValue) supplier names its one city in ownerCityId or has no municipal owners")
            }
            return
        }
        var seenCities: [String: Int] = [:], seenCodes: [String: Int] = [:]
        for (index, owner) in owners.enumerated() {
            if let id = owner.cityId {
                if let first = seenCities[id] { errors.add(.root.appending("owners").appending(index), "repeats the owner of owners/\(first)") }
                seenCities[id] = seenCities[id] ?? index
            }
            if let code = owner.municipalityCode {
                if let first = seenCodes[code] { errors.add(.root.appending("owners").appending(index), "repeats the owner of owners/\(first)") }
                seenCodes[code] = seenCodes[code] ?? index
            }
        }
        let total = owners.reduce(Int64(0)) { $0 + $1.sharePercent.thousandths }
        if total > ExactDecimal(100).thousandths {
            errors.add(.root.appending("owners"), "shares add up to \(ExactDecimal(thousandths: total)) %, more than 100")
        }
    }

    /// A Finnish supplier is known by its business ID; a foreign one by its EU VAT number, or its home registry's id
    /// with its country. Own production and municipal enterprises carry their city's business ID, in-house companies
    /// their own.
    static func checkIdentity(kind: SupplierKind, businessId: String?, vatNumber: String?, foreignRegistryId: String?,
                              country: String?, errors: InputErrors) {
        var vatCountry: String?
        if let vatNumber {
            if let problem = VATNumber.problem(in: vatNumber) {
                errors.add(.root.appending("vatNumber"), VATNumber.explain(problem))
            } else {
                let prefix = String(vatNumber.prefix(2))
                vatCountry = VATNumber.country(ofPrefix: prefix)
                if prefix == "FI" {
                    let digits = businessId.map { String($0.filter(\.isNumber)) }
                    if digits == nil {
                        errors.add(.root.appending("vatNumber"), "is Finnish: a Finnish supplier is identified by its businessId, of which FI VAT numbers are made")
                    } else if digits != String(vatNumber.dropFirst(2)) {
                        errors.add(.root.appending("vatNumber"), "is Finnish but is not FI followed by the businessId's digits (FI\(digits!))")
                    }
                }
            }
        }
        if let country {
            if !CountryCode.isPlausible(country) {
                errors.add(.root.appending("country"), "must be an ISO 3166-1 alpha-2 country code in capitals, such as SE")
            } else if country == "FI" {
                errors.add(.root.appending("country"), "is for foreign suppliers; a Finnish supplier is known by its businessId")
            } else if let vatCountry, vatCountry != "FI", vatCountry != country {
                errors.add(.root.appending("country"), "is \(country), but the vatNumber is of \(vatCountry)")
            }
        }
        if foreignRegistryId != nil, country == nil {
            errors.add(.root.appending("country"), "is required with foreignRegistryId: the country whose register it is in")
        }
        if country != nil, vatNumber == nil, foreignRegistryId == nil {
            errors.add(.root.appending("country"), "is only for a foreign supplier, with its vatNumber or foreignRegistryId")
        }
        if businessId == nil {
            if !possiblyForeignKinds.contains(kind) {
                let whose = ownableKinds.contains(kind) ? "its city's business ID" : "the company's business ID"
                errors.add(.root.appending("businessId"), "is required for a \(kind.rawValue) supplier: \(whose)")
            } else if vatNumber == nil, foreignRegistryId == nil {
                errors.add(.root.appending("businessId"), "is required unless a foreign supplier gives its vatNumber, or its foreignRegistryId with country")
            }
        }
    }

    /// An in-house company is in-house because municipalities own it: a new one names at least one owner, and so does
    /// one that becomes an in-house company or loses the owners it had. One recorded before owners were (owners
    /// absent) stays readable and changeable in its other members until an admin names them. A shared service
    /// centre may have none: a state-owned centre (DVV, Valtori) has no municipal owner.
    public func changeProblems(from current: SupplierFields?) -> [FieldError] {
        guard kind == .inHouseCompany, (owners ?? []).isEmpty else { return [] }
        if let current, current.kind == kind, (current.owners ?? []).isEmpty { return [] }
        return [FieldError(pointer: "/owners", "is required for an in-house company: at least one municipality that owns it, with its share")]
    }

    /// Whether the city with this id and municipality code controls this supplier, as an in-house award needs:
    /// it is the city's own production or enterprise, or the city is among its owners. Nil for a market supplier,
    /// which no city controls.
    public func isControlled(byCityId cityId: String, municipalityCode: String?) -> Bool? {
        switch kind {
        case .commercial: nil
        case .ownProduction, .municipalEnterprise: ownerCityId == cityId
        case .inHouseCompany, .sharedServiceCentre: (owners ?? []).contains { $0.isCity(id: cityId, municipalityCode: municipalityCode) }
        }
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

extension ServiceFields {
    /// The stage of the life cycle on a business date. The recorded dates say when each stage began, so the stage
    /// on a date is the latest one begun by then; before the first recorded one, the service had not yet come into
    /// use when that is a phase-in or activation, and was in use when it is a phase-out or retirement. From the
    /// last recorded date on, the recorded lifecycle stands when it is further along (dates lag the stage). A
    /// service with no dates is in its recorded stage on every date.
    public func lifecycle(on date: LocalDate) -> Lifecycle {
        guard let dates = lifecycleDates else { return lifecycle }
        let begun = [(Lifecycle.phaseIn, dates.phaseIn), (.active, dates.active), (.phaseOut, dates.phaseOut), (.retired, dates.retired)]
            .compactMap { stage, day in day.map { (stage: stage, day: $0) } }
        guard let first = begun.first, let last = begun.last else { return lifecycle }
        if date < first.day {
            switch first.stage {
            case .phaseIn: return .plan
            case .active: return .phaseIn
            default: return .active
            }
        }
        if date >= last.day { return Lifecycle.order(of: lifecycle) > Lifecycle.order(of: last.stage) ? lifecycle : last.stage }
        return begun.last { $0.day <= date }?.stage ?? lifecycle
    }

    /// In use on a business date: what counts as active for costs, shares and criteria on that date.
    public func isActive(on date: LocalDate) -> Bool { lifecycle(on: date) == .active }
}

extension Lifecycle {
    static func order(of stage: Lifecycle) -> Int { allCases.firstIndex(of: stage) ?? 0 }
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
