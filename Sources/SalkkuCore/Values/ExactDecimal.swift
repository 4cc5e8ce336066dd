import Foundation

/// A measured or target value with at most three fractional digits, kept as an integer number of
/// thousandths so that comparisons and differences are exact.
public struct ExactDecimal: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, JSONReadable {
    public static let scale = 3
    static let unit: Int64 = 1000
    /// Values up to a trillion either way: far beyond any percentage, duration or score.
    public static let magnitudeLimit: Int64 = 1_000_000_000_000

    public let thousandths: Int64

    public init(thousandths: Int64) { self.thousandths = thousandths }
    public init(_ integer: Int64) { self.thousandths = integer * Self.unit }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool { lhs.thousandths < rhs.thousandths }
    public static func - (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        ExactDecimal(thousandths: lhs.thousandths - rhs.thousandths)
    }
    public var magnitude: ExactDecimal { ExactDecimal(thousandths: abs(thousandths)) }

    /// Why a text is not such a decimal.
    public enum Problem: Error, Equatable { case format, tooManyFractionalDigits, tooLarge }

    /// Parses decimal text such as `99.49`, `-0.5`, `1e-05` or `1.5E+2` (the forms a double prints as).
    public static func parse(_ text: String) -> Result<ExactDecimal, Problem> {
        var bytes = Substring(text).utf8[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var digits: [UInt8] = []
        var fractionalDigits = 0
        var seenPoint = false, seenDigit = false
        var exponent = 0
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                digits.append(byte - UInt8(ascii: "0"))
                if seenPoint { fractionalDigits += 1 }
                seenDigit = true
            } else if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                guard let value = Int(String(decoding: bytes[bytes.index(after: index)...], as: UTF8.self)),
                      abs(value) < 400 else { return .failure(.format) }
                exponent = value
                break
            } else {
                return .failure(.format)
            }
            index = bytes.index(after: index)
        }
        guard seenDigit else { return .failure(.format) }
        // The value is digits × 10^(exponent − fractionalDigits); drop trailing zeros before judging the scale.
        var power = exponent - fractionalDigits
        while power < 0, let last = digits.last, last == 0, digits.count > 1 {
            digits.removeLast()
            power += 1
        }
        if digits.allSatisfy({ $0 == 0 }) { return .success(ExactDecimal(thousandths: 0)) }
        guard power >= -scale else { return .failure(.tooManyFractionalDigits) }
        var value: Int64 = 0
        for digit in digits + Array(repeating: 0, count: power + scale) {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2, sum <= magnitudeLimit * unit else { return .failure(.tooLarge) }
            value = sum
        }
        return .success(ExactDecimal(thousandths: negative ? -value : value))
    }

    public init?(_ text: String) {
        guard case .success(let value) = Self.parse(text) else { return nil }
        self = value
    }

    public var description: String {
        // The magnitude as unsigned: the most negative value has no positive counterpart.
        let whole = thousandths.magnitude / UInt64(Self.unit)
        var fraction = String(thousandths.magnitude % UInt64(Self.unit))
        fraction = String(repeating: "0", count: Self.scale - fraction.count) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        return (thousandths < 0 ? "-" : "") + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// A JSON number, rendered from the exact digits (Foundation's Decimal encodes without binary noise).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Decimal(string: description)!)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let number = try container.decode(Decimal.self)
        guard let value = ExactDecimal(number.description) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a decimal with 3 fractional digits")
        }
        self = value
    }

    /// Accepts a JSON number. jansson hands reals over as doubles; the shortest text that reads back
    /// as the same double is what the client wrote (up to 15 significant digits), so that text is judged.
    public static func read(_ value: JSONValue, at pointer: JSONPointer, errors: InputErrors) -> ExactDecimal? {
        read(value, at: pointer, errors: errors, in: nil)
    }

    /// As `read`, for a member that holds only the values of `range`: a value outside it, however far (`1e308`), is
    /// refused with the range's own rule rather than the general magnitude limit.
    public static func read(_ value: JSONValue, at pointer: JSONPointer, errors: InputErrors, in range: DecimalRange?) -> ExactDecimal? {
        let text: String
        switch value {
        case .integer(let integer): text = String(integer)
        case .real(let real) where real.isFinite: text = "\(real)"
        default:
            errors.add(pointer, "must be a number, not \(value.typeName)")
            return nil
        }
        switch parse(text) {
        case .success(let decimal):
            if let range, !range.contains(decimal) {
                errors.add(pointer, range.rule)
                return nil
            }
            return decimal
        case .failure(.tooLarge) where range != nil:
            errors.add(pointer, range!.rule)
        case .failure(.tooManyFractionalDigits):
            errors.add(pointer, "must have at most \(scale) fractional digits")
        case .failure:
            errors.add(pointer, "must be a number between -\(magnitudeLimit) and \(magnitudeLimit)")
        }
        return nil
    }
}

/// The values a decimal member may hold, and the rule a refusal states: the same words for a value just outside
/// (`100.5`) and one beyond any limit (`1e308`).
public struct DecimalRange: Sendable {
    public let lowerBound: ExactDecimal
    /// Whether the lower bound itself is refused (a share of ownership is more than nothing).
    public let excludesLowerBound: Bool
    public let upperBound: ExactDecimal
    public let rule: String

    public init(lowerBound: ExactDecimal, excludesLowerBound: Bool = false, upperBound: ExactDecimal, rule: String) {
        self.lowerBound = lowerBound
        self.excludesLowerBound = excludesLowerBound
        self.upperBound = upperBound
        self.rule = rule
    }

    public func contains(_ value: ExactDecimal) -> Bool {
        (excludesLowerBound ? value > lowerBound : value >= lowerBound) && value <= upperBound
    }

    /// A percentage of something: 0 to 100.
    public static let percent = DecimalRange(lowerBound: ExactDecimal(0), upperBound: ExactDecimal(100), rule: "must be between 0 and 100")
    /// A share of a supplier's ownership: more than 0 (an owner with no share is no owner), at most 100.
    public static let sharePercent = DecimalRange(lowerBound: ExactDecimal(0), excludesLowerBound: true, upperBound: ExactDecimal(100),
                                                  rule: "must be greater than 0 and at most 100, with at most 3 fractional digits")
}
