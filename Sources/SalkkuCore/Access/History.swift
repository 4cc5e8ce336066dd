/// One member that differs between two versions, located by JSON Pointer.
public struct FieldChange: Encodable, Sendable, Equatable {
    public var pointer: String
    public var before: JSONValue?
    public var after: JSONValue?

    enum CodingKeys: String, CodingKey { case pointer, before, after }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pointer, forKey: .pointer)
        try container.encode(before ?? .null, forKey: .before)
        try container.encode(after ?? .null, forKey: .after)
    }
}

public enum JSONDiff {
    /// Members every write changes; a diff that listed them would hide what was really changed.
    public static let bookkeeping: Set<String> = ["version", "updatedAt"]

    /// Field-level differences: objects are compared member by member, anything else as a whole.
    public static func changes(from old: JSONValue?, to new: JSONValue?, at pointer: JSONPointer = .root) -> [FieldChange] {
        if case .object(let before)? = old, case .object(let after)? = new {
            let keys = Set(before.keys).union(after.keys).subtracting(pointer == .root ? bookkeeping : [])
            return keys.sorted().flatMap { changes(from: before[$0], to: after[$0], at: pointer.appending($0)) }
        }
        if old == new { return [] }
        return [FieldChange(pointer: pointer.description, before: old, after: new)]
    }
}
