/// Finnish business ID (Y-tunnus): seven digits, a hyphen and a check digit.
public enum BusinessID {
    public enum Problem: Error, Equatable, Sendable {
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

    /// The stored form of a business ID as sent: a legacy six-digit ID (`123456-7`, from before the register
    /// padded them) gains its leading zero, and the check digit is verified on the padded form.
    public static func normalized(_ text: String) -> Result<String, Problem> {
        let padded = text.utf8.count == 8 && text.utf8.dropFirst(6).first == UInt8(ascii: "-") ? "0" + text : text
        if let problem = problem(in: padded) { return .failure(problem) }
        return .success(padded)
    }

    /// The form in which a business ID as sent (in a reference column, a file's key) matches a stored one: its
    /// normalised form when it is valid, so that a legacy `112038-9` finds the `0112038-9` stored for it; otherwise
    /// the text as sent, which matches nothing stored.
    public static func matchingKey(_ text: String) -> String {
        (try? normalized(text).get()) ?? text
    }

    public static func explain(_ problem: Problem) -> String {
        switch problem {
        case .format: "must be a business ID (Y-tunnus) of the form 1234567-8 (or a legacy 123456-7)"
        case .remainderOne: "is not a valid business ID: its digits leave remainder 1, which no Y-tunnus may"
        case .checkDigit(let expected): "has a wrong check digit (expected \(expected))"
        }
    }
}

/// An EU VAT identification number: the member state's prefix (`EL` for Greece, `XI` for Northern Ireland) and the
/// national number in that state's format, as VIES checks it. Finnish suppliers are identified by their business ID;
/// an `FI` number is that ID's eight digits.
public enum VATNumber {
    public enum Problem: Equatable, Sendable {
        /// Not two letters of an EU member state (or `XI`) in front.
        case prefix
        /// The national part is not in the member state's format.
        case format(country: String)
        /// The national part's check key does not match the rest (France: the two digits before the SIREN).
        case checkKey(country: String, expected: String)
    }

    /// Per prefix, the national formats: each symbol stands for one character (`9` a digit, `a` a letter, `x` a digit or
    /// letter; `f`, `w`, `i`, `s` the French and Irish classes below), a capital or other digit for itself; `?` makes
    /// the rest of the pattern optional.
    static let formats: [String: [String]] = [
        "AT": ["U99999999"], "BE": ["0999999999", "1999999999"], "BG": ["999999999?9"], "CY": ["99999999a"],
        "CZ": ["99999999?9?9"], "DE": ["999999999"], "DK": ["99999999"], "EE": ["999999999"], "EL": ["999999999"],
        "ES": ["x9999999x"], "FI": ["99999999"], "FR": ["ff999999999"], "HR": ["99999999999"], "HU": ["99999999"],
        "IE": ["9999999w?i", "9s99999w"], "IT": ["99999999999"], "LT": ["999999999", "999999999999"], "LU": ["99999999"],
        "LV": ["99999999999"], "MT": ["99999999"], "NL": ["999999999B99"], "PL": ["9999999999"], "PT": ["999999999"],
        "RO": ["99?9?9?9?9?9?9?9?9"], "SE": ["999999999901"], "SI": ["99999999"], "SK": ["9999999999"],
        "XI": ["999999999", "999999999999", "GD999", "HA999"],
    ]

    /// The ISO 3166 country of a prefix: Greece files VAT as `EL`, Northern Ireland as `XI` (of `GB`).
    public static func country(ofPrefix prefix: String) -> String {
        switch prefix {
        case "EL": "GR"
        case "XI": "GB"
        default: prefix
        }
    }

    /// The number as stored: capitals, without the spaces, dots and hyphens people write in it.
    public static func normalized(_ text: String) -> String {
        String(text.uppercased().filter { !" .-".contains($0) })
    }

    public static func problem(in normalized: String) -> Problem? {
        let characters = Array(normalized)
        guard characters.count > 2, characters.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "*") }) else { return .prefix }
        let prefix = String(characters[..<2])
        guard let patterns = formats[prefix] else { return .prefix }
        let national = Array(characters[2...])
        guard patterns.contains(where: { matches(national, pattern: Array($0)) }) else { return .format(country: prefix) }
        if prefix == "FR", let expected = frenchKey(national), String(national[..<2]) != expected {
            return .checkKey(country: prefix, expected: expected)
        }
        return nil
    }

    /// The numeric key a French number must have (`FRkkNNNNNNNNN`, NNNNNNNNN the SIREN): (12 + 3 × (SIREN mod 97))
    /// mod 97, as two digits. Nil when the number's key is not two digits: the older alphanumeric keys are not checked.
    static func frenchKey(_ national: [Character]) -> String? {
        guard national.count == 11, national[..<2].allSatisfy({ $0.isASCII && $0.isNumber }),
              let siren = Int(String(national[2...])) else { return nil }
        let key = (12 + 3 * (siren % 97)) % 97
        return key < 10 ? "0\(key)" : String(key)
    }

    static func matches(_ national: [Character], pattern: [Character]) -> Bool {
        var position = 0
        for (index, symbol) in pattern.enumerated() {
            if symbol == "?" {
                // What follows is optional: the rest matches in full, or nothing is left.
                return position == national.count || matches(Array(national[position...]), pattern: Array(pattern[(index + 1)...]))
            }
            guard position < national.count else { return false }
            let character = national[position]
            let fits = switch symbol {
            case "9": character.isNumber
            case "a": character.isLetter
            case "x": character.isNumber || character.isLetter
            // France's key: digits or letters other than I and O.
            case "f": character.isNumber || (character.isLetter && character != "I" && character != "O")
            // Ireland: a letter A–W; I: an optional second letter A–I or W; S: a letter, + or * (old format).
            case "w": ("A"..."W").contains(character)
            case "i": ("A"..."I").contains(character) || character == "W"
            case "s": character.isLetter || character == "+" || character == "*"
            default: character == symbol
            }
            guard fits else { return false }
            position += 1
        }
        return position == national.count
    }

    public static func explain(_ problem: Problem) -> String {
        switch problem {
        case .prefix: "must be an EU VAT number: an EU member state's prefix (such as SE, DE or EL) and the national number"
        case .format(let country): "is not in the format of a \(country) VAT number"
        case .checkKey(let country, let expected): "is not a valid \(country) VAT number: its check key does not match the number that follows (expected \(expected))"
        }
    }
}

/// An ISO 3166-1 alpha-2 country code, such as SE or DE.
public enum CountryCode {
    public static func isPlausible(_ text: String) -> Bool {
        text.utf8.count == 2 && text.utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    }
}

/// Statistics Finland municipality code: exactly three digits.
public enum MunicipalityCode {
    public static func isValid(_ text: String) -> Bool {
        text.utf8.count == 3 && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// Why a code cannot name a municipality that exists today, or nil: three digits of Statistics Finland's
    /// classification (`Municipalities`).
    public static func problem(_ text: String) -> String? {
        guard isValid(text) else { return "must be a Statistics Finland municipality code of three digits, such as 091" }
        guard Municipalities.name(of: text) == nil else { return nil }
        return "names no municipality: \(text) is not in Statistics Finland's classification in force from \(Municipalities.classificationFrom) (\(Municipalities.all.count) municipalities, such as 091 Helsinki)"
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
