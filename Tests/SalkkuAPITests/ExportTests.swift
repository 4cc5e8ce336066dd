import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SalkkuCore
import SalkkuDemo
import SalkkuStore
import Synchronization
import Testing

@testable import SalkkuAPI

/// An NDJSON export as a client reads it.
struct ExportBody {
    struct Line {
        var type: String
        var resource: JSONValue
        var text: Substring
        var id: String { resource["id"]!.string! }
    }

    var seq: Int64
    var text: String
    var lines: [Line]

    func ids(_ type: String) -> [String] { lines.filter { $0.type == type }.map(\.id) }

    var countsByType: [String: Int] { lines.reduce(into: [:]) { $0[$1.type, default: 0] += 1 } }

    /// Reads a 200 answer, checking the framing: every line `{"type":…,"resource":{…}}` and ended by a line break.
    init(_ response: TestResponse) throws {
        #expect(response.status == .ok, "\(response.status) \(response.text.prefix(300))")
        #expect(response.headers[.contentType] == "application/x-ndjson")
        seq = try #require(response.headers[ExportController.changeSeqHeader].flatMap { Int64($0) })
        text = response.text
        #expect(text.isEmpty || text.hasSuffix("\n"), "the body ends with a line break")
        var lines: [Line] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            #expect(line.hasPrefix(#"{"type":""#), "type comes first: \(line.prefix(80))")
            let value = try JSONDecoder().decode(JSONValue.self, from: Data(line.utf8))
            guard case .object(let members) = value else { throw ExportTestFailure("not an object: \(line.prefix(80))") }
            #expect(Set(members.keys) == ["type", "resource"], "\(line.prefix(80))")
            lines.append(Line(type: try #require(members["type"]?.string), resource: try #require(members["resource"]), text: line))
        }
        self.lines = lines
    }
}

struct ExportTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum DemoCities {
    static let helsinki = "019b76da-a800-7000-8000-000a00000000"
    static let espoo = "019b76da-a800-7000-8000-002e00000000"
}

extension TestClientProtocol {
    func export(_ path: String, headers: HTTPFields = [:]) async throws -> ExportBody {
        try ExportBody(try await send(.get, path, headers: headers))
    }

    /// Every item of a list, page by page.
    func listAll(_ path: String) async throws -> [JSONValue] {
        var items: [JSONValue] = []
        var cursor: String?
        repeat {
            let page = try await send(.get, path + (path.contains("?") ? "&" : "?") + "limit=1000" + (cursor.map { "&cursor=\($0)" } ?? ""))
            #expect(page.status == .ok, "\(path): \(page.text.prefix(200))")
            let body = try page.json()
            items += body["items"]!.array
            cursor = body["nextCursor"]?.string
        } while cursor != nil
        return items
    }
}

/// The kinds in the order the export writes them: the registry's, parents first.
let exportOrder = ResourceRegistry.portfolio.map(\.resourceType)

@Suite struct ExportTests {
    /// What a city's records are according to the list endpoints, kind by kind (ids), and the suppliers the rule selects.
    static func listed(_ client: any TestClientProtocol, city: String) async throws -> [String: Set<String>] {
        let base = "/v1/cities/\(city)"
        func ids(_ items: [JSONValue]) -> Set<String> { Set(items.map { $0["id"]!.string! }) }
        let services = try await client.listAll("\(base)/services")
        let contracts = try await client.listAll("\(base)/contracts")
        let slas = try await client.listAll("\(base)/slas")
        let projects = try await client.listAll("\(base)/projects")
        var measurements: Set<String> = []
        for sla in slas {
            measurements.formUnion(ids(try await client.listAll("\(base)/slas/\(sla["id"]!.string!)/measurements")))
        }
        var spend: Set<String> = []
        for contract in contracts {
            spend.formUnion(ids(try await client.send(.get, "\(base)/contracts/\(contract["id"]!.string!)/spend").json()["items"]!.array))
        }
        let capabilities = try await client.send(.get, "\(base)/capabilities").json()["items"]!.array.filter { $0["version"]?.int != nil }
        var singletons: [String: Set<String>] = [:]
        for (type, path) in [("effort-profile", "effort-profile"), ("governance-facts", "governance"), ("transition-plan", "transition-plan")] {
            let response = try await client.send(.get, "\(base)/\(path)")
            singletons[type] = response.status == .ok ? [try response.json()["id"]!.string!] : []
        }
        var suppliers = ids(try await client.listAll("/v1/suppliers?ownerCityId=\(city)"))
        for service in services {
            for member in ["providerId", "arrangerId"] { if let id = service[member]?.string { suppliers.insert(id) } }
        }
        for contract in contracts { suppliers.insert(contract["supplierId"]!.string!) }
        for project in projects { for id in project["supplierIds"]?.array ?? [] { suppliers.insert(id.string!) } }
        return [
            "city": [city], "supplier": suppliers, "service": ids(services), "contract": ids(contracts), "sla": ids(slas),
            "measurement": measurements, "project": ids(projects),
            // A capability's sourcing is listed by capability; the export has the record with its own id.
            "capability-sourcing": Set(capabilities.map { $0["id"]!.string! }),
            "effort-profile": singletons["effort-profile"]!, "governance-facts": singletons["governance-facts"]!,
            "transition-plan": singletons["transition-plan"]!,
            "assessment": ids(try await client.listAll("\(base)/assessments")),
            "caf-assessment": ids(try await client.listAll("\(base)/caf-assessments")),
            "maturity-snapshot": ids(try await client.listAll("\(base)/maturity-snapshots")),
            "contract-spend": spend,
        ]
    }

    /// Lines in the registry's order of kinds, and by id within a kind.
    static func expectOrdered(_ lines: [ExportBody.Line]) {
        for (a, b) in zip(lines, lines.dropFirst()) {
            let (ka, kb) = (exportOrder.firstIndex(of: a.type)!, exportOrder.firstIndex(of: b.type)!)
            #expect(ka < kb || (ka == kb && a.id < b.id), "\(a.type) \(a.id) before \(b.type) \(b.id)")
        }
    }

    @Test func everyLineIsAKnownRecordAndTheCountsAreTheListsCounts() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            for city in [DemoCities.helsinki, DemoCities.espoo] {
                let export = try await client.export("/v1/cities/\(city)/export")
                #expect(export.lines.allSatisfy { exportOrder.contains($0.type) })
                Self.expectOrdered(export.lines)
                let listed = try await Self.listed(client, city: city)
                for type in exportOrder where ResourceRegistry.notExported[type] == nil {
                    let ids = export.ids(type)
                    #expect(Set(ids).count == ids.count, "\(type) ids repeat")
                    if type == "capability-sourcing" {
                        // Listed by capability: the same number of records.
                        #expect(ids.count == listed[type]!.count, "\(type): \(ids.count) exported, \(listed[type]!.count) listed")
                    } else {
                        #expect(Set(ids) == listed[type]!, "\(type): \(ids.count) exported, \(listed[type]!.count) listed")
                    }
                }
            }
        }
    }

    /// Each line is the record exactly as the change log keeps its latest state (what the change feed shows).
    @Test func eachResourceIsItsStateInTheChangeFeed() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            let export = try await client.export("/v1/cities/\(DemoCities.helsinki)/export")
            let states = try await app.database.reader.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT resourceType, resourceId, state FROM change c
                    WHERE seq = (SELECT max(seq) FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId)
                    """).reduce(into: [String: String]()) { states, row in
                    states["\(row["resourceType"] as String) \(row["resourceId"] as String)"] = row["state"]
                }
            }
            var identical = 0
            for line in export.lines {
                let state = try #require(states["\(line.type) \(line.id)"], "\(line.type) \(line.id) has no change-log state")
                #expect(try JSONDecoder().decode(JSONValue.self, from: Data(state.utf8)) == line.resource, "\(line.type) \(line.id)")
                if line.text.hasSuffix(state + "}") { identical += 1 }
            }
            // Written by the same encoder from the same record: byte for byte the stored state.
            #expect(identical == export.lines.count)
            // And the feed shows the same for one of them.
            let service = export.lines.first { $0.type == "service" }!
            let feed = try await client.send(.get, "/v1/changes?after=0&limit=1000&types=service").json()["items"]!.array
            #expect(feed.last { $0["resourceId"]?.string == service.id }?["state"] == service.resource)
        }
    }

    @Test func noRecordOfAnotherCityAppears() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            let cities = try await client.listAll("/v1/cities").map { $0["id"]!.string! }
            #expect(cities.count == 5)
            for city in cities {
                let export = try await client.export("/v1/cities/\(city)/export")
                for line in export.lines {
                    switch line.type {
                    case "city": #expect(line.id == city)
                    case "supplier": #expect(line.resource["cityId"] == nil)
                    default: #expect(line.resource["cityId"]?.string == city, "\(line.type) \(line.id) of \(line.resource["cityId"] ?? .null)")
                    }
                }
                // Another city's own production unit is not among the suppliers.
                let others = try await client.listAll("/v1/suppliers?kind=own-production").filter { $0["ownerCityId"]?.string != city }
                #expect(Set(export.ids("supplier")).isDisjoint(with: others.map { $0["id"]!.string! }))
            }
        }
    }

    /// Suppliers: those the city owns, and those its services, contracts and projects name; no other.
    @Test func suppliersAreThoseTheCityOwnsOrUses() async throws {
        let app = try TestApp(demo: true)
        let helsinki = DemoCities.helsinki
        try await app.run { client in
            let unused = try await client.create("/v1/suppliers", Bodies.supplier)["id"]!.string!
            var export = try await client.export("/v1/cities/\(helsinki)/export")
            #expect(!export.ids("supplier").contains(unused))
            let ownUnit = try await client.listAll("/v1/suppliers?ownerCityId=\(helsinki)")
            #expect(!ownUnit.isEmpty && Set(ownUnit.map { $0["id"]!.string! }).isSubset(of: export.ids("supplier")))

            // Named by a project only: in.
            let project = try await client.listAll("/v1/cities/\(helsinki)/projects")[0]
            let patched = try await client.send(.patch, "/v1/cities/\(helsinki)/projects/\(project["id"]!.string!)",
                                                body: #"{"supplierIds": ["\#(unused)"]}"#)
            #expect(patched.status == .ok, "\(patched.text)")
            export = try await client.export("/v1/cities/\(helsinki)/export")
            #expect(export.ids("supplier").contains(unused))
            #expect(export.ids("supplier") == export.ids("supplier").sorted())
            // …and not in Espoo's, which does not use it.
            #expect(!(try await client.export("/v1/cities/\(DemoCities.espoo)/export")).ids("supplier").contains(unused))
        }
    }

    /// The header is the last change the snapshot holds: the feed after it starts with the next write.
    @Test func theChangeSeqHeaderContinuesTheChangeFeed() async throws {
        let app = try TestApp(demo: true)
        let helsinki = DemoCities.helsinki
        try await app.run { client in
            let service = try await client.listAll("/v1/cities/\(helsinki)/services")[0]["id"]!.string!
            // The last change is one the feed shows (the test's own token was made after the demo).
            #expect(try await client.send(.patch, "/v1/cities/\(helsinki)/services/\(service)", body: #"{"description": "ennen"}"#).status == .ok)
            let export = try await client.export("/v1/cities/\(helsinki)/export")
            let last = try await client.send(.get, "/v1/changes?after=\(export.seq - 1)").json()
            #expect(last["items"]!.array.map { $0["seq"]!.int! } == [export.seq])
            #expect(export.lines.first { $0.id == service }?.resource["description"]?.string == "ennen")
            let none = try await client.send(.get, "/v1/changes?after=\(export.seq)").json()
            #expect(none["items"]!.array.isEmpty && none["nextCursor"]?.int == export.seq)
            // A write after the export is the feed's next change; nothing from before comes again.
            #expect(try await client.send(.patch, "/v1/cities/\(helsinki)/services/\(service)", body: #"{"description": "jälkeen"}"#).status == .ok)
            let next = try await client.send(.get, "/v1/changes?after=\(export.seq)").json()["items"]!.array
            #expect(next.count == 1)
            #expect(next.first?["seq"]?.int == export.seq + 1 && next.first?["resourceId"]?.string == service)
            #expect(next.first?["state"]?["description"]?.string == "jälkeen")
            #expect(try await client.export("/v1/export").seq == export.seq + 1)
            // A CSV export names its position too (found by the third attack), and with asOf the one it shows.
            let csv = try await client.send(.get, "/v1/cities/\(helsinki)/export?type=services", headers: [.accept: "text/csv"])
            #expect(csv.headers[ExportController.changeSeqHeader] == "\(export.seq + 1)")
            let asOf = try #require(last["items"]!.array.first?["at"]?.string)
            let pastCSV = try await client.send(.get, "/v1/cities/\(helsinki)/export?type=services&asOf=\(asOf)", headers: [.accept: "text/csv"])
            let pastNDJSON = try await client.export("/v1/cities/\(helsinki)/export?asOf=\(asOf)")
            #expect(pastCSV.headers[ExportController.changeSeqHeader] == "\(pastNDJSON.seq)" && pastNDJSON.seq == export.seq)
        }
    }

    /// The export reads one snapshot: a write between two batches is not in it, and is in the feed after its header.
    @Test func aWriteDuringTheExportIsNotInItButFollowsInTheFeed() async throws {
        let app = try TestApp(demo: true)
        let database = app.database
        let before = try await Self.readAll(try database.openExport(.city(DemoCities.helsinki)))
        let reader = try database.openExport(.city(DemoCities.helsinki))
        var lines = try #require(try reader.next(maxRecords: 10))
        var fields = try #require(try database.all(ServiceFields.self, cityId: DemoCities.helsinki).first).fields
        fields.name = "Kesken viennin"
        fields.externalId = nil
        let created = try database.create(fields, cityId: DemoCities.helsinki, by: .demoSeed)
        while let batch = try reader.next(maxRecords: 10) { lines += batch }
        #expect(!reader.isOpen)
        #expect(lines.map(\.resource) == before.lines.map(\.resource))
        #expect(reader.changeSeq == before.changeSeq)
        let feed = try database.changes({ var query = ChangeQuery(); query.afterSeq = reader.changeSeq; return query }())
        #expect(feed.map(\.entry.resourceId) == [created.meta.id])
    }

    static func readAll(_ reader: ExportReader) async throws -> (lines: [ExportLine], changeSeq: Int64) {
        var lines: [ExportLine] = []
        while let batch = try reader.next() { lines += batch }
        return (lines, reader.changeSeq)
    }

    /// With `asOf` the export is the records as they were then: the same bytes an export made at that instant had,
    /// and the header the last change at or before it.
    @Test func anExportAsOfAnInstantIsTheExportMadeThen() async throws {
        let app = try TestApp(demo: true, now: "2026-11-30T10:00:00Z")
        let helsinki = DemoCities.helsinki
        try await app.run { client in
            let services = try await client.listAll("/v1/cities/\(helsinki)/services").map { $0["id"]!.string! }
            app.setNow("2026-11-30T10:05:00Z")
            #expect(try await client.send(.patch, "/v1/cities/\(helsinki)/services/\(services[0])", body: #"{"description": "A"}"#).status == .ok)
            let then = try await client.export("/v1/cities/\(helsinki)/export")
            let thenAll = try await client.export("/v1/export")

            app.setNow("2026-11-30T11:00:00Z")
            #expect(try await client.send(.patch, "/v1/cities/\(helsinki)/services/\(services[0])", body: #"{"description": "B"}"#).status == .ok)
            let sla = try await client.listAll("/v1/cities/\(helsinki)/slas")[0]["id"]!.string!
            #expect(try await client.send(.put, "/v1/cities/\(helsinki)/slas/\(sla)/measurements/2026-10",
                                          body: #"{"value": 99.5, "source": "monitoring"}"#).status.code < 300)
            let added = try await client.create("/v1/cities/\(helsinki)/services", Bodies.service(name: "Uusi", providerId: nil, lifecycle: "plan"))["id"]!.string!
            #expect(try await client.send(.delete, "/v1/cities/\(helsinki)/services/\(added)").status == .noContent)
            let now = try await client.export("/v1/cities/\(helsinki)/export")
            #expect(now.seq > then.seq)
            #expect(now.lines.first { $0.id == services[0] }?.resource["description"]?.string == "B")

            let past = try await client.export("/v1/cities/\(helsinki)/export?asOf=2026-11-30T10:30:00Z")
            #expect(past.seq == then.seq)
            #expect(past.text == then.text)
            #expect(past.lines.first { $0.id == services[0] }?.resource["description"]?.string == "A")
            let pastAll = try await client.export("/v1/export?asOf=2026-11-30T10:30:00Z")
            #expect(pastAll.seq == thenAll.seq && pastAll.text == thenAll.text)
            // A record time after the last change reads the present.
            app.setNow("2026-11-30T12:00:00Z")
            let latest = try await client.export("/v1/cities/\(helsinki)/export?asOf=2026-11-30T11:30:00Z")
            #expect(latest.seq == now.seq && latest.text == now.text)
            // A city made after the instant was not there.
            let city = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            #expect(try await client.send(.get, "/v1/cities/\(city)/export?asOf=2026-11-30T10:30:00Z").status == .notFound)
            #expect(try await client.export("/v1/cities/\(city)/export").lines.map(\.type) == ["city"])
        }
    }

    @Test func tokensExportOnlyTheCitiesTheyCover() async throws {
        let app = try TestApp(demo: true)
        let (helsinki, espoo) = (DemoCities.helsinki, DemoCities.espoo)
        let secrets = Dictionary(uniqueKeysWithValues: DemoData.demoTokens.map { ($0.request.role, $0.secret) })
        let scopedAdmin = try app.token(.admin, cities: ["091", "837"])
        try await app.run { client in
            func status(_ path: String, _ secret: String) async throws -> Int {
                Int(try await client.send(.get, path, headers: [.authorization: "Bearer \(secret)"]).status.code)
            }
            let tampere = try await client.listAll("/v1/cities").first { $0["municipalityCode"]?.string == "837" }!["id"]!.string!
            #expect(try await status("/v1/cities/\(helsinki)/export", secrets[.cio]!) == 200)
            #expect(try await status("/v1/cities/\(espoo)/export", secrets[.cio]!) == 404)
            #expect(try await status("/v1/cities/\(espoo)/export", secrets[.integration]!) == 200)
            #expect(try await status("/v1/cities/\(tampere)/export", secrets[.integration]!) == 404)
            #expect(try await status("/v1/cities/\(tampere)/export", secrets[.auditor]!) == 200)
            for role in [Role.cio, .integration, .auditor] { #expect(try await status("/v1/export", secrets[role]!) == 403) }

            let scoped = try await client.export("/v1/export", headers: [.authorization: "Bearer \(scopedAdmin)"])
            #expect(scoped.ids("city") == [helsinki, tampere].sorted())
            let cities = Set(scoped.lines.compactMap { $0.resource["cityId"]?.string })
            #expect(cities == [helsinki, tampere])
            // The integration token's export of its own city is the admin's.
            let asIntegration = try await client.export("/v1/cities/\(helsinki)/export", headers: [.authorization: "Bearer \(secrets[.integration]!)"])
            #expect(asIntegration.text == (try await client.export("/v1/cities/\(helsinki)/export")).text)
        }
    }

    /// `/v1/export`: each city's lines in city order, each supplier once, with the first city that needs it.
    @Test func theWholeExportHasEveryCityAndEachSupplierOnce() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            let all = try await client.export("/v1/export")
            let cities = try await client.listAll("/v1/cities").map { $0["id"]!.string! }.sorted()
            #expect(all.ids("city") == cities)
            let suppliers = all.ids("supplier")
            #expect(Set(suppliers).count == suppliers.count)
            var expected: [Substring] = []
            var seen: Set<String> = []
            for city in cities {
                let export = try await client.export("/v1/cities/\(city)/export")
                #expect(export.seq == all.seq)
                expected += export.lines.filter { $0.type != "supplier" || seen.insert($0.id).inserted }.map(\.text)
            }
            #expect(all.lines.map(\.text) == expected)
            // Every record before the next city's line belongs to the city of its block.
            var current = ""
            for line in all.lines {
                if line.type == "city" { current = line.id }
                if let city = line.resource["cityId"]?.string { #expect(city == current) }
            }
            #expect(Set(suppliers) == Set(try await client.listAll("/v1/suppliers").map { $0["id"]!.string! }).subtracting(
                try await Self.unusedSuppliers(client)))
        }
    }

    /// Suppliers no city owns or uses (the demo has none; one made here has none either).
    static func unusedSuppliers(_ client: any TestClientProtocol) async throws -> Set<String> {
        var used: Set<String> = []
        for city in try await client.listAll("/v1/cities") {
            used.formUnion(try await listed(client, city: city["id"]!.string!)["supplier"]!)
        }
        return Set(try await client.listAll("/v1/suppliers").map { $0["id"]!.string! }).subtracting(used)
    }

    @Test func anUnknownCityIs404AndTheQueryIsStrict() async throws {
        let app = try TestApp(demo: true)
        let helsinki = DemoCities.helsinki
        try await app.run { client in
            let unknown = try await client.send(.get, "/v1/cities/019b76da-a800-7000-8000-ffffffffffff/export")
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.contentType] == "application/problem+json")
            for query in ["limit=10", "on=2026-01-01", "asOf=2026-01-01&asOf=2026-02-01", "asOf=yesterday", "asOf=9999-12-31T22:00:00Z",
                          "asOf=0001-01-01T00:00:00Z", "asOf=1899-12-31", "asOf=2200-12-31", "asOf=2999-01-01T00:00:00Z", "asOf=%00"] {
                for path in ["/v1/cities/\(helsinki)/export", "/v1/export"] {
                    let response = try await client.send(.get, "\(path)?\(query)")
                    #expect(response.status == .unprocessableContent, "\(path)?\(query): \(response.status)")
                }
            }
            // Before the demo's first record: the city did not exist yet.
            #expect(try await client.send(.get, "/v1/cities/\(helsinki)/export?asOf=1900-01-01").status == .notFound)
            let empty = try await client.export("/v1/export?asOf=1900-01-01")
            #expect(empty.lines.isEmpty && empty.seq == 0)
            // Today's date is the present.
            let today = HelsinkiCalendar.date(at: app.database.clock())
            #expect(try await client.export("/v1/cities/\(helsinki)/export?asOf=\(today)").seq
                    == (try await client.export("/v1/cities/\(helsinki)/export")).seq)
        }
    }

    /// The registry drives the export: every portfolio kind is in the demo city's export, or left out with a reason.
    @Test func everyPortfolioKindIsExportedOrExcludedWithAReason() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            // The demo freezes no maturity; the city's council report does.
            _ = try await client.create("/v1/cities/\(DemoCities.helsinki)/maturity-snapshots", #"{"note": "Valtuustoraportti"}"#)
            let export = try await client.export("/v1/cities/\(DemoCities.helsinki)/export")
            let counts = export.countsByType
            for (type, selection) in ResourceRegistry.exported {
                if let reason = ResourceRegistry.notExported[type] {
                    #expect(!reason.isEmpty && selection == nil && counts[type] == nil, "\(type)")
                } else {
                    #expect(selection != nil, "\(type) has no export selection and no reason to be left out (ResourceRegistry.notExported)")
                    #expect((counts[type] ?? 0) > 0, "\(type) is not in the demo city's export")
                }
            }
            #expect(Set(counts.keys).isSubset(of: exportOrder))
            // The spec's enum of line types is the registry's.
            let spec = try String(contentsOf: OpenAPIDocument.fileURL, encoding: .utf8)
            let exported = exportOrder.filter { ResourceRegistry.notExported[$0] == nil }
            #expect(spec.contains("enum: [\(exported.joined(separator: ", "))]"))
        }
    }

    /// A city with more measurements than several batches hold (100 monthly SLAs, 24 months each): the export
    /// holds every one, and the NDJSON writer sends it in several writes of one batch each.
    @Test func aLargeCityIsStreamedInBatchesAndComplete() async throws {
        let app = try TestApp(now: "2026-11-30T10:00:00Z")
        let city = Mutex("")
        try await app.run { client in
            let cityId = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            city.withLock { $0 = cityId }
            let supplier = try await client.create("/v1/suppliers", Bodies.supplier)["id"]!.string!
            let service = try await client.create("/v1/cities/\(cityId)/services", Bodies.service(providerId: supplier))["id"]!.string!
            let contract = try await client.create("/v1/cities/\(cityId)/contracts", """
                {"title": "Sopimus", "supplierId": "\(supplier)", "category": "services", "procedure": "open",
                 "totalValueCents": 100000000, "annualValueCents": 12000000, "startDate": "2024-01-01", "initialEndDate": "2026-12-31",
                 "renewal": "none", "noticePeriodMonths": 3, "managedBy": "central", "serviceIds": ["\(service)"]}
                """)["id"]!.string!
            var rows: [String] = []
            for number in 1...100 {
                let sla = try await client.create("/v1/cities/\(cityId)/slas", """
                    {"contractId": "\(contract)", "serviceId": "\(service)", "name": "Saatavuus \(number)",
                     "metric": "availability", "unit": "percent", "target": 99.5, "period": "month", "serviceCreditPercent": 5}
                    """)["id"]!.string!
                for year in [2024, 2025] {
                    for month in 1...12 {
                        rows.append(#"{"slaId": "\#(sla)", "period": "\#(year)-\#(month < 10 ? "0" : "")\#(month)", "value": 99.5, "source": "monitoring"}"#)
                    }
                }
            }
            let imported = try await client.send(.post, "/v1/cities/\(cityId)/sla-measurements", body: "[" + rows.joined(separator: ",") + "]")
            #expect(imported.status == .ok, "\(imported.text.prefix(300))")
            let export = try await client.export("/v1/cities/\(cityId)/export")
            #expect(export.countsByType["measurement"] == 2_400)
            let stored = try await app.database.reader.read { db in
                try String.fetchAll(db, sql: "SELECT id FROM measurement WHERE cityId = ?", arguments: [cityId])
            }
            #expect(Set(export.ids("measurement")) == Set(stored))
            #expect(export.countsByType == ["city": 1, "supplier": 1, "service": 1, "contract": 1, "sla": 100, "measurement": 2_400])
            Self.expectOrdered(export.lines)
        }
        // The same export through the NDJSON writer, to a client that records each write.
        let executors = WorkExecutors(WorkLimits())
        let lease = try ExportLease.open(.city(city.withLock { $0 }), asOf: nil, database: app.database, executors: executors)
        let writer = RecordingWriter()
        try await ExportController.writeNDJSON(lease, to: writer, threads: executors.exports, stallLimit: .seconds(30))
        let writes = writer.writes.withLock { $0 }
        #expect(writes.count >= 5, "\(writes)")
        #expect(writes.allSatisfy { $0 > 0 && $0 <= 256 * 1024 + 64 * 1024 })
        #expect(writer.finished.withLock { $0 })
        #expect(!lease.reader.isOpen)
        #expect(executors.exportSlots.available == WorkLimits().concurrentExports)
    }

    /// A batch is at most 500 records; the reader closes its snapshot at the end or when closed early.
    @Test func theReaderHandsOutBoundedBatchesAndClosesItsSnapshot() throws {
        let app = try TestApp(demo: true)
        let reader = try app.database.openExport(.cities(nil))
        var batches = 0
        while let batch = try reader.next() {
            #expect(batch.count <= 500)
            batches += 1
        }
        #expect(batches > 1)
        #expect(!reader.isOpen)
        let early = try app.database.openExport(.cities(nil))
        _ = try early.next(maxRecords: 3)
        early.close()
        #expect(!early.isOpen)
        #expect(try early.next() == nil)
    }

    /// Open exports hold connections of their own, not the pool's, and not the writer: with more of them open
    /// than the pool has readers, reads and writes go on.
    @Test func openExportsHoldNeitherTheWriterNorThePoolsReaders() throws {
        let app = try TestApp(demo: true)
        let readers = try (0..<12).map { _ in try app.database.openExport(.city(DemoCities.helsinki)) }
        for reader in readers { _ = try reader.next(maxRecords: 50) }
        // Were a reader holding the writer, the update would fail at the busy timeout instead of going through.
        #expect(try app.database.fetch(CityFields.self, id: DemoCities.helsinki) != nil)
        _ = try app.database.update(CityFields.self, id: DemoCities.helsinki, cityId: nil, by: .demoSeed) { city in
            var fields = city.fields
            fields.population = (fields.population ?? 0) + 1
            return fields
        }
        let last = try app.database.reader.read { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM change") }
        for reader in readers {
            while try reader.next() != nil {}
            #expect(reader.changeSeq < last!)
        }
    }

    /// Beyond the limit of open exports the answer is 503 with Retry-After; an export that ends frees its place.
    @Test func exportsBeyondTheLimitAreRefusedUntilOneEnds() throws {
        let app = try TestApp(demo: true)
        let executors = WorkExecutors(WorkLimits(concurrentExports: 2))
        let first = try ExportLease.open(.city(DemoCities.helsinki), asOf: nil, database: app.database, executors: executors)
        let second = try ExportLease.open(.cities(nil), asOf: nil, database: app.database, executors: executors)
        do {
            _ = try ExportLease.open(.city(DemoCities.espoo), asOf: nil, database: app.database, executors: executors)
            Issue.record("a third export was opened")
        } catch let problem as Problem {
            #expect(problem.status == .serviceUnavailable && problem.headers[.retryAfter] != nil)
        }
        // An unknown city neither opens nor keeps a place.
        first.end()
        #expect(throws: StoreError.self) {
            try ExportLease.open(.city("019b76da-a800-7000-8000-ffffffffffff"), asOf: nil, database: app.database, executors: executors)
        }
        let third = try ExportLease.open(.city(DemoCities.espoo), asOf: nil, database: app.database, executors: executors)
        third.end()
        second.end()
        #expect(executors.exportSlots.available == 2)
    }

    /// A client that stops reading is cut off after the stall limit, and one that goes away ends the export at the
    /// next write: either way the snapshot is closed and the place freed.
    @Test func aStalledOrVanishedClientEndsTheRead() async throws {
        let app = try TestApp(demo: true)
        let executors = WorkExecutors(WorkLimits(concurrentExports: 1))
        let stalled = try ExportLease.open(.cities(nil), asOf: nil, database: app.database, executors: executors)
        await #expect(throws: ExportStalled.self) {
            try await ExportController.writeNDJSON(stalled, to: StalledWriter(), threads: executors.exports, stallLimit: .milliseconds(300))
        }
        #expect(!stalled.reader.isOpen)
        let vanished = try ExportLease.open(.cities(nil), asOf: nil, database: app.database, executors: executors)
        await #expect(throws: ClientGone.self) {
            try await ExportController.writeNDJSON(vanished, to: VanishingWriter(), threads: executors.exports, stallLimit: .seconds(30))
        }
        #expect(!vanished.reader.isOpen)
        #expect(executors.exportSlots.available == 1)
        // A response dropped before its body was written lets go too.
        do {
            _ = try ExportLease.open(.cities(nil), asOf: nil, database: app.database, executors: executors)
        }
        #expect(executors.exportSlots.available == 1)
    }
}

/// A client that reads everything and remembers the size of each write.
final class RecordingWriter: ResponseBodyWriter, Sendable {
    let writes = Mutex<[Int]>([])
    let finished = Mutex(false)
    func write(_ buffer: ByteBuffer) async throws { writes.withLock { $0.append(buffer.readableBytes) } }
    func finish(_ trailingHeaders: HTTPFields?) async throws { finished.withLock { $0 = true } }
}

/// A client that never takes anything.
/// A client that takes nothing: a write waits until the export is cut off (cancelled); one never cut off fails
/// after five minutes with `NeverCutOff` rather than hanging the test run.
struct StalledWriter: ResponseBodyWriter {
    struct NeverCutOff: Error {}
    func write(_ buffer: ByteBuffer) async throws {
        try await Task.sleep(for: .seconds(300))
        throw NeverCutOff()
    }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

struct ClientGone: Error {}

/// A client that closes the connection after the first write.
final class VanishingWriter: ResponseBodyWriter, Sendable {
    let count = Mutex(0)
    func write(_ buffer: ByteBuffer) async throws {
        if count.withLock({ $0 += 1; return $0 }) > 1 { throw ClientGone() }
    }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
