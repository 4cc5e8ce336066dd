import Hummingbird
import SalkkuCore
import SalkkuStore

/// How stored records of one kind become response items: as stored, or joined with members
/// computed on an evaluation date (today in Helsinki, or the request's `asOf`).
protocol ResourcePresenter: Sendable {
    associatedtype Fields: StoredResource
    associatedtype Item: Encodable & Sendable
    /// Whether GET and list take `asOf`.
    var isEvaluatedOnDate: Bool { get }
    /// List filters on computed members, applied after presenting.
    var computedFilters: [ComputedFilter<Item>] { get }
    func present(_ records: [Resource<Fields>], on date: LocalDate) throws -> [Item]
}

extension ResourcePresenter {
    var isEvaluatedOnDate: Bool { true }
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
            guard let limit = LocalDate(text) else { return .failure(FieldError(parameter: name, "must be a date YYYY-MM-DD")) }
            return .success { value($0).map { $0 < limit } ?? false }
        }
    }
}

/// Records as stored, with nothing computed.
struct StoredPresenter<Fields: StoredResource>: ResourcePresenter {
    var isEvaluatedOnDate: Bool { false }
    func present(_ records: [Resource<Fields>], on date: LocalDate) -> [Resource<Fields>] { records }
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
    let database: AppDatabase

    var computedFilters: [ComputedFilter<Item>] {
        [
            .oneOf("status", ContractStatus.self) { $0.computed.status },
            .dateBefore("endsBefore") { $0.computed.currentEndDate },
            .dateBefore("noticeDeadlineBefore") { $0.computed.noticeDeadline },
        ]
    }

    func present(_ records: [Resource<ContractFields>], on date: LocalDate) throws -> [Item] {
        let suppliers = try database.byId(SupplierFields.self, ids: Set(records.map(\.fields.supplierId)))
        return records.map { record in
            Evaluated(record: record, computed: ContractTerms(
                record.fields, on: date, supplierKind: suppliers[record.fields.supplierId]?.fields.kind))
        }
    }
}

struct SLAPresenter: ResourcePresenter {
    typealias Item = Evaluated<SLAFields, SLAEffectiveTerms>
    let database: AppDatabase

    func present(_ records: [Resource<SLAFields>], on date: LocalDate) throws -> [Item] {
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

    func present(_ records: [Resource<ProjectFields>], on date: LocalDate) -> [Item] {
        records.map { Evaluated(record: $0, computed: $0.fields.status(on: date)) }
    }
}

extension QueryReader {
    /// The date computed members are evaluated on: `asOf`, or today in Helsinki.
    mutating func evaluationDate(today: LocalDate) -> LocalDate {
        guard let text = string("asOf") else { return today }
        guard let date = LocalDate(text) else {
            fail("asOf", "must be a date YYYY-MM-DD")
            return today
        }
        return date
    }
}

extension AppDatabase {
    var today: LocalDate { HelsinkiCalendar.date(at: clock()) }
}
