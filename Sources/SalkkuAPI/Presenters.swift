import Hummingbird
import SalkkuCore
import SalkkuStore

/// How stored records of one kind become response items: as stored, or joined with members
/// computed on an evaluation date (today in Helsinki, or the request's `asOf`).
protocol ResourcePresenter: Sendable {
    associatedtype Fields: StoredResource
    associatedtype Item: Encodable & Sendable
    /// List filters on computed members, applied after presenting.
    var computedFilters: [ComputedFilter<Item>] { get }
    /// The items for records read from `database` (the live one, or a snapshot of the past).
    func present(_ records: [Resource<Fields>], on date: LocalDate, in database: AppDatabase) throws -> [Item]
}

extension ResourcePresenter {
    var computedFilters: [ComputedFilter<Item>] { [] }
}

/// A list filter that judges presented items rather than stored columns.
struct ComputedFilter<Item>: Sendable {
    let name: String
    let predicate: @Sendable (String) -> Result<@Sendable (Item) -> Bool, FieldError>

    static func oneOf<E: APIEnum>(_ name: String, _ type: E.Type, _ value: @escaping @Sendable (Item) -> E?) -> ComputedFilter {
        ComputedFilter(name: name) { text in
            guard let wanted = E(rawValue: text) else {
                return .failure(FieldError(parameter: name, "must be one of: \(E.allowedValues)"))
            }
            return .success { value($0) == wanted }
        }
    }

    /// Items whose date is strictly before the given one; items without the date never match.
    static func dateBefore(_ name: String, _ value: @escaping @Sendable (Item) -> LocalDate?) -> ComputedFilter {
        ComputedFilter(name: name) { text in
            RequestDates.date(text).map { limit in { value($0).map { $0 < limit } ?? false } }
                .mapError { FieldError(parameter: name, $0.detail) }
        }
    }
}

/// Records as stored, with nothing computed.
struct StoredPresenter<Fields: StoredResource>: ResourcePresenter {
    func present(_ records: [Resource<Fields>], on date: LocalDate, in database: AppDatabase) -> [Resource<Fields>] { records }
}

/// A stored record with members computed from it, flattened into one JSON object.
struct Evaluated<Fields: ResourceFields, Computed: Encodable & Sendable>: Encodable, Sendable {
    let record: Resource<Fields>
    let computed: Computed

    func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
        try computed.encode(to: encoder)
    }
}

struct ContractPresenter: ResourcePresenter {
    typealias Item = Evaluated<ContractFields, ContractTerms>

    var computedFilters: [ComputedFilter<Item>] {
        [
            .oneOf("status", ContractStatus.self) { $0.computed.status },
            .dateBefore("endsBefore") { $0.computed.currentEndDate },
            .dateBefore("noticeDeadlineBefore") { $0.computed.noticeDeadline },
        ]
    }

    func present(_ records: [Resource<ContractFields>], on date: LocalDate, in database: AppDatabase) throws -> [Item] {
        let supplierKinds = try database.supplierKinds(ids: records.map(\.fields.supplierId))
        return records.map { record in
            Evaluated(record: record, computed: ContractTerms(record.fields, on: date, supplierKind: supplierKinds[record.fields.supplierId]))
        }
    }
}

struct SLAPresenter: ResourcePresenter {
    typealias Item = Evaluated<SLAFields, SLAEffectiveTerms>

    func present(_ records: [Resource<SLAFields>], on date: LocalDate, in database: AppDatabase) throws -> [Item] {
        let contracts = try database.byId(ContractFields.self, ids: Set(records.map(\.fields.contractId)))
        return try records.map { record in
            // The foreign key makes this impossible; a 500 is right if the file was edited behind our back.
            guard let contract = contracts[record.fields.contractId] else { throw Problem.internalError }
            return Evaluated(record: record, computed: record.fields.effectiveTerms(contract: contract.fields, on: date))
        }
    }
}

struct ProjectPresenter: ResourcePresenter {
    typealias Item = Evaluated<ProjectFields, ProjectStatus>

    var computedFilters: [ComputedFilter<Item>] {
        [ComputedFilter(name: "late") { text in
            guard let wanted = Bool(text) else { return .failure(FieldError(parameter: "late", "must be true or false")) }
            return .success { $0.computed.late == wanted }
        }]
    }

    func present(_ records: [Resource<ProjectFields>], on date: LocalDate, in database: AppDatabase) -> [Item] {
        records.map { Evaluated(record: $0, computed: $0.fields.status(on: date)) }
    }
}

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
        var recordTime: Timestamp?
        var asOfDate: LocalDate?
        let asOfText = values["asOf"]
        if let (instant, date) = instant("asOf", endOfDay: true) {
            if let date {
                // The end of today is still to come: today's date reads the records as they stand now.
                if date > today { fail("asOf", "must not be after today (\(today)): the records of a future day are not known yet") }
                else if date < today { recordTime = instant }
                asOfDate = date
            } else if instant > now {
                fail("asOf", "must not be in the future: the records of a future instant are not known yet")
            } else {
                recordTime = instant
                asOfDate = HelsinkiCalendar.date(at: instant)
            }
        }
        let onText = values["on"]
        let on = date("on") ?? asOfDate ?? today
        return Clocks(on: on, recordTime: recordTime, readAt: now, onText: onText, asOfText: asOfText)
    }
}

extension AppDatabase {
    var today: LocalDate { HelsinkiCalendar.date(at: clock()) }
}
