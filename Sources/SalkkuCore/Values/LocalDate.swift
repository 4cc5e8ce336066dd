/// A calendar date without time or zone, `YYYY-MM-DD`, proleptic Gregorian.
public struct LocalDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, JSONReadable {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...LocalDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(_ text: some StringProtocol) {
        var text = String(text)
        guard let date = text.withUTF8({ LocalDate(utf8: $0) }) else { return nil }
        self = date
    }

    /// Parses exactly `YYYY-MM-DD` from UTF-8 bytes, such as a column of a stored row, without making a string.
    public init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = Self.digits(bytes[0..<4]), let month = Self.digits(bytes[5..<7]),
              let day = Self.digits(bytes[8..<10]) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    static func digits(_ bytes: some Collection<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public var isLastDayOfMonth: Bool { day == LocalDate.daysIn(month: month, year: year) }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init(daysSinceEpoch days: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    public func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// A date from parts known to form one, in any year (arithmetic on bounded dates may step outside 1–9999).
    init(unchecked year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Calendar-month arithmetic in one step: the last day of a month maps to the last day of the
    /// target month; any other day keeps its number, clamped to the target month's length.
    /// Negative `months` go back. Results outside years 1–9999 are clamped to that range.
    public func adding(months: Int) -> LocalDate {
        let index = year * 12 + (month - 1) + months
        guard index >= 12 else { return LocalDate(unchecked: 1, month: 1, day: 1) }
        guard index < 10000 * 12 else { return LocalDate(unchecked: 9999, month: 12, day: 31) }
        let targetYear = index / 12, targetMonth = index % 12 + 1
        let length = LocalDate.daysIn(month: targetMonth, year: targetYear)
        return LocalDate(unchecked: targetYear, month: targetMonth, day: isLastDayOfMonth ? length : min(day, length))
    }

    /// Whole calendar months from `self` to `other`, ignoring days (`2026-01-31` to `2026-02-01` is 1).
    public func monthsUntil(_ other: LocalDate) -> Int {
        (other.year * 12 + other.month) - (year * 12 + month)
    }

    /// Days from `self` to `other`; negative when `other` is earlier.
    public func daysUntil(_ other: LocalDate) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    /// 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday.
    public var weekday: Int { ((daysSinceEpoch % 7) + 7 + 4) % 7 }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a YYYY-MM-DD date: \(text)")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public static func read(_ value: JSONValue, at pointer: JSONPointer, errors: InputErrors) -> LocalDate? {
        guard case .string(let text) = value, let date = LocalDate(text) else {
            errors.add(pointer, "must be a date YYYY-MM-DD")
            return nil
        }
        guard SupportedDates.range.contains(date) else {
            errors.add(pointer, "must be a date \(SupportedDates.phrase)")
            return nil
        }
        return date
    }
}
