import Foundation
import Yams

/// The spec as YAML nodes, in the order it is written, read with the YAML 1.2 core schema that OpenAPI 3.1 uses:
/// an unquoted `on`, `no` or `2024-06-07` in an example is text, as a JSON tool reads it, not a Boolean or a date.
enum SpecYAML {
    static let coreSchema: Resolver = {
        // The patterns are fixed text; they cannot fail to compile.
        // swiftlint:disable force_try
        try! Resolver.basic
            .appending(.null, "^(?:~|null|Null|NULL|)$")
            .appending(.bool, "^(?:true|True|TRUE|false|False|FALSE)$")
            .appending(.int, "^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
            .appending(.float, "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$")
        // swiftlint:enable force_try
    }()

    static func parse(_ yaml: String) throws -> Node {
        guard let root = try Yams.compose(yaml: yaml, coreSchema) else { throw SpecError("the spec is empty") }
        return root
    }
}

struct SpecError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Node {
    /// The member named `key` of a mapping, compared as text whatever the key's YAML type (`"200"` or `200`).
    subscript(member key: String) -> Node? {
        guard case .mapping(let mapping) = self else { return nil }
        return mapping.first { $0.key.scalar?.string == key }?.value
    }

    /// The members of a mapping in the order written, keys as text.
    var members: [(key: String, value: Node)] {
        guard case .mapping(let mapping) = self else { return [] }
        return mapping.map { (key: $0.key.scalar?.string ?? "", value: $0.value) }
    }

    var items: [Node] {
        guard case .sequence(let sequence) = self else { return [] }
        return Array(sequence)
    }

    /// The text of a scalar.
    var text: String? { scalar?.string }

    var isTrue: Bool { tag.rawValue == Tag.Name.bool.rawValue && ["true", "True", "TRUE"].contains(text ?? "") }

    /// The node as JSON, two spaces per level, members in the order written: how examples are shown.
    func prettyJSON(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .scalar(let scalar):
            switch tag.rawValue {
            case Tag.Name.null.rawValue: return "null"
            case Tag.Name.bool.rawValue: return isTrue ? "true" : "false"
            case Tag.Name.int.rawValue: return int.map { String($0) } ?? Self.jsonString(scalar.string)
            case Tag.Name.float.rawValue:
                // JSON has no infinities or NaN, and no leading dot.
                guard let value = float, value.isFinite else { return Self.jsonString(scalar.string) }
                return scalar.string.first == "." || scalar.string.hasPrefix("-.") || scalar.string.hasPrefix("+")
                    ? String(value) : scalar.string
            default: return Self.jsonString(scalar.string)
            }
        case .mapping:
            let members = self.members
            if members.isEmpty { return "{}" }
            return "{\n" + members.map { "\(inner)\(Self.jsonString($0.key)): \($0.value.prettyJSON(indent: inner))" }
                .joined(separator: ",\n") + "\n\(indent)}"
        case .sequence:
            let items = self.items
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { inner + $0.prettyJSON(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .alias:
            // The spec uses no anchors; an alias is shown as what JSON cannot hold.
            return "null"
        }
    }

    static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
