import SalkkuCore

/// What a column of an import or export holds, and so how its cells are written and read.
public enum ColumnKind: Sendable, Equatable {
    case text
    /// `YYYY-MM-DD`; imports also take the Finnish `D.M.YYYY`.
    case date
    /// A count or a decimal; imports take a decimal comma as well as a point.
    case number
    /// Whole cents, in a column named `…Cents`; the same column without `Cents` takes euros.
    case cents
    case boolean
    /// Texts joined by `|`.
    case list
    /// Contract options: lengths in months joined by `+`, an exercised one marked with `*` (`12*+12`).
    case options
    /// A supplier's owners: `owner:share` joined by `|`, the owner a municipality code (`091:51.5`) or a city's id.
    case owners
}

/// Turning cells into JSON values and back; the reasons match what the API says of the same member.
public enum Cells {
    public struct Refusal: Error, Sendable, Equatable {
        public var detail: String
    }

    /// The JSON value of a non-empty cell of a column of `kind`.
    public static func value(_ cell: String, kind: ColumnKind) throws(Refusal) -> JSONValue {
        let trimmed = cell.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .text:
            return .string(cell)
        case .date:
            guard let date = date(trimmed) else { throw Refusal(detail: "must be a date YYYY-MM-DD or D.M.YYYY") }
            return .string(date.description)
        case .number:
            return try number(trimmed)
        case .cents:
            let digits = withoutGrouping(trimmed)
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw Refusal(detail: "must be a whole number of cents (a column without Cents in its name takes euros)")
            }
            guard let cents = Int64(digits) else { throw Refusal(detail: "is out of range") }
            return .integer(cents)
        case .boolean:
            switch trimmed.lowercased() {
            case "true", "tosi", "1": return .bool(true)
            case "false", "epätosi", "0": return .bool(false)
            default: throw Refusal(detail: "must be true or false")
            }
        case .list:
            return .array(trimmed.split(separator: "|").map { .string($0.trimmingCharacters(in: .whitespaces)) }
                .filter { $0 != .string("") })
        case .options:
            return .array(try options(trimmed))
        case .owners:
            return .array(try owners(trimmed))
        }
    }

    /// Euros with at most two decimals, with a decimal comma or point and spaces between thousands, as cents.
    public static func euros(_ cell: String) throws(Refusal) -> JSONValue {
        let text = withoutGrouping(cell.trimmingCharacters(in: .whitespaces)).replacingOccurrences(of: ",", with: ".")
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let refusal = Refusal(detail: "must be euros with at most two decimals, such as 12 345,50")
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw refusal }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= 2, fraction.allSatisfy({ $0.isASCII && $0.isNumber }), parts.count == 1 || !fraction.isEmpty else { throw refusal }
        // The API's bound on any sum of money: ten billion euros.
        guard whole.drop(while: { $0 == "0" }).count <= 11, let euros = Int64(whole), euros <= maxEuros,
              let cents = Int64(fraction.padding(toLength: 2, withPad: "0", startingAt: 0)) else {
            throw Refusal(detail: "must be between 0 and \(maxEuros) euros")
        }
        return .integer(euros * 100 + cents)
    }

    /// The largest sum of money the API takes (`…Cents` at most 10¹²), in euros.
    public static let maxEuros: Int64 = Money.maxCents / 100

    /// `YYYY-MM-DD` or `D.M.YYYY` (days and months with or without a leading zero).
    public static func date(_ text: String) -> LocalDate? {
        if let date = LocalDate(text) { return date }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count), parts[2].count == 4,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]) else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }

    /// A number with a decimal point or comma, optionally signed, spaces allowed between groups of thousands. Its
    /// digits are judged as written: a double holds 15 significant digits exactly, and no value has more than three
    /// decimals, so more is refused rather than rounded into another value.
    static func number(_ text: String) throws(Refusal) -> JSONValue {
        var body = withoutGrouping(text).replacingOccurrences(of: ",", with: ".")
        let negative = body.hasPrefix("-")
        if negative { body.removeFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else {
            throw Refusal(detail: "must be a number, with a decimal point or comma")
        }
        let significant = body.filter(\.isNumber).drop { $0 == "0" }.count
        if parts.count == 2, parts[1].count > 3 { throw Refusal(detail: "must have at most 3 fractional digits") }
        guard significant <= 15 else { throw Refusal(detail: "is out of range: a number has at most 15 significant digits") }
        if parts.count == 1 {
            guard let integer = Int64((negative ? "-" : "") + whole) else { throw Refusal(detail: "is out of range") }
            return .integer(integer)
        }
        guard let real = Double((negative ? "-" : "") + body), real.isFinite else { throw Refusal(detail: "is out of range") }
        return .real(real)
    }

    /// Contract options: `12+12*+6`: lengths in months, an exercised one marked with `*`.
    static func options(_ text: String) throws(Refusal) -> [JSONValue] {
        guard !text.isEmpty else { return [] }
        var options: [JSONValue] = []
        for part in text.split(separator: "+", omittingEmptySubsequences: false) {
            var term = part.trimmingCharacters(in: .whitespaces)
            let exercised = term.hasSuffix("*")
            if exercised { term.removeLast() }
            guard !term.isEmpty, term.count <= 18, term.allSatisfy({ $0.isASCII && $0.isNumber }), let months = Int64(term) else {
                throw Refusal(detail: "must be option lengths in months joined by +, an exercised one marked with *, such as 12*+12")
            }
            options.append(.object(["months": .integer(months), "exercised": .bool(exercised)]))
        }
        return options
    }

    /// Owners: `091:51.5|049:20`: a municipality code (or a city's id) and the share in per cent, decimal point or comma.
    static func owners(_ text: String) throws(Refusal) -> [JSONValue] {
        guard !text.isEmpty else { return [] }
        var owners: [JSONValue] = []
        for part in text.split(separator: "|", omittingEmptySubsequences: false) {
            let halves = part.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let owner = halves[0].trimmingCharacters(in: .whitespaces)
            guard halves.count == 2, !owner.isEmpty else {
                throw Refusal(detail: "must be owners as municipality code (or city id) and share joined by :, separated by |, such as 091:51.5|049:20")
            }
            let share: JSONValue
            do {
                share = try number(halves[1].trimmingCharacters(in: .whitespaces))
            } catch where error.detail.hasPrefix("is out of range") {
                // A share has its own range, whatever the limit of numbers in general.
                throw Refusal(detail: "has \(owner)'s share \(halves[1].trimmingCharacters(in: .whitespaces)), which "
                              + DecimalRange.sharePercent.rule)
            }
            owners.append(.object([MunicipalityCode.isValid(owner) ? "municipalityCode" : "cityId": .string(owner), "sharePercent": share]))
        }
        return owners
    }

    /// The cell of a JSON value in a column of `kind`; nil for a value the column cannot hold.
    public static func cell(_ value: JSONValue, kind: ColumnKind) -> String? {
        switch (value, kind) {
        case (.null, _): return ""
        case (.string(let text), _): return text
        case (.integer(let integer), _): return String(integer)
        case (.real(let real), _): return ExactDecimal.read(.real(real), at: .root, errors: InputErrors())?.description ?? "\(real)"
        case (.bool(let flag), _): return flag ? "true" : "false"
        case (.array(let items), .options):
            var terms: [String] = []
            for item in items {
                guard case .object(let members) = item, case .integer(let months)? = members["months"] else { return nil }
                terms.append(String(months) + (members["exercised"] == .bool(true) ? "*" : ""))
            }
            return terms.joined(separator: "+")
        case (.array(let items), .owners):
            var terms: [String] = []
            for item in items {
                guard case .object(let members) = item, let share = members["sharePercent"],
                      case .string(let owner)? = members["municipalityCode"] ?? members["cityId"],
                      let number = cell(share, kind: .number) else { return nil }
                terms.append("\(owner):\(number)")
            }
            return terms.joined(separator: "|")
        case (.array(let items), _):
            var texts: [String] = []
            for item in items {
                guard case .string(let text) = item else { return nil }
                texts.append(text)
            }
            return texts.joined(separator: "|")
        case (.object, _): return nil
        }
    }

    /// Spaces (also no-break and narrow no-break ones) between groups of thousands, as Finnish spreadsheets write them.
    private static func withoutGrouping(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0 != " " && $0 != "\u{00A0}" && $0 != "\u{202F}" })
    }
}
