import Foundation
import GRDB
import SalkkuCore
import SalkkuJSON

// A stored record's columns are its fields' coding keys: the one decoder below reads a row into any
// `Decodable`, and the one encoder writes any `Encodable` into a row. Scalars are columns of their own; values
// that convert themselves (`DatabaseValueConvertible`: dates, instants, decimals as thousandths) convert as GRDB
// would convert them; anything with members or elements is a column of compact JSON text, written and read by
// the encoder and parser responses use (no Foundation JSON in the store).

/// Decodes a statement's current row, each coding key naming its column.
struct RowDecoder: Decoder {
    let columns: StatementColumns
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowContainer<Key>(columns: columns))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "a row is read by column name"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: [], debugDescription: "a row is read by column name"))
    }
}

private struct RowContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let columns: StatementColumns
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    /// Not asked by the synthesized conformances, which use `decodeIfPresent`; it costs a lookup of its own.
    func contains(_ key: Key) -> Bool { columns.lookUp(key.stringValue) != nil }

    private func index(_ key: Key) throws -> Int32 {
        guard let index = columns.lookUp(key.stringValue) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: "no column \(key.stringValue)"))
        }
        return index
    }

    /// The column's index when it exists and is not NULL.
    private func present(_ key: Key) -> Int32? {
        guard let index = columns.lookUp(key.stringValue), !columns.isNull(at: index) else { return nil }
        return index
    }

    func decodeNil(forKey key: Key) throws -> Bool { columns.isNull(at: try index(key)) }

    func decode(_ type: String.Type, forKey key: Key) throws -> String { try columns.string(at: index(key), key.stringValue) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try columns.int64(at: index(key), key.stringValue) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { Int(try columns.int64(at: index(key), key.stringValue)) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try columns.int64(at: index(key), key.stringValue) != 0 }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try columns.double(at: index(key), key.stringValue) }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try present(key).map { try columns.string(at: $0, key.stringValue) }
    }

    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
        try present(key).map { try columns.int64(at: $0, key.stringValue) }
    }

    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        try present(key).map { Int(try columns.int64(at: $0, key.stringValue)) }
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        try present(key).map { try columns.int64(at: $0, key.stringValue) != 0 }
    }

    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try present(key).map { try columns.double(at: $0, key.stringValue) }
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try value(T.self, at: try index(key), column: key.stringValue)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try present(key).map { try value(T.self, at: $0, column: key.stringValue) }
    }

    /// The common stored types are compared by metatype, which costs nothing, before the dynamic casts.
    private func value<T: Decodable>(_ type: T.Type, at index: Int32, column: String) throws -> T {
        if type == LocalDate.self { return unsafeBitCast(try columns.date(at: index, column), to: T.self) }
        if type == [String].self { return unsafeBitCast(try columns.strings(at: index, column), to: T.self) }
        if type == ExactDecimal.self {
            return unsafeBitCast(ExactDecimal(thousandths: try columns.int64(at: index, column)), to: T.self)
        }
        if type == Timestamp.self { return unsafeBitCast(try columns.timestamp(at: index, column), to: T.self) }
        if type == JSONValue.self { return unsafeBitCast(try columns.json(at: index, column) as JSONValue, to: T.self) }
        if let convertible = type as? any DatabaseValueConvertible.Type {
            guard let value = convertible.fromDatabaseValue(columns.databaseValue(at: index)) as? T else {
                throw StoredValueError(column: column, text: String(describing: columns.databaseValue(at: index)))
            }
            return value
        }
        do {
            return try T(from: ColumnDecoder(columns: columns, index: index, column: column))
        } catch is DecodingError {
            // A value the type does not recognise (an enumeration's unknown case, a malformed member) is a stored
            // value the code cannot read, named by its column like the others.
            let text = (try? columns.string(at: index, column)) ?? String(describing: columns.databaseValue(at: index))
            throw StoredValueError(column: column, text: text)
        }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try ColumnDecoder(columns: columns, index: try index(key), column: key.stringValue).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ColumnDecoder(columns: columns, index: try index(key), column: key.stringValue).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { RowDecoder(columns: columns) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ColumnDecoder(columns: columns, index: try index(key), column: key.stringValue)
    }
}

/// One column: a scalar (an enumeration's raw value, say), or JSON text for a value with members or elements.
private struct ColumnDecoder: Decoder, SingleValueDecodingContainer {
    let columns: StatementColumns
    let index: Int32
    let column: String
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    private func parsed() throws -> JSONValue {
        let bytes = try columns.text(at: index, column)
        guard let value = try? StrictJSONParser.parse(bytes) else {
            throw StoredValueError(column: column, text: String(decoding: bytes, as: UTF8.self))
        }
        return value
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        try parsed().decoder.container(keyedBy: type)
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        // Most lists are empty; they need no parser.
        let bytes = try columns.text(at: index, column)
        if bytes.count == 2, bytes[0] == UInt8(ascii: "["), bytes[1] == UInt8(ascii: "]") { return try JSONValue.array([]).decoder.unkeyedContainer() }
        return try parsed().decoder.unkeyedContainer()
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { columns.isNull(at: index) }
    func decode(_ type: Bool.Type) throws -> Bool { try columns.int64(at: index, column) != 0 }
    func decode(_ type: String.Type) throws -> String { try columns.string(at: index, column) }
    func decode(_ type: Double.Type) throws -> Double { try columns.double(at: index, column) }
    func decode(_ type: Float.Type) throws -> Float { Float(try columns.double(at: index, column)) }
    func decode(_ type: Int.Type) throws -> Int { Int(try columns.int64(at: index, column)) }
    func decode(_ type: Int64.Type) throws -> Int64 { try columns.int64(at: index, column) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let convertible = type as? any DatabaseValueConvertible.Type,
           let value = convertible.fromDatabaseValue(columns.databaseValue(at: index)) as? T {
            return value
        }
        return try T(from: self)
    }
}

/// Writes a value's members into a row, each coding key naming its column; a member that is nil is written as
/// NULL (an update must clear the column, not leave it).
struct RowEncoder: Encoder {
    final class Columns {
        var values: [(String, (any DatabaseValueConvertible)?)] = []
    }

    let columns: Columns
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(RowWriter<Key>(columns: columns))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        preconditionFailure("a record is written member by member, not as a list")
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        preconditionFailure("a record is written member by member, not as one value")
    }

    /// The column a member's value makes.
    static func columnValue<T: Encodable>(_ value: T) throws -> (any DatabaseValueConvertible)? {
        if let convertible = value as? any DatabaseValueConvertible { return convertible }
        let json = try CompactJSONEncoder.encode(value)
        // Most such members are enumerations: a string without escapes is its own column, no parse needed.
        if json.count >= 2, json.first == UInt8(ascii: "\""), json.last == UInt8(ascii: "\""), !json.contains(UInt8(ascii: "\\")) {
            return String(decoding: json.dropFirst().dropLast(), as: UTF8.self)
        }
        if json.first == UInt8(ascii: "{") || json.first == UInt8(ascii: "[") { return String(decoding: json, as: UTF8.self) }
        switch try StrictJSONParser.parse(json) {
        case .null: return nil
        case .bool(let bool): return bool
        case .integer(let integer): return integer
        case .real(let real): return real
        case .string(let string): return string
        case .array, .object: return String(decoding: json, as: UTF8.self)
        }
    }
}

private struct RowWriter<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let columns: RowEncoder.Columns
    var codingPath: [any CodingKey] { [] }

    private func set(_ key: Key, _ value: (any DatabaseValueConvertible)?) {
        columns.values.append((key.stringValue, value))
    }

    mutating func encodeNil(forKey key: Key) throws { set(key, nil) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { set(key, try RowEncoder.columnValue(value)) }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        set(key, try value.flatMap { try RowEncoder.columnValue($0) })
    }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { set(key, value) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { set(key, value) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { set(key, value) }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { set(key, value) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { set(key, value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        preconditionFailure("a member with members is encoded as a value of its own, into a JSON column")
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        preconditionFailure("a list member is encoded as a value of its own, into a JSON column")
    }

    mutating func superEncoder() -> any Encoder { RowEncoder(columns: columns) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { RowEncoder(columns: columns) }
}
