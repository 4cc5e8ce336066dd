import Foundation
/// Collects the errors of one request body while it is read, so that all of them are reported at once.
public final class InputErrors {
    /// The first `ValidationFailure.reportedLimit` errors; the rest are only counted, so that a body built to
    /// fail everywhere cannot make the answer, or the memory holding it, grow with it.
    public private(set) var list: [FieldError] = []
    public private(set) var total = 0
    /// When set, a fact dated after it is refused as it is read, beside every other error of the body (a check
    /// after reading would name it only once everything else was right).
    public var today: LocalDate?
    public init(today: LocalDate? = nil) { self.today = today }
    public func add(_ pointer: JSONPointer, _ detail: String) {
        total += 1
        if list.count < ValidationFailure.reportedLimit { list.append(FieldError(pointer: pointer.description, detail)) }
    }
    /// An error about a query or path parameter, named as one, among the body's errors.
    public func add(parameter: String, _ detail: String) {
        total += 1
        if list.count < ValidationFailure.reportedLimit { list.append(FieldError(parameter: parameter, detail)) }
    }
    public var isEmpty: Bool { total == 0 }
    public var failure: ValidationFailure { ValidationFailure(list, total: total) }
    public func throwIfAny() throws(ValidationFailure) {
        if !isEmpty { throw failure }
    }
}

/// How texts from requests are cleaned and judged, wherever a body carries one.
public enum TextRules {
    /// Texts that may be this long or longer (descriptions, notes, evidence) may span lines.
    public static let multiLineLength = 1000

    public struct Refusal: Error, Sendable {
        public let detail: String
    }

    /// NFC without surrounding white space; a refused character names itself.
    public static func cleaned(_ sent: String, singleLine: Bool) -> Result<String, Refusal> {
        let normalized = sent.precomposedStringWithCanonicalMapping
        // Foundation's NFC on Linux drops marks from a long run of combining marks some of which change form
        // (U+0340, U+0344…): the stored text would lose what was sent (found by the fourth attack). Swift's `==`
        // compares by canonical equivalence of its own, so a normal form that is not the text sent is refused.
        guard normalized == sent else {
            return .failure(Refusal(detail: "holds a run of combining marks too long to normalise (Unicode NFC) without loss; shorten it"))
        }
        let text = normalized.trimmingCharacters(in: .whitespacesAndNewlines)
        if let bad = text.unicodeScalars.first(where: { isRefused($0, singleLine: singleLine) }) {
            let code = "U+" + String(bad.value, radix: 16, uppercase: true)
            return .failure(Refusal(detail: singleLine
                ? "must be one line without control, invisible or bidirectional-override characters (\(code))"
                : "must not contain control or bidirectional-override characters (\(code))"))
        }
        return .success(text)
    }

    /// What an id cannot hold: white space, or what a single-line text refuses.
    static func isNotInAnId(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || isRefused(scalar, singleLine: true)
    }

    static func isRefused(_ scalar: Unicode.Scalar, singleLine: Bool) -> Bool {
        switch scalar.value {
        case 0x202A...0x202E, 0x2066...0x2069: return true
        case 0x09, 0x0A, 0x0D: return singleLine
        default:
            let category = scalar.properties.generalCategory
            return category == .control || (singleLine && (category == .format || category == .lineSeparator || category == .paragraphSeparator))
        }
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

    /// Text as stored: Unicode NFC without surrounding white space, so that two spellings of one name (a
    /// precomposed `ä` and `a` with a combining diaeresis, a trailing space) are one value, and unique keys compare
    /// as people read them. Control characters, and the bidirectional overrides that make text display other
    /// than it reads, are refused; short texts (names, titles, identifiers) are single-line and without invisible
    /// format characters such as a zero-width space.
    public mutating func text(_ key: String, required: Bool = false, maxLength: Int = 500) -> String? {
        guard let value = member(key, required: required) else { return nil }
        let at = pointer.appending(key)
        guard case .string(let sent) = value else {
            errors.add(at, "must be a string, not \(value.typeName)")
            return nil
        }
        let text: String
        switch TextRules.cleaned(sent, singleLine: maxLength < TextRules.multiLineLength) {
        case .success(let cleaned): text = cleaned
        case .failure(let refusal):
            errors.add(at, refusal.detail)
            return nil
        }
        if required && text.allSatisfy(\.isWhitespace) {
            errors.add(at, "must not be blank")
            return nil
        }
        // Counted in Unicode code points of the stored (NFC) form, as JSON Schema's maxLength counts: by grapheme
        // clusters, a letter with 200 000 combining marks was one character (found by the third attack).
        if text.unicodeScalars.count > maxLength {
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

    /// A decimal member that holds only the values of `range`, refused with the range's rule otherwise.
    public mutating func decimal(_ key: String, required: Bool = false, in range: DecimalRange) -> ExactDecimal? {
        guard let value = member(key, required: required) else { return nil }
        return ExactDecimal.read(value, at: pointer.appending(key), errors: errors, in: range)
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

extension ObjectReader {
    /// A date member; `LocalDate.read` keeps it in the supported span, so month arithmetic never leaves the calendar.
    mutating func date(_ key: String, required: Bool = false) -> LocalDate? {
        read(key, required: required, as: LocalDate.self)
    }

    /// A date on which something is said to have happened: not after `errors.today`, when that is known.
    mutating func factDate(_ key: String, required: Bool = false, notBefore earliest: (date: LocalDate, reason: String)? = nil) -> LocalDate? {
        let date = date(key, required: required)
        if let date, let today = errors.today, date > today { errors.add(pointer.appending(key), FactDate.futureDetail(today: today)) }
        if let date, let earliest, date < earliest.date {
            errors.add(pointer.appending(key), "must be on or after \(earliest.date): \(earliest.reason)")
        }
        return date
    }

    /// A list of up to `maxCount` distinct identifiers.
    mutating func idList(_ key: String, maxCount: Int = 500) -> [String] {
        guard let value = member(key, required: false) else { return [] }
        let at = pointer.appending(key)
        guard case .array(let items) = value else {
            errors.add(at, "must be an array of ids, not \(value.typeName)")
            return []
        }
        // Items past the limit are not read: a list built to be long costs no more than the limit.
        if items.count > maxCount { errors.add(at, "must have at most \(maxCount) ids, not \(items.count)") }
        var ids: [String] = []
        var seen: Set<String> = []
        for (index, item) in items.prefix(maxCount).enumerated() {
            // An id is one word of printable characters: anything else names no record, and is not echoed back.
            guard case .string(let id) = item, !id.isEmpty, id.unicodeScalars.count <= 64, !id.unicodeScalars.contains(where: TextRules.isNotInAnId) else {
                errors.add(at.appending(index), "must be an id string: 1 to 64 printable characters without spaces")
                continue
            }
            if seen.insert(id).inserted { ids.append(id) } else { errors.add(at.appending(index), "repeats \(id)") }
        }
        return ids
    }

    /// Ids that must name entries of a reference catalogue.
    mutating func catalogueIds(_ key: String, in catalogue: Set<String>, what: String) -> [String] {
        let ids = idList(key, maxCount: 100)
        for (index, id) in ids.enumerated() where !catalogue.contains(id) {
            errors.add(pointer.appending(key).appending(index), "is not \(what) of the catalogue")
        }
        return ids
    }

    /// `capabilityIds` and `processIds`: where a record sits in the capability model and the process catalogue.
    mutating func governanceMapping() -> (capabilityIds: [String], processIds: [String]) {
        (catalogueIds("capabilityIds", in: GovernanceCatalogue.capabilityIds, what: "a capability"),
         catalogueIds("processIds", in: GovernanceCatalogue.processIds, what: "a process"))
    }

    mutating func list<T: JSONReadable>(_ key: String, of type: T.Type, maxCount: Int) -> [T] {
        guard let value = member(key, required: false) else { return [] }
        return [T].read(value, at: pointer.appending(key), errors: errors, maxCount: maxCount)
    }

    /// Euro cents, up to ten billion euros (`Money.maxCents`): more than any city owes in one amount.
    mutating func cents(_ key: String, required: Bool = false) -> Int64? {
        integer(key, required: required, in: 0...Money.maxCents)
    }
}

extension Array where Element: JSONReadable {
    /// The items of a JSON array, each read at its index; an error for anything else, or for more than `maxCount` items.
    public static func read(_ value: JSONValue, at pointer: JSONPointer, errors: InputErrors, maxCount: Int = .max) -> [Element] {
        guard case .array(let items) = value else {
            errors.add(pointer, "must be an array, not \(value.typeName)")
            return []
        }
        if items.count > maxCount { errors.add(pointer, "must have at most \(maxCount) items, not \(items.count)") }
        return items.enumerated().compactMap { Element.read($1, at: pointer.appending($0), errors: errors) }
    }
}
