import ArgumentParser
import Configuration
import Foundation
import Hummingbird
import Logging
import SalkkuAPI
import SalkkuCore
import SalkkuDemo
import SalkkuExchange
import SalkkuJSON
import SalkkuStore
import ServiceLifecycle

@main
struct Salkku: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "salkku",
        abstract: "IT portfolio governance for Finnish cities on the purchaser–provider model.",
        subcommands: [Serve.self, Migrate.self, SeedDemo.self, Token.self, Audit.self, Generate.self, Import.self, Backup.self, Verify.self, Restore.self])
}

/// Which database file a command works on: `--db`, else `SALKKU_DB`, else `./salkku.sqlite`.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "SQLite database file (env SALKKU_DB; default ./salkku.sqlite).")
    var path: String?

    var resolvedPath: String {
        (try? ServeSettings.databasePath(flag: path, environment: ProcessInfo.processInfo.environment)) ?? ServeSettings.defaultDatabasePath
    }

    func open() throws -> AppDatabase {
        try AppDatabase.open(path: resolvedPath)
    }
}

/// `serve`'s options are optional here: one the command line leaves out comes from its `SALKKU_*` environment
/// variable, else its default, all read through swift-configuration by `ServeSettings`.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP API (migrating the database first).",
        discussion: "Every option can also be set by the environment variable named in its help; a flag wins over the variable.")

    @Option(name: .customLong("db"), help: .init(ServeSetting.database.help("SQLite database file", default: "./salkku.sqlite")))
    var databasePath: String?
    @Option(help: .init(ServeSetting.host.help("Address to listen on", default: "127.0.0.1"))) var host: String?
    @Option(help: .init(ServeSetting.port.help("Port to listen on", default: "8080"))) var port: Int?
    @Flag(name: .customLong("demo"), help: .init(ServeSetting.demo.help(
        "Load the demo data set when the database is empty, and its published tokens", default: "false")))
    var demo = false
    @Option(help: .init(ServeSetting.tokenRate.help("Requests per second each token may make, on average", default: "200")))
    var tokenRate: Double?
    @Option(help: .init(ServeSetting.tokenBurst.help("Requests each token may make at once", default: "1000"))) var tokenBurst: Double?
    @Option(help: .init(ServeSetting.failedAuthPerMinute.help("Failed authentications per minute allowed from one address", default: "30")))
    var failedAuthPerMinute: Double?
    @Option(name: .customLong("trusted-proxy"), help: .init(ServeSetting.trustedProxies.help(
        "A reverse proxy (CIDR; repeat for more, or comma-separated in the variable) whose X-Forwarded-For names the client", default: "none")))
    var trustedProxies: [String] = []
    @Option(name: .customLong("cors-origin"), help: .init(ServeSetting.corsOrigins.help(
        "A browser origin such as https://portal.example.fi that may call the API (repeat for more, or comma-separated in the variable)",
        default: "none")))
    var corsOrigins: [String] = []
    @Option(help: .init(ServeSetting.logFormat.help("Log format: text or json (one JSON object per line)", default: "text")))
    var logFormat: String?
    @Option(help: .init(ServeSetting.logLevel.help("Log level: trace, debug, info, notice, warning, error or critical (LOG_LEVEL too)",
                                                   default: "info")))
    var logLevel: String?
    @Option(help: .init(ServeSetting.requestThreads.help("Threads that run requests, off Swift's cooperative pool (1-256)", default: "8")))
    var requestThreads: Int?
    @Option(help: .init(ServeSetting.concurrentReports.help(
        "All-city reports (scorecards, benchmark, audit-chain verification) that may run at once; more get 503 with Retry-After (1-64)",
        default: "2")))
    var concurrentReports: Int?
    @Option(help: .init(ServeSetting.concurrentExports.help(
        "Exports (GET …/export) that may be open at once, each on a snapshot of the database; more get 503 with Retry-After (1-64)",
        default: "4")))
    var concurrentExports: Int?
    @Option(help: .init(ServeSetting.metricsHost.help("Address of the listener for GET /metrics (Prometheus), apart from the API's",
                                                      default: "127.0.0.1")))
    var metricsHost: String?
    @Option(help: .init(ServeSetting.metricsPort.help("Port of the metrics listener; 0 turns it off", default: "9464")))
    var metricsPort: Int?

    /// The values the command line gave, by setting.
    var flags: [ServeSetting: ConfigValue] {
        var values: [ServeSetting: ConfigValue] = [:]
        func put(_ setting: ServeSetting, _ content: ConfigContent?) {
            if let content { values[setting] = ConfigValue(content, isSecret: false) }
        }
        put(.database, databasePath.map { .string($0) })
        put(.host, host.map { .string($0) })
        put(.port, port.map { .int($0) })
        put(.demo, demo ? .bool(true) : nil)
        put(.tokenRate, tokenRate.map { .double($0) })
        put(.tokenBurst, tokenBurst.map { .double($0) })
        put(.failedAuthPerMinute, failedAuthPerMinute.map { .double($0) })
        put(.trustedProxies, trustedProxies.isEmpty ? nil : .stringArray(trustedProxies))
        put(.corsOrigins, corsOrigins.isEmpty ? nil : .stringArray(corsOrigins))
        put(.logFormat, logFormat.map { .string($0) })
        put(.logLevel, logLevel.map { .string($0) })
        put(.requestThreads, requestThreads.map { .int($0) })
        put(.concurrentReports, concurrentReports.map { .int($0) })
        put(.concurrentExports, concurrentExports.map { .int($0) })
        put(.metricsHost, metricsHost.map { .string($0) })
        put(.metricsPort, metricsPort.map { .int($0) })
        return values
    }

    func settings() throws -> ServeSettings {
        do {
            return try ServeSettings.resolve(flags: flags, environment: ProcessInfo.processInfo.environment)
        } catch let error as SettingError {
            throw ValidationError(error.description)
        }
    }

    func validate() throws {
        _ = try settings()
    }

    func run() async throws {
        let settings = try settings()
        var logger = Logger(label: "salkku") { label in SalkkuLogHandler(label: label, format: settings.logFormat) }
        logger.logLevel = settings.logLevel
        let appDatabase = try AppDatabase.open(path: settings.databasePath)
        if settings.demo {
            let seeded = try DemoData.seedIfEmpty(appDatabase)
            logger.info("\(seeded ? "loaded the demo data set into" : "kept the existing data in") \(settings.databasePath)")
            for (secret, request) in try DemoData.ensureDemoTokens(appDatabase) {
                let scope = request.cityCodes.isEmpty ? "all cities" : request.cityCodes.joined(separator: ", ")
                logger.info("demo token \(request.role.rawValue) (\(scope)): Authorization: Bearer \(secret)")
            }
        } else if try DemoData.revokeDemoTokens(appDatabase) > 0 {
            logger.notice("revoked the demo tokens of an earlier --demo start: their secrets are published; start with --demo to use them again")
        }
        if !settings.demo, try !appDatabase.hasUsableTokens(at: appDatabase.clock()) {
            logger.notice("""
                no usable API token exists; every /v1 route needs one. Create an admin token with:
                  salkku token create --role admin --name "First admin" --db \(settings.databasePath)
                """)
        }
        var server = settings.server
        let metrics = ServerMetrics()
        server.metrics = metrics
        let app = buildApplication(database: appDatabase, configuration: server, logger: logger)
        var services: [any Service] = [app]
        if settings.metricsPort != 0 {
            services.append(buildMetricsApplication(metrics: metrics, database: appDatabase, host: settings.metricsHost,
                                                    port: settings.metricsPort, logger: logger))
        }
        // Both stop gracefully on SIGTERM and SIGINT, letting in-flight requests finish; if either cannot start, neither runs.
        try await ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
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

/// The operator on the command line, as the audit log names them.
let operatorActor = Actor(id: nil, name: "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "operator")", role: "operator")

struct Token: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create, list and revoke API tokens.",
                                                    subcommands: [Create.self, List.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token and print its secret, once.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "admin, cio, integration or auditor.") var role: String
        @Option(name: .customLong("city"), help: "A municipality code the token may see (repeat for more; none: all cities).")
        var cities: [String] = []
        @Option(help: "Who or what the token is for.") var name: String
        @Option(help: "Last day the token works (YYYY-MM-DD).") var expires: String?

        func run() throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("--role must be one of: \(Role.allowedValues)") }
            var expiresOn: LocalDate?
            if let expires {
                guard let date = LocalDate(expires), SupportedDates.range.contains(date) else {
                    throw ValidationError("--expires must be a date YYYY-MM-DD \(SupportedDates.phrase)")
                }
                // A token that expired before it was made would only confuse whoever receives it.
                let today = HelsinkiCalendar.date(at: Timestamp(Date()))
                guard date >= today else { throw ValidationError("--expires must not be in the past (today is \(today) in Helsinki)") }
                expiresOn = date
            }
            for code in cities where !MunicipalityCode.isValid(code) { throw ValidationError("--city \(code) is not a municipality code") }
            let store = try database.open()
            do {
                let (secret, record) = try store.createToken(TokenRequest(name: name, role: role, cityCodes: cities, expiresOn: expiresOn),
                                                             by: operatorActor)
                print("token \(record.meta.id) (\(role.rawValue), \(cities.isEmpty ? "all cities" : cities.joined(separator: ", "))) created.")
                print("Its secret is shown only now; send it as Authorization: Bearer <secret>:")
                print(secret)
            } catch StoreError.invalid(let errors) {
                throw ValidationError(errors.map(\.detail).joined(separator: "; "))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tokens (never their secrets).")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let store = try database.open()
            var afterId: String?
            repeat {
                let page = try store.list(TokenFields.self, ListQuery(afterId: afterId, limit: 500))
                for token in page.items {
                    let state = token.fields.revokedAt.map { "revoked \($0)" } ?? token.fields.expiresOn.map { "expires \($0)" } ?? "active"
                    let scope = token.fields.cityIds.isEmpty ? "all cities" : "\(token.fields.cityIds.count) cities"
                    print("\(token.meta.id)  \(token.fields.role.rawValue)  \(scope)  \(state)  \(token.fields.name)")
                }
                afterId = page.lastIdWhenMore
            } while afterId != nil
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token; it stops working at once.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The token's id.") var id: String

        func run() throws {
            let store = try database.open()
            guard try store.fetch(TokenFields.self, id: id) != nil else { throw ValidationError("no token has id \(id)") }
            let token = try store.revokeToken(id: id, by: operatorActor)
            print("token \(id) revoked at \(token.fields.revokedAt!)")
        }
    }
}

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the audit log.", subcommands: [Verify.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recompute the hash chain and name the first broken entry.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let result = try database.open().verifyAuditChain()
            if result.verified {
                print("audit log verified: \(result.entries) entries, last hash \(result.lastHash ?? "none")")
            } else {
                print("audit log BROKEN at entry \(result.firstBrokenSeq!): \(result.reason!)")
                throw ExitCode(1)
            }
        }
    }
}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a deterministic national-scale data set, for benchmarks.")
    @Option(help: "The new database file.") var out: String
    @Option(help: "How many cities (308 is every municipality).") var cities = Municipalities.all.count
    @Option(help: "Services per city.") var services = 150
    @Option(help: "Contracts per city.") var contracts = 65
    @Option(help: "SLAs per city.") var slas = 200
    @Option(help: "Months of measurements per SLA.") var months = 60
    @Option(help: "Random seed; the same seed gives the same data.") var seed: UInt64 = 1

    func run() throws {
        guard !FileManager.default.fileExists(atPath: out) else { throw ValidationError("\(out) exists; generate writes a new database") }
        guard (1...Municipalities.all.count).contains(cities) else {
            throw ValidationError("--cities must be 1 to \(Municipalities.all.count), the municipalities of Finland")
        }
        let started = Date()
        // Ids are made at a fixed instant so that the same seed gives the same ids.
        let store = try AppDatabase.openForBulkLoad(path: out).with(ids: IDGenerator(deterministicAt: 1_767_225_600_000 + seed))
        try NationalData.generate(into: store, sizes: .init(cities: cities, servicesPerCity: services, contractsPerCity: contracts,
                                                             slasPerCity: slas, months: months), seed: seed) { done, total in
            if done % 10 == 0 || done == total {
                print("\(done)/\(total) cities, \(Int(Date().timeIntervalSince(started))) s")
            }
        }
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import one CSV or NDJSON file of one type into a city, all or nothing (as POST /v1/cities/{cityId}/imports/{type}).",
        discussion: """
            Import in this order, since what a row refers to must already exist: suppliers, services, contracts, slas, \
            projects, measurements, capabilities, assessments. A file whose name ends in .ndjson or .jsonl is NDJSON; \
            any other is CSV. The report is printed as JSON; the exit status is 1 when any row has an error (then \
            nothing is stored).
            """)
    @OptionGroup var database: DatabaseOptions
    @Option(name: .customLong("city"), help: "The city's municipality code, e.g. 091 (not for suppliers, which all cities share).")
    var city: String?
    @Option(help: "suppliers, services, contracts, slas, projects, measurements, capabilities or assessments.") var type: String
    @Flag(name: .customLong("dry-run"), help: "Check everything and store nothing.") var dryRun = false
    @Argument(help: "The file to import.") var file: String

    func run() throws {
        guard let format = ExchangeFormat.named(type) else {
            throw ValidationError("--type must be one of: \(ExchangeFormat.all.map(\.name).joined(separator: ", "))")
        }
        let store = try database.open()
        var cityId: String?
        if format.name == ExchangeFormat.suppliers.name {
            guard city == nil else { throw ValidationError("suppliers are shared by every city: leave out --city") }
        } else {
            guard let city else { throw ValidationError("--city is required for \(format.name)") }
            guard let found = try store.list(CityFields.self, ListQuery(limit: 10_000)).items.first(where: { $0.fields.municipalityCode == city }) else {
                throw ValidationError("no city has municipality code \(city)")
            }
            cityId = found.meta.id
        }
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
        let kind: FileImport.Kind = [".ndjson", ".jsonl"].contains { file.lowercased().hasSuffix($0) } ? .ndjson : .csv
        let report: ImportReport
        do {
            report = try FileImport(database: store, format: format, cityId: cityId, actor: operatorActor, scope: .unrestricted)
                .run(kind, Array(data), dryRun: dryRun)
        } catch let failure as ValidationFailure {
            throw ValidationError(failure.errors.map(\.detail).joined(separator: "; "))
        }
        print(String(decoding: try CompactJSONEncoder.encode(report), as: UTF8.self))
        let totals = report.totals
        let summary = "\(format.name): \(totals.rows) rows, \(totals.created) created, \(totals.updated) updated, \(totals.unchanged) unchanged, \(totals.errors) errors"
        FileHandle.standardError.write(Data((summary + (report.stored ? "; stored" : "; nothing stored") + "\n").utf8))
        if !report.errors.isEmpty { throw ExitCode(1) }
    }
}
