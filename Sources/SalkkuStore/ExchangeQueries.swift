import GRDB
import SalkkuCore
import SalkkuExchange

/// The keys a city keeps for the records its exports refer to, so that a file names a supplier by business ID and a
/// service by the city's own key, and imports into another database as it was.
public struct ExchangeKeys: Sendable {
    var keys: [ReferenceTarget: [String: String]] = [:]

    public func key(_ target: ReferenceTarget, _ id: String) -> String? {
        keys[target]?[id]
    }
}

extension AppDatabase {
    /// Every key of the shared registers and of the city's own records (`cityId` nil: of every city).
    public func exchangeKeys(cityId: String?) throws -> ExchangeKeys {
        try read { db in
            var result = ExchangeKeys()
            func load(_ target: ReferenceTarget, _ sql: String, _ arguments: StatementArguments = []) throws {
                var map: [String: String] = [:]
                for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                    map[row[0]] = row[1]
                }
                result.keys[target] = map
            }
            try load(.supplier, "SELECT id, businessId FROM supplier WHERE businessId IS NOT NULL")
            try load(.city, "SELECT id, municipalityCode FROM city")
            for (target, table) in [(ReferenceTarget.service, "service"), (.contract, "contract"), (.sla, "sla")] {
                if let cityId {
                    try load(target, "SELECT id, externalId FROM \(table) WHERE externalId IS NOT NULL AND cityId = ?", [cityId])
                } else {
                    try load(target, "SELECT id, externalId FROM \(table) WHERE externalId IS NOT NULL")
                }
            }
            return result
        }
    }

    /// The suppliers that belong to a city's portfolio: its own production and enterprises, and every supplier its
    /// services, contracts and projects name.
    public func portfolioSupplierIds(cityId: String) throws -> Set<String> {
        try read { db in
            Set(try String.fetchAll(db, sql: """
                SELECT id FROM supplier WHERE ownerCityId = ?1
                UNION SELECT providerId FROM service WHERE cityId = ?1 AND providerId IS NOT NULL
                UNION SELECT arrangerId FROM service WHERE cityId = ?1 AND arrangerId IS NOT NULL
                UNION SELECT providerId FROM capability_sourcing WHERE cityId = ?1 AND providerId IS NOT NULL
                UNION SELECT supplierId FROM contract WHERE cityId = ?1
                UNION SELECT ps.supplierId FROM project_supplier ps JOIN project p ON p.id = ps.projectId WHERE p.cityId = ?1
                """, arguments: [cityId]))
        }
    }
}
