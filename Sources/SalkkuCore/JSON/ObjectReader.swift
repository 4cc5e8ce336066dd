/// Collects the errors of one request body while it is read, so that all of them are reported at once.
public final class InputErrors {
    public private(set) var list: [FieldError] = []
    public init() {}
    public func add(_ pointer: JSONPointer, _ detail: String) {
        list.append(FieldError(pointer: pointer.description, detail))
    }
    public var isEmpty: Bool { list.isEmpty }
    public func throwIfAny() throws(ValidationFailure) {
        if !list.isEmpty { throw ValidationFailure(list) }
    }
}

/// A value that can be read from a JSON request body, reporting why it cannot.
public protocol JSONReadable {
    static func read(_ value: JSONValue, at pointer: JSONPointer, errors: InputErrors) -> Self?
}

/// A kebab-case string enumeration as the API spells it.
public protocol APIEnum: JSONReadable, RawRepresentable<String>, CaseIterable, Codable, Sendable, Hashable {}

extension APIEnum {
    public static var allowedValues: String { allCases.map(\.rawValue).joined(separator: ", ") }

    public static func read(_ value: JSONValue, at pointer: JSONPointer, errors: InputErrors) -> Self? {
        guard case .string(let text) = value, let result = Self(rawValue: text) else {
            errors.add(pointer, "must be one of: \(allowedValues)")
            return nil
        }
        return result
    }
}

/// Reads the members of one JSON object strictly: every member must be known and writable.
public struct ObjectReader {
    private let members: [String: JSONValue]
    public let pointer: JSONPointer
    public let errors: InputErrors
    private var known: Set<String> = []

    /// Nil, with an error recorded, when the value is not an object.
    public init?(_ value: JSONValue, at pointer: JSONPointer = .root, errors: InputErrors) {
        guard case .object(let members) = value else {
            errors.add(pointer, "must be a JSON object, not \(value.typeName)")
            return nil
        }
        self.members = members
        self.pointer = pointer
        self.errors = errors
    }

    public func has(_ key: String) -> Bool {
        if let value = members[key], value != .null { return true }
        return false
    }

    /// The member's raw value when present and not null; records "is required" when asked for and absent.
    public mutating func member(_ key: String, required: Bool) -> JSONValue? {
        known.insert(key)
        switch members[key] {
        case nil:
            if required { errors.add(pointer.appending(key), "is required") }
            return nil
        case .null?:
            if required { errors.add(pointer.appending(key), "must not be null") }
            return nil
        case let value?:
            return value
        }
    }

    public mutating func read<T: JSONReadable>(_ key: String, required: Bool = false, as type: T.Type = T.self) -> T? {
        guard let value = member(key, required: required) else { return nil }
        return T.read(value, at: pointer.appending(key), errors: errors)
    }

    public mutating func text(_ key: String, required: Bool = false, maxLength: Int = 500) -> String? {
        guard let value = member(key, required: required) else { return nil }
        let at = pointer.appending(key)
        guard case .string(let text) = value else {
            errors.add(at, "must be a string, not \(value.typeName)")
            return nil
        }
        if required && text.allSatisfy(\.isWhitespace) {
            errors.add(at, "must not be blank")
            return nil
        }
        if text.count > maxLength {
            errors.add(at, "must be at most \(maxLength) characters")
            return nil
        }
        return text
    }

    public mutating func integer(_ key: String, required: Bool = false, in range: ClosedRange<Int64> = 0...Int64.max) -> Int64? {
        guard let value = member(key, required: required) else { return nil }
        let at = pointer.appending(key)
        guard case .integer(let number) = value else {
            errors.add(at, "must be an integer, not \(value.typeName)")
            return nil
        }
        guard range.contains(number) else {
            if range.upperBound == Int64.max {
                errors.add(at, "must be at least \(range.lowerBound)")
            } else {
                errors.add(at, "must be between \(range.lowerBound) and \(range.upperBound)")
            }
            return nil
        }
        return number
    }

    public mutating func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let value = member(key, required: required) else { return nil }
        guard case .bool(let flag) = value else {
            errors.add(pointer.appending(key), "must be true or false, not \(value.typeName)")
            return nil
        }
        return flag
    }

    /// Reports members that are read-only (named as such) or unknown; call after reading every writable member.
    public func finish(readOnly: Set<String> = []) {
        for key in members.keys.sorted() where !known.contains(key) {
            if readOnly.contains(key) {
                errors.add(pointer.appending(key), "is read-only")
            } else {
                errors.add(pointer.appending(key), "is not a known field")
            }
        }
    }
}
