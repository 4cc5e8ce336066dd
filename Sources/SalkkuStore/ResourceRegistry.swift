import GRDB
import SalkkuCore
import SalkkuJSON

/// Every kind of resource the store keeps, listed once. The record history, city deletion, and the types the
/// change feed and the audit log know all follow from this list; a resource table missing from it fails
/// `ResourceRegistryTests`. Parents come before children.
public enum ResourceRegistry {
    public struct Kind: Sendable {
        public let resourceType: String
        let table: String
        let isCityOwned: Bool
        /// A change-log state as the table's columns.
        let columns: @Sendable (String) throws -> [String: DatabaseValue]
        /// The current row of a statement over the table, as the record's change-log state (what the change feed
        /// shows as `state`), written by the one JSON writer; for exports.
        let state: @Sendable (StatementColumns) throws -> [UInt8]
    }

    static func kind<F: StoredResource>(_ type: F.Type) -> Kind {
        Kind(resourceType: F.resourceType, table: F.databaseTableName, isCityOwned: F.isCityOwned, columns: { state in
            try JSONValue.decode(Resource<F>.self, from: Array(state.utf8)).databaseDictionary
        }, state: { row in
            try AppDatabase.stateJSON(try Resource<F>(row: row))
        })
    }

    /// The portfolio: what a city's records are made of, versioned in the history.
    public static let portfolio: [Kind] = [
        kind(CityFields.self), kind(SupplierFields.self), kind(ServiceFields.self), kind(ContractFields.self),
        kind(SLAFields.self), kind(ContractSpendFields.self), kind(MeasurementFields.self), kind(ProjectFields.self),
        kind(CapabilitySourcingFields.self), kind(EffortProfileFields.self), kind(GovernanceFactsFields.self),
        kind(AssessmentFields.self), kind(MaturitySnapshotFields.self), kind(MaturityModelFields.self), kind(TransitionPlanFields.self),
        kind(CAFAssessmentFields.self),
    ]

    /// API tokens: written through the same path and audited, but not portfolio records (no history, no city).
    public static let tokens = kind(TokenFields.self)

    public static var all: [Kind] { portfolio + [tokens] }

    /// Tables of records that belong to a city, children first: a city is deleted only when none holds a record of it.
    static var cityOwnedTables: [String] { portfolio.filter(\.isCityOwned).map(\.table).reversed() }
}
