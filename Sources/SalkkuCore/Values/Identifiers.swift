/// Finnish business ID (Y-tunnus): seven digits, a hyphen and a check digit.
public enum BusinessID {
    public enum Problem: Equatable, Sendable {
        case format
        case remainderOne
        case checkDigit(expected: Int)
    }

    private static let weights = [7, 9, 10, 5, 8, 4, 2]

    /// The check digit for seven digits, or nil when the weighted sum leaves remainder 1 (no valid ID).
    public static func checkDigit(for digits: [Int]) -> Int? {
        precondition(digits.count == 7)
        let remainder = zip(digits, weights).map { $0 * $1 }.reduce(0, +) % 11
        switch remainder {
        case 0: return 0
        case 1: return nil
        default: return 11 - remainder
        }
    }

    public static func problem(in text: String) -> Problem? {
        let bytes = Array(text.utf8)
        guard bytes.count == 9, bytes[7] == UInt8(ascii: "-"),
              bytes.enumerated().allSatisfy({ $0.offset == 7 || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0.element) })
        else { return .format }
        let digits = bytes[0..<7].map { Int($0 - UInt8(ascii: "0")) }
        guard let expected = checkDigit(for: digits) else { return .remainderOne }
        let given = Int(bytes[8] - UInt8(ascii: "0"))
        return given == expected ? nil : .checkDigit(expected: expected)
    }

    public static func explain(_ problem: Problem) -> String {
        switch problem {
        case .format: "must be a business ID (Y-tunnus) of the form 1234567-8"
        case .remainderOne: "is not a valid business ID: its digits leave remainder 1, which no Y-tunnus may"
        case .checkDigit(let expected): "has a wrong check digit (expected \(expected))"
        }
    }
}

/// Statistics Finland municipality code: exactly three digits.
public enum MunicipalityCode {
    public static func isValid(_ text: String) -> Bool {
        text.utf8.count == 3 && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}

/// A plausible e-mail address: one `@`, something on either side, a dot in the domain, no spaces.
public enum EmailAddress {
    public static func isPlausible(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !text.contains(where: \.isWhitespace) else { return false }
        return true
    }
}
