/// SplitMix64: a small deterministic generator, so demo and generated data sets are the same on every run.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension BusinessID {
    /// A valid business ID from seven digits, moving to the next number when the digits allow none.
    public static func make(from base: Int) -> String {
        var number = base % 10_000_000
        while true {
            let text = String(number).leftPaddedWithZeros(to: 7)
            if let check = checkDigit(for: text.map { Int(String($0))! }) { return "\(text)-\(check)" }
            number = (number + 1) % 10_000_000
        }
    }
}

extension String {
    func leftPaddedWithZeros(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
