import Foundation
import HTTPTypes
import HummingbirdTesting
import SalkkuCore
import Testing

@testable import SalkkuAPI

// Issue 16's attack: every record goes to its row through the one derived `RowEncoder`, comes back through the one
// derived `RowDecoder` (or the generated readers), and its nested members through JSON text and `JSONValue`. For
// every kind of record the API writes, every optional member is set, with hostile texts at their longest, the
// largest amounts, decimals with three fractional digits and the first and last supported dates; what is read back
// (by id, in a list, at a past record time, in the change feed) must be what was written, and clearing an optional
// member must clear it.

/// A JSON body written by hand, so that numbers go out with exactly the digits meant and strings with escapes of
/// every kind (`\"`, `\\`, `\/`, `\uXXXX` with surrogate pairs), which the server must decode to the same text.
private indirect enum Body {
    case raw(String)
    case text(String)
    case object([(String, Body)])
    case array([Body])

    static let null = Body.raw("null")

    var json: String {
        switch self {
        case .raw(let literal): return literal
        case .text(let text): return Body.escaped(text)
        case .object(let members): return "{" + members.map { Body.escaped($0.0) + ": " + $0.1.json }.joined(separator: ", ") + "}"
        case .array(let items): return "[" + items.map(\.json).joined(separator: ",") + "]"
        }
    }

    /// Escapes quotes, backslashes, slashes and controls, and every third non-ASCII scalar as `\u` (pairs beyond the BMP).
    static func escaped(_ text: String) -> String {
        var out = "\""
        var nonASCII = 0
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/": out += "\\/"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else if scalar.value > 0x7F {
                    nonASCII += 1
                    if nonASCII % 3 == 0 {
                        for unit in String(scalar).utf16 { out += String(format: "\\u%04X", unit) }
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// A text of exactly `length` characters that the API keeps as sent: NFC, no surrounding white space, nothing refused.
private func hostile(_ length: Int, multiLine: Bool = false) -> String {
    var pieces = ["\"", "\\", "/", "\\u0000", "\\n", "'", "<b>", "&amp;", "é", "Å", "ß", "€", "😀", "𝄞", "\u{10FFFF}", "\u{FFFD}",
                  "\u{E000}", "{", "}", "[", "]", ":", ",", "%00", "$", "`", " ", "ä", "ö", "\u{1F1EB}\u{1F1EE}", "\u{FFFE}"]
    if multiLine { pieces += ["\n", "\t", "\r\n", "\u{2028}", "\u{2029}", "\u{FEFF}", "👨\u{200D}👩\u{200D}👧", "\u{200B}", "  \n  "] }
    var text = "A"
    var index = 0
    // In code points, as maxLength counts them.
    while text.unicodeScalars.count < length - 1 {
        text += pieces[index % pieces.count]
        index += 1
    }
    while text.unicodeScalars.count > length - 1 { text.unicodeScalars.removeLast() }
    text += "Z"
    return text
}

private let allCapabilityIds = GovernanceCatalogue.capabilities.map(\.id)
private let someProcessIds = Array(GovernanceCatalogue.processes.map(\.id).prefix(100))

private func ids(_ list: [String]) -> Body { .array(list.map(Body.text)) }

/// Decodes a body as the responses are decoded, to compare what was sent with what comes back.
private func decoded(_ body: Body) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: Data(body.json.utf8))
}

private extension JSONValue {
    var members: [String: JSONValue] {
        guard case .object(let members) = self else { return [:] }
        return members
    }

    /// Without the members that move with every write.
    func without(_ keys: Set<String>) -> JSONValue {
        .object(members.filter { !keys.contains($0.key) })
    }
}

/// Every member sent comes back exactly as sent.
private func expectEcho(_ sent: Body, in got: JSONValue, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    for (key, value) in try decoded(sent).members {
        #expect(got[key] == value, "\(what): \(key) was written as \(value) but read as \(got[key].map { "\($0)" } ?? "absent")",
                sourceLocation: sourceLocation)
    }
}

private func expectAbsent(_ keys: [String], in got: JSONValue, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for key in keys {
        #expect(got[key] == nil, "\(what): \(key) was cleared but reads \(got[key].map { "\($0)" } ?? "")", sourceLocation: sourceLocation)
    }
}

private func item(_ response: TestResponse, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
    #expect(response.status == .ok || response.status == .created, "\(what): \(response.status) \(response.text.prefix(500))",
            sourceLocation: sourceLocation)
    return try response.json()
}

/// Record times handed out in order, twenty minutes apart, all on 2026-11-23 in Helsinki: a write never goes
/// back in time, and a read at an instant between two writes sees the first.
private final class Instants: @unchecked Sendable {
    private var next = Timestamp(rfc3339: "2026-11-23T00:00:00Z")!
    /// The next instant, after the last one handed out.
    func tick() -> String {
        next = Timestamp(millisecondsSinceEpoch: next.millisecondsSinceEpoch + 20 * 60_000)
        return next.description
    }
    /// Ten minutes after `instant`.
    static func shortlyAfter(_ instant: String) -> String {
        Timestamp(millisecondsSinceEpoch: Timestamp(rfc3339: instant)!.millisecondsSinceEpoch + 10 * 60_000).description
    }
}

/// Creates (or puts) a record, reads it back every way, clears its optional members, sets them again, and reads
/// each version back at its record time.
private func roundTrip(
    _ client: some TestClientProtocol, app: TestApp, clock: Instants, what: String, collection: String, body: Body, optional: [String],
    create: HTTPRequest.Method = .post, clearWith: HTTPRequest.Method = .patch, restoreWith: HTTPRequest.Method = .patch,
    itemPath: String? = nil, list: String?? = .some(nil), clearing: Body? = nil, feedType: String, computed: Set<String> = []
) async throws {
    let createdAt = clock.tick()
    app.setNow(createdAt)
    let written = try item(try await client.send(create, collection, body: body.json), "\(what) create")
    try expectEcho(body, in: written, "\(what) as created")
    guard let id = written["id"]?.string else { Issue.record("\(what): no id in \(written)"); return }
    let path = itemPath ?? "\(collection)/\(id)"

    let read = try item(try await client.send(.get, path), "\(what) get")
    #expect(read == written, "\(what): GET differs from what the write answered")
    try expectEcho(body, in: read, "\(what) read by id")
    let listPath: String? = switch list { case .none: nil; case .some(.none): collection; case .some(.some(let path)): path }
    if let listPath {
        let listed = try item(try await client.send(.get, listPath + "?limit=1000"), "\(what) list")
        let inList = listed["items"]?.array.first { $0["id"]?.string == id }
        #expect(inList == read, "\(what): the list item differs from the item read by id")
    }

    // Clear every optional member.
    let clearedAt = clock.tick()
    app.setNow(clearedAt)
    let nulls = clearing ?? .object(optional.map { ($0, Body.null) })
    let clearedBody = try item(try await client.send(clearWith, path, body: nulls.json), "\(what) clear")
    expectAbsent(optional, in: clearedBody, "\(what) as cleared")
    let clearedRead = try item(try await client.send(.get, path), "\(what) get cleared")
    expectAbsent(optional, in: clearedRead, "\(what) read after clearing")
    #expect(clearedRead == clearedBody, "\(what): GET after clearing differs from what the clearing answered")

    // And set them again.
    app.setNow(clock.tick())
    let again = try item(try await client.send(restoreWith, path, body: body.json), "\(what) restore")
    try expectEcho(body, in: again, "\(what) as restored")
    #expect(again.without(["version", "updatedAt"]) == written.without(["version", "updatedAt"]),
            "\(what): setting the members again does not give back the record as created")

    // The past, at each record time.
    let pastCreated = try item(try await client.send(.get, "\(path)?asOf=\(Instants.shortlyAfter(createdAt))"), "\(what) asOf created")
    #expect(pastCreated == written, "\(what): the read at the creation's record time differs from what was created")
    let pastCleared = try item(try await client.send(.get, "\(path)?asOf=\(Instants.shortlyAfter(clearedAt))"), "\(what) asOf cleared")
    #expect(pastCleared == clearedBody, "\(what): the read at the clearing's record time differs from what the clearing answered")
    if let listPath {
        let pastList = try item(try await client.send(.get, "\(listPath)?limit=1000&asOf=\(Instants.shortlyAfter(createdAt))"), "\(what) list asOf")
        #expect(pastList["items"]?.array.first { $0["id"]?.string == id } == written, "\(what): the past list differs from what was created")
    }

    // The change feed carries each state as it was answered, its computed members as of its record date (all of
    // them fall on the day of the answers); the audit log the stored members alone.
    let feed = try item(try await client.send(.get, "/v1/changes?after=0&limit=1000&types=\(feedType)"), "\(what) feed")
    let states = feed["items"]?.array.filter { $0["resourceId"]?.string == id }.compactMap { $0["state"] } ?? []
    #expect(states == [written, clearedBody, again], "\(what): the change feed's states differ from what was answered:\n\(states)")
    let answered = [written, clearedBody, again].map { $0.without(computed) }
    let audit = try item(try await client.send(.get, "/v1/audit-log?resourceId=\(id)&limit=1000"), "\(what) audit log")
    let after = audit["items"]?.array.compactMap { $0["after"] } ?? []
    #expect(after == answered, "\(what): the audit log's states differ from what was answered")
}

private func contractBody(supplierId: String, serviceId: String, externalId: String) -> Body {
    .object([
        ("title", .text(hostile(300))), ("supplierId", .text(supplierId)), ("externalId", .text(externalId)),
        ("category", .text("social-health-services")), ("procedure", .text("competitive-dialogue")),
        ("procuredOn", .text("1900-01-01")), ("totalValueCents", .raw("1000000000000")),
        ("annualValueCents", .raw("1000000000000")), ("startDate", .text("1900-01-01")),
        // Twenty options of fifteen years run the contract to exactly the last date Salkku keeps.
        ("initialEndDate", .text("1900-12-31")),
        ("options", .array(Array(repeating: Body.object([("months", .raw("180")), ("exercised", .raw("true"))]), count: 20))),
        ("renewal", .text("tacit")), ("renewalPeriodMonths", .raw("120")), ("noticePeriodMonths", .raw("60")),
        ("managedBy", .text("sector")), ("sector", .text("housing-environment")), ("serviceIds", ids([serviceId])),
        ("terminatedOn", .text("2200-12-31")), ("serviceCreditCapPercent", .raw("99.999")),
        ("capabilityIds", ids(allCapabilityIds)), ("processIds", ids(someProcessIds)),
    ])
}

private func slaBody(contractId: String, serviceId: String) -> Body {
    .object([
        ("contractId", .text(contractId)), ("serviceId", .text(serviceId)), ("name", .text(hostile(300))),
        ("metric", .text("resolution-time")), ("priority", .raw("4")), ("unit", .text("minutes")),
        ("comparator", .text("at-most")), ("target", .raw("999999999999.999")), ("period", .text("month")),
        ("serviceCreditPercent", .raw("0.001")), ("periodFeeCents", .raw("1000000000000")),
        ("validFrom", .text("1900-01-01")), ("validTo", .text("2200-12-31")),
        ("capabilityIds", ids(allCapabilityIds)), ("processIds", ids(someProcessIds)),
    ])
}

/// A city, its suppliers, a service, a contract and an SLA, made with every member set.
private struct World {
    var cityId: String
    var providerId: String
    var serviceId: String
    var contractId: String
    var slaId: String
    var c: String { "/v1/cities/\(cityId)" }

    static func make(_ client: some TestClientProtocol, app: TestApp, clock: Instants) async throws -> World {
        app.setNow(clock.tick())
        let city = try await client.create("/v1/cities", Body.object([
            ("municipalityCode", .text("179")), ("name", .object([("fi", .text(hostile(200))), ("sv", .text(hostile(200)))])),
        ]).json)
        let cityId = try #require(city["id"]?.string)
        let provider = try await client.create("/v1/suppliers", #"{"name": "Tuottaja Oy", "businessId": "1572860-0", "kind": "commercial"}"#)
        let providerId = try #require(provider["id"]?.string)
        let service = try await client.create("/v1/cities/\(cityId)/services", Bodies.service(providerId: providerId))
        let serviceId = try #require(service["id"]?.string)
        let contract = try await client.create("/v1/cities/\(cityId)/contracts",
                                               contractBody(supplierId: providerId, serviceId: serviceId, externalId: "other").json)
        let contractId = try #require(contract["id"]?.string)
        let sla = try await client.create("/v1/cities/\(cityId)/slas", slaBody(contractId: contractId, serviceId: serviceId).json)
        return World(cityId: cityId, providerId: providerId, serviceId: serviceId, contractId: contractId, slaId: try #require(sla["id"]?.string))
    }
}

@Suite struct RoundTripAttackTests {
    /// API.md: `POST` creates (201, `Location` header, body = the resource). A snapshot's Location names a route that
    /// does not exist.
    @Test func everyCreatedRecordIsWhereItsLocationSays() async throws {
        // Open: a maturity snapshot's Location names GET …/maturity-snapshots/{id}, which is not a route yet.
        await withKnownIssue("no route reads one maturity snapshot") {
            let app = try TestApp(now: "2026-11-23T08:00:00Z")
            try await app.run { client in
                let city = try #require(try await client.create("/v1/cities", Bodies.city)["id"]?.string)
                for (path, body) in [("/v1/cities/\(city)/maturity-snapshots", #"{"note": "raportti"}"#),
                                     ("/v1/cities/\(city)/assessments", #"{"processId": "cobit-2019:APO10", "level": 3, "achievement": "largely", "assessedOn": "2026-11-01", "assessor": "Tarkastus", "method": "internal-audit"}"#)] {
                    let created = try await client.send(.post, path, body: body)
                    #expect(created.status == .created)
                    let location = try #require(created.headers[.location])
                    let read = try await client.send(.get, location)
                    #expect(read.status == .ok, "POST \(path) answered Location \(location), which is \(read.status)")
                    if read.status == .ok { #expect(try read.json() == created.json()) }
                }
            }
        }
    }

    @Test func citiesAndSuppliersReadBackAsWritten() async throws {
        let app = try TestApp(now: "2026-11-23T00:00:00Z")
        let clock = Instants()
        try await app.run { client in
            let cityBody = Body.object([
                ("municipalityCode", .text("181")),
                ("name", .object([("fi", .text(hostile(200))), ("sv", .text(hostile(200)))])),
                ("population", .raw("100000000")),
                ("itOrganisation", .text(hostile(2000, multiLine: true))),
            ])
            try await roundTrip(client, app: app, clock: clock, what: "city", collection: "/v1/cities", body: cityBody,
                                optional: ["population", "itOrganisation"], feedType: "city")
            let cityId = try #require(try await client.send(.get, "/v1/cities?q=181").json()["items"]?.array.first?["id"]?.string)
            // A nested optional member is cleared by a nested null.
            app.setNow(clock.tick())
            let withoutSv = try item(try await client.send(.patch, "/v1/cities/\(cityId)", body: #"{"name": {"sv": null}}"#), "city sv")
            #expect(withoutSv["name"]?["sv"] == nil)
            #expect(withoutSv["name"]?["fi"] == .string(hostile(200)))
            #expect(try item(try await client.send(.get, "/v1/cities/\(cityId)"), "city") == withoutSv)

            let supplierBody = Body.object([
                ("name", .text(hostile(200))), ("businessId", .text("0112038-9")), ("kind", .text("municipal-enterprise")),
                ("contact", .object([("name", .text(hostile(200))), ("email", .text(#"q"u\o/t😀e@ex.ample.fi"#)),
                                     ("phone", .text("+358 (9) 123-4567 000"))])),
                ("ownerCityId", .text(cityId)),
            ])
            try await roundTrip(client, app: app, clock: clock, what: "supplier", collection: "/v1/suppliers", body: supplierBody,
                                optional: ["contact"], feedType: "supplier")  // a municipal enterprise always names its city
        }
    }

    @Test func servicesContractsSLAsAndProjectsReadBackAsWritten() async throws {
        let app = try TestApp(now: "2026-11-23T00:00:00Z")
        let clock = Instants()
        try await app.run { client in
            let world = try await World.make(client, app: app, clock: clock)
            let c = world.c
            let serviceBody = Body.object([
                ("name", .text(hostile(200))), ("description", .text(hostile(10_000, multiLine: true))),
                ("sector", .text("social-health")),
                ("owner", .object([("name", .text(hostile(200))), ("title", .text(hostile(200))), ("email", .text("a\\b@c.fi"))])),
                ("lifecycle", .text("retired")),
                ("lifecycleDates", .object([("phaseIn", .text("1900-01-01")), ("active", .text("1900-01-01")),
                                            ("phaseOut", .text("2200-12-31")), ("retired", .text("2200-12-31"))])),
                ("providerId", .text(world.providerId)), ("annualCostCents", .raw("1000000000000")), ("criticality", .text("critical")),
                ("externalId", .text(hostile(100))), ("arrangerId", .text(world.providerId)),
                ("capabilityIds", ids(allCapabilityIds)), ("processIds", ids(someProcessIds)),
            ])
            try await roundTrip(client, app: app, clock: clock, what: "service", collection: "\(c)/services", body: serviceBody,
                                optional: ["description", "lifecycleDates", "annualCostCents", "externalId", "arrangerId"], feedType: "service")

            try await roundTrip(client, app: app, clock: clock, what: "contract", collection: "\(c)/contracts",
                                body: contractBody(supplierId: world.providerId, serviceId: world.serviceId, externalId: hostile(100)),
                                optional: ["externalId", "procuredOn", "annualValueCents", "terminatedOn", "serviceCreditCapPercent"],
                                feedType: "contract", computed: ContractFields.computedFields)

            try await roundTrip(client, app: app, clock: clock, what: "sla", collection: "\(c)/slas",
                                body: slaBody(contractId: world.contractId, serviceId: world.serviceId),
                                optional: ["priority", "periodFeeCents", "validFrom", "validTo"], feedType: "sla",
                                computed: SLAFields.computedFields)

            let projectBody = Body.object([
                ("name", .text(hostile(300))), ("description", .text(hostile(10_000, multiLine: true))),
                ("sector", .text("education-culture")),
                ("owner", .object([("name", .text(hostile(200))), ("title", .text(hostile(200))), ("email", .text("x/y@z.fi"))])),
                ("phase", .text("closed")), ("health", .text("off-track")), ("budgetCents", .raw("1000000000000")),
                ("actualCostCents", .raw("1000000000000")), ("startDate", .text("1900-01-01")),
                ("plannedEndDate", .text("2200-12-31")), ("actualEndDate", .text("1900-01-01")),
                ("expectedAnnualSavingsCents", .raw("1000000000000")), ("serviceIds", ids([world.serviceId])),
                ("supplierIds", ids([world.providerId])),
                ("portfolioDecision", .object([("decidedOn", .text("1900-01-01")), ("decidedBy", .text(hostile(300)))])),
                ("priority", .raw("5")), ("externalId", .text(hostile(100))),
                ("capabilityIds", ids(allCapabilityIds)), ("processIds", ids(someProcessIds)),
            ])
            try await roundTrip(client, app: app, clock: clock, what: "project", collection: "\(c)/projects", body: projectBody,
                                optional: ["description", "health", "budgetCents", "actualCostCents", "startDate", "plannedEndDate",
                                           "actualEndDate", "expectedAnnualSavingsCents", "portfolioDecision", "priority", "externalId"],
                                feedType: "project", computed: ProjectFields.computedFields)
        }
    }

    @Test func measurementsReadBackAsWritten() async throws {
        let app = try TestApp(now: "2026-11-23T00:00:00Z")
        let clock = Instants()
        try await app.run { client in
            let world = try await World.make(client, app: app, clock: clock)
            let measurementBody = Body.object([
                ("value", .raw("999999999999.999")), ("source", .text("monitoring")), ("evidence", .text(hostile(2000, multiLine: true))),
                ("reportedAt", .text("1900-02-01T12:00:00.000Z")), ("note", .text(hostile(5000, multiLine: true))),
            ])
            let path = "\(world.c)/slas/\(world.slaId)/measurements/1900-01"
            try await roundTrip(client, app: app, clock: clock, what: "measurement", collection: path, body: measurementBody,
                                optional: ["evidence", "note"], create: .put, itemPath: path,
                                list: .some("\(world.c)/slas/\(world.slaId)/measurements"), feedType: "measurement")
            app.setNow(clock.tick())
            let disputed = Body.object([("dispute", .object([("status", .text("rejected")), ("note", .text(hostile(5000, multiLine: true)))]))])
            let withDispute = try item(try await client.send(.patch, path, body: disputed.json), "dispute")
            try expectEcho(disputed, in: withDispute, "measurement with its dispute")
            #expect(try item(try await client.send(.get, path), "measurement read") == withDispute)
            app.setNow(clock.tick())
            let noteless = try item(try await client.send(.patch, path, body: #"{"dispute": {"note": null}}"#), "dispute note cleared")
            #expect(noteless["dispute"] == .object(["status": .string("rejected")]))
            app.setNow(clock.tick())
            let undisputed = try item(try await client.send(.patch, path, body: #"{"dispute": null}"#), "dispute cleared")
            expectAbsent(["dispute"], in: undisputed, "measurement without its dispute")
            #expect(try item(try await client.send(.get, path), "measurement read") == undisputed)
        }
    }

    @Test func governanceRecordsReadBackAsWritten() async throws {
        let app = try TestApp(now: "2026-11-23T00:00:00Z")
        let clock = Instants()
        try await app.run { client in
            let world = try await World.make(client, app: app, clock: clock)
            let c = world.c

            // The governance facts, every fact with its evidence; a PUT without them clears them.
            let governanceBody = Body.object([
                ("centralItUnit", .raw("true")), ("ictStrategyApprovedOn", .text("1900-01-01")), ("sectorItUnits", .raw("1000")),
                ("itSteeringGroup", .raw("false")),
                ("evidence", .object(GovernanceFactsFields.factNames.sorted().map { ($0, Body.text(hostile(2000, multiLine: true))) })),
            ])
            try await roundTrip(client, app: app, clock: clock, what: "governance", collection: "\(c)/governance", body: governanceBody,
                                optional: ["centralItUnit", "ictStrategyApprovedOn", "sectorItUnits", "itSteeringGroup"], create: .put,
                                clearWith: .put, restoreWith: .put, itemPath: "\(c)/governance", list: .none, clearing: .object([]),
                                feedType: "governance-facts")

            // The effort profile, with decimals of three fractional digits; a PUT without a target gets the default one.
            let effortBody = Body.object([
                ("current", .object([("strategy", .raw("33.333")), ("architectureAndInfrastructureDevelopment", .raw("33.333")),
                                     ("serviceDevelopmentSupport", .raw("33.332")), ("purchasingAndPartnershipManagement", .raw("0.001")),
                                     ("infrastructureMaintenanceAndSupport", .raw("0.001"))])),
                ("target", .object([("strategy", .raw("99.996")), ("architectureAndInfrastructureDevelopment", .raw("0.001")),
                                    ("serviceDevelopmentSupport", .raw("0.001")), ("purchasingAndPartnershipManagement", .raw("0.001")),
                                    ("infrastructureMaintenanceAndSupport", .raw("0.001"))])),
            ])
            let effortAt = clock.tick()
            app.setNow(effortAt)
            let effort = try item(try await client.send(.put, "\(c)/effort-profile", body: effortBody.json), "effort")
            try expectEcho(effortBody, in: effort, "effort profile")
            #expect(try item(try await client.send(.get, "\(c)/effort-profile"), "effort") == effort)
            app.setNow(clock.tick())
            let defaulted = try item(try await client.send(.put, "\(c)/effort-profile", body: #"{"current": {"strategy": 100, "architectureAndInfrastructureDevelopment": 0, "serviceDevelopmentSupport": 0, "purchasingAndPartnershipManagement": 0, "infrastructureMaintenanceAndSupport": 0}}"#), "effort")
            #expect(defaulted["target"] == .object(["strategy": .integer(20), "architectureAndInfrastructureDevelopment": .integer(15),
                                                    "serviceDevelopmentSupport": .integer(50), "purchasingAndPartnershipManagement": .integer(10),
                                                    "infrastructureMaintenanceAndSupport": .integer(5)]))
            #expect(try item(try await client.send(.get, "\(c)/effort-profile"), "effort") == defaulted)
            #expect(try item(try await client.send(.get, "\(c)/effort-profile?asOf=\(Instants.shortlyAfter(effortAt))"), "effort past") == effort)
            app.setNow(clock.tick())

            // A capability's sourcing, with a note, then without.
            let capability = "sector-expertise%2Fsocial-health"
            let noted = Body.object([("sourcing", .text("shared-centre-provides")), ("note", .text(hostile(5000, multiLine: true)))])
            let notedAt = clock.tick()
            app.setNow(notedAt)
            let sourcing = try item(try await client.send(.put, "\(c)/capabilities/\(capability)", body: noted.json), "sourcing")
            try expectEcho(noted, in: sourcing, "capability sourcing")
            func listed(_ query: String = "") async throws -> JSONValue? {
                try await client.send(.get, "\(c)/capabilities\(query)").json()["items"]?.array.first { $0["id"] == .string("sector-expertise/social-health") }
            }
            #expect(try await listed()?["note"] == .string(hostile(5000, multiLine: true)))
            app.setNow(clock.tick())
            let bare = try item(try await client.send(.put, "\(c)/capabilities/\(capability)", body: #"{"sourcing": "own"}"#), "sourcing")
            expectAbsent(["note"], in: bare, "capability sourcing without a note")
            #expect(try await listed()?["note"] == .null)
            #expect(try await listed("?asOf=\(Instants.shortlyAfter(notedAt))")?["note"] == .string(hostile(5000, multiLine: true)))

            // An assessment (immutable): by id, in the list, and in the past.
            let assessmentBody = Body.object([
                ("processId", .text(someProcessIds[0])), ("level", .raw("5")), ("achievement", .text("partially")),
                ("targetLevel", .raw("5")), ("assessedOn", .text("1900-01-01")), ("assessor", .text(hostile(300))),
                ("method", .text("external-audit")), ("evidence", .text(hostile(5000, multiLine: true))),
            ])
            let assessedAt = clock.tick()
            app.setNow(assessedAt)
            let assessment = try item(try await client.send(.post, "\(c)/assessments", body: assessmentBody.json), "assessment")
            try expectEcho(assessmentBody, in: assessment, "assessment")
            let assessmentId = try #require(assessment["id"]?.string)
            app.setNow(clock.tick())
            #expect(try item(try await client.send(.get, "\(c)/assessments/\(assessmentId)"), "assessment") == assessment)
            #expect(try item(try await client.send(.get, "\(c)/assessments/\(assessmentId)?asOf=\(Instants.shortlyAfter(assessedAt))"),
                             "assessment") == assessment)
            #expect(try item(try await client.send(.get, "\(c)/assessments?limit=1000"), "assessments")["items"]?.array
                .first { $0["id"]?.string == assessmentId } == assessment)

            // A maturity snapshot of the first supported date, with the longest note.
            let snapshotBody = Body.object([("asOf", .text("1900-01-01")), ("note", .text(hostile(5000, multiLine: true)))])
            let snapshot = try item(try await client.send(.post, "\(c)/maturity-snapshots", body: snapshotBody.json), "snapshot")
            try expectEcho(snapshotBody, in: snapshot, "maturity snapshot")
            let snapshots = try item(try await client.send(.get, "\(c)/maturity-snapshots?limit=1000"), "snapshots")
            #expect(snapshots["items"]?.array.first { $0["id"] == snapshot["id"] } == snapshot)
            // And today's, whose maturity holds decimals, texts and ids computed from all of the above.
            let today = try item(try await client.send(.post, "\(c)/maturity-snapshots", body: "{}"), "snapshot")
            let again = try item(try await client.send(.get, "\(c)/maturity-snapshots?limit=1000"), "snapshots")
            #expect(again["items"]?.array.first { $0["id"] == today["id"] } == today)
        }
    }
}
