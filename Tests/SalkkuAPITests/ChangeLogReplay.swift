import Foundation
import GRDB
import SalkkuCore
@testable import SalkkuStore

extension AppDatabase {
    /// Decodes one stored state into its table, by resource type: every portfolio kind of the registry, parents first.
    static let replayLoaders: [(String, @Sendable (String, Database) throws -> Void)] = ResourceRegistry.portfolio.map { kind in
        (kind.resourceType, { state, db in
            let values = try kind.columns(state)
            let names = values.keys.sorted()
            try db.execute(sql: "INSERT INTO \(kind.table) (\(names.map(\.quotedDatabaseIdentifier).joined(separator: ", "))) "
                           + "VALUES (\(databaseQuestionMarks(count: names.count)))", arguments: StatementArguments(names.map { values[$0]! }))
        })
    }

    /// The test oracle of as-of reads (the product's way until the history tables): the database as it was at
    /// `instant`, rebuilt in memory from the change log, the latest state of every resource written by then and
    /// not deleted since. Only `cityId`'s resources (and the shared registries) are rebuilt when it is given.
    func replayedFromChangeLog(at instant: Timestamp, cityId: String? = nil) throws -> AppDatabase {
        var configuration = Self.configuration()
        // States are inserted parents first, but a parent deleted later may be missing from the past; the
        // snapshot is read-only, so the foreign keys need not hold.
        configuration.foreignKeysEnabled = false
        let snapshot = try AppDatabase(DatabaseQueue(configuration: configuration), clock: clock, ids: ids, history: { nil })
        var cityCondition = ""
        var arguments: StatementArguments = [instant]
        if let cityId {
            cityCondition = " AND (cityId = ? OR cityId IS NULL)"
            _ = arguments.append(contentsOf: [cityId])
        }
        let order = Dictionary(uniqueKeysWithValues: Self.replayLoaders.enumerated().map { ($1.0, $0) })
        let loaders = Dictionary(uniqueKeysWithValues: Self.replayLoaders)
        try read { source in
            let rows = try Row.fetchCursor(source, sql: """
                SELECT c.resourceType, c.state FROM change c
                JOIN (SELECT max(seq) AS seq FROM change WHERE at <= ?\(cityCondition) GROUP BY resourceType, resourceId) latest
                    ON c.seq = latest.seq
                WHERE c.state IS NOT NULL
                """, arguments: arguments)
            var states: [(Int, String, String)] = []
            while let row = try rows.next() {
                let type: String = row[0]
                guard let position = order[type] else { continue }
                states.append((position, type, row[1]))
            }
            states.sort { $0.0 < $1.0 }
            try snapshot.writer.write { db in
                for (_, type, state) in states { try loaders[type]!(state, db) }
            }
        }
        return snapshot
    }
}
