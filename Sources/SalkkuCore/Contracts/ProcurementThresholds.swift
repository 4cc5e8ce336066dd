/// The procurement thresholds in force on a date, kept as a dated table (EUR, VAT excluded).
///
/// National thresholds: Procurement Act 1397/2016 from 2017-01-01 (60 000 € supplies and
/// services, 400 000 € social and health services); before that Act 348/2007 as amended in
/// 2010 (30 000 €, 100 000 €). EU thresholds for sub-central contracting authorities (cities)
/// are set every two years by Commission regulation; social and health services have had the
/// light regime's 750 000 € since Directive 2014/24/EU.
public enum ProcurementThresholds {
    public struct Row: Sendable, Equatable {
        public var from: LocalDate
        public var suppliesAndServicesCents: Int64
        public var socialAndHealthCents: Int64
    }

    static func row(_ from: String, _ general: Int64, _ socialHealth: Int64) -> Row {
        Row(from: LocalDate(from)!, suppliesAndServicesCents: general * 100, socialAndHealthCents: socialHealth * 100)
    }

    /// Rows in date order; each holds until the next begins.
    public static let national: [Row] = [
        row("2010-06-01", 30_000, 100_000),
        row("2017-01-01", 60_000, 400_000),
    ]

    public static let eu: [Row] = [
        row("2014-01-01", 207_000, 750_000),
        row("2016-01-01", 209_000, 750_000),
        row("2018-01-01", 221_000, 750_000),
        row("2020-01-01", 214_000, 750_000),
        row("2022-01-01", 215_000, 750_000),
        row("2024-01-01", 221_000, 750_000),
        row("2026-01-01", 216_000, 750_000),
    ]

    static func threshold(in table: [Row], on date: LocalDate, category: ContractCategory) -> Int64? {
        guard let row = table.last(where: { $0.from <= date }) else { return nil }
        return category == .socialHealthServices ? row.socialAndHealthCents : row.suppliesAndServicesCents
    }

    public static func nationalCents(on date: LocalDate, category: ContractCategory) -> Int64? {
        threshold(in: national, on: date, category: category)
    }

    public static func euCents(on date: LocalDate, category: ContractCategory) -> Int64? {
        threshold(in: eu, on: date, category: category)
    }

    /// Where a contract's total value falls on the date it was procured; nil before the table begins.
    public static func classify(totalValueCents: Int64, category: ContractCategory, procuredOn: LocalDate) -> ThresholdClass? {
        guard let national = nationalCents(on: procuredOn, category: category) else { return nil }
        if let eu = euCents(on: procuredOn, category: category), totalValueCents >= eu { return .eu }
        return totalValueCents >= national ? .national : .belowNational
    }
}
