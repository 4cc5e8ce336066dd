import Foundation
import SalkkuCore

/// Compact JSON with sorted keys and unescaped slashes: byte for byte what `JSONEncoder` writes with
/// `[.sortedKeys, .withoutEscapingSlashes]`, without its intermediate tree of boxed values, dynamic casts
/// and dictionaries. Responses are encoded here because Foundation's encoder was the largest cost of a
/// list page. Values are written straight into one buffer; an object's members are written as they
/// come and put in key order when the object is complete.
public enum CompactJSONEncoder {
    /// Debug builds, and so every test and the fuzzing run, also encode with Foundation and compare:
    /// responses and the change log's states both rely on the two being equal.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let writer = JSONStreamWriter()
        if let hint = value as? any JSONSizeHint { writer.bytes.reserveCapacity(hint.expectedJSONBytes) }
        do {
            try writer.encodeValue(value)
            #if DEBUG
            let expected = try foundationEncoding(of: value)
            assert(writer.bytes == expected, "CompactJSONEncoder wrote \(String(decoding: writer.bytes, as: UTF8.self)), Foundation \(String(decoding: expected, as: UTF8.self))")
            #endif
            return writer.bytes
        } catch is UnsupportedByStreamWriter {
            // Nested and super encoders hand out a container to be filled later, which a stream cannot
            // take; no response type uses them, but an answer is still owed if one ever does.
            return try foundationEncoding(of: value)
        }
    }

    /// What a value's own writer writes, without the comparison with Foundation: for the tests that compare.
    public static func writtenByHand(_ value: some JSONWritable) throws -> [UInt8] {
        let writer = JSONStreamWriter()
        try value.writeJSON(to: writer)
        return writer.bytes
    }

    /// Foundation's encoding of a value, which this encoder must equal: it writes the values Foundation
    /// treats specially (floating point, dates, URLs, data), and debug builds compare responses with it.
    public static func foundationEncoding(of value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }
}

struct UnsupportedByStreamWriter: Error {}

/// A value that knows roughly how long its JSON is (a page of records), so the output is not copied each time
/// it doubles.
public protocol JSONSizeHint {
    var expectedJSONBytes: Int { get }
}

/// A value that writes its own JSON, for the few response types hot enough that even a fast `Encoder`
/// shows. Its output must be what its `Encodable` conformance gives; debug builds compare the two on
/// every response.
public protocol JSONWritable: Encodable {
    func writeJSON(to writer: JSONStreamWriter) throws
}

/// The state of one encoding: the output and the containers still open, innermost last.
public final class JSONStreamWriter: Encoder {
    private enum Container {
        case none
        case single
        case array(count: Int)
        /// An object whose members are `members[firstMember...]`.
        case object(start: Int, firstMember: Int)
    }

    /// The members of the open objects, innermost last, as written: `"key":value` between `start` and `end`,
    /// without separators. One flat stack, so that adding a member copies nothing.
    private var members: [(key: String, start: Int, end: Int)] = []
    /// Where an object is put together in key order before it replaces its members in `bytes`.
    private var scratch: [UInt8] = []

    /// Unchecked: every value appends here, and the dynamic exclusivity check on each append of a class's
    /// array was a tenth of writing a page of contracts. One writer is used by one thread, never reentrantly.
    @exclusivity(unchecked) public fileprivate(set) var bytes: [UInt8] = []
    private var open: [Container] = []

    public var codingPath: [any CodingKey] { [] }
    public var userInfo: [CodingUserInfoKey: Any] { [:] }

    init() { bytes.reserveCapacity(4096) }

    /// Writes one complete value: its own containers are opened by its `encode(to:)` and closed here.
    func encodeValue<T: Encodable>(_ value: T) throws {
        if T.self == String.self { return writeString(unsafeBitCast(value, to: String.self)) }
        if T.self == Int.self { return writeInteger(unsafeBitCast(value, to: Int.self)) }
        if T.self == Bool.self { return writeBool(unsafeBitCast(value, to: Bool.self)) }
        if T.self == Decimal.self { return bytes.append(contentsOf: unsafeBitCast(value, to: Decimal.self).description.utf8) }
        // The domain's own scalars, without the string each would make of itself.
        if T.self == LocalDate.self { return writeDateString(unsafeBitCast(value, to: LocalDate.self)) }
        if T.self == Timestamp.self { return writeTimestampString(unsafeBitCast(value, to: Timestamp.self)) }
        if T.self == ExactDecimal.self { return bytes.append(contentsOf: unsafeBitCast(value, to: ExactDecimal.self).description.utf8) }
        if T.self == Int64.self { return writeInteger(unsafeBitCast(value, to: Int64.self)) }
        // Foundation gives these its own treatment; they are rare in responses, so it writes them.
        if T.self == Double.self || T.self == Float.self || T.self == Date.self || T.self == URL.self || T.self == Data.self {
            return bytes.append(contentsOf: try CompactJSONEncoder.foundationEncoding(of: value))
        }
        if let writable = value as? any JSONWritable { return try writable.writeJSON(to: self) }
        open.append(.none)
        try value.encode(to: self)
        close()
    }

    private func close() {
        switch open.removeLast() {
        case .none:
            // A value that asked for no container: Foundation writes an empty object.
            bytes.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])
        case .single:
            break
        case .array:
            bytes.append(UInt8(ascii: "]"))
        case .object(let start, let firstMember):
            closeObject(start: start, firstMember: firstMember)
        }
    }

    private func closeObject(start: Int, firstMember: Int) {
        let order = memberOrder(members[firstMember...])
        scratch.removeAll(keepingCapacity: true)
        scratch.append(UInt8(ascii: "{"))
        for (position, index) in order.enumerated() {
            if position > 0 { scratch.append(UInt8(ascii: ",")) }
            let member = members[firstMember + index]
            scratch.append(contentsOf: bytes[member.start..<member.end])
        }
        scratch.append(UInt8(ascii: "}"))
        bytes.replaceSubrange(start..., with: scratch)
        members.removeSubrange(firstMember...)
    }

    /// The keys of the objects this writer has closed, by their strings' bits, with the order their members go in.
    /// The objects of one type come with the same key strings (the coding keys' literals) in the same order, so a
    /// list of a thousand records sorts its keys once; keys made at run time just miss.
    private var memberOrders: [[UInt64]: [Int]] = [:]
    private var signature: [UInt64] = []

    /// Which members are written, in which order: sorted by key, and a key written twice keeps its last value,
    /// as in Foundation's encoder.
    private func memberOrder(_ members: ArraySlice<(key: String, start: Int, end: Int)>) -> [Int] {
        if members.count < 2 { return Array(0..<members.count) }
        signature.removeAll(keepingCapacity: true)
        for member in members {
            // Equal bits are equal strings; equal strings with other bits (made at run time) only miss the cache.
            let bits = unsafeBitCast(member.key, to: (UInt64, UInt64).self)
            signature.append(bits.0)
            signature.append(bits.1)
        }
        if let order = memberOrders[signature] { return order }
        let members = Array(members)
        let sorted = members.indices.sorted {
            Self.precedes(members[$0].key, members[$1].key) || (members[$0].key == members[$1].key && $0 < $1)
        }
        var order: [Int] = []
        for index in sorted {
            if let last = order.last, members[last].key == members[index].key { order[order.count - 1] = index } else { order.append(index) }
        }
        if memberOrders.count < 256 { memberOrders[signature] = order }
        return order
    }

    /// Foundation orders keys by their UTF-8 bytes.
    private static func precedes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let common = min(x.count, y.count)
                if common > 0, let p = x.baseAddress, let q = y.baseAddress {
                    let order = memcmp(p, q, common)
                    if order != 0 { return order < 0 }
                }
                return x.count < y.count
            }
        }
    }

    // MARK: Containers

    public func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        switch open.last {
        case .object: break
        default: open[open.count - 1] = .object(start: bytes.count, firstMember: members.count)
        }
        return KeyedEncodingContainer(KeyedWriter<Key>(writer: self))
    }

    public func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = open.last {} else {
            open[open.count - 1] = .array(count: 0)
            bytes.append(UInt8(ascii: "["))
        }
        return UnkeyedWriter(writer: self)
    }

    public func singleValueContainer() -> any SingleValueEncodingContainer {
        open[open.count - 1] = .single
        return SingleValueWriter(writer: self)
    }

    // MARK: Members

    /// Writes `"key":` and then the value, and records the member in the innermost object.
    func member(_ key: String, _ write: () throws -> Void) rethrows {
        let start = bytes.count
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
        try write()
        guard case .object = open[open.count - 1] else { return }
        members.append((key, start, bytes.count))
    }

    /// Writes a separator when the innermost array already has elements, then the element.
    func element(_ write: () throws -> Void) rethrows {
        guard case .array(let count) = open[open.count - 1] else { return }
        if count > 0 { bytes.append(UInt8(ascii: ",")) }
        open[open.count - 1] = .array(count: count + 1)
        try write()
    }

    // MARK: Scalars

    public func writeNull() { bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")]) }

    public func writeBool(_ value: Bool) { bytes.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8)) }

    public func writeInteger<I: BinaryInteger>(_ value: I) {
        guard let magnitude = UInt64(exactly: value.magnitude) else { return bytes.append(contentsOf: String(value).utf8) }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        writeDigits(magnitude)
    }

    /// The decimal digits of `value`, formed right to left on the stack.
    private func writeDigits(_ value: UInt64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var rest = value
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    public func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var runStart = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0xF)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    func writeFloatingPoint(_ value: some Encodable) throws {
        bytes.append(contentsOf: try CompactJSONEncoder.foundationEncoding(of: value))
    }

    /// A decimal as Foundation writes it; rare enough in hand-written objects that its cost does not matter.
    public func writeDecimal(_ value: ExactDecimal) {
        bytes.append(contentsOf: (try? CompactJSONEncoder.foundationEncoding(of: value)) ?? Array(value.description.utf8))
    }

    // MARK: Hand-written objects

    /// Writes `{`, the members `body` writes through `key`, and `}`; keys must come in sorted order.
    public func object(_ body: (inout JSONObjectMembers) throws -> Void) rethrows {
        bytes.append(UInt8(ascii: "{"))
        var members = JSONObjectMembers(writer: self)
        try body(&members)
        bytes.append(UInt8(ascii: "}"))
    }

    public func array<C: Collection>(_ elements: C, _ write: (C.Element) throws -> Void) rethrows {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for element in elements {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            try write(element)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Any value, through its `Encodable` conformance: for the members a hand-written object does not write itself.
    public func writeEncodable(_ value: some Encodable) throws { try encodeValue(value) }

    public func writeStrings(_ strings: [String]) { array(strings) { writeString($0) } }

    /// A date as `YYYY-MM-DD`, as `LocalDate` encodes itself.
    public func writeDate(_ date: LocalDate) {
        writePadded(date.year, width: 4)
        bytes.append(UInt8(ascii: "-"))
        writePadded(date.month, width: 2)
        bytes.append(UInt8(ascii: "-"))
        writePadded(date.day, width: 2)
    }

    fileprivate func writePadded(_ value: Int, width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Room for `additional` more bytes, so that a large body is not copied each time the buffer doubles.
    public func reserveCapacity(_ additional: Int) {
        bytes.reserveCapacity(bytes.count + additional)
    }

    fileprivate func appendKey(_ key: StaticString, first: Bool) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }
}

/// The members of one hand-written object.
public struct JSONObjectMembers {
    let writer: JSONStreamWriter
    private var first = true

    init(writer: JSONStreamWriter) { self.writer = writer }

    /// Writes the key; the caller writes the value next. Keys are trusted literals needing no escapes.
    public mutating func key(_ key: StaticString) {
        writer.appendKey(key, first: first)
        first = false
    }
}

extension JSONStreamWriter {
    /// Instants written as `Timestamp` encodes itself: `"YYYY-MM-DDTHH:MM:SS.mmmZ"`.
    public func writeTimestampString(_ instant: Timestamp) {
        let (date, hours, minutes, seconds, milliseconds) = instant.utcParts
        bytes.append(UInt8(ascii: "\""))
        writeDate(date)
        bytes.append(UInt8(ascii: "T"))
        writePadded(hours, width: 2)
        bytes.append(UInt8(ascii: ":"))
        writePadded(minutes, width: 2)
        bytes.append(UInt8(ascii: ":"))
        writePadded(seconds, width: 2)
        bytes.append(UInt8(ascii: "."))
        writePadded(milliseconds, width: 3)
        bytes.append(UInt8(ascii: "Z"))
        bytes.append(UInt8(ascii: "\""))
    }

    /// Dates written as `"YYYY-MM-DD"`.
    public func writeDateString(_ date: LocalDate) {
        bytes.append(UInt8(ascii: "\""))
        writeDate(date)
        bytes.append(UInt8(ascii: "\""))
    }
}

private struct KeyedWriter<Key: CodingKey>: StreamKeyedContainer {
    let writer: JSONStreamWriter
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws { writer.member(key.stringValue) { writer.writeNull() } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { writer.member(key.stringValue) { writer.writeBool(value) } }
    mutating func encode(_ value: String, forKey key: Key) throws { writer.member(key.stringValue) { writer.writeString(value) } }
    mutating func encode(_ value: Double, forKey key: Key) throws { try writer.member(key.stringValue) { try writer.writeFloatingPoint(value) } }
    mutating func encode(_ value: Float, forKey key: Key) throws { try writer.member(key.stringValue) { try writer.writeFloatingPoint(value) } }
    mutating func encode(_ value: Int, forKey key: Key) throws { writer.member(key.stringValue) { writer.writeInteger(value) } }
    mutating func encode(_ value: Int8, forKey key: Key) throws { writer.member(key.stringValue) { writer.writeInteger(value) } }
    mutating func encode(_ value: Int16, forKey key: Key) throws { writer.member(key.stringValue) { writer.writeInteger(value) } }
    mutating func encode(_ value: Int32, forKey key: Key) throws { writer.member(key.stringValue) { writer.writeInteger(value) } }
    mutating func encode(_ value: Int64, forKey key: Key) throws { writer.member(key.stringValue) { writer.writeInteger(value) } }
    mutating func encode(_ value: UInt, forKey key: Key) throws { writer.member(key.stringValue) { writer.writeInteger(value) } }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { writer.member(key.stringValue) { writer.writeInteger(value) } }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { writer.member(key.stringValue) { writer.writeInteger(value) } }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { writer.member(key.stringValue) { writer.writeInteger(value) } }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { writer.member(key.stringValue) { writer.writeInteger(value) } }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try writer.member(key.stringValue) { try writer.encodeValue(value) }
    }

}

private struct UnkeyedWriter: StreamUnkeyedContainer {
    let writer: JSONStreamWriter
    var codingPath: [any CodingKey] { [] }
    private(set) var count = 0

    init(writer: JSONStreamWriter) { self.writer = writer }

    mutating func encodeNil() throws { count += 1; writer.element { writer.writeNull() } }
    mutating func encode(_ value: Bool) throws { count += 1; writer.element { writer.writeBool(value) } }
    mutating func encode(_ value: String) throws { count += 1; writer.element { writer.writeString(value) } }
    mutating func encode(_ value: Int) throws { count += 1; writer.element { writer.writeInteger(value) } }
    mutating func encode(_ value: Int64) throws { count += 1; writer.element { writer.writeInteger(value) } }
    mutating func encode(_ value: Double) throws { count += 1; try writer.element { try writer.writeFloatingPoint(value) } }
    mutating func encode<T: Encodable>(_ value: T) throws { count += 1; try writer.element { try writer.encodeValue(value) } }

}

private struct SingleValueWriter: SingleValueEncodingContainer {
    let writer: JSONStreamWriter
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { writer.writeNull() }
    mutating func encode(_ value: Bool) throws { writer.writeBool(value) }
    mutating func encode(_ value: String) throws { writer.writeString(value) }
    mutating func encode(_ value: Double) throws { try writer.writeFloatingPoint(value) }
    mutating func encode(_ value: Float) throws { try writer.writeFloatingPoint(value) }
    mutating func encode(_ value: Int) throws { writer.writeInteger(value) }
    mutating func encode(_ value: Int8) throws { writer.writeInteger(value) }
    mutating func encode(_ value: Int16) throws { writer.writeInteger(value) }
    mutating func encode(_ value: Int32) throws { writer.writeInteger(value) }
    mutating func encode(_ value: Int64) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { writer.writeInteger(value) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try writer.encodeValue(value)
    }
}

// A stream cannot go back to fill a container handed out earlier: the nested and super encoders of its
// containers fail over to Foundation.
private protocol StreamKeyedContainer: KeyedEncodingContainerProtocol {}

extension StreamKeyedContainer {
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(UnsupportedKeyed<NestedKey>())
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { UnsupportedUnkeyed() }
    mutating func superEncoder() -> any Encoder { UnsupportedEncoder() }
    mutating func superEncoder(forKey key: Key) -> any Encoder { UnsupportedEncoder() }
}

private protocol StreamUnkeyedContainer: UnkeyedEncodingContainer {}

extension StreamUnkeyedContainer {
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(UnsupportedKeyed<NestedKey>())
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { UnsupportedUnkeyed() }
    mutating func superEncoder() -> any Encoder { UnsupportedEncoder() }
}

// Containers handed out where the stream cannot follow: encoding anything into them fails over to Foundation.
private struct UnsupportedKeyed<Key: CodingKey>: StreamKeyedContainer {
    var codingPath: [any CodingKey] { [] }
    mutating func encodeNil(forKey key: Key) throws { throw UnsupportedByStreamWriter() }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { throw UnsupportedByStreamWriter() }
}

private struct UnsupportedUnkeyed: StreamUnkeyedContainer {
    var codingPath: [any CodingKey] { [] }
    var count: Int { 0 }
    mutating func encodeNil() throws { throw UnsupportedByStreamWriter() }
    mutating func encode<T: Encodable>(_ value: T) throws { throw UnsupportedByStreamWriter() }
}

private struct UnsupportedEncoder: Encoder {
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    public func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> { KeyedEncodingContainer(UnsupportedKeyed<Key>()) }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { UnsupportedUnkeyed() }
    func singleValueContainer() -> any SingleValueEncodingContainer { UnsupportedSingle() }
}

private struct UnsupportedSingle: SingleValueEncodingContainer {
    var codingPath: [any CodingKey] { [] }
    mutating func encodeNil() throws { throw UnsupportedByStreamWriter() }
    mutating func encode<T: Encodable>(_ value: T) throws { throw UnsupportedByStreamWriter() }
}
