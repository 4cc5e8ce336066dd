import SalkkuCore
import SalkkuJSON

/// One row of an import file, read but not yet checked against the database.
public struct ImportRow: Sendable {
    /// The row's number in the spreadsheet (header = 1), or the line of an NDJSON file.
    public var number: Int
    /// The `id` the row names, if any: it picks the record to update when one of this city has it.
    public var id: String?
    /// The members the row sets, as a JSON Merge Patch: `null` clears a member; a member it leaves out keeps its value.
    public var patch: [String: JSONValue]
    /// Key columns by the id member they fill: `supplierId` ← the `supplierBusinessId` cell's value.
    public var keys: [String: JSONValue]
    /// Each column's text as the file had it, to quote in errors.
    public var cells: [String: String]
}

/// Why a row (or the file) was refused: where, what it held, and the same reason the API gives.
public struct ImportError: Error, Sendable, Equatable, Encodable {
    public var row: Int
    public var column: String?
    public var value: String?
    public var detail: String

    public init(row: Int, column: String?, value: String?, detail: String) {
        self.row = row
        self.column = column
        self.value = value
        self.detail = detail
    }
}

extension ExchangeFormat {
    /// What a header cell names: a column, the euro form of a cents column, or the record's `id`.
    enum HeaderEntry {
        case id
        case column(ExchangeColumn)
        case euros(ExchangeColumn)
    }

    func headerEntry(_ name: String) -> HeaderEntry? {
        if name == "id" { return .id }
        if let column = columns.first(where: { $0.name == name }) { return .column(column) }
        if let column = columns.first(where: { $0.kind == .cents && $0.name == name + "Cents" }) { return .euros(column) }
        return nil
    }

    /// The rows of a CSV table, and the errors of its header and of rows whose cells cannot be read.
    public func rows(of table: CSVTable) -> (rows: [ImportRow], errors: [ImportError]) {
        var errors = table.raggedRows.map { ImportError(row: $0.row, column: $0.column, value: nil, detail: $0.detail) }
        var entries: [HeaderEntry?] = []
        var seen: [String: Int] = [:]
        var filled: Set<String> = []
        for (index, name) in table.header.enumerated() {
            let entry = headerEntry(name)
            entries.append(entry)
            if entry == nil {
                errors.append(ImportError(row: 1, column: name, value: nil,
                                          detail: "is not a column of a \(self.name) file (GET /v1/import-templates/\(self.name).csv lists them)"))
            }
            if let first = seen[name] {
                errors.append(ImportError(row: 1, column: name, value: nil, detail: "repeats column \(first + 1)"))
            }
            seen[name] = index
            let member: String? = switch entry {
            case .column(let column), .euros(let column): column.name
            default: nil
            }
            if let member, !filled.insert(member).inserted {
                errors.append(ImportError(row: 1, column: name, value: nil, detail: "sets \(member) that another column already sets"))
            }
        }
        guard errors.allSatisfy({ $0.row != 1 }) else { return ([], errors) }
        var rows: [ImportRow] = []
        for row in table.rows {
            var result = ImportRow(number: row.number, id: nil, patch: [:], keys: [:], cells: [:])
            var failed = false
            for (entry, (name, raw)) in zip(entries, zip(table.header, row.cells)) {
                let cell = CSVTable.unneutralised(raw)
                result.cells[name] = cell
                let empty = cell.trimmingCharacters(in: .whitespaces).isEmpty
                do {
                    switch entry! {
                    case .id:
                        result.id = empty ? nil : cell.trimmingCharacters(in: .whitespaces)
                    case .euros(let column):
                        Self.set(&result.patch, column.path, empty ? .null : try Cells.euros(cell))
                    case .column(let column):
                        let value = empty ? JSONValue.null : try Cells.value(cell, kind: column.kind)
                        if let member = column.referenceMember {
                            if !empty { result.keys[member] = value }
                        } else {
                            Self.set(&result.patch, column.path, value)
                        }
                    }
                } catch {
                    errors.append(ImportError(row: row.number, column: name, value: cell, detail: error.detail))
                    failed = true
                }
            }
            // An empty key cell clears the reference, as an empty id cell does, unless the row names it by id.
            for reference in references where result.keys[reference.member] == nil && (result.patch[reference.member] ?? .null) == .null {
                if let cell = result.cells[reference.keyColumn], cell.trimmingCharacters(in: .whitespaces).isEmpty {
                    result.patch[reference.member] = .null
                }
            }
            if !failed { rows.append(result) }
        }
        return (rows, errors)
    }

    /// The rows of an NDJSON file: one JSON object per line, the members a CSV row's columns would set, and
    /// optionally `id` and key members (`supplierBusinessId`); read-only members are refused, as the API refuses them.
    public func rows(ofNDJSON bytes: [UInt8]) -> (rows: [ImportRow], errors: [ImportError]) {
        var rows: [ImportRow] = []
        var errors: [ImportError] = []
        var line = 0
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            line += 1
            var text = bytes[start..<end]
            start = end == bytes.endIndex ? end : end + 1
            if text.last == UInt8(ascii: "\r") { text = text.dropLast() }
            if line == 1, text.starts(with: [0xEF, 0xBB, 0xBF]) { text = text.dropFirst(3) }
            if text.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
            let value: JSONValue
            do {
                value = try StrictJSONParser.parseBody(text)
            } catch let error as JSONSyntaxError {
                errors.append(ImportError(row: line, column: nil, value: nil, detail: "is not JSON: \(error.message) at column \(error.column)"))
                continue
            } catch let failure as ValidationFailure {
                for error in failure.errors {
                    errors.append(ImportError(row: line, column: Self.dotted(error.pointer ?? ""), value: nil, detail: error.detail))
                }
                continue
            } catch {
                errors.append(ImportError(row: line, column: nil, value: nil, detail: "holds more JSON values than a line may"))
                continue
            }
            guard case .object(var members) = value else {
                errors.append(ImportError(row: line, column: nil, value: nil, detail: "must be a JSON object"))
                continue
            }
            var row = ImportRow(number: line, id: nil, patch: [:], keys: [:], cells: [:])
            if let id = members.removeValue(forKey: "id") {
                guard case .string(let text) = id else {
                    errors.append(ImportError(row: line, column: "id", value: nil, detail: "must be a string"))
                    continue
                }
                row.id = text
            }
            for reference in references {
                if let key = members.removeValue(forKey: reference.keyColumn), key != .null { row.keys[reference.member] = key }
            }
            row.patch = members
            rows.append(row)
        }
        return (rows, errors)
    }

    /// `owner.name` for the JSON Pointer `/owner/name`.
    static func dotted(_ pointer: String) -> String {
        pointer.split(separator: "/").map { $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") }
            .joined(separator: ".")
    }

    static func set(_ object: inout [String: JSONValue], _ path: [String], _ value: JSONValue) {
        guard let first = path.first else { return }
        if path.count == 1 {
            object[first] = value
            return
        }
        var child: [String: JSONValue] = [:]
        if case .object(let members)? = object[first] { child = members }
        set(&child, Array(path.dropFirst()), value)
        object[first] = .object(child)
    }

    /// The column a field error of a row is about: the key column when the row named the reference by key, else
    /// the column (or, in NDJSON, the dotted member) the error's JSON Pointer falls in.
    public func column(of pointer: String, in row: ImportRow) -> String {
        let parts = pointer.split(separator: "/", omittingEmptySubsequences: true).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
        guard let first = parts.first else { return "" }
        if let reference = reference(member: first), row.keys[first] != nil { return reference.keyColumn }
        // The longest column the pointer is inside; list items (`/options/1/months`) belong to their list's column.
        let members = parts.filter { Int($0) == nil }
        for length in stride(from: members.count, through: 1, by: -1) {
            let name = members.prefix(length).joined(separator: ".")
            let euros = String(name.dropLast("Cents".count))
            if name.hasSuffix("Cents"), row.cells[name] == nil, row.cells[euros] != nil { return euros }
            if row.cells[name] != nil || columns.contains(where: { $0.name == name }) { return name }
        }
        return members.joined(separator: ".")
    }

    /// A record's row in an export: its id, then each column; `key` names a referenced record by its key.
    public func exportRow(id: String, fields: JSONValue, key: (ReferenceTarget, String) -> String?) -> [String] {
        var cells = [id]
        for column in columns {
            if let member = column.referenceMember, let reference = reference(member: member) {
                cells.append(Self.keyCell(fields.at([member]), reference: reference, key: key))
                continue
            }
            var value = fields.at(column.path)
            if column.kind == .owners { value = Self.ownersByMunicipalityCode(value, key: key) }
            cells.append(Cells.cell(value, kind: column.kind) ?? "")
        }
        return cells
    }

    /// Owners named by the city's municipality code where Salkku knows it: a city's id means nothing in another
    /// database, its code does, so an exported file imports anywhere.
    static func ownersByMunicipalityCode(_ value: JSONValue, key: (ReferenceTarget, String) -> String?) -> JSONValue {
        guard case .array(let items) = value else { return value }
        return .array(items.map { item in
            guard case .object(var members) = item, case .string(let cityId)? = members["cityId"],
                  let code = key(.city, cityId) else { return item }
            members["cityId"] = nil
            members["municipalityCode"] = .string(code)
            return .object(members)
        })
    }

    /// The key cell of a reference: every referenced record's key, or empty when one has none (the id column decides).
    static func keyCell(_ value: JSONValue, reference: ExchangeReference, key: (ReferenceTarget, String) -> String?) -> String {
        switch value {
        case .string(let id):
            return key(reference.target, id) ?? ""
        case .array(let items):
            var keys: [String] = []
            for case .string(let id) in items {
                guard let found = key(reference.target, id) else { return "" }
                keys.append(found)
            }
            return keys.joined(separator: "|")
        default:
            return ""
        }
    }
}

extension JSONValue {
    /// The value at a path of member names, or null.
    public func at(_ path: [String]) -> JSONValue {
        var value = self
        for name in path {
            guard case .object(let members) = value, let member = members[name] else { return .null }
            value = member
        }
        return value
    }

    /// Without objects that have no members left (a nested member whose every column was empty), recursively.
    public var withoutEmptyObjects: JSONValue {
        guard case .object(let members) = self else { return self }
        var kept: [String: JSONValue] = [:]
        for (name, member) in members {
            let pruned = member.withoutEmptyObjects
            if case .object(let inner) = pruned, inner.isEmpty { continue }
            kept[name] = pruned
        }
        return .object(kept)
    }
}
