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
        let suppliers = try database.byId(SupplierFields.self, ids: Set(records.map(\.fields.supplierId)))
        let codes = try database.byId(CityFields.self, ids: Set(records.compactMap(\.meta.cityId))).mapValues(\.fields.municipalityCode)
        // The 136 § warnings need the record history and the spend: the store reads them for the page at once.
        let modification = try database.modificationWarnings(records)
        return records.map { record in
            let supplier = suppliers[record.fields.supplierId]?.fields
            var terms = ContractTerms(
                record.fields, on: date, supplierKind: supplier?.kind,
                buyerControlsSupplier: record.meta.cityId.flatMap { city in supplier?.isControlled(byCityId: city, municipalityCode: codes[city]) })
            // The table's warning for a date it does not reach is already among the procedure warnings: listed once.
            terms.procedureWarnings += (modification[record.meta.id] ?? []).filter { !terms.procedureWarnings.contains($0) }
            return Evaluated(record: record, computed: terms)
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
