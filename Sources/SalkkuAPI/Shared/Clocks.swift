import Hummingbird
import SalkkuCore
import SalkkuStore

/// The two clocks of a read. `on` is the business date: what was true on a day (contract terms, periods in
/// scope, criteria), today in Helsinki unless given. `asOf` is the record time: the records as Salkku held them
/// at an instant (a date means the end of that day in Helsinki), now unless given; when only `asOf` is given,
/// `on` is its date.
struct Clocks: Sendable {
    var on: LocalDate
    /// The record time; nil for now.
    var recordTime: Timestamp?
    /// When the request was read: the record time of a read of the records as they stand.
    var readAt: Timestamp
    /// The parameters as given, for cursors and messages.
    var onText: String?
    var asOfText: String?

    /// The database as its records stood at the record time.
    func database(_ live: AppDatabase) throws -> AppDatabase {
        try recordTime.map { try live.asOf($0) } ?? live
    }

    /// The clocks a page cursor is bound to, by what they mean rather than how they were spelled: the items
    /// and their computed members depend on both.
    var cursorBinding: [(String, String)] {
        onText == nil && asOfText == nil ? [] : [("on", on.description), ("asOf", recordTime?.description ?? "now")]
    }

    /// The record time an answer states: the one asked for, or the moment it was read.
    var recordedAt: Timestamp { recordTime ?? readAt }

    /// The date by which a period must have ended for its report to be due: the business date, but never after
    /// the record time's date, so that a later `on` projects (pending) rather than judges (missing).
    var dueBy: LocalDate { min(on, HelsinkiCalendar.date(at: recordedAt)) }

    /// How a 404 names the moment a record was looked for.
    var recordTimePhrase: String { asOfText.map { " at \($0)" } ?? "" }
}

extension QueryReader {
    /// Reads `on` and `asOf`; refuses a record time in the future, which no record can answer for.
    mutating func clocks(_ database: AppDatabase) -> Clocks {
        let now = database.clock()
        let today = HelsinkiCalendar.date(at: now)
        let asOfText = values["asOf"]
        let (recordTime, asOfDate) = recordTime(now: now)
        let onText = values["on"]
        let on = date("on") ?? asOfDate ?? today
        return Clocks(on: on, recordTime: recordTime, readAt: now, onText: onText, asOfText: asOfText)
    }

    /// Reads `asOf` alone, for the routes that have no business date: the record time (nil for now) and the date
    /// it falls on, when `asOf` is given. A date means the end of that day in Helsinki, today's the present.
    mutating func recordTime(now: Timestamp) -> (recordTime: Timestamp?, date: LocalDate?) {
        let today = HelsinkiCalendar.date(at: now)
        guard let (instant, date) = instant("asOf", endOfDay: true) else { return (nil, nil) }
        if let date {
            // The end of today is still to come: today's date reads the records as they stand now.
            if date > today {
                fail("asOf", "must not be after today (\(today)): the records of a future day are not known yet")
                return (nil, date)
            }
            return (date < today ? instant : nil, date)
        }
        if instant > now {
            fail("asOf", "must not be in the future: the records of a future instant are not known yet")
            return (nil, nil)
        }
        return (instant, HelsinkiCalendar.date(at: instant))
    }
}

extension AppDatabase {
    var today: LocalDate { HelsinkiCalendar.date(at: clock()) }
}
