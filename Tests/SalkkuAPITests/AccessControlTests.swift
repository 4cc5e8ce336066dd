import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import SalkkuCore
import SalkkuDemo
import SalkkuStore
import Testing

@testable import SalkkuAPI

/// What the issue grants each role, written here independently of the server's route table.
enum ExpectedAccess {
    static func roles(_ method: String, _ path: String) -> Set<Role>? {
        let all = Set(Role.allCases)
        switch path {
        case "/healthz", "/readyz", "/openapi.yaml", "/docs", "/problems", "/problems/{type}": return all
        case _ where path.hasPrefix("/v1/tokens"): return [.admin]
        case _ where path.hasPrefix("/v1/audit-log"): return [.admin, .auditor]
        case "/v1/changes": return [.admin, .integration]
        case "/v1/export": return [.admin]
        case "/v1/maturity-model": return method == "GET" ? all : [.admin]
        case "/v1/maturity-model/versions": return all
        case "/v1/procurement-thresholds": return all
        case "/v1/cities/{cityId}/procurement-warnings": return [.admin, .cio, .auditor]
        case _ where path.hasPrefix("/v1/catalogue/"): return all
        case "/v1/benchmark", "/v1/supplier-scorecards", "/v1/suppliers/{supplierId}/scorecard": return [.admin, .cio, .auditor]
        case _ where path.hasSuffix("/history"): return [.admin, .auditor]
        case "/v1/import-templates/{type}.csv": return all
        case "/v1/imports/suppliers": return [.admin, .cio]
        case "/v1/cities": return method == "GET" ? all : [.admin]
        case "/v1/cities/{cityId}": return ["GET": all, "PATCH": [.admin, .cio], "DELETE": [.admin]][method]
        case "/v1/suppliers", "/v1/suppliers/{supplierId}":
            return ["GET": all, "POST": [.admin, .cio], "PATCH": [.admin, .cio], "DELETE": [.admin]][method]
        case _ where path.hasPrefix("/v1/cities/{cityId}/"): return method == "GET" ? all : [.admin, .cio]
        default: return nil
        }
    }
}

@Suite struct AccessControlTests {
    @Test func everyRouteHasAnAccessDecision() throws {
        let router = buildRouter(database: try TestApp().database)
        for route in router.routes {
            #expect(AccessPolicy.decision(method: route.method.rawValue, template: route.path.description) != nil,
                    "\(route.method) \(route.path) has no access decision")
        }
    }

    /// Calls every operation of the OpenAPI document as every role, in scope and out of it.
    @Test func roleByRouteMatrix() async throws {
        let app = try TestApp(demo: true)
        let spec = try OpenAPIDocument()
        try await app.run { client in
            let cities = try await client.send(.get, "/v1/cities").json()["items"]!.array
            func cityId(_ code: String) -> String { cities.first { $0["municipalityCode"]?.string == code }!["id"]!.string! }
            let helsinki = cityId("091"), tampere = cityId("837")
            func first(_ path: String) async throws -> String {
                try await client.send(.get, path).json()["items"]!.array[0]["id"]!.string!
            }
            let contracts = try await client.send(.get, "/v1/cities/\(helsinki)/contracts").json()["items"]!.array
            let throwaway = try await client.create("/v1/tokens", #"{"name": "matrix", "role": "integration"}"#)["id"]!.string!
            func values(city: String) async throws -> [String: String] {
                [
                    "cityId": city, "supplierId": try await first("/v1/suppliers"),
                    "serviceId": try await first("/v1/cities/\(city)/services"),
                    "contractId": contracts[0]["id"]!.string!, "slaId": try await first("/v1/cities/\(city)/slas"),
                    "projectId": try await first("/v1/cities/\(city)/projects"), "period": "2026-01",
                    "capabilityId": "strategic-ict-planning", "assessmentId": try await first("/v1/cities/\(city)/assessments"),
                    "tokenId": throwaway, "type": "contracts", "year": "2025",
                ]
            }
            let inScope = try await values(city: helsinki)
            let tokens: [(Role, String)] = DemoData.demoTokens.map { ($0.request.role, $0.secret) }
            var checked = 0
            for operation in spec.operations.keys.sorted() {
                let parts = operation.split(separator: " ").map(String.init)
                let (method, template) = (parts[0], parts[1])
                let allowed = try #require(ExpectedAccess.roles(method, template), "no expected access for \(operation)")
                for (role, secret) in tokens {
                    for (city, expectOutOfScope) in [(helsinki, false), (tampere, [.cio, .integration].contains(role))] {
                        guard template.contains("{cityId}") || city == helsinki else { continue }
                        var path = template
                        for (name, value) in inScope { path = path.replacingOccurrences(of: "{\(name)}", with: name == "cityId" ? city : value) }
                        var headers: HTTPFields = [.authorization: "Bearer \(secret)"]
                        var body: String?
                        switch method {
                        case "POST", "PUT":
                            body = template.hasSuffix("/sla-measurements") ? "{}" : #"{"unknownMember": true}"#
                            headers[.contentType] = "application/json"
                        case "PATCH":
                            body = #"{"unknownMember": true}"#
                            headers[.contentType] = "application/merge-patch+json"
                        case "DELETE":
                            headers[.ifMatch] = "\"999\""
                        default: break
                        }
                        let response = try await client.send(HTTPRequest.Method(method)!, path, body: body, headers: headers)
                        let status = Int(response.status.code)
                        let label = "\(role.rawValue) \(method) \(path) → \(status) \(response.text.prefix(160))"
                        if !allowed.contains(role) {
                            #expect(status == 403, "\(label)")
                        } else if expectOutOfScope {
                            #expect(status == 404 && response.text.contains("no city has id"), "\(label)")
                        } else {
                            #expect(![401, 403, 429].contains(status) && status < 500, "\(label)")
                            if status == 404 { #expect(!response.text.contains("no city has id \(city)"), "\(label)") }
                        }
                        checked += 1
                    }
                }
            }
            #expect(checked > 300)
        }
    }

    @Test func scopedTokensSeeOnlyTheirCities() async throws {
        let app = try TestApp(demo: true)
        let cio = DemoData.demoTokens.first { $0.request.role == .cio }!.secret
        try await app.run(token: cio) { client in
            let cities = try await client.send(.get, "/v1/cities").json()["items"]!.array
            #expect(cities.compactMap { $0["municipalityCode"]?.string } == ["091"])
            let benchmark = try await client.send(.get, "/v1/benchmark").json()
            #expect(benchmark["cities"]!.array.count == 1)
            #expect(benchmark["measures"]!.array.first { $0["id"]?.string == "stage" }?["median"]?.number == "2")
            let supplier = "019b76da-a800-7000-8000-000700000000"
            let card = try await client.send(.get, "/v1/suppliers/\(supplier)/scorecard?from=2025-01&to=2026-12").json()
            #expect(card["cities"]!.array.allSatisfy { $0["city"]?["municipalityCode"]?.string == "091" })
            #expect(card["scorecard"]!["citiesServed"]!.int! > Int64(card["cities"]!.array.count))
        }
    }
}

@Suite struct TokenLifecycleTests {
    @Test func missingMalformedUnknownRevokedAndExpiredTokensAre401() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        let expiring = try app.token(.cio, expiresOn: LocalDate("2026-11-23")!)
        try await app.run(token: nil) { client in
            let missing = try await client.send(.get, "/v1/cities")
            #expect(missing.status == .unauthorized && missing.headers[.wwwAuthenticate] == #"Bearer realm="salkku""#)
            #expect(missing.headers[.contentType] == "application/problem+json")
            for header in ["Basic dXNlcjpwdw==", "Bearer", "Bearer nope"] {
                let bad = try await client.send(.get, "/v1/cities", headers: [.authorization: header])
                #expect(bad.status == .unauthorized, "\(header)")
                #expect(bad.headers[.wwwAuthenticate]?.contains(#"error="invalid_token""#) == true)
            }
            #expect(try await client.send(.get, "/healthz").status == .ok)
            #expect(try await client.send(.get, "/openapi.yaml").status == .ok)

            #expect(try await client.send(.get, "/v1/cities", headers: [.authorization: "Bearer \(expiring)"]).status == .ok)
            app.setNow("2026-11-23T22:00:00Z")   // 24:00 in Helsinki: the last day is over
            let expired = try await client.send(.get, "/v1/cities", headers: [.authorization: "Bearer \(expiring)"])
            #expect(expired.status == .unauthorized && expired.text.contains("expired"))

            let admin: HTTPFields = [.authorization: "Bearer \(TestApp.adminSecret)"]
            let created = try await client.send(.post, "/v1/tokens", body: #"{"name": "Raportointi", "role": "auditor", "cities": ["091"]}"#, headers: admin)
            #expect(created.status == .unprocessableContent)   // no city 091 in this database
            // Every unknown code is named, not the first alone.
            let two = try await client.send(.post, "/v1/tokens", body: #"{"name": "Raportointi", "role": "auditor", "cities": ["091", "049"]}"#, headers: admin)
            #expect(try two.errorLocations() == ["/cities/0", "/cities/1"])
            let token = try await client.send(.post, "/v1/tokens", body: #"{"name": "Raportointi", "role": "auditor"}"#, headers: admin).json()
            let secret = try #require(token["token"]?.string)
            #expect(!secret.isEmpty && token["tokenHash"] == nil)
            let auth: HTTPFields = [.authorization: "Bearer \(secret)"]
            #expect(try await client.send(.get, "/v1/audit-log", headers: auth).status == .ok)
            #expect(try await client.send(.get, "/v1/tokens/\(token["id"]!.string!)", headers: admin).json()["token"] == nil)
            #expect(try await client.send(.delete, "/v1/tokens/\(token["id"]!.string!)", headers: admin).status == .noContent)
            let revoked = try await client.send(.get, "/v1/audit-log", headers: auth)
            #expect(revoked.status == .unauthorized && revoked.text.contains("revoked"))
        }
        let hashes: [String] = try await app.database.reader.read { db in try String.fetchAll(db, sql: "SELECT tokenHash FROM api_token") }
        #expect(hashes.allSatisfy { $0.count == 64 && !$0.contains("secret") })
    }

    @Test func writesAreRecordedWithTheToken() async throws {
        let app = try TestApp()
        let cio = try app.token(.cio)
        try await app.run(token: cio) { client in
            let city = try await client.send(.post, "/v1/cities", body: Bodies.city)
            #expect(city.status == .forbidden)
            let supplier = try await client.create("/v1/suppliers", Bodies.supplier)
            let history = try await client.send(.get, "/v1/suppliers/\(supplier["id"]!.string!)/history",
                                                headers: [.authorization: "Bearer \(TestApp.adminSecret)"]).json()
            #expect(history["items"]?.array.first?["actor"]?["role"]?.string == "cio")
            #expect(history["items"]?.array.first?["actor"]?["name"]?.string == "Test cio")
        }
    }

    @Test func rateLimits() async throws {
        let app = try TestApp()
        let limits = RateLimits(tokenRequestsPerSecond: 0.001, tokenBurst: 3, failedAuthenticationsPerMinute: 0.01, failedAuthenticationBurst: 2)
        try await app.run(rateLimits: limits) { client in
            for _ in 0..<3 { #expect(try await client.send(.get, "/v1/cities").status == .ok) }
            let limited = try await client.send(.get, "/v1/cities")
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            for _ in 0..<2 {
                #expect(try await client.send(.get, "/v1/cities", headers: [.authorization: "Bearer wrong"]).status == .unauthorized)
            }
            let blocked = try await client.send(.get, "/v1/cities", headers: [.authorization: "Bearer wrong"])
            #expect(blocked.status == .tooManyRequests && blocked.headers[.retryAfter] != nil)
        }
    }
}
