import ArgumentParser
import Foundation
import SalkkuStore

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database consistently while the server keeps running, then verify the copy.",
        discussion: """
            The copy is one state of the database, taken with SQLite's online backup API; writes the server makes \
            meanwhile are in the next backup. It is written next to --to and renamed into place, so a failed backup \
            leaves nothing under that name. The exit status is 1 when the copy fails verification (it is kept, since \
            it is what the database holds).
            """)
    @OptionGroup var database: DatabaseOptions
    @Option(help: "The backup file to write.") var to: String
    @Flag(help: "Replace --to when it exists.") var force = false

    func run() throws {
        try reportingFailure {
            let summary = try DatabaseBackup.backUp(databaseAt: database.resolvedPath, to: to, replacing: force)
            print("backed up \(database.resolvedPath) to \(to)")
            print(summary.lines.joined(separator: "\n"))
        }
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a database file (a backup, or a stopped server's database) without changing it.",
        discussion: """
            Opens the file read-only and runs SQLite's integrity_check and foreign_key_check, checks that every \
            migration applied is one this salkku knows, and recomputes the audit log's hash chain. The exit status is \
            0 when all hold, else 1 with the first broken thing named.
            """)
    @Argument(help: "The database file to check.") var file: String

    func run() throws {
        try reportingFailure {
            let summary = try DatabaseBackup.verify(fileAt: file)
            print(summary.lines.joined(separator: "\n"))
        }
    }
}

struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace the database with a backup, after verifying the backup. Stop the server first.",
        discussion: """
            A backup that fails verification is refused, and so is a database another process (a running server) \
            has open. An existing database is replaced only with --force. The backup is copied in through SQLite's \
            backup API, so the database's own WAL and shared-memory files stay consistent with it.
            """)
    @OptionGroup var database: DatabaseOptions
    @Option(help: "The backup file to restore.") var from: String
    @Flag(help: "Replace the database when it exists.") var force = false

    func run() throws {
        try reportingFailure {
            let summary = try DatabaseBackup.restore(backupAt: from, to: database.resolvedPath, replacing: force)
            print("restored \(from) into \(database.resolvedPath)")
            print(summary.lines.joined(separator: "\n"))
        }
    }
}

/// A refusal or a broken file is the operator's answer, not a crash: the message on standard error, exit status 1.
private func reportingFailure(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let failure as DatabaseBackup.Failure {
        FileHandle.standardError.write(Data("salkku: \(failure)\n".utf8))
        throw ExitCode(1)
    }
}

extension DatabaseBackup.Summary {
    /// A few lines for a terminal or a cron mail.
    var lines: [String] {
        let megabytes = Double(bytes) / 1_048_576
        return [
            "\(path): \(bytes) bytes (\((megabytes * 10).rounded() / 10) MiB); integrity and foreign keys ok",
            "migrations: \(migrations.count), the last \(migrations.last ?? "none"), all known to this salkku",
            "rows: " + tables.map { "\($0.table) \($0.rows)" }.joined(separator: ", "),
            "change feed at seq \(changeFeedSeq); audit log \(auditEntries) entries, "
                + (auditChainChecked ? "hash chain intact" : "written before the hash chain existed")
                + (lastAuditHash.map { ", last hash \($0)" } ?? ""),
        ]
    }
}
