/// Exact ratios rounded the way reports need them.
public enum Rounding {
    /// `numerator / denominator × 100` rounded half-even to two decimals, computed in integers.
    public static func percent(_ numerator: Int64, of denominator: Int64) -> ExactDecimal {
        precondition(denominator > 0)
        // Hundredths of a percent: numerator × 10 000 / denominator, half-even on the remainder.
        let scaled = numerator.multipliedFullWidth(by: 10_000)
        let (quotient, remainder) = denominator.dividingFullWidth(scaled)
        var hundredths = quotient
        let twice = remainder.magnitude * 2
        if twice > denominator.magnitude || (twice == denominator.magnitude && hundredths % 2 != 0) {
            hundredths += numerator < 0 ? -1 : 1
        }
        // Beyond ExactDecimal's range only for absurd inputs (a cent of budget, billions spent).
        let limit = ExactDecimal.magnitudeLimit * 100
        return ExactDecimal(thousandths: min(max(hundredths, -limit), limit) * 10)
    }
}
