import GRDB
import SalkkuCore

extension CityFields: StoredResource {
    public static let databaseTableName = "city"
    public static let isCityOwned = false

    /// A city's own changes are filed under the city, so a city-scoped reader sees them.
    public static func owningCityId(id: String, cityId: String?) -> String? { id }

    public static func uniquenessConflict(for fields: CityFields, id: String?, cityId: String?, db: Database) throws -> String? {
        let other = try String.fetchOne(db, sql: "SELECT id FROM city WHERE municipalityCode = ? AND id IS NOT ?",
                                        arguments: [fields.municipalityCode, id])
        return other.map { "city \($0) already has municipalityCode \(fields.municipalityCode)" }
    }

    public static func deletionBlocker(id: String, db: Database) throws -> String? {
        // Each city-owned table of the registry is asked in turn.
        for table in ResourceRegistry.cityOwnedTables {
            if let owned = try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM \(table) WHERE cityId = ? LIMIT 1"), arguments: [id]) {
                return "it still owns \(table) \(owned)"
            }
        }
        if let supplier = try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM supplier WHERE ownerCityId = ? LIMIT 1"), arguments: [id]) {
            return "it still owns supplier \(supplier)"
        }
        if let supplier = try String.fetchOne(db.cachedStatement(sql: """
            SELECT s.id FROM supplier s, json_each(s.owners) o
            WHERE s.owners IS NOT NULL AND json_extract(o.value, '$.cityId') = ? ORDER BY s.id LIMIT 1
            """), arguments: [id]) {
            return "it is an owner of supplier \(supplier)"
        }
        return nil
    }
}

extension SupplierFields: StoredResource {
    public static let databaseTableName = "supplier"
    public static let isCityOwned = false
    public static let rowReader: (@Sendable (StatementColumns) throws -> Self)? = read

    /// A business ID names one supplier, except that one city's own production units and municipal enterprises all
    /// carry the city's; a VAT number and a foreign registry id name one supplier.
    public static func uniquenessConflict(for fields: SupplierFields, id: String?, cityId: String?, db: Database) throws -> String? {
        if let businessId = fields.businessId {
            let sharing = SupplierFields.ownableKinds.contains(fields.kind)
            let other = try String.fetchOne(db, sql: """
                SELECT id FROM supplier WHERE businessId = ?1 AND id IS NOT ?2
                  AND NOT (?3 AND kind IN ('own-production','municipal-enterprise') AND ownerCityId IS ?4)
                ORDER BY id LIMIT 1
                """, arguments: [businessId, id, sharing, fields.ownerCityId])
            if let other {
                return sharing
                    ? "supplier \(other) already has businessId \(businessId); only one city's own production and municipal enterprises share a business ID, their city's"
                    : "supplier \(other) already has businessId \(businessId)"
            }
        }
        if let vatNumber = fields.vatNumber,
           let other = try String.fetchOne(db, sql: "SELECT id FROM supplier WHERE vatNumber = ? AND id IS NOT ?", arguments: [vatNumber, id]) {
            return "supplier \(other) already has vatNumber \(vatNumber)"
        }
        if let registryId = fields.foreignRegistryId, let country = fields.country,
           let other = try String.fetchOne(db, sql: "SELECT id FROM supplier WHERE country = ? AND foreignRegistryId = ? AND id IS NOT ?",
                                           arguments: [country, registryId, id]) {
            return "supplier \(other) already has foreignRegistryId \(registryId) in \(country)"
        }
        return nil
    }

    public static func referenceErrors(in fields: SupplierFields, id: String?, cityId: String?, db: Database) throws -> [FieldError] {
        var errors: [FieldError] = []
        if let id, let serving = try anotherCityServed(by: id, as: fields, db: db) { errors.append(serving) }
        if let owner = fields.ownerCityId, try !Resource<CityFields>.exists(db, key: owner) {
            errors.append(FieldError(pointer: "/ownerCityId", "no city has id \(owner)"))
        }
        for (index, owner) in (fields.owners ?? []).enumerated() {
            if let ownerId = owner.cityId, try !Resource<CityFields>.exists(db, key: ownerId) {
                errors.append(FieldError(pointer: "/owners/\(index)/cityId", "no city has id \(ownerId)"))
            }
            // The owner is the municipality, named by its Salkku id or its code (imports name it by code); each once.
            if let code = owner.municipalityCode,
               let city = try String.fetchOne(db, sql: "SELECT id FROM city WHERE municipalityCode = ?", arguments: [code]),
               let first = fields.owners?.firstIndex(where: { $0.cityId == city }) {
                errors.append(FieldError(pointer: "/owners/\(index)/municipalityCode", "is the code of city \(city), already an owner in owners/\(first)"))
            }
        }
        return errors
    }

    /// A supplier that becomes a city's own production or municipal enterprise (by kind or owner) must not already
    /// serve another city: that city's services, contracts and capabilities would name another city's unit.
    static func anotherCityServed(by id: String, as fields: SupplierFields, db: Database) throws -> FieldError? {
        guard let owner = fields.ownerCityId, [.ownProduction, .municipalEnterprise].contains(fields.kind) else { return nil }
        guard let row = try Row.fetchOne(db, sql: """
            SELECT 'service' AS what, id AS which, cityId FROM service WHERE (providerId = ?1 OR arrangerId = ?1) AND cityId <> ?2
            UNION ALL SELECT 'contract', id, cityId FROM contract WHERE supplierId = ?1 AND cityId <> ?2
            UNION ALL SELECT 'capability', capabilityId, cityId FROM capability_sourcing WHERE providerId = ?1 AND cityId <> ?2
            UNION ALL SELECT 'project', p.id, p.cityId FROM project_supplier s JOIN project p ON p.id = s.projectId
                WHERE s.supplierId = ?1 AND p.cityId <> ?2
            LIMIT 1
            """, arguments: [id, owner]) else { return nil }
        let what: String = row["what"], which: String = row["which"], city: String = row["cityId"]
        return FieldError(pointer: "/ownerCityId",
                          "must be the only city it serves: \(what) \(which) of city \(city) names this supplier, and a city's own unit serves no other")
    }

    public static func deletionBlocker(id: String, db: Database) throws -> String? {
        if let service = try Row.fetchOne(db, sql: "SELECT id, cityId FROM service WHERE providerId = ? ORDER BY id LIMIT 1", arguments: [id]) {
            return "it provides service \(try service.decode(String.self, forColumn: "id")) of city \(try service.decode(String.self, forColumn: "cityId"))"
        }
        if let contract = try Row.fetchOne(db, sql: "SELECT id, cityId FROM contract WHERE supplierId = ? ORDER BY id LIMIT 1", arguments: [id]) {
            return "it is the supplier of contract \(try contract.decode(String.self, forColumn: "id")) of city \(try contract.decode(String.self, forColumn: "cityId"))"
        }
        if let project = try String.fetchOne(db.cachedStatement(sql: "SELECT projectId FROM project_supplier WHERE supplierId = ? ORDER BY projectId LIMIT 1"), arguments: [id]) {
            return "project \(project) names it as a supplier"
        }
        if let service = try Row.fetchOne(db, sql: "SELECT id, cityId FROM service WHERE arrangerId = ? ORDER BY id LIMIT 1", arguments: [id]) {
            return "it arranges service \(try service.decode(String.self, forColumn: "id")) of city \(try service.decode(String.self, forColumn: "cityId"))"
        }
        if let sourcing = try Row.fetchOne(db, sql: "SELECT capabilityId, cityId FROM capability_sourcing WHERE providerId = ? ORDER BY id LIMIT 1", arguments: [id]) {
            return "it provides capability \(try sourcing.decode(String.self, forColumn: "capabilityId")) of city \(try sourcing.decode(String.self, forColumn: "cityId"))"
        }
        return nil
    }
}

extension ServiceFields: StoredResource {
    public static let databaseTableName = "service"
    public static let isCityOwned = true

    public static func referenceErrors(in fields: ServiceFields, id: String?, cityId: String?, db: Database) throws -> [FieldError] {
        var errors: [FieldError] = []
        if let providerId = fields.providerId, try !Resource<SupplierFields>.exists(db, key: providerId) {
            errors.append(FieldError(pointer: "/providerId", "no supplier has id \(providerId)"))
        } else if let foreign = try anotherCitysUnit(fields.providerId, cityId: cityId, pointer: "/providerId", db: db) {
            errors.append(foreign)
        }
        if let arrangerId = fields.arrangerId, try !Resource<SupplierFields>.exists(db, key: arrangerId) {
            errors.append(FieldError(pointer: "/arrangerId", "no supplier has id \(arrangerId)"))
        } else if let foreign = try anotherCitysUnit(fields.arrangerId, cityId: cityId, pointer: "/arrangerId", db: db) {
            errors.append(foreign)
        }
        return errors
    }

    public static func deletionBlocker(id: String, db: Database) throws -> String? {
        if let contract = try String.fetchOne(db.cachedStatement(sql: "SELECT contractId FROM contract_service WHERE serviceId = ? ORDER BY contractId LIMIT 1"), arguments: [id]) {
            return "contract \(contract) covers it"
        }
        if let sla = try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM sla WHERE serviceId = ? ORDER BY id LIMIT 1"), arguments: [id]) {
            return "SLA \(sla) measures it"
        }
        if let project = try String.fetchOne(db.cachedStatement(sql: "SELECT projectId FROM project_service WHERE serviceId = ? ORDER BY projectId LIMIT 1"), arguments: [id]) {
            return "project \(project) concerns it"
        }
        return nil
    }

    public static func uniquenessConflict(for fields: ServiceFields, id: String?, cityId: String?, db: Database) throws -> String? {
        try externalIdConflict(fields.externalId, table: databaseTableName, id: id, cityId: cityId, db: db)
    }
}
