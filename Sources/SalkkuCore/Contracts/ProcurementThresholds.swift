/// Whether a threshold row is the national one (the Procurement Act) or the EU one (a Commission regulation).
public enum ThresholdLevel: String, APIEnum {
    case national, eu
}

/// One threshold in force for one category of contract over a span of dates (EUR, VAT excluded), with the act or
/// regulation that sets it. The table is data: a deployment can read every value and its source over the API.
public struct ThresholdRow: Codable, Sendable, Equatable {
    public var level: ThresholdLevel
    public var category: ContractCategory
    public var from: LocalDate
    /// The last day the row holds; nil while the act is in force with no end (national thresholds).
    public var until: LocalDate?
    public var thresholdCents: Int64
    /// The act or regulation and its section that set the value.
    public var source: String
    /// How the value was checked; says so when it could not be checked against the text.
    public var verification: String

    public init(level: ThresholdLevel, category: ContractCategory, from: LocalDate, until: LocalDate?, thresholdCents: Int64,
                source: String, verification: String) {
        self.level = level
        self.category = category
        self.from = from
        self.until = until
        self.thresholdCents = thresholdCents
        self.source = source
        self.verification = verification
    }

    enum CodingKeys: String, CodingKey { case level, category, from, until, thresholdCents, source, verification }

    /// `until` is always present, null while the act holds with no end.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(level, forKey: .level)
        try container.encode(category, forKey: .category)
        try container.encode(from, forKey: .from)
        try container.encode(until, forKey: .until)
        try container.encode(thresholdCents, forKey: .thresholdCents)
        try container.encode(source, forKey: .source)
        try container.encode(verification, forKey: .verification)
    }

    public func holds(on date: LocalDate) -> Bool { from <= date && until.map { date <= $0 } ?? true }
}

/// The procurement thresholds in force on a date, as a dated table with the legal source of every row.
///
/// National thresholds: Act 348/2007 from 2007-06-01, as amended by 321/2010 from 2010-06-01, then Act 1397/2016
/// § 25 from 2017-01-01. EU thresholds for sub-central contracting authorities (cities) are set every two years
/// by Commission regulation. Social and health services and other specific services have an EU threshold (the
/// light regime's 750 000 €) and concessions one of their own only since 1397/2016 brought Directives
/// 2014/23/EU and 2014/24/EU into Finnish law on 2017-01-01; before that those categories have no EU class.
public enum ProcurementThresholds {
    static let verifiedAgainstText = "checked against the regulation's text or the Commission's summary"
    static let verifiedAgainstSummaries = "checked against national procurement agencies' published summaries of the regulation"

    // MARK: EU thresholds

    /// Sub-central supplies and services, works and concessions per two-year period, with the regulations.
    static let euPeriods: [(from: String, until: String, services: Int64, works: Int64, regulation: String,
                            concessions: String?, verification: String)] = [
        ("2010-01-01", "2011-12-31", 193_000, 4_845_000, "Commission Regulation (EC) No 1177/2009 amending Directive 2004/18/EC art. 7", nil, verifiedAgainstSummaries),
        ("2012-01-01", "2013-12-31", 200_000, 5_000_000, "Commission Regulation (EU) No 1251/2011 amending Directive 2004/18/EC art. 7", nil, verifiedAgainstSummaries),
        ("2014-01-01", "2015-12-31", 207_000, 5_186_000, "Commission Regulation (EU) No 1336/2013 amending Directive 2004/18/EC art. 7", nil, verifiedAgainstSummaries),
        ("2016-01-01", "2017-12-31", 209_000, 5_225_000, "Commission Delegated Regulation (EU) 2015/2170 amending Directive 2014/24/EU art. 4",
         "Commission Delegated Regulation (EU) 2015/2172 amending Directive 2014/23/EU art. 8", verifiedAgainstText),
        ("2018-01-01", "2019-12-31", 221_000, 5_548_000, "Commission Delegated Regulation (EU) 2017/2365 amending Directive 2014/24/EU art. 4",
         "Commission Delegated Regulation (EU) 2017/2366 amending Directive 2014/23/EU art. 8", verifiedAgainstSummaries),
        ("2020-01-01", "2021-12-31", 214_000, 5_350_000, "Commission Delegated Regulation (EU) 2019/1828 amending Directive 2014/24/EU art. 4",
         "Commission Delegated Regulation (EU) 2019/1827 amending Directive 2014/23/EU art. 8", verifiedAgainstSummaries),
        ("2022-01-01", "2023-12-31", 215_000, 5_382_000, "Commission Delegated Regulation (EU) 2021/1952 amending Directive 2014/24/EU art. 4",
         "Commission Delegated Regulation (EU) 2021/1951 amending Directive 2014/23/EU art. 8", verifiedAgainstText),
        ("2024-01-01", "2025-12-31", 221_000, 5_538_000, "Commission Delegated Regulation (EU) 2023/2495 amending Directive 2014/24/EU art. 4",
         "Commission Delegated Regulation (EU) 2023/2497 amending Directive 2014/23/EU art. 8", verifiedAgainstText),
        ("2026-01-01", "2027-12-31", 216_000, 5_404_000, "Commission Delegated Regulation (EU) 2025/2152 amending Directive 2014/24/EU art. 4",
         "Commission Delegated Regulation (EU) 2025/2151 amending Directive 2014/23/EU art. 8", verifiedAgainstText),
    ]

    /// The light regime of Directive 2014/24/EU art. 4(d) (annex XIV), in Finnish law from 2017-01-01.
    static let lightRegimeFrom = LocalDate("2017-01-01")!

    static var euRows: [ThresholdRow] {
        var rows: [ThresholdRow] = []
        for period in euPeriods {
            let from = LocalDate(period.from)!, until = LocalDate(period.until)!
            let verification = period.verification
            func row(_ category: ContractCategory, _ euros: Int64, _ source: String, from start: LocalDate) -> ThresholdRow {
                ThresholdRow(level: .eu, category: category, from: start, until: until, thresholdCents: euros * 100,
                             source: source, verification: verification)
            }
            rows.append(row(.supplies, period.services, period.regulation, from: from))
            rows.append(row(.services, period.services, period.regulation, from: from))
            rows.append(row(.works, period.works, period.regulation, from: from))
            if until >= lightRegimeFrom {
                let lightFrom = max(from, lightRegimeFrom)
                let lightRegime = "Directive 2014/24/EU art. 4(d), annex XIV; in Finnish law 1397/2016 § 26"
                rows.append(row(.socialHealthServices, 750_000, lightRegime, from: lightFrom))
                rows.append(row(.otherSpecificServices, 750_000, lightRegime, from: lightFrom))
                if let concessions = period.concessions {
                    rows.append(row(.concessions, period.works, concessions + "; in Finnish law 1397/2016 § 26", from: lightFrom))
                }
            }
        }
        return rows
    }

    // MARK: National thresholds

    static var nationalRows: [ThresholdRow] {
        let summaries = "checked against official summaries of the act (Kuntaliitto, Hankintailmoitukset, hankinnat.fi), not the Finlex text"
        // The act as enacted was superseded in 2010; its values are in the ministry's table and the bill that doubled them.
        let enactedChecks = "checked against the Ministry of Employment and the Economy's table of national thresholds (2009) and government bill HE 190/2009 (\"from 100 000 to 150 000\" for works), not the Finlex text"
        func row(_ category: ContractCategory, _ from: String, _ until: String?, _ euros: Int64, _ source: String,
                 verification: String = summaries) -> ThresholdRow {
            ThresholdRow(level: .national, category: category, from: LocalDate(from)!, until: until.map { LocalDate($0)! },
                         thresholdCents: euros * 100, source: source, verification: verification)
        }
        let enacted = "Act on Public Procurement 348/2007 § 15 as enacted"
        let amended = "Act on Public Procurement 348/2007 § 15 as amended by 321/2010"
        // Before 2017 annex B services other than health and social services had the general threshold.
        return [
            row(.supplies, "2007-06-01", "2010-05-31", 15_000, enacted, verification: enactedChecks),
            row(.services, "2007-06-01", "2010-05-31", 15_000, enacted, verification: enactedChecks),
            row(.otherSpecificServices, "2007-06-01", "2010-05-31", 15_000, enacted + " (annex B services)", verification: enactedChecks),
            row(.socialHealthServices, "2007-06-01", "2010-05-31", 50_000, enacted + " (annex B category 25, health and social services, with education services procured with them)",
                verification: enactedChecks),
            row(.works, "2007-06-01", "2010-05-31", 100_000, enacted, verification: enactedChecks),
            row(.supplies, "2010-06-01", "2016-12-31", 30_000, amended),
            row(.services, "2010-06-01", "2016-12-31", 30_000, amended),
            row(.otherSpecificServices, "2010-06-01", "2016-12-31", 30_000, amended + " (annex B services)"),
            row(.socialHealthServices, "2010-06-01", "2016-12-31", 100_000, amended + " (annex B category 25)"),
            row(.works, "2010-06-01", "2016-12-31", 150_000, amended),
            row(.supplies, "2017-01-01", nil, 60_000, "Act on Public Procurement and Concession Contracts 1397/2016 § 25(1)(1)"),
            row(.services, "2017-01-01", nil, 60_000, "Act on Public Procurement and Concession Contracts 1397/2016 § 25(1)(1)"),
            row(.works, "2017-01-01", nil, 150_000, "Act on Public Procurement and Concession Contracts 1397/2016 § 25(1)(2)"),
            row(.socialHealthServices, "2017-01-01", nil, 400_000, "Act on Public Procurement and Concession Contracts 1397/2016 § 25(1)(3), annex E 1–4"),
            row(.otherSpecificServices, "2017-01-01", nil, 300_000, "Act on Public Procurement and Concession Contracts 1397/2016 § 25(1)(4), annex E 5–15"),
            row(.concessions, "2017-01-01", nil, 500_000, "Act on Public Procurement and Concession Contracts 1397/2016 § 25(1)(5–6)"),
        ]
    }

    /// The whole table: national rows, then EU rows, each in date order.
    public static let rows: [ThresholdRow] = nationalRows + euRows

    /// The days the table judges: from the first EU row to the last. Outside them a class would be a guess.
    public static let firstJudgedDate = LocalDate("2010-01-01")!
    public static let lastJudgedDate = LocalDate("2027-12-31")!

    /// The rows in force on a date, national first.
    public static func rows(on date: LocalDate) -> [ThresholdRow] { rows.filter { $0.holds(on: date) } }

    static func row(_ level: ThresholdLevel, on date: LocalDate, category: ContractCategory) -> ThresholdRow? {
        rows.first { $0.level == level && $0.category == category && $0.holds(on: date) }
    }

    public static func nationalCents(on date: LocalDate, category: ContractCategory) -> Int64? {
        row(.national, on: date, category: category)?.thresholdCents
    }

    public static func euCents(on date: LocalDate, category: ContractCategory) -> Int64? {
        row(.eu, on: date, category: category)?.thresholdCents
    }

    /// Why a date cannot be judged by the table, or nil when it can.
    public static func coverageWarning(on date: LocalDate) -> ProcedureWarning? {
        if date > lastJudgedDate {
            return ProcedureWarning(
                code: "threshold-table-ends",
                detail: "no EU threshold is recorded after \(lastJudgedDate) (the Commission sets the next ones for 2028–29); the threshold class on \(date) is not judged")
        }
        if date < firstJudgedDate {
            return ProcedureWarning(
                code: "threshold-table-begins-later",
                detail: "the table's EU thresholds begin on \(firstJudgedDate) (its national ones in 2007); the threshold class on \(date) is not judged")
        }
        return nil
    }

    /// Where a contract's estimated value falls on the date it was procured; nil outside the table's dates (with
    /// `coverageWarning` saying why) or when no national threshold applies to the category on that date.
    /// A category with no EU threshold on the date (social and health services before 2017) is never `eu`.
    public static func classify(totalValueCents: Int64, category: ContractCategory, procuredOn: LocalDate) -> ThresholdClass? {
        guard coverageWarning(on: procuredOn) == nil,
              let national = nationalCents(on: procuredOn, category: category) else { return nil }
        if let eu = euCents(on: procuredOn, category: category), totalValueCents >= eu { return .eu }
        return totalValueCents >= national ? .national : .belowNational
    }
}
