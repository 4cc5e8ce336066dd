import GRDB
import SalkkuCore

extension AppDatabase {
    /// Every kind of portfolio resource the change log records (tokens aside).
    public static var portfolioResourceTypes: [String] { ResourceRegistry.portfolio.map(\.resourceType) }

    /// The database as its records stood at `instant`: every read of the result sees the versions that were
    /// current then, through the history the write path keeps. When nothing has been written since, the
    /// records as they stand are the answer.
    public func asOf(_ instant: Timestamp) throws -> AppDatabase {
        let latest = try readStatement { db in
            try Timestamp.fetchOne(db.cachedStatement(sql: "SELECT at FROM change ORDER BY seq DESC LIMIT 1"))
        }
        guard let latest, instant < latest else { return self }
        // A database opened for a bulk load has no history connections; it must not answer with the present.
        guard historyReader != nil else { throw StoreError.conflict("this database is open for a bulk load and cannot read the past") }
        return reading(at: instant)
    }
}
