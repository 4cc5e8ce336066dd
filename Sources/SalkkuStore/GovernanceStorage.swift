import Foundation
import GRDB
import SalkkuCore

extension CapabilitySourcingFields: StoredResource {
    public static let databaseTableName = "capability_sourcing"
    public static let isCityOwned = true
}

extension EffortProfileFields: StoredResource {
    public static let databaseTableName = "effort_profile"
    public static let isCityOwned = true
}

extension GovernanceFactsFields: StoredResource {
    public static let databaseTableName = "governance_facts"
    public static let isCityOwned = true
}

extension AssessmentFields: StoredResource {
    public static let databaseTableName = "assessment"
    public static let isCityOwned = true
}

extension MaturitySnapshotFields: StoredResource {
    public static let databaseTableName = "maturity_snapshot"
    public static let isCityOwned = true
}

extension AppDatabase {
    /// Creates or replaces the one record of a city that `column` = `value` picks (PUT): through the write path,
    /// in one transaction, honouring `If-Match` (a record that does not exist has version 0).
    public func put<F: StoredResource>(_ fields: F, cityId: String, keyColumn: String? = nil, keyValue: String? = nil,
                                       acceptedVersions: Set<Int>?, by actor: Actor) throws -> (record: Resource<F>, created: Bool) {
        try writer.write { db in
            var request = Resource<F>.filter(Column("cityId") == cityId)
            if let keyColumn { request = request.filter(Column(keyColumn) == keyValue) }
            let current = try request.fetchOne(db)
            if let acceptedVersions, !acceptedVersions.contains(current?.meta.version ?? 0) {
                throw StoreError.versionMismatch(current: current?.meta.version ?? 0)
            }
            if let current { return (try replace(current, with: fields, by: actor, db: db), false) }
            return (try insert(fields, cityId: cityId, by: actor, db: db), true)
        }
    }

    /// The one record of a city that `column` = `value` picks, if any.
    public func keyed<F: StoredResource>(_ type: F.Type, cityId: String, keyColumn: String? = nil, keyValue: String? = nil) throws -> Resource<F>? {
        try read { db in
            var request = Resource<F>.filter(Column("cityId") == cityId)
            if let keyColumn { request = request.filter(Column(keyColumn) == keyValue) }
            return try request.fetchOne(db)
        }
    }

    /// Everything the maturity of a city on a date is computed from.
    public func maturityInputs(cityId: String, on date: LocalDate) throws -> MaturityInputs {
        let window = MaturityInputs.reportingWindow(before: date)
        let entries = try slaEntries(cityId: cityId, on: date)
        let counts = try measuredCounts(entries.map(\.scope), range: window, on: date)
        var reporting: [String: ComplianceTally] = [:]
        for entry in entries {
            let tally = ComplianceRules.tally(entry.scope, range: window, measured: counts[entry.id]?[nil] ?? MeasuredCounts(), on: date)
            if tally.periodsInScope > 0 { reporting[entry.id] = tally }
        }
        return try read { db in
            func all<F: StoredResource>(_ type: F.Type) throws -> [Resource<F>] {
                try db.fetchResources(Resource<F>.filter(Column("cityId") == cityId).order(Column("id")))
            }
            let contracts = try all(ContractFields.self)
            let services = try all(ServiceFields.self)
            let supplierIds = Set(contracts.map(\.fields.supplierId) + services.compactMap(\.fields.providerId)
                                  + services.compactMap(\.fields.arrangerId))
            let suppliers = try db.fetchResources(Resource<SupplierFields>.filter(keys: supplierIds))
            return MaturityInputs(
                cityId: cityId, date: date,
                governance: try Resource<GovernanceFactsFields>.filter(Column("cityId") == cityId).fetchOne(db)?.fields,
                effortProfile: try Resource<EffortProfileFields>.filter(Column("cityId") == cityId).fetchOne(db)?.fields,
                assessments: try all(AssessmentFields.self), contracts: contracts, services: services,
                projects: try all(ProjectFields.self), slas: try all(SLAFields.self),
                suppliers: Dictionary(uniqueKeysWithValues: suppliers.map { ($0.meta.id, $0) }), reporting: reporting)
        }
    }
}
