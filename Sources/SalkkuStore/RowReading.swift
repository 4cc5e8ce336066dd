import Foundation
import GRDB
import GRDBSQLite
import SalkkuCore
import SalkkuJSON

// Rows of the tables that list pages and by-id reads serve most are read column by column here.
// GRDB's Codable decoding resolves every column through dynamic casts and generic conversions and
// decodes JSON columns with a new JSONDecoder each; on a page of contracts that was a third of the
// server's time. A test compares these readers with the Codable decoding on every demo record.

/// The current row of a prepared statement, read by column name straight through SQLite's C API.
public final class StatementColumns {
    private let statement: SQLiteStatement
    private let names: [String]
    private let indexes: [String: Int32]
    /// A row reader asks for the same columns in the same order on every row, so the indexes it asked
    /// for on the first row are tried first; hashing every column name on every row was a tenth of a page.
    /// Unchecked, like the JSON writer's bytes: read for every column of every row, by one thread at a time.
    @exclusivity(unchecked) private var learned: [Int32] = []
    @exclusivity(unchecked) private var position = 0

    init(_ statement: Statement) {
        self.statement = statement.sqliteStatement
        names = statement.columnNames
        indexes = Dictionary(names.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
    }

    /// Call before reading each row.
    func startRow() { position = 0 }

    private func index(_ column: String) throws -> Int32 {
        defer { position += 1 }
        if position < learned.count, names[Int(learned[position])] == column { return learned[position] }
        guard let index = indexes[column] else { throw StoredValueError(column: column, text: "(no such column)") }
        if position < learned.count { learned[position] = index } else { learned.append(index) }
        return index
    }

    private func isNull(_ index: Int32) -> Bool { sqlite3_column_type(statement, index) == SQLITE_NULL }

    /// The column's UTF-8 bytes, valid until the statement moves on.
    private func text(_ column: String) throws -> UnsafeBufferPointer<UInt8> {
        let index = try index(column)
        // sqlite3_column_bytes after sqlite3_column_text, as SQLite asks, so the count is of the text.
        guard sqlite3_column_type(statement, index) == SQLITE_TEXT, let text = sqlite3_column_text(statement, index) else {
            throw StoredValueError(column: column, text: "(not text)")
        }
        return UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, index)))
    }

    func string(_ column: String) throws -> String {
        String(decoding: try text(column), as: UTF8.self)
    }

    /// A value parsed straight from the column's bytes, without a string in between.
    private func parsedBytes<T>(_ column: String, _ parse: (UnsafeBufferPointer<UInt8>) -> T?) throws -> T {
        let bytes = try text(column)
        guard let value = parse(bytes) else { throw StoredValueError(column: column, text: String(decoding: bytes, as: UTF8.self)) }
        return value
    }

    /// Nil for SQL NULL, else what `read` makes of the column.
    private func optional<T>(_ column: String, _ read: (String) throws -> T) throws -> T? {
        guard isNull(try index(column)) else { return try read(column) }
        // `read` would have looked the column up once more; so does a null, to keep the order of lookups the same on every row.
        _ = try index(column)
        return nil
    }

    /// The column's text made into a value by `parse`; text it refuses is an error naming the column.
    private func parsed<T>(_ column: String, _ parse: (String) -> T?) throws -> T {
        try parsedBytes(column) { parse(String(decoding: $0, as: UTF8.self)) }
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

    func date(_ column: String) throws -> LocalDate { try parsedBytes(column) { LocalDate(utf8: $0) } }

    func optionalDate(_ column: String) throws -> LocalDate? { try optional(column, date) }

    func timestamp(_ column: String) throws -> Timestamp { try parsedBytes(column) { Timestamp(rfc3339UTF8: $0) } }

    func enumeration<E: RawRepresentable>(_ column: String) throws -> E where E.RawValue == String {
        try parsed(column) { E(rawValue: $0) }
    }

    func optionalEnumeration<E: RawRepresentable>(_ column: String) throws -> E? where E.RawValue == String {
        try optional(column) { try enumeration($0) }
    }

    /// A JSON array of identifiers; the common empty list and lists without escapes are read without a decoder.
    func identifiers(_ column: String) throws -> [String] {
        let bytes = try text(column)
        if bytes.count == 2, bytes[0] == UInt8(ascii: "["), bytes[1] == UInt8(ascii: "]") { return [] }
        if let ids = Self.plainStringArray(bytes) { return ids }
        return try Self.decodeJSON(String(decoding: bytes, as: UTF8.self), column: column)
    }

    /// A contract's options: the forms the store writes are read directly, anything else as a request body would be.
    func contractOptions(_ column: String) throws -> [ContractOption] {
        let text = try string(column)
        if text == "[]" { return [] }
        return try Self.storedOptions(text) ?? Self.readList(text, column: column, of: ContractOption.self)
    }

    /// A JSON array read through jansson and the request readers; Foundation's decoder costs more to set up
    /// than these short arrays take to read.
    private static func readList<T: JSONReadable>(_ text: String, column: String, of type: T.Type) throws -> [T] {
        let errors = InputErrors()
        guard let value = try? StrictJSONParser.parse(text.utf8) else { throw StoredValueError(column: column, text: text) }
        let values = [T].read(value, at: .root, errors: errors)
        guard errors.isEmpty else { throw StoredValueError(column: column, text: text) }
        return values
    }

    /// `[{"exercised":true,"months":12},…]`, exactly as the store writes option lists; nil for anything else.
    static func storedOptions(_ text: String) -> [ContractOption]? {
        var utf8 = Substring(text).utf8[...]
        func take(_ literal: StaticString) -> Bool {
            let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
            guard utf8.starts(with: expected) else { return false }
            utf8 = utf8.dropFirst(expected.count)
            return true
        }
        guard take("[") else { return nil }
        var options: [ContractOption] = []
        repeat {
            guard take(#"{"exercised":"#) else { return nil }
            let exercised: Bool
            if take("true") { exercised = true } else if take("false") { exercised = false } else { return nil }
            guard take(#","months":"#) else { return nil }
            let digits = utf8.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            guard (1...3).contains(digits.count), digits.first != UInt8(ascii: "0") else { return nil }
            let months = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard ContractOption.monthRange.contains(months) else { return nil }
            utf8 = utf8.dropFirst(digits.count)
            guard take("}") else { return nil }
            options.append(ContractOption(months: months, exercised: exercised))
        } while take(",")
        return take("]") && utf8.isEmpty ? options : nil
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
        var text = text
        return text.withUTF8 { plainStringArray($0) }
    }

    /// The same, straight from a column's bytes.
    static func plainStringArray(_ utf8: UnsafeBufferPointer<UInt8>) -> [String]? {
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
            result.append(String(decoding: UnsafeBufferPointer(rebasing: utf8[(index + 1)..<end]), as: UTF8.self))
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
        var records: [Resource<F>] = []
        try eachRow(statement, arguments: arguments) { columns in
            records.append(Resource(meta: try ResourceMeta(columns, cityOwned: F.isCityOwned), fields: try read(columns)))
        }
        return records
    }

    /// Runs a read-only statement through SQLite's C API, giving `body` each row; setting up GRDB's row cursor
    /// cost more than reading a contract's columns.
    func eachRow(_ statement: Statement, arguments: StatementArguments? = nil, _ body: (StatementColumns) throws -> Void) throws {
        precondition(statement.isReadonly, "eachRow reads; writes go through the write path")
        // Without arguments, the ones already bound (by a prepared request) stay: a reset keeps bindings.
        if let arguments { try statement.setArguments(arguments) } else { sqlite3_reset(statement.sqliteStatement) }
        // Reset at the end, also after an error, so that the statement lets go of its read lock at once.
        defer { sqlite3_reset(statement.sqliteStatement) }
        let columns = StatementColumns(statement)
        while true {
            switch sqlite3_step(statement.sqliteStatement) {
            case SQLITE_ROW:
                columns.startRow()
                try body(columns)
            case SQLITE_DONE:
                return
            case let code:
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqliteConnection)), sql: statement.sql)
            }
        }
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
            initialEndDate: try row.date("initialEndDate"), options: try row.contractOptions("options"),
            renewal: try row.enumeration("renewal"), renewalPeriodMonths: try row.optionalInt("renewalPeriodMonths"),
            noticePeriodMonths: try row.int("noticePeriodMonths"), managedBy: try row.enumeration("managedBy"),
            sector: try row.optionalEnumeration("sector"), serviceIds: try row.identifiers("serviceIds"),
            terminatedOn: try row.optionalDate("terminatedOn"),
            serviceCreditCapPercent: try row.optionalInt64("serviceCreditCapPercent").map(ExactDecimal.init(thousandths:)),
            capabilityIds: try row.identifiers("capabilityIds"), processIds: try row.identifiers("processIds"))
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
                       contact: try row.optionalJSON("contact"), ownerCityId: try row.optionalString("ownerCityId"))
    }
}
