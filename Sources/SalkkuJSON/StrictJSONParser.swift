import CJansson
import SalkkuCore

/// Why a body is not acceptable JSON, with the 1-based line and column where the parser stopped.
public struct JSONSyntaxError: Error, Sendable, Equatable {
    public var line: Int
    public var column: Int
    public var message: String
}

/// A body with more JSON values than any request needs: refused before it is parsed, because the parsed tree
/// of 16 MiB of `[{},{},…]` takes gigabytes.
public struct JSONTooManyValuesError: Error, Sendable, Equatable {
    public var limit: Int
}

/// Parses request bodies with jansson: duplicate keys, invalid UTF-8, `\u0000`, trailing data,
/// nesting deeper than `maxDepth` and more than `maxValues` values are all refused.
public enum StrictJSONParser {
    public static let maxDepth = 32
    /// A bulk report of 10 000 rows holds about 150 000 values.
    public static let maxValues = 400_000

    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        try parse(Array(bytes), numbers: nil)
    }

    /// A request body: the same, and a number whose digits a double cannot hold (`100.0000000000000001`) is
    /// refused with its pointer instead of being read as a nearby value. Which digits a field accepts is the
    /// field's to decide, on exactly the digits that were sent.
    public static func parseBody(_ bytes: some Collection<UInt8>) throws -> JSONValue {
        let buffer = Array(bytes)
        if valueCountExceeds(maxValues, in: buffer) { throw JSONTooManyValuesError(limit: maxValues) }
        var numbers = NumberTokens(literals: numberLiterals(in: buffer))
        let value = try parse(buffer, numbers: &numbers)
        if !numbers.imprecise.isEmpty {
            throw ValidationFailure(numbers.imprecise.prefix(ValidationFailure.reportedLimit).map {
                FieldError(pointer: $0.description, "has more digits than a number can hold exactly; send at most 15 significant digits")
            }, total: numbers.imprecise.count)
        }
        return value
    }

    /// The number literals of a document in order, and where reading them lost digits.
    struct NumberTokens {
        var literals: [ArraySlice<UInt8>]
        var next = 0
        var imprecise: [JSONPointer] = []

        mutating func check(_ value: Double, at pointer: JSONPointer) {
            defer { next += 1 }
            // jansson walks members in document order; should it ever not, nothing is refused by mistake.
            guard next < literals.count, let literal = Double(String(decoding: literals[next], as: UTF8.self)), literal == value else { return }
            if !NumberLiteral.sameDigits(literals[next], value) { imprecise.append(pointer) }
        }
    }

    private static func parse(_ buffer: [UInt8], numbers: UnsafeMutablePointer<NumberTokens>?) throws(JSONSyntaxError) -> JSONValue {
        if let tooDeep = firstPositionDeeperThan(maxDepth, in: buffer) {
            throw JSONSyntaxError(line: tooDeep.line, column: tooDeep.column,
                                  message: "nesting is deeper than \(maxDepth) levels")
        }
        var error = json_error_t()
        let flags = JSON_REJECT_DUPLICATES | JSON_DECODE_ANY
        let root: UnsafeMutablePointer<json_t>? = buffer.withUnsafeBytes { raw in
            json_loadb(raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count, Int(flags), &error)
        }
        guard let root else {
            let message = withUnsafeBytes(of: error.text) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            throw JSONSyntaxError(line: max(1, Int(error.line)), column: max(1, Int(error.column)), message: message)
        }
        defer { json_decref(root) }
        // Pointers are only needed to name an imprecise number in a body; stored JSON is read without making them.
        return convert(root, at: numbers == nil ? nil : .root, numbers: numbers)
    }

    private static func convert(_ node: UnsafeMutablePointer<json_t>, at pointer: JSONPointer?,
                                numbers: UnsafeMutablePointer<NumberTokens>?) -> JSONValue {
        switch node.pointee.type {
        case JSON_OBJECT:
            var members: [String: JSONValue] = [:]
            var iterator = json_object_iter(node)
            while let current = iterator {
                let key = String(cString: json_object_iter_key(current))
                if let value = json_object_iter_value(current) { members[key] = convert(value, at: pointer?.appending(key), numbers: numbers) }
                iterator = json_object_iter_next(node, current)
            }
            return .object(members)
        case JSON_ARRAY:
            return .array((0..<json_array_size(node)).compactMap { index in
                json_array_get(node, index).map { convert($0, at: pointer?.appending(index), numbers: numbers) }
            })
        case JSON_STRING:
            let length = json_string_length(node)
            let pointer = UnsafeRawPointer(json_string_value(node)!)
            return .string(String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self))
        case JSON_INTEGER:
            numbers?.pointee.next += 1
            return .integer(Int64(json_integer_value(node)))
        case JSON_REAL:
            let value = json_real_value(node)
            if let pointer { numbers?.pointee.check(value, at: pointer) }
            return .real(value)
        case JSON_TRUE:
            return .bool(true)
        case JSON_FALSE:
            return .bool(false)
        default:
            return .null
        }
    }

    /// Whether the document has more than `limit` values, counted as separators and openers outside strings
    /// (each value but the first follows a `,` or opens an array or object, or is the first member of one).
    static func valueCountExceeds(_ limit: Int, in bytes: [UInt8]) -> Bool {
        var count = 1
        var strings = StringTracker()
        for byte in bytes where !strings.isInString(byte) {
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                count += 1
                if count > limit { return true }
            }
        }
        return false
    }

    /// The number literals outside strings, in document order.
    static func numberLiterals(in bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var literals: [ArraySlice<UInt8>] = []
        var strings = StringTracker()
        var start: Int?
        for (index, byte) in bytes.enumerated() {
            let numeric = !strings.isInString(byte) && ((UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E"))
            if numeric {
                if start == nil, byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") { start = index }
            } else {
                if let first = start { literals.append(bytes[first..<index]) }
                start = nil
            }
        }
        if let first = start { literals.append(bytes[first...]) }
        return literals
    }

    /// Where brackets first nest deeper than `limit`, outside strings; jansson's own limit is far higher.
    static func firstPositionDeeperThan(_ limit: Int, in bytes: [UInt8]) -> (line: Int, column: Int)? {
        var depth = 0, line = 1, column = 0
        var strings = StringTracker()
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 0
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            if strings.isInString(byte) { continue }
            switch byte {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return (line, column) }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return nil
    }
}

/// Follows a JSON text byte by byte and tells which bytes belong to a string literal, so that scans for
/// structure and numbers skip what is inside strings.
struct StringTracker {
    private var inString = false, escaped = false

    /// Whether `byte` belongs to a string literal, its quotes included; call it for every byte in order.
    mutating func isInString(_ byte: UInt8) -> Bool {
        if inString {
            if escaped { escaped = false }
            else if byte == UInt8(ascii: "\\") { escaped = true }
            else if byte == UInt8(ascii: "\"") { inString = false }
            return true
        }
        if byte == UInt8(ascii: "\"") {
            inString = true
            return true
        }
        return false
    }
}

/// Decimal digits of number literals, to tell whether a double kept them all.
enum NumberLiteral {
    /// The significant digits and the decimal exponent of a literal: `0.0120e3` is ("12", 2) meaning 0.12 × 10².
    static func canonical(_ text: some Collection<UInt8>) -> (digits: [UInt8], exponent: Int)? {
        var digits: [UInt8] = []
        var pointPosition: Int?
        var exponent = 0
        var iterator = text.makeIterator()
        var integerDigits = 0
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits.append(byte)
                if pointPosition == nil { integerDigits += 1 }
            case UInt8(ascii: "."):
                pointPosition = digits.count
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                var rest: [UInt8] = []
                while let next = iterator.next() { rest.append(next) }
                guard let value = Int(String(decoding: rest, as: UTF8.self)) else { return nil }
                exponent = value
            case UInt8(ascii: "-"), UInt8(ascii: "+"):
                continue
            default:
                return nil
            }
        }
        // value = 0.DIGITS × 10^(integerDigits + exponent), then leading and trailing zeros dropped.
        var scale = integerDigits + exponent
        while let first = digits.first, first == UInt8(ascii: "0") {
            digits.removeFirst()
            scale -= 1
        }
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
        if digits.isEmpty { return ([], 0) }
        return (digits, scale)
    }

    /// Whether the double's shortest decimal form has the literal's digits.
    static func sameDigits(_ literal: some Collection<UInt8>, _ value: Double) -> Bool {
        guard let sent = canonical(literal), let kept = canonical(Array("\(value.magnitude)".utf8)) else { return true }
        return sent.digits == kept.digits && sent.exponent == kept.exponent
    }
}
