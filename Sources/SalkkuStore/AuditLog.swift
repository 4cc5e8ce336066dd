import Crypto
import Foundation
import GRDB
import SalkkuCore
import SalkkuJSON

/// One entry of the change log as the audit log shows and hashes it.
public struct AuditEntry: Sendable, Equatable {
    public var seq: Int64
    public var at: Timestamp
    public var actorId: String?
    public var actorName: String
    public var actorRole: String
    public var action: String
    public var resourceType: String
    public var resourceId: String
    public var cityId: String?
    public var version: Int
    /// The state before and after, as stored JSON text; nil before a creation and after a deletion.
    public var before: String?
    public var state: String?

    public static let genesisHash = String(repeating: "0", count: 64)

    /// The entry's canonical JSON (jansson, sorted keys, compact): every member but the hashes.
    public var canonicalJSON: String {
        CanonicalJSON.object([
            ("seq", .integer(seq)), ("at", .string(at.description)), ("actorId", actorId.map(CanonicalJSON.Value.string) ?? .null),
            ("actorName", .string(actorName)), ("actorRole", .string(actorRole)), ("action", .string(action)),
            ("resourceType", .string(resourceType)), ("resourceId", .string(resourceId)),
            ("cityId", cityId.map(CanonicalJSON.Value.string) ?? .null), ("version", .integer(Int64(version))),
            ("before", .json(before)), ("after", .json(state)),
        ])
    }

    /// The columns of `change` an entry fills, in the order of `columnValues`; the hashes come after them.
    static let columns = ["seq", "at", "actorId", "actorName", "actorRole", "action", "resourceType", "resourceId", "cityId", "version",
                          "state", "before"]

    var columnValues: [DatabaseValue] {
        [seq.databaseValue, at.databaseValue, actorId.databaseValue, actorName.databaseValue, actorRole.databaseValue, action.databaseValue,
         resourceType.databaseValue, resourceId.databaseValue, cityId.databaseValue, version.databaseValue, state.databaseValue,
         before.databaseValue]
    }

    /// SHA-256 over the canonical JSON followed by the previous entry's hash, in lowercase hex.
    public func hash(previous: String) -> String {
        Self.hash(canonicalJSON: canonicalJSON, previous: previous)
    }

    static func hash(canonicalJSON: String, previous: String) -> String {
        Hex.string(SHA256.hash(data: Data((canonicalJSON + previous).utf8)))
    }

    /// An entry as stored; a value edited into something else is an error, not the end of the process (GRDB's
    /// converting subscripts stop it).
    init(row: Row) throws {
        seq = try row.decode(forColumn: "seq")
        at = try row.decode(forColumn: "at")
        actorId = try row.decode(forColumn: "actorId")
        actorName = try row.decode(forColumn: "actorName")
        actorRole = try row.decode(forColumn: "actorRole")
        action = try row.decode(forColumn: "action")
        resourceType = try row.decode(forColumn: "resourceType")
        resourceId = try row.decode(forColumn: "resourceId")
        cityId = try row.decode(forColumn: "cityId")
        version = try row.decode(forColumn: "version")
        before = try row.decode(forColumn: "before")
        state = try row.decode(forColumn: "state")
    }

    init(seq: Int64, at: Timestamp, actor: Actor, action: String, resourceType: String, resourceId: String, cityId: String?,
         version: Int, before: String?, state: String?) {
        self.seq = seq
        self.at = at
        actorId = actor.id
        actorName = actor.name
        actorRole = actor.role
        self.action = action
        self.resourceType = resourceType
        self.resourceId = resourceId
        self.cityId = cityId
        self.version = version
        self.before = before
        self.state = state
    }
}

/// What a verification of the chain found.
public struct ChainVerification: Sendable, Equatable, Encodable {
    public var verified: Bool
    public var entries: Int
    /// The first entry whose hash does not match its content and predecessor, or that does not follow its predecessor.
    public var firstBrokenSeq: Int64?
    public var reason: String?
    public var lastHash: String?
}

extension AppDatabase {
    /// Recomputes the whole chain in order, streaming; names the first broken entry.
    public func verifyAuditChain() throws -> ChainVerification {
        try read { db in try Self.verifyAuditChain(db) }
    }

    /// The chain's verification on a connection of any database file; a backup is verified before it is opened
    /// as an `AppDatabase`, which would migrate it.
    static func verifyAuditChain(_ db: Database) throws -> ChainVerification {
        var previous = AuditEntry.genesisHash
        var count = 0
        var lastSeq: Int64 = 0
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM change ORDER BY seq")
        while let row = try rows.next() {
            count += 1
            // An entry edited into values the code cannot read breaks the chain there.
            guard let entry = try? AuditEntry(row: row), let storedPrevious: String? = try? row.decode(forColumn: "previousHash"),
                  let storedHash: String? = try? row.decode(forColumn: "hash") else {
                let seq = (try? row.decode(Int64.self, forColumn: "seq")) ?? lastSeq + 1
                return ChainVerification(verified: false, entries: count, firstBrokenSeq: seq,
                                         reason: "it holds a value that is not a valid one", lastHash: previous)
            }
            if entry.seq != lastSeq + 1 {
                return ChainVerification(verified: false, entries: count, firstBrokenSeq: entry.seq,
                                         reason: "entries \(lastSeq + 1)…\(entry.seq - 1) are missing", lastHash: previous)
            }
            if storedPrevious != previous {
                return ChainVerification(verified: false, entries: count, firstBrokenSeq: entry.seq,
                                         reason: "its previousHash does not match the hash of entry \(lastSeq)", lastHash: previous)
            }
            let expected = entry.hash(previous: previous)
            if storedHash != expected {
                return ChainVerification(verified: false, entries: count, firstBrokenSeq: entry.seq,
                                         reason: "its content does not match its hash", lastHash: previous)
            }
            previous = expected
            lastSeq = entry.seq
        }
        return ChainVerification(verified: true, entries: count, firstBrokenSeq: nil, reason: nil, lastHash: count == 0 ? nil : previous)
    }
}

/// Lowercase hex of bytes; String(format:) is far too slow for a hash per write.
enum Hex {
    static let digits = Array("0123456789abcdef".utf8)

    static func string(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension AppDatabase {
    /// Puts the change log in record-time order after writes stamped out of order (the demo, written type by type,
    /// stamped as each record would have been recorded): entries are renumbered by instant and the hash chain is
    /// linked anew. Only for a database whose every entry was written in the transaction that calls this.
    package func orderChangeLogByRecordTime(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TEMP TABLE change_order AS SELECT seq AS old, ROW_NUMBER() OVER (ORDER BY at, seq) AS new FROM change;
            UPDATE change SET seq = -seq;
            UPDATE change SET seq = (SELECT new FROM temp.change_order WHERE old = -change.seq);
            DROP TABLE temp.change_order;
            """)
        var previous = AuditEntry.genesisHash
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM change ORDER BY seq")
        for row in rows {
            let entry = try AuditEntry(row: row)
            let hash = entry.hash(previous: previous)
            try db.execute(sql: "UPDATE change SET previousHash = ?, hash = ? WHERE seq = ?", arguments: [previous, hash, entry.seq])
            previous = hash
        }
    }
}
