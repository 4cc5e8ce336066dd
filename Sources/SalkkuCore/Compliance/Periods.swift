/// A calendar month, `YYYY-MM`, counted as `year × 12 + month − 1` so that ranges are integer ranges.
public struct YearMonth: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let index: Int

    public init(index: Int) { self.index = index }
    public init(year: Int, month: Int) { index = year * 12 + month - 1 }
    public init(_ date: LocalDate) { self.init(year: date.year, month: date.month) }

    public var year: Int { index / 12 }
    public var month: Int { index % 12 + 1 }
    public var firstDay: LocalDate { LocalDate(unchecked: year, month: month, day: 1) }
    public var lastDay: LocalDate { LocalDate(unchecked: year, month: month, day: LocalDate.daysIn(month: month, year: year)) }

    /// Parses exactly `YYYY-MM`, in the supported years (1900–2200).
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
              let year = LocalDate.digits(bytes[0..<4]), let month = LocalDate.digits(bytes[5..<7]),
              SupportedDates.years.contains(year), (1...12).contains(month) else { return nil }
        self.init(year: year, month: month)
    }

    public static func < (lhs: YearMonth, rhs: YearMonth) -> Bool { lhs.index < rhs.index }
    public func adding(_ months: Int) -> YearMonth { YearMonth(index: index + months) }

    public var description: String {
        let monthText = month < 10 ? "0\(month)" : "\(month)"
        return "\(year)-\(monthText)"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = YearMonth(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a month YYYY-MM: \(text)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The period one SLA measurement covers: a month (`2026-03`) or a quarter (`2026-Q1`).
public struct MeasurementPeriod: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let kind: SLAPeriod
    /// The first and last month the period covers.
    public let first: YearMonth
    public let last: YearMonth

    public static func month(_ month: YearMonth) -> MeasurementPeriod {
        MeasurementPeriod(kind: .month, first: month, last: month)
    }

    public static func quarter(year: Int, _ quarter: Int) -> MeasurementPeriod {
        let first = YearMonth(year: year, month: quarter * 3 - 2)
        return MeasurementPeriod(kind: .quarter, first: first, last: first.adding(2))
    }

    /// The quarter a month belongs to.
    public static func quarter(containing month: YearMonth) -> MeasurementPeriod {
        quarter(year: month.year, (month.month - 1) / 3 + 1)
    }

    private init(kind: SLAPeriod, first: YearMonth, last: YearMonth) {
        self.kind = kind
        self.first = first
        self.last = last
    }

    /// Parses `YYYY-MM` or `YYYY-Qn`.
    public init?(_ text: some StringProtocol) {
        if let month = YearMonth(text) {
            self = .month(month)
            return
        }
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"), bytes[5] == UInt8(ascii: "Q"),
              let year = LocalDate.digits(bytes[0..<4]), SupportedDates.years.contains(year),
              let quarter = LocalDate.digits(bytes[6..<7]), (1...4).contains(quarter) else { return nil }
        self = .quarter(year: year, quarter)
    }

    public var firstDay: LocalDate { first.firstDay }
    public var lastDay: LocalDate { last.lastDay }

    /// A period has ended before `date` when its last day is earlier.
    public func hasEnded(before date: LocalDate) -> Bool { lastDay < date }

    public static func < (lhs: MeasurementPeriod, rhs: MeasurementPeriod) -> Bool {
        (lhs.last, lhs.first) < (rhs.last, rhs.first)
    }

    public var description: String {
        switch kind {
        case .month: first.description
        case .quarter: "\(first.year)-Q\((first.month - 1) / 3 + 1)"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = MeasurementPeriod(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a period YYYY-MM or YYYY-Qn: \(text)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// An inclusive range of months, as reports take it (`from=2026-01&to=2026-12`).
public struct MonthRange: Sendable, Hashable {
    public static let maxMonths = 120
    public let from: YearMonth
    public let to: YearMonth

    public init(from: YearMonth, to: YearMonth) {
        self.from = from
        self.to = to
    }

    public var months: [YearMonth] { (from.index...to.index).map(YearMonth.init(index:)) }

    /// The periods of a kind that belong to the range: months in it, and quarters whose last month is in it.
    public func periods(of kind: SLAPeriod) -> [MeasurementPeriod] {
        switch kind {
        case .month: return months.map(MeasurementPeriod.month)
        case .quarter:
            return months.filter { $0.month % 3 == 0 }.map(MeasurementPeriod.quarter(containing:))
        }
    }

    public func contains(_ period: MeasurementPeriod) -> Bool { (from...to).contains(period.last) }
}
