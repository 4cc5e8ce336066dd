/// Exact ratios rounded the way reports need them.
public enum Rounding {
    /// `numerator / denominator × 100` rounded half-even to two decimals, computed in integers.
    public static func percent(_ numerator: Int64, of denominator: Int64) -> ExactDecimal {
        precondition(denominator > 0)
        let limit = ExactDecimal.magnitudeLimit * 100
        // The quotient fits in 64 bits only when |numerator| × 10 000 / denominator does; beyond, the clamp answers.
        guard numerator.magnitude / denominator.magnitude < UInt64(limit) / 10_000 else {
            return ExactDecimal(thousandths: (numerator < 0 ? -limit : limit) * 10)
        }
        // Hundredths of a percent: numerator × 10 000 / denominator, half-even on the remainder.
        let scaled = numerator.multipliedFullWidth(by: 10_000)
        let (quotient, remainder) = denominator.dividingFullWidth(scaled)
        var hundredths = quotient
        let twice = remainder.magnitude * 2
        if twice > denominator.magnitude || (twice == denominator.magnitude && hundredths % 2 != 0) {
            hundredths += numerator < 0 ? -1 : 1
        }
        return ExactDecimal(thousandths: min(max(hundredths, -limit), limit) * 10)
    }

    /// The same of totals: exact while both fit in 64 bits (every real portfolio), to within rounding beyond.
    public static func percent(_ numerator: Total, of denominator: Total) -> ExactDecimal {
        if let part = numerator.int64, let whole = denominator.int64 { return percent(part, of: whole) }
        let hundredths = (numerator.double / denominator.double * 10_000).rounded(.toNearestOrEven)
        let limit = Double(ExactDecimal.magnitudeLimit * 100)
        return ExactDecimal(thousandths: Int64(min(max(hundredths, -limit), limit)) * 10)
    }
}
