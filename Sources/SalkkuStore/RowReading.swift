import Foundation
import GRDB
import GRDBSQLite
import SalkkuCore

// Rows of the tables that list pages and by-id reads serve most are read column by column here.
// GRDB's Codable decoding resolves every column through dynamic casts and generic conversions and
// decodes JSON columns with a new JSONDecoder each; on a page of contracts that was a third of the
// server's time. A test compares these readers with the Codable decoding on every demo record.

/// The current row of a prepared statement, read by column name straight through SQLite's C API.
public struct StatementColumns {
    private let statement: SQLiteStatement
    private let indexes: [String: Int32]

    init(_ statement: Statement) {
        self.statement = statement.sqliteStatement
        indexes = Dictionary(statement.columnNames.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
    }

    private func index(_ column: String) throws -> Int32 {
        guard let index = indexes[column] else { throw StoredValueError(column: column, text: "(no such column)") }
        return index
    }

    private func isNull(_ index: Int32) -> Bool { sqlite3_column_type(statement, index) == SQLITE_NULL }

    func string(_ column: String) throws -> String {
        let index = try index(column)
        guard sqlite3_column_type(statement, index) == SQLITE_TEXT, let text = sqlite3_column_text(statement, index) else {
            throw StoredValueError(column: column, text: "(not text)")
        }
        return String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, index))), as: UTF8.self)
    }

    /// Nil for SQL NULL, else what `read` makes of the column.
    private func optional<T>(_ column: String, _ read: (String) throws -> T) throws -> T? {
        try isNull(index(column)) ? nil : read(column)
    }

    /// The column's text made into a value by `parse`; text it refuses is an error naming the column.
    private func parsed<T>(_ column: String, _ parse: (String) -> T?) throws -> T {
        let text = try string(column)
        guard let value = parse(text) else { throw StoredValueError(column: column, text: text) }
        return value
    }

    func optionalString(_ column: String) throws -> String? { try optional(column, string) }

    func int64(_ column: String) throws -> Int64 {
        let index = try index(column)
        guard sqlite3_column_type(statement, index) == SQLITE_INTEGER else { throw StoredValueError(column: column, text: "(not an integer)") }
        return sqlite3_column_int64(statement, index)
    }

    func optionalInt64(_ column: String) throws -> Int64? { try optional(column, int64) }

    func int(_ column: String) throws -> Int { Int(try int64(column)) }

    func optionalInt(_ column: String) throws -> Int? { try optional(column, int) }

    func decimal(_ column: String) throws -> ExactDecimal { ExactDecimal(thousandths: try int64(column)) }

    func date(_ column: String) throws -> LocalDate { try parsed(column) { LocalDate($0) } }

    func optionalDate(_ column: String) throws -> LocalDate? { try optional(column, date) }

    func timestamp(_ column: String) throws -> Timestamp { try parsed(column) { Timestamp(rfc3339: $0) } }

    func enumeration<E: RawRepresentable>(_ column: String) throws -> E where E.RawValue == String {
        try parsed(column) { E(rawValue: $0) }
    }

    func optionalEnumeration<E: RawRepresentable>(_ column: String) throws -> E? where E.RawValue == String {
        try optional(column) { try enumeration($0) }
    }

    /// A JSON array of identifiers; the common empty list and lists without escapes are read without a decoder.
    func identifiers(_ column: String) throws -> [String] {
        let text = try string(column)
        if text == "[]" { return [] }
        if let ids = Self.plainStringArray(text) { return ids }
        return try Self.decodeJSON(text, column: column)
    }

    /// A value stored as JSON text; an empty list without a decoder.
    func json<T: Decodable & RangeReplaceableCollection>(_ column: String) throws -> T {
        let text = try string(column)
        return text == "[]" ? T() : try Self.decodeJSON(text, column: column)
    }

    func optionalJSON<T: Decodable>(_ column: String) throws -> T? {
        try optional(column) { try Self.decodeJSON(string($0), column: $0) }
    }

    private static func decodeJSON<T: Decodable>(_ text: String, column: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw StoredValueError(column: column, text: text)
        }
    }

    /// `["a","b"]` with no escapes and no spaces, as the store writes identifier lists; nil for anything else.
    static func plainStringArray(_ text: String) -> [String]? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 4, utf8.first == UInt8(ascii: "["), utf8.last == UInt8(ascii: "]") else { return nil }
        var result: [String] = []
        var index = 1
        while index < utf8.count - 1 {
            guard utf8[index] == UInt8(ascii: "\"") else { return nil }
            var end = index + 1
            while end < utf8.count, utf8[end] != UInt8(ascii: "\"") {
                if utf8[end] == UInt8(ascii: "\\") || utf8[end] < 0x20 { return nil }
                end += 1
            }
            guard end < utf8.count - 1 else { return nil }
            result.append(String(decoding: utf8[(index + 1)..<end], as: UTF8.self))
            index = end + 1
            if utf8[index] == UInt8(ascii: ",") {
                index += 1
                guard index < utf8.count - 1 else { return nil }
            } else if index != utf8.count - 1 {
                return nil
            }
        }
        return result
    }
}

extension Database {
    /// The records a statement selects, read with the fields' row reader when they have one.
    func fetchResources<F: StoredResource>(_ type: F.Type, _ statement: Statement, arguments: StatementArguments? = nil) throws -> [Resource<F>] {
        guard let read = F.rowReader else { return try Resource<F>.fetchAll(statement, arguments: arguments) }
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        let columns = StatementColumns(statement)
        var records: [Resource<F>] = []
        while try cursor.next() != nil {
            records.append(Resource(meta: try ResourceMeta(columns, cityOwned: F.isCityOwned), fields: try read(columns)))
        }
        return records
    }

    func fetchResources<F: StoredResource>(_ request: QueryInterfaceRequest<Resource<F>>) throws -> [Resource<F>] {
        guard F.rowReader != nil else { return try request.fetchAll(self) }
        let prepared = try request.makePreparedRequest(self, forSingleResult: false)
        return try fetchResources(F.self, prepared.statement)
    }
}

/// A stored value the code cannot read: the file was edited behind the server's back.
struct StoredValueError: Error, CustomStringConvertible {
    let column: String
    let text: String
    var description: String { "column \(column) holds \(text.prefix(100)), which is not a valid value" }
}

extension ResourceMeta {
    init(_ row: StatementColumns, cityOwned: Bool) throws {
        self.init(id: try row.string("id"), cityId: cityOwned ? try row.optionalString("cityId") : nil,
                  version: try row.int("version"), createdAt: try row.timestamp("createdAt"), updatedAt: try row.timestamp("updatedAt"))
    }
}

extension ContractFields {
    static func read(_ row: StatementColumns) throws -> ContractFields {
        ContractFields(
            title: try row.string("title"), supplierId: try row.string("supplierId"), externalId: try row.optionalString("externalId"),
            category: try row.enumeration("category"), procedure: try row.enumeration("procedure"),
            procuredOn: try row.optionalDate("procuredOn"), totalValueCents: try row.int64("totalValueCents"),
            annualValueCents: try row.optionalInt64("annualValueCents"), startDate: try row.date("startDate"),
            initialEndDate: try row.date("initialEndDate"), options: try row.json("options"),
            renewal: try row.enumeration("renewal"), renewalPeriodMonths: try row.optionalInt("renewalPeriodMonths"),
            noticePeriodMonths: try row.int("noticePeriodMonths"), managedBy: try row.enumeration("managedBy"),
            sector: try row.optionalEnumeration("sector"), serviceIds: try row.identifiers("serviceIds"),
            terminatedOn: try row.optionalDate("terminatedOn"), capabilityIds: try row.identifiers("capabilityIds"),
            processIds: try row.identifiers("processIds"))
    }
}

extension SLAFields {
    static func read(_ row: StatementColumns) throws -> SLAFields {
        SLAFields(
            contractId: try row.string("contractId"), serviceId: try row.string("serviceId"), name: try row.string("name"),
            metric: try row.enumeration("metric"), priority: try row.optionalInt("priority"), unit: try row.enumeration("unit"),
            comparator: try row.enumeration("comparator"), target: try row.decimal("target"), period: try row.enumeration("period"),
            serviceCreditPercent: try row.decimal("serviceCreditPercent"), periodFeeCents: try row.optionalInt64("periodFeeCents"),
            validFrom: try row.optionalDate("validFrom"), validTo: try row.optionalDate("validTo"),
            capabilityIds: try row.identifiers("capabilityIds"), processIds: try row.identifiers("processIds"))
    }
}

extension SupplierFields {
    static func read(_ row: StatementColumns) throws -> SupplierFields {
        SupplierFields(name: try row.string("name"), businessId: try row.string("businessId"), kind: try row.enumeration("kind"),
                       contact: try row.optionalJSON("contact"))
    }
}
