import CJansson
import SalkkuCore

/// Why a body is not acceptable JSON, with the 1-based line and column where the parser stopped.
public struct JSONSyntaxError: Error, Sendable, Equatable {
    public var line: Int
    public var column: Int
    public var message: String
}

/// Parses request bodies with jansson: duplicate keys, invalid UTF-8, `\u0000`, trailing data and
/// nesting deeper than `maxDepth` are all refused.
public enum StrictJSONParser {
    public static let maxDepth = 32

    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        let buffer = Array(bytes)
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
        return convert(root)
    }

    private static func convert(_ node: UnsafeMutablePointer<json_t>) -> JSONValue {
        switch node.pointee.type {
        case JSON_OBJECT:
            var members: [String: JSONValue] = [:]
            var iterator = json_object_iter(node)
            while let current = iterator {
                let key = String(cString: json_object_iter_key(current))
                if let value = json_object_iter_value(current) { members[key] = convert(value) }
                iterator = json_object_iter_next(node, current)
            }
            return .object(members)
        case JSON_ARRAY:
            return .array((0..<json_array_size(node)).compactMap { json_array_get(node, $0).map(convert) })
        case JSON_STRING:
            let length = json_string_length(node)
            let pointer = UnsafeRawPointer(json_string_value(node)!)
            return .string(String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self))
        case JSON_INTEGER:
            return .integer(Int64(json_integer_value(node)))
        case JSON_REAL:
            return .real(json_real_value(node))
        case JSON_TRUE:
            return .bool(true)
        case JSON_FALSE:
            return .bool(false)
        default:
            return .null
        }
    }

    /// Where brackets first nest deeper than `limit`, outside strings; jansson's own limit is far higher.
    static func firstPositionDeeperThan(_ limit: Int, in bytes: [UInt8]) -> (line: Int, column: Int)? {
        var depth = 0, line = 1, column = 0
        var inString = false, escaped = false
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 0
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            if inString {
                if escaped { escaped = false }
                else if byte == UInt8(ascii: "\\") { escaped = true }
                else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
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
