/// The span of time Salkku reasons about. Every date, month and instant a request carries (in a body, a
/// query or a path) is checked against it before any computation, so that calendar arithmetic never meets
/// a year it cannot represent and no computation runs toward one.
public enum SupportedDates {
    public static let firstYear = 1900
    public static let lastYear = 2200
    public static let first = LocalDate(year: firstYear, month: 1, day: 1)!
    public static let last = LocalDate(year: lastYear, month: 12, day: 31)!
    public static let range = first...last
    public static let years = firstYear...lastYear

    /// "between 1900-01-01 and 2200-12-31", for error messages.
    public static let phrase = "between \(first) and \(last)"

    /// Whether the instant's date is in range, in UTC and in Helsinki alike.
    public static func contains(_ instant: Timestamp) -> Bool {
        range.contains(instant.date) && range.contains(HelsinkiCalendar.date(at: instant))
    }
}
