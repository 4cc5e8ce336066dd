/// An exact total of integer amounts over stored records (cents, counts). Each stored amount is bounded
/// (`Money.maxCents`), but the number of records a city may store is not, so totals are kept in 128 bits:
/// no data a client can store makes a report overflow. A total is written as a JSON integer; one beyond
/// 64 bits (over 92 quadrillion euros in cents) is written as the nearest JSON number instead.
public struct Total: Sendable, Hashable, Comparable, Codable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    // Two words rather than Int128: Int128 stored in structs that async code carries has crashed on misaligned frames.
    private var high: Int64
    private var low: UInt64

    public init() { (high, low) = (0, 0) }
    public init(_ value: Int64) { (high, low) = (value < 0 ? -1 : 0, UInt64(bitPattern: value)) }
    public init(_ value: Int) { self.init(Int64(value)) }
    public init(integerLiteral value: Int64) { self.init(value) }

    /// The sum of the amounts, absent ones counting as zero.
    public static func of<S: Sequence>(_ amounts: S) -> Total where S.Element == Int64? {
        amounts.reduce(into: Total()) { $0 += $1 ?? 0 }
    }

    public static func of<S: Sequence>(_ amounts: S) -> Total where S.Element == Int64 {
        amounts.reduce(into: Total()) { $0 += $1 }
    }

    public static func += (lhs: inout Total, rhs: Total) {
        let (sum, carry) = lhs.low.addingReportingOverflow(rhs.low)
        lhs.low = sum
        // The high word would need 2^63 records of ten billion euros to wrap.
        lhs.high = lhs.high &+ rhs.high &+ (carry ? 1 : 0)
    }

    public static func += (lhs: inout Total, rhs: Int64) { lhs += Total(rhs) }
    public static func + (lhs: Total, rhs: Total) -> Total {
        var sum = lhs
        sum += rhs
        return sum
    }

    public static func - (lhs: Total, rhs: Total) -> Total { lhs + rhs.negated }

    private var negated: Total {
        let (low, carry) = (~low).addingReportingOverflow(1)
        var result = Total()
        result.low = low
        result.high = ~high &+ (carry ? 1 : 0)
        return result
    }

    /// `amount × count`, exactly (to 127 bits).
    public static func * (lhs: Total, rhs: Int64) -> Total {
        let negative = lhs.high < 0
        let magnitude = negative ? lhs.negated : lhs
        let (carry, low) = magnitude.low.multipliedFullWidth(by: rhs.magnitude)
        var result = Total()
        result.low = low
        result.high = magnitude.high &* Int64(bitPattern: rhs.magnitude) &+ Int64(bitPattern: carry)
        return negative != (rhs < 0) ? result.negated : result
    }

    private init(approximately value: Double) {
        let rounded = value.rounded()
        let high = (rounded / 18_446_744_073_709_551_616.0).rounded(.down)
        guard high.magnitude < 9.2e18 else {
            self.init(value < 0 ? Int64.min : Int64.max)
            return
        }
        self.init()
        self.high = Int64(high)
        self.low = UInt64(max(0, min(rounded - high * 18_446_744_073_709_551_616.0, 18_446_744_073_709_549_568.0)))
    }

    public static func < (lhs: Total, rhs: Total) -> Bool { (lhs.high, lhs.low) < (rhs.high, rhs.low) }

    /// The total as a 64-bit integer when it is one (every real portfolio's), else nil.
    public var int64: Int64? {
        let value = Int64(bitPattern: low)
        return high == (value < 0 ? -1 : 0) ? value : nil
    }

    /// The nearest double, for the totals beyond 64 bits.
    public var double: Double { Double(high) * 18_446_744_073_709_551_616.0 + Double(low) }

    public var description: String { int64.map(String.init) ?? "\(double)" }

    /// ⌈self / divisor⌉ for a non-negative total and a positive divisor, by long division over the two words.
    public func dividedRoundingUp(by divisor: Int64) -> Total {
        precondition(divisor > 0)
        guard high >= 0 else { return Total(approximately: (double / Double(divisor)).rounded(.up)) }
        let d = UInt64(divisor)
        let (highQuotient, highRemainder) = UInt64(high).quotientAndRemainder(dividingBy: d)
        var (lowQuotient, remainder) = d.dividingFullWidth((highRemainder, low))
        var result = Total()
        result.high = Int64(highQuotient)
        if remainder > 0 {
            let (sum, carry) = lowQuotient.addingReportingOverflow(1)
            lowQuotient = sum
            if carry { result.high += 1 }
            remainder = 0
        }
        result.low = lowQuotient
        return result
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let exact = try? container.decode(Int64.self) { self.init(exact) } else { self.init(approximately: try container.decode(Double.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let exact = int64 { try container.encode(exact) } else { try container.encode(double) }
    }
}

/// What a city can plausibly owe or be owed in one amount: ten billion euros. Every money field of a request
/// is bounded by it (cents, `0…Money.maxCents`), so a single amount, and a credit computed from one, stays
/// far inside 64 bits; totals over many records are `Total`s.
public enum Money {
    public static let maxCents: Int64 = 1_000_000_000_000
}
