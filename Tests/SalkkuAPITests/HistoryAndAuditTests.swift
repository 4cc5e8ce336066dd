import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import SalkkuCore
import SalkkuDemo
@testable import SalkkuStore
import Testing

@testable import SalkkuAPI

@Suite struct AsOfTests {
    @Test func asOfInstantsBetweenVersionsAndAfterDeletion() async throws {
        let app = try TestApp(now: "2026-01-10T08:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let path = "/v1/cities/\(f.cityId)/services"
            let id = try await client.create(path, Bodies.service(name: "Vanha nimi", providerId: f.commercialId))["id"]!.string!
            app.setNow("2026-03-01T12:00:00Z")
            _ = try await client.send(.patch, "\(path)/\(id)", body: #"{"name": "Uusi nimi"}"#)
            app.setNow("2026-06-01T12:00:00Z")
            #expect(try await client.send(.delete, "\(path)/\(id)").status == .noContent)
            app.setNow("2026-11-23T10:00:00Z")

            func name(_ asOf: String) async throws -> String? {
                try await client.send(.get, "\(path)/\(id)?asOf=\(asOf)").json()["name"]?.string
            }
            #expect(try await name("2026-01-10T07:59:59Z") == nil)
            #expect(try await name("2026-01-10T08:00:00Z") == "Vanha nimi")
            #expect(try await name("2026-03-01T11:59:59.999Z") == "Vanha nimi")
            #expect(try await name("2026-03-01") == "Uusi nimi")          // end of that day in Helsinki
            #expect(try await name("2026-05-31") == "Uusi nimi")
            #expect(try await client.send(.get, "\(path)/\(id)?asOf=2026-06-01T12:00:00Z").status == .notFound)
            #expect(try await client.send(.get, "\(path)/\(id)").status == .notFound)
            let listed = try await client.send(.get, "\(path)?asOf=2026-02-01&q=nimi").json()["items"]!.array
            #expect(listed.compactMap { $0["name"]?.string } == ["Vanha nimi"])
            #expect(try await client.send(.get, "\(path)?asOf=2026-02-01&q=uusi").json()["items"]!.array.isEmpty)
            let versionOne = try await client.send(.get, "\(path)/\(id)?asOf=2026-02-01")
            #expect(versionOne.headers[.eTag] == "\"1\"")
            #expect(try await client.send(.get, "\(path)?asOf=never").status == .unprocessableContent)

            let history = try await client.send(.get, "\(path)/\(id)/history").json()["items"]!.array
            #expect(history.compactMap { $0["action"]?.string } == ["create", "update", "delete"])
            #expect(history[1]["changes"] == .array([.object(["pointer": .string("/name"), "before": .string("Vanha nimi"),
                                                               "after": .string("Uusi nimi")])]))
            #expect(history[2]["state"] == .null && history[1]["actor"]?["role"]?.string == "admin")
            #expect(history[0]["at"]?.string == "2026-01-10T08:00:00.000Z")
            #expect(try await client.send(.get, "/v1/cities/\(f.otherCityId)/services/\(id)/history").status == .notFound)
        }
    }

    @Test func computedViewsReadThePast() async throws {
        let app = try TestApp(now: "2025-01-01T00:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let id = try await client.create(f.contracts, f.contract(initialEnd: "2026-02-28", renewal: "express",
                                                                     extra: #", "noticePeriodMonths": 1"#))["id"]!.string!
            app.setNow("2026-01-15T10:00:00Z")
            _ = try await client.send(.patch, "\(f.contracts)/\(id)", body: #"{"terminatedOn": "2026-01-15"}"#)
            app.setNow("2026-01-20T10:00:00Z")
            let now = try await client.send(.get, "/v1/cities/\(f.cityId)/contract-deadlines?within=60").json()["items"]!.array
            #expect(now.isEmpty)
            let before = try await client.send(.get, "/v1/cities/\(f.cityId)/contract-deadlines?within=60&asOf=2026-01-14").json()["items"]!.array
            #expect(before.compactMap { $0["contractId"]?.string } == [id])
            let summary = try await client.send(.get, "/v1/cities/\(f.cityId)/portfolio-summary?asOf=2026-01-14").json()
            #expect(summary["contracts"]?["byStatus"]?["active"]?.int == 1)
        }
    }
}

@Suite struct ChangeFeedTests {
    @Test func feedDeliversEveryChangeOnceUnderConcurrentWrites() async throws {
        let app = try TestApp()
        let integration = try app.token(.integration)
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let path = "/v1/cities/\(f.cityId)/services"
            let writes = 40
            async let written: Void = withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<writes {
                    group.addTask {
                        _ = try await client.create(path, Bodies.service(name: "Palvelu \(index)", providerId: nil, lifecycle: "plan"))
                    }
                }
                try await group.waitForAll()
            }
            var seen: [Int64] = []
            var cursor: Int64 = 0
            let auth: HTTPFields = [.authorization: "Bearer \(integration)"]
            let deadline = Date().addingTimeInterval(30)
            while seen.count < writes + 7, Date() < deadline {
                let page = try await client.send(.get, "/v1/changes?after=\(cursor)&limit=7&wait=1", headers: auth).json()
                seen += page["items"]!.array.compactMap { $0["seq"]?.int }
                cursor = page["nextCursor"]!.int!
            }
            try await written
            let rest = try await client.send(.get, "/v1/changes?after=\(cursor)&limit=1000", headers: auth).json()
            seen += rest["items"]!.array.compactMap { $0["seq"]?.int }
            #expect(Set(seen).count == seen.count)                       // no repeats
            #expect(seen == Array(seen.sorted()))
            let all = try await client.send(.get, "/v1/changes?limit=1000", headers: auth).json()["items"]!.array
            #expect(seen == all.compactMap { $0["seq"]?.int })            // no gaps
            #expect(all.allSatisfy { $0["resourceType"]?.string != "token" })
            #expect(all.filter { $0["resourceType"]?.string == "service" }.count == writes + 3)
        }
    }

    @Test func waitHoldsUntilAChangeArrives() async throws {
        let app = try TestApp()
        try await app.run { client in
            let last = try await client.send(.get, "/v1/changes?limit=1000").json()["nextCursor"]!.int!
            let started = Date()
            let empty = try await client.send(.get, "/v1/changes?after=\(last)&wait=1").json()
            #expect(empty["items"]!.array.isEmpty && empty["nextCursor"]?.int == last)
            #expect(Date().timeIntervalSince(started) >= 0.9)
            async let waiting = client.send(.get, "/v1/changes?after=\(last)&wait=10")
            try await Task.sleep(for: .milliseconds(300))
            _ = try await client.create("/v1/cities", Bodies.city)
            let arrived = try await waiting.json()["items"]!.array
            #expect(arrived.first?["resourceType"]?.string == "city" && arrived.first?["action"]?.string == "create")
            #expect(try await client.send(.get, "/v1/changes?wait=61&types=").errorLocations() == ["wait", "types"])
        }
    }

    @Test func scopeLimitsTheFeed() async throws {
        let app = try TestApp(demo: true)
        let integration = DemoData.demoTokens.first { $0.request.role == .integration }!.secret
        try await app.run(token: integration) { client in
            let items = try await client.send(.get, "/v1/changes?limit=1000&types=city,supplier").json()["items"]!.array
            #expect(items.filter { $0["resourceType"]?.string == "city" }.count == 2)
            // 16 suppliers created (the shared register, five own units, Espoo's foreign supplier), the municipal
            // enterprise's city and the owners of the in-house companies and the municipal shared service centre
            // recorded (the state's agency has none), and Vantaa's unit separated from IT management.
            #expect(items.filter { $0["resourceType"]?.string == "supplier" }.count == 21)
        }
    }
}

@Suite struct AuditLogTests {
    @Test func auditLogShowsBeforeAndAfterAndFilters() async throws {
        let app = try TestApp()
        try await app.run { client in
            let city = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            _ = try await client.send(.patch, "/v1/cities/\(city)", body: #"{"population": 1}"#)
            let entries = try await client.send(.get, "/v1/audit-log?resourceId=\(city)").json()["items"]!.array
            #expect(entries.count == 2)
            #expect(entries[1]["before"]?["population"]?.int == 148_622 && entries[1]["after"]?["population"]?.int == 1)
            #expect(entries[1]["previousHash"] == entries[0]["hash"])
            #expect(entries[0]["actor"]?["name"]?.string == "Test admin")
            let page = try await client.send(.get, "/v1/audit-log?limit=1&resourceType=city").json()
            #expect(page["items"]!.array.count == 1)
            let next = try await client.send(.get, "/v1/audit-log?limit=1&resourceType=city&cursor=\(page["nextCursor"]!.string!)").json()
            #expect(next["items"]!.array[0]["seq"] == entries[1]["seq"])
            #expect(try await client.send(.get, "/v1/audit-log?from=2200-01-01").json()["items"]!.array.isEmpty)
            #expect(try await client.send(.get, "/v1/audit-log?from=yesterday").status == .unprocessableContent)
            let verified = try await client.send(.get, "/v1/audit-log/verify").json()
            #expect(verified["verified"]?.bool == true && verified["entries"]!.int! >= 3)
        }
    }

    @Test func verificationCatchesARowEditedInTheFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("salkku-audit-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try AppDatabase.open(path: path)
        let actor = Actor(id: "t", name: "tester", role: "admin")
        let city = try database.create(CityFields(municipalityCode: "092", name: LocalizedName(fi: "Vantaa"), population: 1, itOrganisation: nil),
                                       cityId: nil, by: actor)
        for population in 2...5 {
            _ = try database.update(CityFields.self, id: city.meta.id, cityId: nil, by: actor) { current in
                var fields = current.fields
                fields.population = Int64(population)
                return fields
            }
        }
        let intact = try database.verifyAuditChain()
        #expect(intact.verified && intact.entries == 5 && intact.firstBrokenSeq == nil)

        // Someone with the file edits an old entry to hide what it said.
        let tamper = try DatabaseQueue(path: path)
        try tamper.write { db in
            try db.execute(sql: "UPDATE change SET state = json_set(state, '$.population', 999) WHERE seq = 3")
        }
        let broken = try AppDatabase.open(path: path).verifyAuditChain()
        #expect(!broken.verified && broken.firstBrokenSeq == 3)
        #expect(broken.reason?.contains("content") == true)

        // Rewriting that entry's hash too only moves the break to the next entry.
        try tamper.write { db in
            let row = try Row.fetchOne(db, sql: "SELECT * FROM change WHERE seq = 3")!
            let entry = try AuditEntry(row: row)
            try db.execute(sql: "UPDATE change SET hash = ? WHERE seq = 3", arguments: [entry.hash(previous: row["previousHash"])])
        }
        #expect(try AppDatabase.open(path: path).verifyAuditChain().firstBrokenSeq == 4)

        try tamper.write { db in try db.execute(sql: "DELETE FROM change WHERE seq = 5") }
        try tamper.write { db in try db.execute(sql: "UPDATE change SET hash = 'x' WHERE seq = 1") }
        #expect(try AppDatabase.open(path: path).verifyAuditChain().firstBrokenSeq == 1)
    }
}
