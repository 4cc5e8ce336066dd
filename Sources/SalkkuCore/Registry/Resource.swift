/// The writable fields of one kind of resource: what a client sends and what the store keeps
/// besides the common metadata.
public protocol ResourceFields: Codable, Sendable, Equatable {
    /// Singular kebab-case name used in the change log and in problem details (`service`).
    static var resourceType: String { get }
    /// Members a response carries that a client may not send, beyond the common metadata.
    static var computedFields: Set<String> { get }
    /// Reads a complete set of fields from a request body, recording every problem in `errors`.
    static func read(_ value: JSONValue, errors: InputErrors) -> Self?
    /// Dates on which something is said to have happened (a decision, an approval, an assessment), with the
    /// member that holds each: a record of the past cannot carry a date still to come.
    var factDates: [(member: JSONPointer, date: LocalDate)] { get }
    /// What is wrong with these fields as the new state of `current` (nil when they make a new record), beyond what
    /// `read` sees in the fields alone: a member required of new records that records stored before the rule may lack.
    func changeProblems(from current: Self?) -> [FieldError]
}

extension ResourceFields {
    public static var computedFields: Set<String> { [] }
    public var factDates: [(member: JSONPointer, date: LocalDate)] { [] }
    public func changeProblems(from current: Self?) -> [FieldError] { [] }

    /// Refuses the change `changeProblems` finds wrong, naming each member.
    public func checkChange(from current: Self?) throws(ValidationFailure) {
        let problems = changeProblems(from: current)
        if !problems.isEmpty { throw ValidationFailure(problems) }
    }

    /// Refuses facts dated after `today`, naming each member.
    public func checkFactDates(today: LocalDate) throws {
        let errors = InputErrors()
        for (member, date) in factDates where date > today {
            errors.add(member, FactDate.futureDetail(today: today))
        }
        try errors.throwIfAny()
    }
    public static var readOnlyFields: Set<String> { ResourceMeta.fieldNames.union(computedFields) }
}

public enum FactDate {
    static func futureDetail(today: LocalDate) -> String {
        "must not be after today (\(today)): a fact is recorded once it has happened"
    }
}

/// What every stored resource has, whatever its kind.
public struct ResourceMeta: Codable, Sendable, Equatable {
    public var id: String
    /// The owning city, for city-owned resources; nil for cities themselves and shared registries.
    public var cityId: String?
    public var version: Int
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public static let fieldNames: Set<String> = ["id", "cityId", "version", "createdAt", "updatedAt"]

    public init(id: String, cityId: String?, version: Int, createdAt: Timestamp, updatedAt: Timestamp) {
        self.id = id
        self.cityId = cityId
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A stored resource: its metadata and its fields, flattened into one JSON object or table row.
public struct Resource<Fields: ResourceFields>: Codable, Sendable, Equatable {
    public var meta: ResourceMeta
    public var fields: Fields

    public init(meta: ResourceMeta, fields: Fields) {
        self.meta = meta
        self.fields = fields
    }

    public init(from decoder: any Decoder) throws {
        meta = try ResourceMeta(from: decoder)
        fields = try Fields(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try meta.encode(to: encoder)
        try fields.encode(to: encoder)
    }
}
