public enum Role: String, APIEnum {
    case admin, cio, integration, auditor
}

/// A bearer token's record. Only a SHA-256 hash of the secret is kept.
public struct TokenFields: ResourceFields {
    public static let resourceType = "token"

    public var name: String
    public var role: Role
    /// The cities the token may see; empty covers every city.
    public var cityIds: [String]
    public var tokenHash: String
    public var expiresOn: LocalDate?
    public var revokedAt: Timestamp?

    public init(name: String, role: Role, cityIds: [String], tokenHash: String, expiresOn: LocalDate? = nil, revokedAt: Timestamp? = nil) {
        self.name = name
        self.role = role
        self.cityIds = cityIds
        self.tokenHash = tokenHash
        self.expiresOn = expiresOn
        self.revokedAt = revokedAt
    }

    /// Tokens are made by the server; a request body can only name, scope and date one (see `TokenRequest`).
    public static func read(_ value: JSONValue, errors: InputErrors) -> TokenFields? {
        errors.add(.root, "tokens cannot be changed; revoke one and create another")
        return nil
    }

    /// Valid through the end of `expiresOn` in Helsinki, until revoked.
    public func isUsable(at instant: Timestamp) -> Bool {
        revokedAt == nil && (expiresOn.map { instant <= HelsinkiCalendar.endOfDay($0) } ?? true)
    }
}

/// What a client asks for when it creates a token.
public struct TokenRequest: Sendable, Equatable {
    public var name: String
    public var role: Role
    /// Municipality codes; empty means every city.
    public var cityCodes: [String]
    public var expiresOn: LocalDate?

    public init(name: String, role: Role, cityCodes: [String] = [], expiresOn: LocalDate? = nil) {
        self.name = name
        self.role = role
        self.cityCodes = cityCodes
        self.expiresOn = expiresOn
    }

    public static func read(_ value: JSONValue, errors: InputErrors, today: LocalDate) -> TokenRequest? {
        guard var reader = ObjectReader(value, errors: errors) else { return nil }
        let name = reader.text("name", required: true, maxLength: 200)
        let role = reader.read("role", required: true, as: Role.self)
        let codes = reader.idList("cities", maxCount: 400)
        for (index, code) in codes.enumerated() where !MunicipalityCode.isValid(code) {
            errors.add(.root.appending("cities").appending(index), "must be a municipality code of three digits")
        }
        let expiresOn = reader.date("expiresOn")
        if let expiresOn, expiresOn < today { errors.add(.root.appending("expiresOn"), "must not be in the past") }
        reader.finish()
        guard errors.isEmpty, let name, let role else { return nil }
        return TokenRequest(name: name, role: role, cityCodes: codes, expiresOn: expiresOn)
    }
}

/// What a request may reach: its role, and the cities in scope (nil: every city).
public struct AccessScope: Sendable, Equatable {
    public var role: Role
    public var cityIds: Set<String>?

    public init(role: Role, cityIds: Set<String>?) {
        self.role = role
        self.cityIds = cityIds
    }

    public static let unrestricted = AccessScope(role: .admin, cityIds: nil)

    public func covers(cityId: String) -> Bool { cityIds?.contains(cityId) ?? true }

    /// An admin of every city. An admin token limited to some cities administers those cities only: what
    /// reaches beyond them (tokens, creating and deleting cities, shared suppliers) needs this.
    public var isGlobalAdmin: Bool { role == .admin && cityIds == nil }
}
