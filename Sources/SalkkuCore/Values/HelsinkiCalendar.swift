/// Dates as people in Finland read them: Europe/Helsinki, UTC+2, and UTC+3 in summer time.
///
/// Summer time follows the EU rule (from the last Sunday of March to the last Sunday of
/// October, switching at 01:00 UTC), computed here so that "today" never depends on the
/// tz database of the machine Salkku runs on.
public enum HelsinkiCalendar {
    static let standardOffsetMs: Int64 = 2 * 3_600_000
    static let summerOffsetMs: Int64 = 3 * 3_600_000

    static func lastSunday(month: Int, year: Int) -> LocalDate {
        let last = LocalDate(unchecked: year, month: month, day: LocalDate.daysIn(month: month, year: year))
        return last.adding(days: -last.weekday)
    }

    static func startOfDayUTC(_ date: LocalDate) -> Int64 { Int64(date.daysSinceEpoch) * 86_400_000 }

    /// The UTC offset in force at `instant`.
    public static func offsetMilliseconds(at instant: Timestamp) -> Int64 {
        let year = instant.date.year
        let oneAM: Int64 = 3_600_000
        let summerStarts = startOfDayUTC(lastSunday(month: 3, year: year)) + oneAM
        let summerEnds = startOfDayUTC(lastSunday(month: 10, year: year)) + oneAM
        let ms = instant.millisecondsSinceEpoch
        return (summerStarts..<summerEnds).contains(ms) ? summerOffsetMs : standardOffsetMs
    }

    /// The calendar date in Helsinki at `instant`.
    public static func date(at instant: Timestamp) -> LocalDate {
        Timestamp(millisecondsSinceEpoch: instant.millisecondsSinceEpoch + offsetMilliseconds(at: instant)).date
    }

    /// The last millisecond of `date` in Helsinki.
    public static func endOfDay(_ date: LocalDate) -> Timestamp {
        let nextMidnightLocal = startOfDayUTC(date.adding(days: 1))
        // The offset just before local midnight: try summer time first, then standard time.
        for offset in [summerOffsetMs, standardOffsetMs] {
            let candidate = Timestamp(millisecondsSinceEpoch: nextMidnightLocal - offset - 1)
            if offsetMilliseconds(at: candidate) == offset { return candidate }
        }
        return Timestamp(millisecondsSinceEpoch: nextMidnightLocal - standardOffsetMs - 1)
    }
}
