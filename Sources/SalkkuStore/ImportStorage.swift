import Foundation
import GRDB
import SalkkuCore
import SalkkuExchange
import SalkkuJSON

/// What became of one row of an import.
public struct ImportRowOutcome: Sendable, Equatable, Encodable {
    public enum Outcome: String, Sendable, Encodable { case created, updated, unchanged, error }
    public var row: Int
    public var outcome: Outcome
    /// The record the row created or matched (in a dry run, a created record's id is not kept).
    public var id: String?
}

public struct ImportTotals: Sendable, Equatable, Encodable {
    public var rows = 0
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public var errors = 0
}

/// The answer to an import: every row's outcome and every error; with any error, or in a dry run, nothing was stored.
public struct ImportReport: Sendable, Encodable {
    enum CodingKeys: String, CodingKey { case type = "importType", dryRun, stored, totals, rows, errors }
    public var type: String
    public var dryRun: Bool
    public var stored: Bool
    public var totals: ImportTotals
    public var rows: [ImportRowOutcome]
    /// The first hundred errors; `totals.errors` counts them all.
    public var errors: [ImportError]
}

/// What the caller adds to an import of one kind of record: how a row's JSON becomes fields, and the checks
/// that are the API's rather than the store's (who may change what, dates of facts).
public struct ImportRules<F: StoredResource>: Sendable {
    public var read: @Sendable (JSONValue, InputErrors) -> F?
    public var check: @Sendable (_ current: Resource<F>?, _ proposed: F) throws -> [FieldError]

    public init(read: @escaping @Sendable (JSONValue, InputErrors) -> F? = { F.read($0, errors: $1) },
                check: @escaping @Sendable (Resource<F>?, F) throws -> [FieldError] = { _, _ in [] }) {
        self.read = read
        self.check = check
    }
}

/// A value that names one record, as a row of a file carries it: two rows of one file with the same identity are
/// one record written twice (or two records the write path would refuse), whichever column they name it in.
public struct ImportIdentity: Sendable, Equatable {
    /// The column a repeated identity is reported in.
    public var column: String
    /// What the identity is called in the report: `businessId`, `foreignRegistryId and country`.
    public var name: String
    /// The value, normalised as it is stored.
    public var value: String
    /// Records that may carry the value together, as the write path allows (one city's own production and
    /// municipal enterprises its business ID), say the same here; nil for a value that names one record.
    public var sharedBy: String?

    public init(column: String, name: String? = nil, value: String, sharedBy: String? = nil) {
        self.column = column
        self.name = name ?? column
        self.value = value
        self.sharedBy = sharedBy
    }
}

/// What only the store can tell about an imported record beyond its references and unique values.
public protocol ImportableResource: StoredResource {
    /// Field errors of a record about to be stored that depend on other records (an SLA's period, a catalogue id).
    static func importProblems(_ fields: Self, cityId: String?, today: LocalDate, in database: AppDatabase, db: Database) throws -> [FieldError]
    /// False for records that are never changed once made (assessments): a changed row is an error.
    static var importUpdates: Bool { get }
    /// Records that may carry one natural key together, as the write path allows: the same text for those, nil when
    /// the key names one record.
    static func naturalKeySharing(_ fields: Self) -> String?
    /// The values besides the natural key that the write path keeps unique (a supplier's VAT number), normalised.
    static func importIdentities(_ fields: Self) -> [ImportIdentity]
}

extension ImportableResource {
    public static func importProblems(_ fields: Self, cityId: String?, today: LocalDate, in database: AppDatabase, db: Database) throws -> [FieldError] { [] }
    public static var importUpdates: Bool { true }
    public static func naturalKeySharing(_ fields: Self) -> String? { nil }
    public static func importIdentities(_ fields: Self) -> [ImportIdentity] { [] }
}

extension SupplierFields: ImportableResource {
    /// One city's own production and municipal enterprises carry its business ID together (`uniquenessConflict`).
    public static func naturalKeySharing(_ fields: SupplierFields) -> String? {
        guard ownableKinds.contains(fields.kind), let city = fields.ownerCityId else { return nil }
        return "city \(city)"
    }

    public static func importIdentities(_ fields: SupplierFields) -> [ImportIdentity] {
        var identities: [ImportIdentity] = []
        if let vatNumber = fields.vatNumber { identities.append(ImportIdentity(column: "vatNumber", value: vatNumber)) }
        if let registryId = fields.foreignRegistryId, let country = fields.country {
            identities.append(ImportIdentity(column: "foreignRegistryId", name: "foreignRegistryId and country", value: "\(registryId) in \(country)"))
        }
        return identities
    }
}
extension ServiceFields: ImportableResource {}
extension ContractFields: ImportableResource {}
extension SLAFields: ImportableResource {}
extension ProjectFields: ImportableResource {}

extension MeasurementFields: ImportableResource {
    public static func importProblems(_ fields: MeasurementFields, cityId: String?, today: LocalDate, in database: AppDatabase, db: Database) throws -> [FieldError] {
        guard let cityId else { return [] }
        let entry = try database.slaEntries(db, sql: "WHERE s.id = ? AND s.cityId = ?", arguments: [fields.slaId, cityId], on: today).first
        guard let entry else { return [FieldError(pointer: "/slaId", "no SLA of this city has id \(fields.slaId); import slas first")] }
        return fields.problems(kind: entry.scope.kind, unit: entry.unit, validFrom: entry.scope.validFrom, validTo: entry.scope.validTo,
                               today: today).map { FieldError(pointer: "/" + $0.member, $0.detail) }
    }
}

extension CapabilitySourcingFields: ImportableResource {
    public static func importProblems(_ fields: CapabilitySourcingFields, cityId: String?, today: LocalDate, in database: AppDatabase, db: Database) throws -> [FieldError] {
        GovernanceCatalogue.capabilityIds.contains(fields.capabilityId) ? []
            : [FieldError(pointer: "/capabilityId", "is not a capability of the catalogue (GET /v1/catalogue/capabilities)")]
    }
}

extension AssessmentFields: ImportableResource {
    public static var importUpdates: Bool { false }
}

extension AppDatabase {
    /// Text from a file quoted in an answer, cut at 200 characters.
    static func echoed(_ text: String) -> String {
        text.count <= 200 ? text : String(text.prefix(200)) + "…"
    }

    /// Imports one file's rows of one kind, all or nothing, in one transaction: each row is matched to a record by
    /// its `id` or its natural key, references given by key are resolved, and the record is created, updated or left
    /// unchanged through the write path. With any error (including `fileErrors` found while reading the file), or
    /// in a dry run, the transaction is rolled back and the report says what would have happened.
    public func importRows<F: ImportableResource>(
        _ type: F.Type, format: ExchangeFormat, rows: [ImportRow], fileErrors: [ImportError], cityId: String?, dryRun: Bool,
        by actor: Actor, rules: ImportRules<F>
    ) throws -> ImportReport {
        var report = ImportReport(type: format.name, dryRun: dryRun, stored: false, totals: ImportTotals(), rows: [], errors: fileErrors)
        let today = HelsinkiCalendar.date(at: clock())
        try writeWithoutTransaction { db in
            // A file's rows are one transaction: with the default page cache its dirty pages would spill to the WAL
            // row by row; a larger cache for the import's length keeps them in memory until the commit.
            let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            try db.execute(sql: "PRAGMA cache_size = -65536")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
            try db.inTransaction(.immediate) {
                var importer = RowImporter<F>(database: self, format: format, cityId: cityId, today: today, actor: actor, rules: rules, db: db)
                for row in rows {
                    let (outcome, errors) = try importer.importRow(row)
                    report.rows.append(outcome)
                    report.errors += errors
                }
                guard report.errors.isEmpty && !dryRun else { return .rollback }
                // New records are written together, their rows, states and hashes prepared on another core, after
                // every row has passed the checks the write path makes; the created outcomes learn their ids.
                let created = try insertAll(importer.creations.map(\.fields), cityId: cityId, by: actor, db: db)
                for (creation, record) in zip(importer.creations, created) { report.rows[creation.outcome].id = record.meta.id }
                return .commit
            }
        }
        report.stored = report.errors.isEmpty && !dryRun
        // New records that were rolled back have no id.
        if !report.stored {
            for index in report.rows.indices where report.rows[index].outcome == .created { report.rows[index].id = nil }
        }
        // Rows refused while the file was read are outcomes too, so that every row of the file is accounted for.
        let unreadRows = Set(fileErrors.map(\.row).filter { $0 > 1 }).subtracting(rows.map(\.number))
        report.rows += unreadRows.map { ImportRowOutcome(row: $0, outcome: .error, id: nil) }
        report.rows.sort { $0.row < $1.row }
        report.errors = report.errors.enumerated().sorted { ($0.element.row, $0.offset) < ($1.element.row, $1.offset) }.map(\.element)
        // Every row's outcome is listed, but the errors as a 422 lists field errors: the first hundred, each quoting
        // at most 200 characters of what the file held; `totals.errors` counts them all.
        let errorCount = report.errors.count
        report.errors = report.errors.prefix(ValidationFailure.reportedLimit).map { error in
            var short = error
            short.value = error.value.map(Self.echoed)
            short.column = error.column.map(Self.echoed)
            short.detail = Self.echoed(error.detail)
            return short
        }
        for outcome in report.rows {
            switch outcome.outcome {
            case .created: report.totals.created += 1
            case .updated: report.totals.updated += 1
            case .unchanged: report.totals.unchanged += 1
            case .error: break
            }
        }
        report.totals.rows = report.rows.count
        report.totals.errors = errorCount
        return report
    }
}

/// What an import row's reference whose key names nothing reads as while the rest of the row is checked.
private let unresolvedReferenceId = "unresolved-reference"

/// The state of one import while its rows are written: looked-up keys and the rows already seen.
struct RowImporter<F: ImportableResource> {
    /// Why a key names nothing, and what to do: cities are created, not imported, and a code of no municipality
    /// names none in any database.
    static func unknownKeyDetail(_ target: ReferenceTarget, key: String, described: String) -> String {
        guard target == .city else { return "no \(described) has \(target.keyName) \(key); import \(target.importName) first" }
        if let problem = MunicipalityCode.problem(key) { return problem }
        return "no city in Salkku has municipalityCode \(key); create it first (POST /v1/cities)"
    }

    let database: AppDatabase
    let format: ExchangeFormat
    let cityId: String?
    let today: LocalDate
    let actor: Actor
    let rules: ImportRules<F>
    let db: Database
    var keyCache: [String: String?] = [:]
    var seenIds: [String: Int] = [:]
    /// The row that first named each stored record, by its id or its key.
    var seenRecords: [String: Int] = [:]
    /// The row that first carried each identity (natural key, VAT number…), and who may share it.
    var seenIdentities: [String: (row: Int, sharedBy: String?)] = [:]
    /// Records to create once every row has passed, with the index of their row's outcome.
    var creations: [(fields: F, outcome: Int)] = []
    /// Rows imported so far: the index of the current row's outcome.
    var rowsSeen = 0

    init(database: AppDatabase, format: ExchangeFormat, cityId: String?, today: LocalDate, actor: Actor, rules: ImportRules<F>, db: Database) {
        self.database = database
        self.format = format
        self.cityId = cityId
        self.today = today
        self.actor = actor
        self.rules = rules
        self.db = db
    }

    mutating func importRow(_ row: ImportRow) throws -> (ImportRowOutcome, [ImportError]) {
        defer { rowsSeen += 1 }
        var errors: [ImportError] = []
        func fail(_ column: String?, _ detail: String) {
            errors.append(ImportError(row: row.number, column: column, value: column.flatMap { row.cells[$0] }, detail: detail))
        }
        func failed() -> (ImportRowOutcome, [ImportError]) { (ImportRowOutcome(row: row.number, outcome: .error, id: nil), errors) }

        var patch = row.patch
        // A reference whose key names nothing is named, and the row is still read with a stand-in for it, so that its
        // other errors are named beside it; the reader's word on a stand-in is not reported.
        var unresolved: Set<String> = []
        func standIn(for reference: ExchangeReference) {
            unresolved.insert(reference.member)
            patch[reference.member] = reference.isList ? .array([.string(unresolvedReferenceId)]) : .string(unresolvedReferenceId)
        }
        for reference in format.references {
            guard let given = row.keys[reference.member] else { continue }
            let keys: [String]
            switch given {
            case .string(let key): keys = [key]
            case .array(let items): keys = items.compactMap { if case .string(let key) = $0 { key } else { nil } }
            default:
                fail(reference.keyColumn, "must be \(reference.isList ? "a list of keys" : "a key")")
                standIn(for: reference)
                continue
            }
            var ids: [String] = []
            for key in keys {
                if let id = try resolve(reference.target, key) {
                    ids.append(id)
                } else {
                    fail(reference.keyColumn, Self.unknownKeyDetail(reference.target, key: key, described: describe(reference.target)))
                }
            }
            guard ids.count == keys.count else {
                standIn(for: reference)
                continue
            }
            let resolved: JSONValue = reference.isList ? .array(ids.map(JSONValue.string)) : .string(ids[0])
            // An export names a reference both ways; the key decides, and an id of this database must agree with it.
            if let named = patch[reference.member], named != .null, named != resolved {
                let namedIds: [String] = switch named {
                case .string(let id): [id]
                case .array(let items): items.compactMap { if case .string(let id) = $0 { id } else { nil } }
                default: []
                }
                if try namedIds.contains(where: { try exists(reference.target, id: $0) }) {
                    fail(reference.member, "names another record than \(reference.keyColumn) does")
                    standIn(for: reference)
                    continue
                }
            }
            patch[reference.member] = resolved
        }
        let referenceErrors = errors.count

        // The record the row is about: by id when this database has it, else by natural key.
        var current: Resource<F>?
        if let id = row.id {
            if let first = seenIds[id] { fail("id", "repeats row \(first): one row per record") }
            seenIds[id] = row.number
            current = try database.fetch(F.self, id: id, cityId: cityId, db: db)
            if let current, errors.isEmpty, let first = seenRecords[current.meta.id] {
                fail("id", "repeats row \(first): both name \(F.resourceType) \(current.meta.id), and a file has one row per record")
            }
            // An id from another database names nothing here and the row makes a new record; an id of another
            // city's record is a mistake (or a probe), never a reason to touch it or to copy it.
            if current == nil, let kind = try recordKind(id: id) {
                fail("id", kind.resourceType == F.resourceType ? "is not a \(F.resourceType) of this city"
                     : "is the id of a \(kind.resourceType), not of a \(F.resourceType)")
            }
        }
        // The key as stored records carry it: a legacy six-digit business ID names the supplier stored padded.
        let keyValues = format.naturalKey.map { format.matchingKey(member: $0, patch[$0] ?? .null) }
        if !keyValues.contains(.null), unresolved.isDisjoint(with: format.naturalKey) {
            // Rows that name their record by id may share a key that several records carry (one city's own
            // production and municipal enterprises share its business ID); the id tells them apart. Rows that repeat
            // a key otherwise are found below, by the key of what they make.
            let byKey = try findAllByNaturalKey(keyValues)
            if let current, !byKey.isEmpty, !byKey.contains(current.meta.id) {
                fail("id", "is \(F.resourceType) \(current.meta.id), but the row's \(format.naturalKey.joined(separator: " and ")) \(format.naturalKey.count == 1 ? "names" : "name") \(F.resourceType) \(byKey[0])")
            } else if current == nil, byKey.count > 1 {
                fail(format.naturalKey[0], "names \(byKey.count) \(F.resourceType) records (\(byKey.joined(separator: ", "))); give the row's id")
            } else if current == nil, let only = byKey.first {
                current = try database.fetch(F.self, id: only, cityId: cityId, db: db)
                if let current, let first = seenRecords[current.meta.id] {
                    fail(format.naturalKey[0], "repeats row \(first): both name \(F.resourceType) \(current.meta.id), and a file has one row per record")
                }
            }
        }
        if let current { seenRecords[current.meta.id] = seenRecords[current.meta.id] ?? row.number }
        // Which record the row is about must be known before it is read against it: not when its key is unresolved.
        guard errors.count == referenceErrors, unresolved.isDisjoint(with: format.naturalKey) else { return failed() }

        let base: JSONValue = try current.map { try JSONValue.of($0.fields) } ?? .object([:])
        let merged = base.mergePatched(with: .object(patch)).withoutEmptyObjects
        let inputErrors = InputErrors()
        let fields = rules.read(merged, inputErrors)
        for error in inputErrors.list {
            let member = (error.pointer ?? "").split(separator: "/").first.map(String.init) ?? ""
            if !unresolved.contains(member) { fail(format.column(of: error.pointer ?? "", in: row), error.detail) }
        }
        guard let fields, errors.isEmpty else { return failed() }

        // Two rows that would store one identity twice are refused here, in a dry run as in a real one, whichever
        // column holds it and however it is written (a legacy business ID and its padded form are one); else the
        // second would pass the checks against what is stored and fail only when the rows are written.
        for identity in identities(of: fields, merged: merged) {
            let slot = identity.name + "\u{1F}" + identity.value
            if let first = seenIdentities[slot] {
                if identity.sharedBy == nil || identity.sharedBy != first.sharedBy {
                    fail(identity.column, "repeats row \(first.row)'s \(identity.name) \(identity.value): it names one \(F.resourceType), and a file has one row per record"
                         + (first.sharedBy != nil || identity.sharedBy != nil ? " (only one city's own production and municipal enterprises share their city's business ID)" : ""))
                }
            } else {
                seenIdentities[slot] = (row.number, identity.sharedBy)
            }
        }
        guard errors.isEmpty else { return failed() }

        do {
            let problems = try F.importProblems(fields, cityId: cityId, today: today, in: database, db: db) + rules.check(current, fields)
            for problem in problems { fail(format.column(of: problem.pointer ?? "", in: row), problem.detail) }
            guard errors.isEmpty else { return failed() }
            if let current {
                if fields == current.fields { return (ImportRowOutcome(row: row.number, outcome: .unchanged, id: current.meta.id), []) }
                guard F.importUpdates else {
                    fail(nil, "differs from \(F.resourceType) \(current.meta.id), and a stored \(F.resourceType) is never changed: record a new one")
                    return failed()
                }
                let record = try db.inSavepointReturning { try database.replace(current, with: fields, by: actor, db: db) }
                return (ImportRowOutcome(row: row.number, outcome: .updated, id: record.meta.id), [])
            }
            try database.check(fields, id: nil, cityId: cityId, db: db)
            creations.append((fields, outcome: rowsSeen))
            return (ImportRowOutcome(row: row.number, outcome: .created, id: nil), [])
        } catch StoreError.invalid(let problems) {
            for problem in problems { fail(format.column(of: problem.pointer ?? "", in: row), problem.detail) }
        } catch StoreError.conflict(let detail) {
            // The column of the identity the conflict is about (a supplier's vatNumber), else the natural key's.
            let column = F.importIdentities(fields).first { detail.contains(" \($0.column) ") }?.column
            fail(column ?? format.naturalKey.first, detail)
        } catch let failure as ValidationFailure {
            for problem in failure.errors { fail(format.column(of: problem.pointer ?? "", in: row), problem.detail) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            fail(nil, "is refused by the database: \(error.message ?? "a constraint failed")")
        } catch let refusal as ImportRefusal {
            fail(refusal.column, refusal.detail)
        }
        return failed()
    }

    /// The row's natural key (as stored records carry it), then the other values the write path keeps unique.
    func identities(of fields: F, merged: JSONValue) -> [ImportIdentity] {
        var identities = F.importIdentities(fields)
        let key = format.naturalKey.map { format.matchingKey(member: $0, merged.at([$0])) }
        if !key.isEmpty, !key.contains(.null) {
            let value = key.map { if case .string(let text) = $0 { text } else { "\($0)" } }.joined(separator: " ")
            identities.insert(ImportIdentity(column: format.naturalKey[0], name: format.naturalKey.joined(separator: " and "), value: value,
                                             sharedBy: F.naturalKeySharing(fields)), at: 0)
        }
        return identities
    }

    func describe(_ target: ReferenceTarget) -> String {
        switch target {
        case .supplier: "supplier"
        case .service: "service of this city"
        case .contract: "contract of this city"
        case .sla: "SLA of this city"
        case .city: "city"
        }
    }

    private static func table(_ target: ReferenceTarget) -> (table: String, cityScoped: Bool) {
        switch target {
        case .supplier: ("supplier", false)
        case .service: ("service", true)
        case .contract: ("contract", true)
        case .sla: ("sla", true)
        case .city: ("city", false)
        }
    }

    mutating func resolve(_ target: ReferenceTarget, _ sent: String) throws -> String? {
        // As stored records carry it: `112038-9` names the supplier stored as `0112038-9`.
        let key = target.matchingKey(sent)
        let cacheKey = "\(target.rawValue)\u{1F}\(key)"
        if let cached = keyCache[cacheKey] { return cached }
        let (table, cityScoped) = Self.table(target)
        // A city's business ID is carried by its own production and its municipal enterprises: by key it names
        // the own production (a reference to the enterprise gives its id).
        let order = target == .supplier ? " ORDER BY kind <> 'own-production', id LIMIT 1" : ""
        let id = try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM \(table) WHERE \(target.keyName) = ?\(cityScoped ? " AND cityId = ?" : "")\(order)"),
                                     arguments: cityScoped ? [key, cityId] : [key])
        // Created rows of this file are not referenced by this file (one file, one type), so the cache stays true.
        keyCache[cacheKey] = id
        return id
    }

    /// The kind of record this database keeps under `id`, of any city.
    func recordKind(id: String) throws -> ResourceRegistry.Kind? {
        for kind in ResourceRegistry.all
        where try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM \(kind.table) WHERE id = ?)"), arguments: [id]) == true {
            return kind
        }
        return nil
    }

    func exists(_ target: ReferenceTarget, id: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM \(Self.table(target).table) WHERE id = ?)"), arguments: [id]) ?? false
    }

    /// Every record the key names, in id order (a few at most: keys are unique but for a city's shared business ID).
    func findAllByNaturalKey(_ values: [JSONValue]) throws -> [String] {
        var conditions = format.naturalKey.map { "\($0.quotedDatabaseIdentifier) = ?" }
        var arguments: [DatabaseValueConvertible?] = values.map { value -> DatabaseValueConvertible? in
            switch value {
            case .string(let text): text
            case .integer(let integer): integer
            default: "\(value)"
            }
        }
        if F.isCityOwned {
            conditions.append("cityId = ?")
            arguments.append(cityId)
        }
        return try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM \(F.databaseTableName) WHERE \(conditions.joined(separator: " AND ")) ORDER BY id LIMIT 20"),
                                   arguments: StatementArguments(arguments))
    }
}

/// A row the caller's rules refuse, with the column it is about.
public struct ImportRefusal: Error, Sendable {
    public var column: String?
    public var detail: String

    public init(column: String?, detail: String) {
        self.column = column
        self.detail = detail
    }
}

extension Database {
    /// `body` in a savepoint: what it wrote is undone when it throws, and the transaction goes on.
    func inSavepointReturning<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        try inSavepoint {
            result = try body()
            return .commit
        }
        return result!
    }
}
