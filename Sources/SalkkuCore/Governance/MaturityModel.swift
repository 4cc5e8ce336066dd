import Foundation

/// One threshold of the published maturity model: a member of `MaturityThresholds`, with the range a value may take.
public struct MaturityModelMember: Sendable, Equatable {
    public var name: String
    public var defaultValue: Int64
    public var range: ClosedRange<Int64>

    /// The range follows the member's name, so that a threshold added to `MaturityThresholds` is validated without
    /// a second list: percentages 0–100, process levels 0–5 (COBIT capability levels), ages in months 1–600,
    /// anything else a non-negative count.
    static func range(forMember name: String) -> ClosedRange<Int64> {
        if name.contains("Percent") { return 0...100 }
        if name.hasSuffix("Level") { return 0...5 }
        if name.hasSuffix("Months") { return 1...600 }
        return 0...1_000_000
    }
}

extension MaturityThresholds {
    /// The members of the model, in declaration order, read from the type itself: a threshold another change adds
    /// to `MaturityThresholds` is published, validated and stored without touching the model. Only integer members
    /// are thresholds a client may set.
    public static let modelMembers: [MaturityModelMember] = Mirror(reflecting: MaturityThresholds.defaults).children.compactMap { child in
        guard let name = child.label else { return nil }
        let value: Int64? = switch child.value {
        case let number as Int: Int64(number)
        case let number as Int64: number
        default: nil
        }
        return value.map { MaturityModelMember(name: name, defaultValue: $0, range: MaturityModelMember.range(forMember: name)) }
    }

    /// The thresholds as member name → value.
    public var modelValues: [String: Int64] {
        var values: [String: Int64] = [:]
        for child in Mirror(reflecting: self).children {
            guard let name = child.label else { continue }
            switch child.value {
            case let number as Int: values[name] = Int64(number)
            case let number as Int64: values[name] = number
            default: continue
            }
        }
        return values
    }

    /// The thresholds a stored version holds, each member it does not name (one added after it was published)
    /// at its default: the value the rules used before the member existed.
    public init(modelValues: [String: Int64]) {
        let merged = MaturityThresholds.defaults.modelValues.merging(modelValues) { _, stored in stored }
        // Through the type's own Codable conformance, so the mapping from names to members is written once.
        let data = try? JSONSerialization.data(withJSONObject: merged.mapValues { NSNumber(value: $0) })
        self = data.flatMap { try? JSONDecoder().decode(MaturityThresholds.self, from: $0) } ?? .defaults
    }
}

/// The published maturity model: the thresholds every city's transition-path criteria are judged with. It is one
/// record, shared by all cities; each publication is a new version, the version the maturity results name.
public struct MaturityModelFields: ResourceFields {
    public static let resourceType = "maturity-model"
    /// The id of the one record, fixed so that every database (and its history) names the same model.
    public static let recordId = "maturity-model"

    public var thresholds: [String: Int64]
    /// Why this version was published (the network's decision, a reference).
    public var note: String?
    /// Who published the version: the name of the token's holder, set by the server.
    public var publishedBy: String?

    public init(thresholds: [String: Int64], note: String? = nil, publishedBy: String? = nil) {
        self.thresholds = thresholds
        self.note = note
        self.publishedBy = publishedBy
    }

    /// The first version: the thresholds of today's rules.
    public static let defaults = MaturityModelFields(thresholds: MaturityThresholds.defaults.modelValues,
                                                     note: "The thresholds of the transition-path criteria as first published.",
                                                     publishedBy: "system")

    public var resolved: MaturityThresholds { MaturityThresholds(modelValues: thresholds) }

    /// The body of `PUT /v1/maturity-model`: every threshold, each in its range, and an optional note.
    public static func read(_ value: JSONValue, errors: InputErrors) -> MaturityModelFields? {
        guard var reader = ObjectReader(value, errors: errors) else { return nil }
        var values: [String: Int64] = [:]
        if let member = reader.member("thresholds", required: true), var thresholds = ObjectReader(member, at: .root.appending("thresholds"), errors: errors) {
            for member in MaturityThresholds.modelMembers {
                if let number = thresholds.integer(member.name, required: true, in: member.range) { values[member.name] = number }
            }
            thresholds.finish()
        }
        let note = reader.text("note", maxLength: 2000)
        reader.finish(readOnly: readOnlyFields.union(["publishedBy"]))
        guard errors.isEmpty else { return nil }
        return MaturityModelFields(thresholds: values, note: note)
    }
}

/// The version of the model a result was computed with, and its thresholds.
public struct MaturityModelVersion: Sendable, Equatable {
    public var version: Int
    public var thresholds: MaturityThresholds

    public init(version: Int, thresholds: MaturityThresholds) {
        self.version = version
        self.thresholds = thresholds
    }

    public static let first = MaturityModelVersion(version: 1, thresholds: .defaults)
}
