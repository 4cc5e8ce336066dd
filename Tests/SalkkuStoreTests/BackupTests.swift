import Foundation
import GRDB
import SalkkuCore
import Synchronization
import Testing

@testable import SalkkuStore

@Suite struct BackupTests {
    let directory: URL
    let actor = Actor(id: "t1", name: "tester", role: "admin")

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("salkku-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// A distinct valid business ID per number: when `10 n` has no check digit, `10 n + 1` has one.
    func supplier(_ number: Int) -> SupplierFields {
        SupplierFields(name: "Toimittaja \(number)", businessId: BusinessID.make(from: 1_000_000 + number * 10), kind: .commercial,
                       contact: nil)
    }

    /// A database with a city, a few suppliers and a token: rows in several tables and a change log to chain.
    func populatedDatabase(_ name: String = "live.sqlite") throws -> AppDatabase {
        let database = try AppDatabase.open(path: path(name))
        _ = try database.create(CityFields(municipalityCode: "092", name: LocalizedName(fi: "Vantaa", sv: "Vanda"),
                                           population: 250_000, itOrganisation: nil), cityId: nil, by: actor)
        for number in 0..<5 { _ = try database.create(supplier(number), cityId: nil, by: actor) }
        _ = try database.createToken(TokenRequest(name: "integraatio", role: .integration, cityCodes: [], expiresOn: nil), by: actor)
        return database
    }

    func unsoundProblem(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch DatabaseBackup.Failure.unsound(_, let problem) {
            return problem
        } catch {
            return "unexpected: \(error)"
        }
    }

    @Test func aBackupTakenWhileAnotherTaskWritesHoldsEveryWriteAcknowledgedBeforeIt() async throws {
        defer { remove() }
        let live = try populatedDatabase()
        let writes = Writes()
        let enoughWritten = AsyncStream<Void>.makeStream()
        let writer = Task.detached { [live, actor] in
            var number = 100
            while !writes.stop.load(ordering: .acquiring) {
                let record = try live.create(supplier(number), cityId: nil, by: actor)
                let count = writes.acknowledged.withLock { ids in
                    ids.append(record.meta.id)
                    return ids.count
                }
                if count == 20 { enoughWritten.continuation.yield() }
                number += 1
            }
        }
        for await _ in enoughWritten.stream { break }
        let acknowledgedBefore = writes.acknowledged.withLock { $0 }
        let summary = try DatabaseBackup.backUp(databaseAt: path("live.sqlite"), to: path("copy.sqlite"))
        writes.stop.store(true, ordering: .releasing)
        try await writer.value

        #expect(summary.auditEntries == Int(summary.changeFeedSeq))
        #expect(summary.tables.first { $0.table == "supplier" }!.rows >= 5 + acknowledgedBefore.count)
        let (copiedIds, journalMode) = try readCopy(path("copy.sqlite"))
        #expect(Set(acknowledgedBefore).isSubset(of: copiedIds))
        // The copy is one file with a rollback journal, not a WAL database that needs its companions.
        #expect(journalMode == "delete")
        #expect(!FileManager.default.fileExists(atPath: path("copy.sqlite-wal")))
        // Only the copy is left in the directory: no partial file.
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".") }
        #expect(names.isEmpty)
    }

    func readCopy(_ path: String) throws -> (supplierIds: Set<String>, journalMode: String?) {
        let copy = try DatabaseQueue(path: path, configuration: DatabaseBackup.readOnlyConfiguration())
        return try copy.read { db in
            (Set(try String.fetchAll(db, sql: "SELECT id FROM supplier")), try String.fetchOne(db, sql: "PRAGMA journal_mode"))
        }
    }

    final class Writes: Sendable {
        let acknowledged = Mutex<[String]>([])
        let stop = Atomic<Bool>(false)
    }

    @Test func aBackupRefusesToOverwriteAFileUnlessForced() throws {
        defer { remove() }
        _ = try populatedDatabase()
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: path("existing.sqlite")))
        #expect(throws: DatabaseBackup.Failure.targetExists(path: path("existing.sqlite"))) {
            try DatabaseBackup.backUp(databaseAt: path("live.sqlite"), to: path("existing.sqlite"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("existing.sqlite"))) == Data("keep me".utf8))
        let summary = try DatabaseBackup.backUp(databaseAt: path("live.sqlite"), to: path("existing.sqlite"), replacing: true)
        #expect(summary.tables.first { $0.table == "supplier" }?.rows == 5)
        #expect(throws: DatabaseBackup.Failure.noDatabase(path: path("missing.sqlite"))) {
            try DatabaseBackup.backUp(databaseAt: path("missing.sqlite"), to: path("other.sqlite"))
        }
        #expect(!FileManager.default.fileExists(atPath: path("missing.sqlite")))
    }

    @Test func aBackupOfAFileThatIsNotADatabaseLeavesNothingBehind() throws {
        defer { remove() }
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: path("garbage.sqlite")))
        let problem = unsoundProblem { try DatabaseBackup.backUp(databaseAt: path("garbage.sqlite"), to: path("copy.sqlite")) }
        #expect(problem?.hasPrefix("SQLite cannot copy it") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["garbage.sqlite"])
        // Nor does a restore of it create a database where there was none.
        #expect(unsoundProblem { try DatabaseBackup.restore(backupAt: path("garbage.sqlite"), to: path("new.sqlite")) } != nil)
        #expect(!FileManager.default.fileExists(atPath: path("new.sqlite")))
    }

    @Test func verifyNamesATamperedAuditEntry() throws {
        defer { remove() }
        _ = try populatedDatabase()
        try DatabaseBackup.backUp(databaseAt: path("live.sqlite"), to: path("copy.sqlite"))
        let tampered = try DatabaseQueue(path: path("copy.sqlite"))
        try tampered.write { db in try db.execute(sql: "UPDATE change SET actorName = 'someone else' WHERE seq = 3") }
        try tampered.close()
        let problem = unsoundProblem { _ = try DatabaseBackup.verify(fileAt: path("copy.sqlite")) }
        #expect(problem == "the audit log's hash chain breaks at entry 3: its content does not match its hash")
    }

    @Test func verifyNamesAMigrationThisBuildDoesNotKnow() throws {
        defer { remove() }
        _ = try populatedDatabase()
        try DatabaseBackup.backUp(databaseAt: path("live.sqlite"), to: path("copy.sqlite"))
        let newer = try DatabaseQueue(path: path("copy.sqlite"))
        try newer.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
        try newer.close()
        let problem = unsoundProblem { _ = try DatabaseBackup.verify(fileAt: path("copy.sqlite")) }
        #expect(problem?.hasPrefix("migration v99-from-the-future is not one this build of salkku knows") == true)
    }

    @Test func verifyNamesARowThatRefersToAMissingOne() throws {
        defer { remove() }
        _ = try populatedDatabase()
        try DatabaseBackup.backUp(databaseAt: path("live.sqlite"), to: path("copy.sqlite"))
        let orphaned = try DatabaseQueue(path: path("copy.sqlite"))  // foreign keys off, as a careless edit would have them
        try orphaned.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "UPDATE supplier SET ownerCityId = (SELECT id FROM city)")
            try db.execute(sql: "DELETE FROM city")
        }
        try orphaned.close()
        let problem = unsoundProblem { _ = try DatabaseBackup.verify(fileAt: path("copy.sqlite")) }
        #expect(problem?.hasPrefix("foreign_key_check: a row of supplier (rowid ") == true)
        #expect(problem?.hasSuffix("refers to a missing row of city") == true)
    }

    @Test func verifyNamesATruncatedFileAndGarbage() throws {
        defer { remove() }
        _ = try populatedDatabase()
        try DatabaseBackup.backUp(databaseAt: path("live.sqlite"), to: path("copy.sqlite"))
        let whole = try Data(contentsOf: URL(fileURLWithPath: path("copy.sqlite")))

        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path("truncated.sqlite")))
        let truncated = unsoundProblem { _ = try DatabaseBackup.verify(fileAt: path("truncated.sqlite")) }
        #expect(truncated != nil)
        #expect(truncated?.hasPrefix("unexpected") == false)

        var overwritten = whole
        overwritten.replaceSubrange(0..<100, with: Data(repeating: 0x5A, count: 100))
        try overwritten.write(to: URL(fileURLWithPath: path("garbage.sqlite")))
        let garbage = unsoundProblem { _ = try DatabaseBackup.verify(fileAt: path("garbage.sqlite")) }
        #expect(garbage?.hasPrefix("SQLite cannot read it") == true)

        // A page in the middle overwritten: the header is fine, the b-tree is not.
        var damaged = whole
        let page = 4096 * 3
        damaged.replaceSubrange(page..<(page + 4096), with: Data(repeating: 0xA5, count: 4096))
        try damaged.write(to: URL(fileURLWithPath: path("damaged.sqlite")))
        let damagedProblem = unsoundProblem { _ = try DatabaseBackup.verify(fileAt: path("damaged.sqlite")) }
        #expect(damagedProblem != nil)
        #expect(damagedProblem?.hasPrefix("unexpected") == false)

        #expect(throws: DatabaseBackup.Failure.noDatabase(path: path("nothing.sqlite"))) {
            try DatabaseBackup.verify(fileAt: path("nothing.sqlite"))
        }
    }

    @Test func restoreRefusesABrokenBackupAndLeavesTheDatabaseAlone() throws {
        defer { remove() }
        let live = try populatedDatabase()
        try DatabaseBackup.backUp(databaseAt: path("live.sqlite"), to: path("copy.sqlite"))
        let tampered = try DatabaseQueue(path: path("copy.sqlite"))
        try tampered.write { db in try db.execute(sql: "UPDATE change SET state = NULL, action = 'delete' WHERE seq = 2") }
        try tampered.close()
        let before = try live.reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM change") }
        let problem = unsoundProblem {
            _ = try DatabaseBackup.restore(backupAt: path("copy.sqlite"), to: path("target.sqlite"), replacing: true)
        }
        #expect(problem?.hasPrefix("the audit log's hash chain breaks at entry 2") == true)
        #expect(!FileManager.default.fileExists(atPath: path("target.sqlite")))
        #expect(try live.reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM change") } == before)
    }

    @Test func restoreRefusesADatabaseInUseOrThatExists() throws {
        defer { remove() }
        _ = try populatedDatabase()
        try DatabaseBackup.backUp(databaseAt: path("live.sqlite"), to: path("copy.sqlite"))
        // Held open until the end of the test, as a running server would.
        let inUse = try AppDatabase.open(path: path("in-use.sqlite"))
        #expect(throws: DatabaseBackup.Failure.targetExists(path: path("in-use.sqlite"))) {
            try DatabaseBackup.restore(backupAt: path("copy.sqlite"), to: path("in-use.sqlite"))
        }
        #expect(throws: DatabaseBackup.Failure.targetInUse(path: path("in-use.sqlite"))) {
            try DatabaseBackup.restore(backupAt: path("copy.sqlite"), to: path("in-use.sqlite"), replacing: true)
        }
        #expect(try inUse.reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM supplier") } == 0)
    }

    @Test func restoreOverAStoppedDatabaseGivesBackTheSourceData() throws {
        defer { remove() }
        let source = try populatedDatabase()
        let sourceDump = try dump(source.reader)
        try DatabaseBackup.backUp(databaseAt: path("live.sqlite"), to: path("copy.sqlite"))

        // A target that was a WAL database with other data, now stopped.
        do {
            let other = try AppDatabase.open(path: path("target.sqlite"))
            for number in 50..<60 { _ = try other.create(supplier(number), cityId: nil, by: actor) }
        }
        let summary = try DatabaseBackup.restore(backupAt: path("copy.sqlite"), to: path("target.sqlite"), replacing: true)
        #expect(summary.tables.first { $0.table == "supplier" }?.rows == 5)

        let restored = try AppDatabase.open(path: path("target.sqlite"))
        #expect(try dump(restored.reader) == sourceDump)
        #expect(try restored.verifyAuditChain().verified)
        // The server's next write continues the chain.
        _ = try restored.create(supplier(70), cityId: nil, by: actor)
        #expect(try restored.verifyAuditChain().verified)

        // Into a place where no database was.
        try DatabaseBackup.restore(backupAt: path("copy.sqlite"), to: path("fresh.sqlite"))
        #expect(try dump(try AppDatabase.open(path: path("fresh.sqlite")).reader) == sourceDump)
    }

    /// Every row of every table, as text, in a fixed order.
    func dump(_ reader: any DatabaseReader) throws -> [String: [String]] {
        try reader.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            var rows: [String: [String]] = [:]
            for table in tables {
                rows[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)").map(\.description).sorted()
            }
            return rows
        }
    }
}
