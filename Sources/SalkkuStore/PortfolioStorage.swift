import Foundation
import GRDB
import SalkkuCore

/// Errors for ids in `ids` (at `/key/index`) that name no row of `table` in the city (or at all, for shared tables).
func missingReferences(_ ids: [String], key: String, table: String, cityId: String?, label: String,
                       db: Database) throws -> [FieldError] {
    guard !ids.isEmpty else { return [] }
    let cityCondition = cityId == nil ? "" : " AND cityId = ?"
    let cityArgument: StatementArguments = cityId.map { [$0] } ?? []
    // One query per list rather than per id: a transition plan's 200 measures of 100 unknown ids each held the
    // write transaction for 3 s when every id was a statement of its own. Chunks stay under SQLite's bound-variable limit.
    let distinct = Array(Set(ids))
    var existing = Set<String>()
    for start in stride(from: 0, to: distinct.count, by: 500) {
        let chunk = Array(distinct[start..<min(start + 500, distinct.count)])
        let placeholders = repeatElement("?", count: chunk.count).joined(separator: ",")
        existing.formUnion(try String.fetchAll(db, sql: "SELECT id FROM \(table) WHERE id IN (\(placeholders))\(cityCondition)",
                                               arguments: StatementArguments(chunk) + cityArgument))
    }
    return ids.enumerated().compactMap { index, id in
        existing.contains(id) ? nil : FieldError(pointer: "/\(key)/\(index)", "no \(label) has id \(id)")
    }
}

/// Own production and a municipal enterprise belong to one city (their `ownerCityId`): another city's unit cannot
/// provide, arrange or supply what this city has, nor count as its provider.
func anotherCitysUnit(_ supplierId: String?, cityId: String?, pointer: String, db: Database) throws -> FieldError? {
    guard let supplierId, let cityId,
          let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT kind, ownerCityId FROM supplier WHERE id = ?"), arguments: [supplierId])
    else { return nil }
    let kind: String = row["kind"]
    guard let owner: String = row["ownerCityId"], owner != cityId,
          kind == SupplierKind.ownProduction.rawValue || kind == SupplierKind.municipalEnterprise.rawValue else { return nil }
    let what = kind == SupplierKind.ownProduction.rawValue ? "the own production" : "a municipal enterprise"
    return FieldError(pointer: pointer, "is \(what) of city \(owner): it belongs to that city and serves no other")
}

/// The sentence naming another record of `table` in the same city that has `externalId`, or nil.
func externalIdConflict(_ externalId: String?, table: String, id: String?, cityId: String?, db: Database) throws -> String? {
    guard let externalId else { return nil }
    let other = try String.fetchOne(
        db, sql: "SELECT id FROM \(table) WHERE cityId = ? AND externalId = ? AND id IS NOT ?",
        arguments: [cityId, externalId, id])
    return other.map { "\(table) \($0) of this city already has externalId \(externalId)" }
}

extension ContractFields: StoredResource {
    public static let databaseTableName = "contract"
    public static let isCityOwned = true
    public static let rowReader: (@Sendable (StatementColumns) throws -> Self)? = read

    public static func referenceErrors(in fields: ContractFields, id: String?, cityId: String?, db: Database) throws -> [FieldError] {
        var errors: [FieldError] = []
        if try !Resource<SupplierFields>.exists(db, key: fields.supplierId) {
            errors.append(FieldError(pointer: "/supplierId", "no supplier has id \(fields.supplierId)"))
        } else if let foreign = try anotherCitysUnit(fields.supplierId, cityId: cityId, pointer: "/supplierId", db: db) {
            errors.append(foreign)
        }
        errors += try missingReferences(fields.serviceIds, key: "serviceIds", table: "service", cityId: cityId,
                                        label: "service of this city", db: db)
        if let id, let blocked = try slaBlockingServiceRemoval(fields, id: id, db: db) { errors.append(blocked) }
        if let id, let blocked = try spendBeforeStart(fields, id: id, db: db) { errors.append(blocked) }
        return errors
    }

    public static func uniquenessConflict(for fields: ContractFields, id: String?, cityId: String?, db: Database) throws -> String? {
        try externalIdConflict(fields.externalId, table: databaseTableName, id: id, cityId: cityId, db: db)
    }

    public static func deletionBlocker(id: String, db: Database) throws -> String? {
        if let sla = try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM sla WHERE contractId = ? ORDER BY id LIMIT 1"), arguments: [id]) {
            return "SLA \(sla) is defined under it"
        }
        return try Int.fetchOne(db.cachedStatement(sql: "SELECT year FROM contract_spend WHERE contractId = ? ORDER BY year LIMIT 1"), arguments: [id])
            .map { "the spend of \($0) is recorded under it" }
    }
}

extension SLAFields: StoredResource {
    public static let databaseTableName = "sla"
    public static let isCityOwned = true
    public static let rowReader: (@Sendable (StatementColumns) throws -> Self)? = read

    public static func referenceErrors(in fields: SLAFields, id: String?, cityId: String?, db: Database) throws -> [FieldError] {
        let contract = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT cityId, EXISTS (SELECT 1 FROM json_each(contract.serviceIds) WHERE value = ?) AS coversService
            FROM contract WHERE id = ?
            """), arguments: [fields.serviceId, fields.contractId])
        guard let contract, try contract.decode(String?.self, forColumn: "cityId") == cityId else {
            // Without the contract its services are unknown, but a service that does not exist is named beside it.
            return [FieldError(pointer: "/contractId", "no contract of this city has id \(fields.contractId)")]
                + (try missingReferences([fields.serviceId], key: "serviceId", table: "service", cityId: cityId, label: "service of this city", db: db)
                    .map { FieldError(pointer: "/serviceId", $0.detail) })
        }
        if try !contract.decode(Bool.self, forColumn: "coversService") {
            return [FieldError(pointer: "/serviceId", "must be one of the services of contract \(fields.contractId)")]
        }
        return []
    }

    public static func uniquenessConflict(for fields: SLAFields, id: String?, cityId: String?, db: Database) throws -> String? {
        try externalIdConflict(fields.externalId, table: databaseTableName, id: id, cityId: cityId, db: db)
    }

    public static func deletionBlocker(id: String, db: Database) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT period FROM measurement WHERE slaId = ? ORDER BY period LIMIT 1"), arguments: [id])
            .map { "it has a measurement for \($0)" }
    }
}

extension ProjectFields: StoredResource {
    public static let databaseTableName = "project"
    public static let isCityOwned = true

    public static func referenceErrors(in fields: ProjectFields, id: String?, cityId: String?, db: Database) throws -> [FieldError] {
        try missingReferences(fields.serviceIds, key: "serviceIds", table: "service", cityId: cityId,
                              label: "service of this city", db: db)
            + missingReferences(fields.supplierIds, key: "supplierIds", table: "supplier", cityId: nil, label: "supplier", db: db)
            + fields.supplierIds.enumerated().compactMap { index, supplierId in
                try anotherCitysUnit(supplierId, cityId: cityId, pointer: "/supplierIds/\(index)", db: db)
            }
    }

    public static func uniquenessConflict(for fields: ProjectFields, id: String?, cityId: String?, db: Database) throws -> String? {
        try externalIdConflict(fields.externalId, table: databaseTableName, id: id, cityId: cityId, db: db)
    }
}

extension ContractFields {
    /// Spend recorded for a year stays within the term: `startDate` cannot move past a year that has spend (the
    /// auditor's § 136 comparison would lose it). Delete or move that spend first.
    static func spendBeforeStart(_ fields: ContractFields, id: String, db: Database) throws -> FieldError? {
        guard let year = try Int.fetchOne(db.cachedStatement(sql: "SELECT MIN(year) FROM contract_spend WHERE contractId = ?"), arguments: [id]),
              year < fields.startDate.year else { return nil }
        return FieldError(pointer: "/startDate", "must not be after \(year): the spend of \(year) is recorded under the contract (DELETE …/spend/\(year) first)")
    }

    /// A contract's SLA list stays valid: a service cannot leave a contract while an SLA of the contract measures it.
    static func slaBlockingServiceRemoval(_ fields: ContractFields, id: String, db: Database) throws -> FieldError? {
        let row = try Row.fetchOne(db, sql: """
            SELECT id, serviceId FROM sla WHERE contractId = ? AND serviceId NOT IN (SELECT value FROM json_each(?))
            ORDER BY id LIMIT 1
            """, arguments: [id, try jsonArray(fields.serviceIds)])
        return try row.map { row in
            FieldError(pointer: "/serviceIds", "must keep service \(try row.decode(String.self, forColumn: "serviceId")): SLA \(try row.decode(String.self, forColumn: "id")) measures it")
        }
    }
}

extension ContractSpendFields: StoredResource {
    public static let databaseTableName = "contract_spend"
    public static let isCityOwned = true

    public static func referenceErrors(in fields: ContractSpendFields, id: String?, cityId: String?, db: Database) throws -> [FieldError] {
        let owner = try String.fetchOne(db.cachedStatement(sql: "SELECT cityId FROM contract WHERE id = ?"), arguments: [fields.contractId])
        return owner == cityId ? [] : [FieldError(pointer: "/contractId", "no contract of this city has id \(fields.contractId)")]
    }
}
