import ArgumentParser
import Foundation
import Hummingbird
import Logging
import SalkkuAPI
import SalkkuStore

@main
struct Salkku: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "salkku",
        abstract: "IT portfolio governance for Finnish cities on the purchaser–provider model.",
        subcommands: [Serve.self, Migrate.self, SeedDemo.self])
}

/// Which database file a command works on: `--db`, else `SALKKU_DB`, else `./salkku.sqlite`.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "SQLite database file (default: $SALKKU_DB or ./salkku.sqlite).")
    var path: String?

    var resolvedPath: String {
        path ?? ProcessInfo.processInfo.environment["SALKKU_DB"] ?? "./salkku.sqlite"
    }

    func open() throws -> AppDatabase {
        try AppDatabase.open(path: resolvedPath)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP API (migrating the database first).")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Flag(help: "Load the demo data set when the database is empty.") var demo = false

    func run() async throws {
        var logger = Logger(label: "salkku")
        logger.logLevel = .info
        let appDatabase = try database.open()
        if demo {
            let seeded = try DemoData.seedIfEmpty(appDatabase)
            logger.info("\(seeded ? "loaded the demo data set into" : "kept the existing data in") \(database.resolvedPath)")
        }
        let app = buildApplication(database: appDatabase, configuration: .init(host: host, port: port), logger: logger)
        // runService stops gracefully on SIGTERM and SIGINT, letting in-flight requests finish.
        try await app.runService()
    }
}

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema, then exit.")
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        _ = try database.open()
        print("database \(database.resolvedPath) is migrated")
    }
}

struct SeedDemo: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seed-demo", abstract: "Load the demo data set into an empty database.")
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let seeded = try DemoData.seedIfEmpty(try database.open())
        print(seeded ? "demo data loaded into \(database.resolvedPath)" : "\(database.resolvedPath) already holds cities; nothing loaded")
    }
}
