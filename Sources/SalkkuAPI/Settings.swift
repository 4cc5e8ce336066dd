import Configuration
import Foundation
import Logging

/// One setting of `salkku serve`. Its configuration key names both its flag and its environment variable:
/// `tokenRate` is `--token-rate` and `SALKKU_TOKEN_RATE`, as swift-configuration maps keys to variables.
public struct ServeSetting: Sendable, Hashable {
    /// The key under `salkku.` in the configuration.
    public let key: String
    public let flag: String

    init(_ key: String, flag: String? = nil) {
        self.key = key
        self.flag = flag ?? "--" + key.replacing(/[A-Z]/) { "-" + $0.output.lowercased() }
    }

    var configKey: String { "salkku.\(key)" }

    /// The environment variable, spelt as the environment provider looks it up.
    public var variable: String { "SALKKU_" + key.replacing(/[A-Z]/) { "_" + $0.output }.uppercased() }

    /// The help text's note on where else the setting comes from.
    public func help(_ text: String, default value: String? = nil) -> String {
        "\(text) (env \(variable)\(value.map { "; default \($0)" } ?? ""))"
    }

    public static let host = ServeSetting("host")
    public static let port = ServeSetting("port")
    public static let database = ServeSetting("db")
    public static let demo = ServeSetting("demo")
    public static let tokenRate = ServeSetting("tokenRate")
    public static let tokenBurst = ServeSetting("tokenBurst")
    public static let failedAuthPerMinute = ServeSetting("failedAuthPerMinute")
    public static let trustedProxies = ServeSetting("trustedProxies", flag: "--trusted-proxy")
    public static let corsOrigins = ServeSetting("corsOrigins", flag: "--cors-origin")
    public static let logFormat = ServeSetting("logFormat")
    public static let logLevel = ServeSetting("logLevel")
    public static let requestThreads = ServeSetting("requestThreads")
    public static let concurrentReports = ServeSetting("concurrentReports")
    public static let concurrentExports = ServeSetting("concurrentExports")
    public static let metricsHost = ServeSetting("metricsHost")
    public static let metricsPort = ServeSetting("metricsPort")
}

/// A setting that no source gave a usable value; the message names the flag or variable and what it must be.
public struct SettingError: Error, CustomStringConvertible, Equatable {
    public let description: String
}

/// Everything `salkku serve` runs with, read from its flags, then `SALKKU_*` environment variables, then defaults.
public struct ServeSettings: Sendable {
    public var server: ServerConfiguration
    public var databasePath: String
    public var demo: Bool
    public var logFormat: LogFormat
    public var logLevel: Logger.Level
    /// The listener of `GET /metrics`, apart from the API's; port 0 turns it off.
    public var metricsHost: String
    public var metricsPort: Int

    public static let defaultDatabasePath = "./salkku.sqlite"

    /// - Parameters:
    ///   - flags: the values given on the command line, by setting; a setting the command line left out is absent.
    ///   - environment: the process environment.
    public static func resolve(flags: [ServeSetting: ConfigValue], environment: [String: String]) throws -> ServeSettings {
        let reader = SettingsReader(flags: flags, environment: environment)
        let server = ServerConfiguration(
            host: try reader.string(.host) ?? "127.0.0.1",
            port: try reader.int(.port, in: 1...65535, default: 8080),
            rateLimits: RateLimits(
                // The bounds keep every rate-limit header and wait a whole number of seconds that fits an Int, and a
                // bucket that holds at least one request: a burst under 1 would refuse every request.
                tokenRequestsPerSecond: try reader.positive(.tokenRate, in: 0.001...1_000_000_000, default: 200),
                tokenBurst: try reader.positive(.tokenBurst, in: 1...1_000_000_000, default: 1_000),
                failedAuthenticationsPerMinute: try reader.positive(.failedAuthPerMinute, in: 1...1_000_000_000, default: 30),
                failedAuthenticationBurst: try reader.positive(.failedAuthPerMinute, in: 1...1_000_000_000, default: 30)),
            trustedProxies: TrustedProxies(try reader.list(.trustedProxies).map { text in
                guard let network = CIDR(text) else {
                    throw SettingError(description: "\(reader.source(.trustedProxies)): \(text) is not an IP address or CIDR network")
                }
                return network
            }),
            work: WorkLimits(requestThreads: try reader.int(.requestThreads, in: 1...256, default: 8),
                             concurrentReports: try reader.int(.concurrentReports, in: 1...64, default: 2),
                             concurrentExports: try reader.int(.concurrentExports, in: 1...64, default: 4)),
            corsOrigins: try reader.list(.corsOrigins).map { text in
                guard let origin = CORSOrigins.origin(text) else {
                    throw SettingError(description: "\(reader.source(.corsOrigins)): \(text) is not an origin such as https://portal.example.fi")
                }
                return origin
            })
        let level = try reader.string(.logLevel) ?? environment["LOG_LEVEL"]
        guard let logLevel = level.map({ Logger.Level(rawValue: $0.lowercased()) }) ?? .info else {
            throw SettingError(description: "\(reader.source(.logLevel)) must be one of: \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let formatText = try reader.string(.logFormat) ?? LogFormat.text.rawValue
        guard let logFormat = LogFormat(rawValue: formatText.lowercased()) else {
            throw SettingError(description: "\(reader.source(.logFormat)) must be one of: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return ServeSettings(server: server, databasePath: try reader.string(.database) ?? defaultDatabasePath,
                             demo: try reader.bool(.demo) ?? false, logFormat: logFormat, logLevel: logLevel,
                             metricsHost: try reader.string(.metricsHost) ?? "127.0.0.1",
                             metricsPort: try reader.int(.metricsPort, in: 0...65535, default: 9464))
    }

    /// The database file of any command: `--db`, else `SALKKU_DB`, else `./salkku.sqlite`.
    public static func databasePath(flag: String?, environment: [String: String]) throws -> String {
        try SettingsReader(flags: flag.map { [.database: ConfigValue(.string($0), isSecret: false)] } ?? [:], environment: environment)
            .string(.database) ?? defaultDatabasePath
    }
}

/// Reads settings through swift-configuration, and refuses a value that is present but unusable rather than
/// quietly taking the default, as the library's non-throwing readers would.
struct SettingsReader {
    let config: ConfigReader
    let flags: [ServeSetting: ConfigValue]
    let environment: EnvironmentVariablesProvider

    init(flags: [ServeSetting: ConfigValue], environment: [String: String]) {
        self.flags = flags
        self.environment = EnvironmentVariablesProvider(environmentVariables: environment)
        let values = Dictionary(uniqueKeysWithValues: flags.map { (AbsoluteConfigKey($0.key.configKey.split(separator: ".").map(String.init)), $0.value) })
        config = ConfigReader(providers: [InMemoryProvider(name: "flags", values: values), self.environment])
    }

    /// Where a setting's value came from, for messages.
    func source(_ setting: ServeSetting) -> String {
        flags[setting] != nil ? setting.flag : setting.variable
    }

    /// The raw text of an environment variable that is set, for telling "absent" from "unusable".
    private func rawValue(_ setting: ServeSetting) -> String? {
        guard flags[setting] == nil else { return nil }
        return (try? environment.environmentValue(forName: setting.variable)) ?? nil
    }

    private func unusable(_ setting: ServeSetting, _ rule: String) -> SettingError {
        let shown = rawValue(setting).map { " (it is \"\($0.prefix(100))\")" } ?? ""
        return SettingError(description: "\(source(setting)) must be \(rule)\(shown)")
    }

    func string(_ setting: ServeSetting) throws -> String? {
        guard let text = config.string(forKey: ConfigKey(setting.configKey)) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw unusable(setting, "a non-empty text") }
        return trimmed
    }

    func int(_ setting: ServeSetting, in range: ClosedRange<Int>, default value: Int) throws -> Int {
        let rule = "a whole number from \(range.lowerBound) to \(range.upperBound)"
        guard let number = config.int(forKey: ConfigKey(setting.configKey)) else {
            if rawValue(setting) != nil { throw unusable(setting, rule) }
            return value
        }
        guard range.contains(number) else { throw unusable(setting, rule) }
        return number
    }

    func positive(_ setting: ServeSetting, in range: ClosedRange<Double>, default value: Double) throws -> Double {
        let key = ConfigKey(setting.configKey)
        let shown = { (bound: Double) in bound == bound.rounded() ? String(Int(bound)) : String(bound) }
        let rule = "a number from \(shown(range.lowerBound)) to \(shown(range.upperBound))"
        guard let number = config.double(forKey: key) ?? config.int(forKey: key).map(Double.init) else {
            if rawValue(setting) != nil { throw unusable(setting, rule) }
            return value
        }
        guard number.isFinite, range.contains(number) else { throw unusable(setting, rule) }
        return number
    }

    func bool(_ setting: ServeSetting) throws -> Bool? {
        guard let flag = config.bool(forKey: ConfigKey(setting.configKey)) else {
            if rawValue(setting) != nil { throw unusable(setting, "true or false") }
            return nil
        }
        return flag
    }

    /// Repeated flags, or one comma-separated variable.
    func list(_ setting: ServeSetting) throws -> [String] {
        (config.stringArray(forKey: ConfigKey(setting.configKey)) ?? [])
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
