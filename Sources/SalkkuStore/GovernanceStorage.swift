import Foundation
import GRDB
import SalkkuCore

extension CapabilitySourcingFields: StoredResource {
    public static let databaseTableName = "capability_sourcing"
    public static let isCityOwned = true

    /// The named provider must be a supplier of the registry, of a kind the sourcing can name.
    public static func referenceErrors(in fields: CapabilitySourcingFields, id: String?, cityId: String?, db: Database) throws -> [FieldError] {
        guard let providerId = fields.providerId else { return [] }
        guard let kindText = try String.fetchOne(db, sql: "SELECT kind FROM supplier WHERE id = ?", arguments: [providerId]) else {
            return [FieldError(pointer: "/providerId", "no supplier has id \(providerId)")]
        }
        if let kind = SupplierKind(rawValue: kindText), let refusal = fields.providerRefusal(kind: kind) {
            return [FieldError(pointer: "/providerId", refusal)]
        }
        return try anotherCitysUnit(providerId, cityId: cityId, pointer: "/providerId", db: db).map { [$0] } ?? []
    }
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

extension CAFAssessmentFields: StoredResource {
    public static let databaseTableName = "caf_assessment"
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
                                       conditions: WriteConditions, by actor: Actor) throws -> (record: Resource<F>, created: Bool) {
        try write { db in
            var request = Resource<F>.filter(Column("cityId") == cityId)
            if let keyColumn { request = request.filter(Column(keyColumn) == keyValue) }
            let current = try db.fetchResource(request)
            // `If-Match: *` holds only for a record that exists; `If-None-Match: *` makes the PUT create-only.
            try conditions.check(current: current?.meta.version)
            if let current { return (try replace(current, with: fields, by: actor, db: db), false) }
            return (try insert(fields, cityId: cityId, by: actor, db: db), true)
        }
    }

    /// The one record of a city that `column` = `value` picks, if any.
    public func keyed<F: StoredResource>(_ type: F.Type, cityId: String, keyColumn: String? = nil, keyValue: String? = nil) throws -> Resource<F>? {
        try read { db in
            var request = Resource<F>.filter(Column("cityId") == cityId)
            if let keyColumn { request = request.filter(Column(keyColumn) == keyValue) }
            return try db.fetchResource(request)
        }
    }

    /// Everything the maturity of a city on a date is computed from. Reporting is judged over the months that
    /// had ended by `dueBy` (the earlier of the date and the record time's date): a later date is a projection,
    /// and reports not yet due cannot count against the city.
    public func maturityInputs(cityId: String, on date: LocalDate, dueBy: LocalDate) throws -> MaturityInputs {
        // One read: every input from the same state of the database.
        try readTogether {
            let window = MaturityInputs.reportingWindow(before: dueBy)
            let entries = try slaEntries(cityId: cityId, on: date)
            let scopes = entries.map(\.scope)
            let reporting = ComplianceRules.tallies(scopes, range: window, counts: try measuredCounts(scopes, range: window, on: dueBy),
                                                    on: dueBy)
            let contracts = try all(ContractFields.self, cityId: cityId)
            let services = try all(ServiceFields.self, cityId: cityId)
            let suppliers = try byId(SupplierFields.self, ids: contracts.map(\.fields.supplierId) + services.compactMap(\.fields.providerId)
                                     + services.compactMap(\.fields.arrangerId))
            var inputs = MaturityInputs(
                cityId: cityId, date: date,
                governance: try keyed(GovernanceFactsFields.self, cityId: cityId)?.fields,
                effortProfile: try keyed(EffortProfileFields.self, cityId: cityId)?.fields,
                assessments: try all(AssessmentFields.self, cityId: cityId), contracts: contracts, services: services,
                projects: try all(ProjectFields.self, cityId: cityId), slas: try all(SLAFields.self, cityId: cityId),
                suppliers: suppliers, reporting: reporting)
            inputs.capabilitySourcings = try all(CapabilitySourcingFields.self, cityId: cityId).map(\.fields)
            inputs.municipalityCode = try fetch(CityFields.self, id: cityId)?.fields.municipalityCode
            inputs.recordedAt = recordTime ?? clock()
            let model = try maturityModel()
            inputs.model = MaturityModelVersion(version: model.meta.version, thresholds: model.fields.resolved)
            inputs.transitionPlan = try keyed(TransitionPlanFields.self, cityId: cityId)?.fields
            return inputs
        }
    }
}
