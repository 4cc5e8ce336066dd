/// Dates as people in Finland read them: Europe/Helsinki, UTC+2, and UTC+3 in summer time.
///
/// Summer time as the tz database's Europe/Helsinki has it, computed here so that "today" never depends on the tz
/// database of the machine Salkku runs on: none before 1981 but for 1942; 1981–82 Finland's own rule (last Sunday
/// of March 02:00 to last Sunday of September 03:00, local time); 1983–95 the EU rule of then (ending on the last
/// Sunday of September); since 1996 the EU rule (last Sunday of March to last Sunday of October), switching at
/// 01:00 UTC. Before 1921 Helsinki kept its local mean time (UTC+1:39:49); Salkku reads those years at UTC+2.
public enum HelsinkiCalendar {
    static let standardOffsetMs: Int64 = 2 * 3_600_000
    static let summerOffsetMs: Int64 = 3 * 3_600_000

    static func lastSunday(month: Int, year: Int) -> LocalDate {
        let last = LocalDate(unchecked: year, month: month, day: LocalDate.daysIn(month: month, year: year))
        return last.adding(days: -last.weekday)
    }

    static func startOfDayUTC(_ date: LocalDate) -> Int64 { Int64(date.daysSinceEpoch) * 86_400_000 }

    /// When summer time began and ended in `year`, in UTC milliseconds; nil for a year without it.
    static func summerTime(in year: Int) -> Range<Int64>? {
        let hour: Int64 = 3_600_000
        switch year {
        case 1942:
            // From 2 April 24:00 to 4 October 01:00, local time.
            return startOfDayUTC(LocalDate(unchecked: 1942, month: 4, day: 3)) - 2 * hour
                ..< startOfDayUTC(LocalDate(unchecked: 1942, month: 10, day: 4)) - 2 * hour
        case ..<1981:
            return nil
        case 1981...1982:
            return startOfDayUTC(lastSunday(month: 3, year: year)) ..< startOfDayUTC(lastSunday(month: 9, year: year))
        case 1983...1995:
            return startOfDayUTC(lastSunday(month: 3, year: year)) + hour ..< startOfDayUTC(lastSunday(month: 9, year: year)) + hour
        default:
            return startOfDayUTC(lastSunday(month: 3, year: year)) + hour ..< startOfDayUTC(lastSunday(month: 10, year: year)) + hour
        }
    }

    /// The UTC offset in force at `instant`.
    public static func offsetMilliseconds(at instant: Timestamp) -> Int64 {
        guard let summer = summerTime(in: instant.date.year) else { return standardOffsetMs }
        return summer.contains(instant.millisecondsSinceEpoch) ? summerOffsetMs : standardOffsetMs
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
