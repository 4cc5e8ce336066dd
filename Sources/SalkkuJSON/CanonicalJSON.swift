import CJansson

/// Canonical JSON for hashing: jansson's compact output with sorted keys. Values given as JSON text
/// are parsed and re-serialised, so the same content always gives the same bytes.
public enum CanonicalJSON {
    public enum Value {
        case string(String)
        case integer(Int64)
        case null
        /// JSON text, embedded as the value it denotes; nil or unparsable text becomes null.
        case json(String?)
    }

    public static func object(_ members: [(String, Value)]) -> String {
        let object = json_object()!
        defer { json_decref(object) }
        for (key, value) in members {
            let node: UnsafeMutablePointer<json_t>? = switch value {
            case .string(let text): text.withCString { json_stringn($0, text.utf8.count) }
            case .integer(let number): json_integer(json_int_t(number))
            case .null: json_null()
            case .json(let text):
                text.flatMap { text in
                    var error = json_error_t()
                    return text.withCString { json_loadb($0, text.utf8.count, Int(JSON_DECODE_ANY), &error) }
                } ?? json_null()
            }
            json_object_set_new(object, key, node ?? json_null())
        }
        guard let dumped = json_dumps(object, Int(JSON_COMPACT | JSON_SORT_KEYS)) else { return "{}" }
        defer { free(dumped) }
        return String(cString: dumped)
    }
}
