import Foundation
import SalkkuCore
import SalkkuDemo
import SalkkuJSON
import SalkkuStore
import Testing

@testable import SalkkuAPI

// The column-by-column row readers of the three hot tables and the member-by-member contract writer are
// generated here from the fields types (their stored properties, in order, with their types), so that they
// are never kept by hand: a field added to `ContractFields` changes what this test generates, and the test
// fails until the files are regenerated with
//     SALKKU_REGENERATE=1 swift test --filter GeneratedCodeTests
// The derived `Codable` path stays the reference: `RowReadingTests` and `HandWrittenJSONTests` compare the
// generated code with it.

/// A stored property: its name (the column and the JSON key) and its type.
private struct Member {
    var name: String
    var type: Any.Type
    /// Where the writer finds the value (`fields.title`).
    var path: String
    /// Whether a nil value is written as `null` (computed members) rather than left out (stored ones).
    var nilAsNull = false
}

private func members(of value: Any, path: String) -> [Member] {
    Mirror(reflecting: value).children.compactMap { child in
        child.label.map { Member(name: $0, type: type(of: child.value), path: "\(path).\($0)") }
    }
}

/// The reader's expression for a column of type `type`, or nil when the type has no column reader.
private func readExpression(_ type: Any.Type, column: String) -> String {
    let literal = "\"\(column)\""
    if let optional = type as? any OptionalType.Type {
        let wrapped = optional.wrappedType
        switch wrapped {
        case is String.Type: return "try row.optionalString(\(literal))"
        case is Int.Type: return "try row.optionalInt(\(literal))"
        case is Int64.Type: return "try row.optionalInt64(\(literal))"
        case is LocalDate.Type: return "try row.optionalDate(\(literal))"
        case is ExactDecimal.Type: return "try row.optionalInt64(\(literal)).map(ExactDecimal.init(thousandths:))"
        case is any APIEnum.Type: return "try row.optionalEnumeration(\(literal))"
        default: return "try row.optionalDecoded(\(literal))"
        }
    }
    switch type {
    case is String.Type: return "try row.string(\(literal))"
    case is Int.Type: return "try row.int(\(literal))"
    case is Int64.Type: return "try row.int64(\(literal))"
    case is Bool.Type: return "try row.bool(\(literal))"
    case is LocalDate.Type: return "try row.date(\(literal))"
    case is Timestamp.Type: return "try row.timestamp(\(literal))"
    case is ExactDecimal.Type: return "try row.decimal(\(literal))"
    case is [String].Type: return "try row.identifiers(\(literal))"
    case is [ContractOption].Type: return "try row.contractOptions(\(literal))"
    case is any APIEnum.Type: return "try row.enumeration(\(literal))"
    default: return "try row.decoded(\(literal))"
    }
}

private func reader(_ typeName: String, _ sample: Any) -> String {
    let arguments = members(of: sample, path: "").map { "            \($0.name): \(readExpression($0.type, column: $0.name))" }
    return """
        extension \(typeName) {
            static func read(_ row: StatementColumns) throws -> \(typeName) {
                \(typeName)(
        \(arguments.joined(separator: ",\n"))
                )
            }
        }
        """
}

/// The writer's statement for a value of type `type` at `value`.
private func writeStatement(_ type: Any.Type, value: String) -> String {
    switch type {
    case is String.Type: return "writer.writeString(\(value))"
    case is Int.Type, is Int64.Type: return "writer.writeInteger(\(value))"
    case is Bool.Type: return "writer.writeBool(\(value))"
    case is LocalDate.Type: return "writer.writeDateString(\(value))"
    case is Timestamp.Type: return "writer.writeTimestampString(\(value))"
    case is ExactDecimal.Type: return "writer.writeDecimal(\(value))"
    case is [String].Type: return "writer.writeStrings(\(value))"
    case is any APIEnum.Type: return "writer.writeString(\(value).rawValue)"
    default: return "try writer.writeEncodable(\(value))"
    }
}

private func writer(_ typeName: String, where conditions: String, _ all: [Member]) -> String {
    // Foundation orders keys by their UTF-8 bytes.
    let sorted = all.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
    let lines = sorted.flatMap { member -> [String] in
        if let optional = member.type as? any OptionalType.Type {
            let write = writeStatement(optional.wrappedType, value: "value")
            if member.nilAsNull {
                return ["members.key(\"\(member.name)\")",
                        "if let value = \(member.path) { \(write) } else { writer.writeNull() }"]
            }
            return ["if let value = \(member.path) { members.key(\"\(member.name)\"); \(write) }"]
        }
        return ["members.key(\"\(member.name)\"); \(writeStatement(member.type, value: member.path))"]
    }
    return """
        extension \(typeName): JSONWritable where \(conditions) {
            func writeJSON(to writer: JSONStreamWriter) throws {
                let meta = record.meta, fields = record.fields, computed = self.computed
                try writer.object { members in
        \(lines.map { "            " + $0 }.joined(separator: "\n"))
                }
            }
        }
        """
}

private let header = """
    // Generated by Tests/SalkkuAPITests/GeneratedCodeTests.swift from the fields types; do not edit.
    // Regenerate after changing a fields type: SALKKU_REGENERATE=1 swift test --filter GeneratedCodeTests


    """

@Suite struct GeneratedCodeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func expectGenerated(_ text: String, at path: String) throws {
        let url = Self.root.appendingPathComponent(path)
        if ProcessInfo.processInfo.environment["SALKKU_REGENERATE"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: url, encoding: .utf8)
        #expect(committed == text, "\(path) is out of date: SALKKU_REGENERATE=1 swift test --filter GeneratedCodeTests")
    }

    @Test func theFastReadersAndWriterAreWhatTheFieldsTypesGenerate() throws {
        let database = try AppDatabase.temporary()
        try DemoData.seedIfEmpty(database)
        func first<F: StoredResource>(_ type: F.Type) throws -> Resource<F> {
            let id = try #require(try database.allIds(F.self).first)
            return try #require(try database.fetch(F.self, id: id))
        }
        let contract = try first(ContractFields.self), sla = try first(SLAFields.self), supplier = try first(SupplierFields.self)

        let readers = header + """
            import SalkkuCore

            \(reader("ContractFields", contract.fields))

            \(reader("SLAFields", sla.fields))

            \(reader("SupplierFields", supplier.fields))

            """
        try expectGenerated(readers, at: "Sources/SalkkuStore/Generated/RowReaders.swift")

        let terms = ContractTerms(contract.fields, on: LocalDate("2026-12-01")!, supplierKind: nil)
        var all = members(of: contract.meta, path: "meta") + members(of: contract.fields, path: "fields")
        all += members(of: terms, path: "computed").map { var member = $0; member.nilAsNull = true; return member }
        let writers = header + """
            import SalkkuCore
            import SalkkuJSON

            \(writer("Evaluated", where: "Fields == ContractFields, Computed == ContractTerms", all))

            """
        try expectGenerated(writers, at: "Sources/SalkkuAPI/Generated/ContractJSON.swift")
    }
}
