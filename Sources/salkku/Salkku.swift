import ArgumentParser
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
        subcommands: [Serve.self, Migrate.self, SeedDemo.self, Token.self, Audit.self, Generate.self, Import.self])
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
    @Flag(name: .customLong("demo"), help: "Load the demo data set when the database is empty, and its published tokens (default: $SALKKU_DEMO=true).")
    var demoFlag = false

    /// `--demo`, else `SALKKU_DEMO=true`.
    var demo: Bool { demoFlag || ProcessInfo.processInfo.environment["SALKKU_DEMO"]?.lowercased() == "true" }
    @Option(help: "Requests per second each token may make, on average.") var tokenRate: Double = 200
    @Option(help: "Requests each token may make at once.") var tokenBurst: Double = 1_000
    @Option(help: "Failed authentications per minute allowed from one address.") var failedAuthPerMinute: Double = 30
    @Option(name: .customLong("trusted-proxy"),
            help: "A reverse proxy (CIDR, repeat for more) whose X-Forwarded-For names the client (default: $SALKKU_TRUSTED_PROXIES, comma-separated; none).")
    var trustedProxies: [String] = []
    @Option(help: "Threads that run requests, off Swift's cooperative pool.") var requestThreads = 8
    @Option(help: "All-city reports (scorecards, benchmark, audit-chain verification) that may run at once; more get 503 with Retry-After.")
    var concurrentReports = 2
    @Option(help: "Exports (GET …/export) that may be open at once, each on a snapshot of the database; more get 503 with Retry-After.")
    var concurrentExports = 4
    @Option(help: "Address of the listener for GET /metrics (Prometheus), apart from the API's.") var metricsHost = "127.0.0.1"
    @Option(help: "Port of the metrics listener; 0 turns it off.") var metricsPort = 9464

    func validate() throws {
        for (name, value) in [("--token-rate", tokenRate), ("--token-burst", tokenBurst), ("--failed-auth-per-minute", failedAuthPerMinute)]
        where !(value.isFinite && value > 0) {
            throw ValidationError("\(name) must be a number greater than 0")
        }
        _ = try proxies()
        guard (1...256).contains(requestThreads) else { throw ValidationError("--request-threads must be from 1 to 256") }
        guard (1...64).contains(concurrentReports) else { throw ValidationError("--concurrent-reports must be from 1 to 64") }
        guard (1...64).contains(concurrentExports) else { throw ValidationError("--concurrent-exports must be from 1 to 64") }
        guard (0...65535).contains(metricsPort) else { throw ValidationError("--metrics-port must be from 0 (off) to 65535") }
    }

    /// `--trusted-proxy` wins over `SALKKU_TRUSTED_PROXIES`.
    func proxies() throws -> TrustedProxies {
        let texts = trustedProxies.isEmpty
            ? (ProcessInfo.processInfo.environment["SALKKU_TRUSTED_PROXIES"] ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            : trustedProxies
        return TrustedProxies(try texts.map { text in
            guard let network = CIDR(text) else { throw ValidationError("trusted proxy \(text) is not an IP address or CIDR network") }
            return network
        })
    }

    func run() async throws {
        var logger = Logger(label: "salkku")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let appDatabase = try database.open()
        if demo {
            let seeded = try DemoData.seedIfEmpty(appDatabase)
            logger.info("\(seeded ? "loaded the demo data set into" : "kept the existing data in") \(database.resolvedPath)")
            for (secret, request) in try DemoData.ensureDemoTokens(appDatabase) {
                let scope = request.cityCodes.isEmpty ? "all cities" : request.cityCodes.joined(separator: ", ")
                logger.info("demo token \(request.role.rawValue) (\(scope)): Authorization: Bearer \(secret)")
            }
        } else if try DemoData.revokeDemoTokens(appDatabase) > 0 {
            logger.notice("revoked the demo tokens of an earlier --demo start: their secrets are published; start with --demo to use them again")
        }
        if !demo, try !appDatabase.hasUsableTokens(at: appDatabase.clock()) {
            logger.notice("""
                no usable API token exists; every /v1 route needs one. Create an admin token with:
                  salkku token create --role admin --name "First admin" --db \(database.resolvedPath)
                """)
        }
        let limits = RateLimits(tokenRequestsPerSecond: tokenRate, tokenBurst: tokenBurst,
                                failedAuthenticationsPerMinute: failedAuthPerMinute, failedAuthenticationBurst: failedAuthPerMinute)
        let metrics = ServerMetrics()
        let app = buildApplication(database: appDatabase,
                                   configuration: .init(host: host, port: port, rateLimits: limits, trustedProxies: try proxies(),
                                                        work: WorkLimits(requestThreads: requestThreads, concurrentReports: concurrentReports,
                                                                         concurrentExports: concurrentExports),
                                                        metrics: metrics),
                                   logger: logger)
        var services: [any Service] = [app]
        if metricsPort != 0 {
            services.append(buildMetricsApplication(metrics: metrics, database: appDatabase, host: metricsHost, port: metricsPort, logger: logger))
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
    @Option(help: "How many cities (309 is every municipality).") var cities = 309
    @Option(help: "Services per city.") var services = 150
    @Option(help: "Contracts per city.") var contracts = 65
    @Option(help: "SLAs per city.") var slas = 200
    @Option(help: "Months of measurements per SLA.") var months = 60
    @Option(help: "Random seed; the same seed gives the same data.") var seed: UInt64 = 1

    func run() throws {
        guard !FileManager.default.fileExists(atPath: out) else { throw ValidationError("\(out) exists; generate writes a new database") }
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
