import Foundation
import GRDB
import GRDBSQLite
import SalkkuCore
import SalkkuJSON

// Every stored record is read by one decoder over SQLite's columns (`RowDecoder`), derived from its fields'
// `Decodable` conformance: a field added to a `…Fields` type is read without another edit. It reads the
// statement's columns straight through SQLite's C API; GRDB's Codable decoding resolved every column through
// dynamic casts and decoded JSON columns with a new Foundation decoder each, a third of a contract page.

/// The current row of a prepared statement, read by column name straight through SQLite's C API.
public final class StatementColumns {
    private let statement: SQLiteStatement
    private let names: [String]
    private let indexes: [String: Int32]
    /// A row reader asks for the same columns in the same order on every row, so the columns it asked for on
    /// the first row are tried first; hashing every column name on every row was a tenth of a page. A column
    /// the statement lacks is learned too (as -1), so an optional member without a column costs no lookup.
    /// Unchecked, like the JSON writer's bytes: read for every column of every row, by one thread at a time.
    @exclusivity(unchecked) private var learnedNames: [String] = []
    @exclusivity(unchecked) private var learnedIndexes: [Int32] = []
    @exclusivity(unchecked) private var position = 0

    init(_ statement: Statement) {
        self.statement = statement.sqliteStatement
        names = statement.columnNames
        indexes = Dictionary(names.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
    }

    /// The columns asked for on the last row, in order (tests check that a hand-written reader asks for all).
    var columnsAskedFor: ArraySlice<String> { learnedNames.prefix(position) }

    /// Call before reading each row.
    func startRow() { position = 0 }

    /// The column's index, or nil when the statement has no such column.
    func lookUp(_ column: String) -> Int32? {
        defer { position += 1 }
        if position < learnedNames.count, learnedNames[position] == column {
            let index = learnedIndexes[position]
            return index < 0 ? nil : index
        }
        let index = indexes[column]
        if position < learnedNames.count {
            learnedNames[position] = column
            learnedIndexes[position] = index ?? -1
        } else {
            learnedNames.append(column)
            learnedIndexes.append(index ?? -1)
        }
        return index
    }

    private func index(_ column: String) throws -> Int32 {
        guard let index = lookUp(column) else { throw StoredValueError(column: column, text: "(no such column)") }
        return index
    }

    func isNull(at index: Int32) -> Bool { sqlite3_column_type(statement, index) == SQLITE_NULL }

    /// The column's UTF-8 bytes, valid until the statement moves on.
    func text(at index: Int32, _ column: String) throws -> UnsafeBufferPointer<UInt8> {
        // sqlite3_column_bytes after sqlite3_column_text, as SQLite asks, so the count is of the text.
        guard sqlite3_column_type(statement, index) == SQLITE_TEXT, let text = sqlite3_column_text(statement, index) else {
            throw StoredValueError(column: column, text: "(not text)")
        }
        return UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, index)))
    }

    func string(at index: Int32, _ column: String) throws -> String {
        String(decoding: try text(at: index, column), as: UTF8.self)
    }

    func int64(at index: Int32, _ column: String) throws -> Int64 {
        guard sqlite3_column_type(statement, index) == SQLITE_INTEGER else { throw StoredValueError(column: column, text: "(not an integer)") }
        return sqlite3_column_int64(statement, index)
    }

    func double(at index: Int32, _ column: String) throws -> Double {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER, SQLITE_FLOAT: return sqlite3_column_double(statement, index)
        default: throw StoredValueError(column: column, text: "(not a number)")
        }
    }

    /// The column as GRDB sees it, for the value types that convert themselves.
    func databaseValue(at index: Int32) -> DatabaseValue { DatabaseValue(sqliteStatement: statement, index: index) }

    /// A value parsed straight from the column's bytes, without a string in between.
    func parsed<T>(at index: Int32, _ column: String, _ parse: (UnsafeBufferPointer<UInt8>) -> T?) throws -> T {
        let bytes = try text(at: index, column)
        guard let value = parse(bytes) else { throw StoredValueError(column: column, text: String(decoding: bytes, as: UTF8.self)) }
        return value
    }

    func date(at index: Int32, _ column: String) throws -> LocalDate { try parsed(at: index, column) { LocalDate(utf8: $0) } }

    func timestamp(at index: Int32, _ column: String) throws -> Timestamp { try parsed(at: index, column) { Timestamp(rfc3339UTF8: $0) } }

    /// A JSON array of strings; the common empty list and lists without escapes are read without a parser.
    func strings(at index: Int32, _ column: String) throws -> [String] {
        let bytes = try text(at: index, column)
        if bytes.count == 2, bytes[0] == UInt8(ascii: "["), bytes[1] == UInt8(ascii: "]") { return [] }
        if let strings = Self.plainStringArray(bytes) { return strings }
        return try json(at: index, column)
    }

    /// A JSON column decoded as `T`.
    func json<T: Decodable>(at index: Int32, _ column: String) throws -> T {
        let bytes = try text(at: index, column)
        do {
            return try JSONValue.decode(T.self, from: bytes)
        } catch {
            throw StoredValueError(column: column, text: String(decoding: bytes, as: UTF8.self))
        }
    }

    // By name, for the queries that read a projection of joined tables column by column.

    func string(_ column: String) throws -> String { try string(at: index(column), column) }
    func int64(_ column: String) throws -> Int64 { try int64(at: index(column), column) }
    func int(_ column: String) throws -> Int { Int(try int64(column)) }
    /// A flag, stored as 0 or 1 as SQLite keeps booleans.
    func bool(_ column: String) throws -> Bool { try int64(column) != 0 }
    func decimal(_ column: String) throws -> ExactDecimal { ExactDecimal(thousandths: try int64(column)) }
    func date(_ column: String) throws -> LocalDate { try date(at: index(column), column) }
    func timestamp(_ column: String) throws -> Timestamp { try timestamp(at: index(column), column) }

    func enumeration<E: RawRepresentable>(_ column: String) throws -> E where E.RawValue == String {
        try parsed(at: index(column), column) { E(rawValue: String(decoding: $0, as: UTF8.self)) }
    }

    func decoded<T: Decodable>(_ column: String) throws -> T { try json(at: index(column), column) }

    func optionalEnumeration<E: RawRepresentable>(_ column: String) throws -> E? where E.RawValue == String {
        try optional(column) { index, column in try parsed(at: index, column) { E(rawValue: String(decoding: $0, as: UTF8.self)) } }
    }

    func identifiers(_ column: String) throws -> [String] { try strings(at: index(column), column) }

    func optionalDecoded<T: Decodable>(_ column: String) throws -> T? { try optional(column) { try json(at: $0, $1) } }

    func contractOptions(_ column: String) throws -> [ContractOption] {
        let index = try index(column)
        let text = try string(at: index, column)
        if text == "[]" { return [] }
        return try Self.storedOptions(text) ?? json(at: index, column)
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

    /// Nil for SQL NULL, else what `read` makes of the column.
    private func optional<T>(_ column: String, _ read: (Int32, String) throws -> T) throws -> T? {
        let index = try index(column)
        return isNull(at: index) ? nil : try read(index, column)
    }

    func optionalString(_ column: String) throws -> String? { try optional(column, string(at:_:)) }
    func optionalInt64(_ column: String) throws -> Int64? { try optional(column, int64(at:_:)) }
    func optionalInt(_ column: String) throws -> Int? { try optionalInt64(column).map { Int($0) } }
    func optionalDate(_ column: String) throws -> LocalDate? { try optional(column, date(at:_:)) }
    func optionalTimestamp(_ column: String) throws -> Timestamp? { try optional(column, timestamp(at:_:)) }

    /// `["a","b"]` with no escapes and no spaces, as the store writes string lists; nil for anything else.
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
            guard utf8[index] == UInt8(ascii: "\""), index + 1 < utf8.count else { return nil }
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
    /// The records a statement selects, read by the fields' own reader where they have one (see `StoredResource.rowReader`).
    func fetchResources<F: StoredResource>(_ type: F.Type, _ statement: Statement, arguments: StatementArguments? = nil) throws -> [Resource<F>] {
        var records: [Resource<F>] = []
        try eachRow(statement, arguments: arguments) { columns in records.append(try Resource<F>(row: columns)) }
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

    package func fetchResources<F: StoredResource>(_ request: QueryInterfaceRequest<Resource<F>>) throws -> [Resource<F>] {
        let prepared = try request.makePreparedRequest(self, forSingleResult: false)
        return try fetchResources(F.self, prepared.statement)
    }

    /// The first record a request selects.
    package func fetchResource<F: StoredResource>(_ request: QueryInterfaceRequest<Resource<F>>) throws -> Resource<F>? {
        try fetchResources(request.limit(1)).first
    }
}

/// A stored value the code cannot read: the file was edited behind the server's back.
struct StoredValueError: Error, CustomStringConvertible {
    let column: String
    let text: String
    var description: String { "column \(column) holds \(text.prefix(100)), which is not a valid value" }
}

// The three tables list pages and by-id reads serve most are read column by column, by readers generated from
// their fields types (`Generated/RowReaders.swift`): the derived decoder costs twice as much per row (1000
// contracts read in 5 ms by these, 10 ms by `RowDecoder`). `RowReadingTests` checks that each reads every
// column of its table, as the derived decoder reads it, on every demo record.

extension Resource where Fields: StoredResource {
    /// The record in a statement's current row, read by the fields' own reader where they have one (see
    /// `StoredResource.rowReader`), else by the decoder derived from their `Decodable` conformance.
    init(row columns: StatementColumns) throws {
        if let read = Fields.rowReader {
            self.init(meta: try ResourceMeta(columns, cityOwned: Fields.isCityOwned), fields: try read(columns))
        } else {
            try self.init(from: RowDecoder(columns: columns))
        }
    }
}

extension ResourceMeta {
    init(_ row: StatementColumns, cityOwned: Bool) throws {
        self.init(id: try row.string("id"), cityId: cityOwned ? try row.optionalString("cityId") : nil,
                  version: try row.int("version"), createdAt: try row.timestamp("createdAt"), updatedAt: try row.timestamp("updatedAt"))
    }
}
