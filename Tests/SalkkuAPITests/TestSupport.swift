import Foundation
import Synchronization
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SalkkuCore
import SalkkuDemo
import SalkkuStore
import Testing

@testable import SalkkuAPI

/// A fresh application over an in-memory database, with an admin token its client sends by default.
struct TestApp {
    let database: AppDatabase
    static let adminSecret = "test-admin-secret"

    let clock: TestClock

    /// - Parameter now: a fixed clock, e.g. `2026-11-23T10:00:00Z`, that `setNow` moves; the wall clock when nil.
    init(demo: Bool = false, now: String? = nil) throws {
        let clock = TestClock(now.flatMap { Timestamp(rfc3339: $0) })
        self.clock = clock
        database = demo ? try Self.demoCopy(now: now, clock: clock) : try AppDatabase.temporary(clock: { clock.now })
        _ = try database.createToken(TokenRequest(name: "Test admin", role: .admin), secret: Self.adminSecret, by: .demoSeed)
    }

    /// The demo seeded once per starting time (a fixed `now`, or the Helsinki day of the wall clock) and copied for
    /// each test: a seed takes seconds in a debug build, and a hundred tests start from the demo.
    private static let demoTemplates = Mutex<[String: AppDatabase]>([:])

    private static func demoCopy(now: String?, clock: TestClock) throws -> AppDatabase {
        let key = now ?? "wall clock on \(HelsinkiCalendar.date(at: Timestamp(Date())))"
        let template = try demoTemplates.withLock { templates in
            if let template = templates[key] { return template }
            let templateClock = TestClock(now.flatMap { Timestamp(rfc3339: $0) })
            let template = try AppDatabase.temporary(clock: { templateClock.now })
            try DemoData.seedIfEmpty(template)
            try DemoData.ensureDemoTokens(template)
            templates[key] = template
            return template
        }
        return try AppDatabase.temporary(copying: template, clock: { clock.now })
    }

    /// An application over a database made elsewhere (a replay of another's change log), with the test admin token.
    init(database: AppDatabase) throws {
        clock = TestClock(nil)
        self.database = database
        _ = try database.createToken(TokenRequest(name: "Test admin", role: .admin), secret: Self.adminSecret, by: .demoSeed)
    }

    /// Runs requests as `token` (the test admin by default); a request that sets Authorization itself keeps it.
    func run(token: String? = TestApp.adminSecret, rateLimits: RateLimits = .init(), corsOrigins: [String] = [],
             pageByteBudget: Int = ChangeQuery.pageByteBudget, logger: Logger = Logger(label: "salkku"),
             _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        var configuration = ServerConfiguration(rateLimits: rateLimits, corsOrigins: corsOrigins)
        configuration.pageByteBudget = pageByteBudget
        let app = buildApplication(database: database, configuration: configuration, logger: logger)
        try await app.test(.router) { client in try await body(AuthorizedClient(client: client, token: token)) }
    }

    /// Creates a token for the tests and returns its secret.
    func token(_ role: Role, cities: [String] = [], expiresOn: LocalDate? = nil) throws -> String {
        try database.createToken(TokenRequest(name: "Test \(role.rawValue)", role: role, cityCodes: cities, expiresOn: expiresOn),
                                 by: .demoSeed).secret
    }

    func changeCount() throws -> Int {
        try database.reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM change WHERE resourceType <> 'token'") ?? 0 }
    }
}

/// A clock the tests set: records made before `setNow` lie in the past of what follows.
final class TestClock: Sendable {
    private let fixed: Mutex<Timestamp?>

    init(_ start: Timestamp?) { fixed = Mutex(start) }

    var now: Timestamp { fixed.withLock { $0 } ?? Timestamp(Date()) }

    func set(_ text: String) { fixed.withLock { $0 = Timestamp(rfc3339: text)! } }
}

extension TestApp {
    func setNow(_ text: String) { clock.set(text) }
}

/// A test client that authenticates every request with a bearer token.
struct AuthorizedClient: TestClientProtocol {
    let client: any TestClientProtocol
    let token: String?

    var port: Int? { client.port }

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var headers = headers
        if let token, headers[.authorization] == nil { headers[.authorization] = "Bearer \(token)" }
        return try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
    }
}

extension TestClientProtocol {
    /// Sends a request; a body is JSON unless `contentType` says otherwise.
    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, contentType: String? = nil,
        headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = headers
        if let body, headers[.contentType] == nil {
            headers[.contentType] = contentType ?? (method == .patch ? "application/merge-patch+json" : "application/json")
        }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// Creates a resource and returns its JSON, failing the test unless the answer is 201.
    func create(_ path: String, _ body: String) async throws -> JSONValue {
        let response = try await send(.post, path, body: body)
        #expect(response.status == .created, "POST \(path): \(response.text)")
        return try response.json()
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func json() throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// The pointers or parameters a 422 names.
    func errorLocations() throws -> Set<String> {
        guard case .object(let problem) = try json(), case .array(let errors)? = problem["errors"] else { return [] }
        return Set(errors.compactMap { error -> String? in
            guard case .object(let members) = error else { return nil }
            if case .string(let pointer)? = members["pointer"] { return pointer }
            if case .string(let parameter)? = members["parameter"] { return parameter }
            return nil
        })
    }
}

extension JSONValue {
    subscript(_ key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    var string: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    var int: Int64? {
        guard case .integer(let number) = self else { return nil }
        return number
    }

    /// A number as text, integers and reals alike.
    var number: String? {
        switch self {
        case .integer(let value): String(value)
        case .real(let value): "\(value)"
        default: nil
        }
    }

    var bool: Bool? {
        guard case .bool(let flag) = self else { return nil }
        return flag
    }

    var array: [JSONValue] {
        guard case .array(let items) = self else { return [] }
        return items
    }
}

enum Bodies {
    static let city = #"{"municipalityCode": "179", "name": {"fi": "Jyväskylä"}, "population": 148622, "itOrganisation": "Keskitetty tietohallinto"}"#
    static let supplier = #"{"name": "Esimerkki Palvelut Oy", "businessId": "0112038-9", "kind": "commercial", "contact": {"email": "myynti@esimerkki.example"}}"#

    static func service(name: String = "Asianhallinta", providerId: String?, lifecycle: String = "active",
                        sector: String = "administration", externalId: String? = nil) -> String {
        var members = [
            #""name": "\#(name)""#, #""sector": "\#(sector)""#, #""owner": {"name": "Maija Meikäläinen", "title": "Palvelupäällikkö"}"#,
            #""lifecycle": "\#(lifecycle)""#, #""criticality": "high""#, #""annualCostCents": 12000000"#,
        ]
        if let providerId { members.append(#""providerId": "\#(providerId)""#) }
        if let externalId { members.append(#""externalId": "\#(externalId)""#) }
        return "{" + members.joined(separator: ", ") + "}"
    }
}
