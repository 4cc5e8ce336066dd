import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SalkkuCore
import SalkkuStore
import Testing

@testable import SalkkuAPI

@Suite struct RobustnessTests {
    /// Valid bodies with bytes flipped, inserted and dropped: every answer is a 2xx (the mutation left it
    /// valid) or a 4xx problem+json, never a server error, and the server keeps answering.
    @Test(arguments: [1, 2, 3])
    func mutatedBodiesNeverBreakTheServer(seed: UInt64) async throws {
        let app = try TestApp()
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let contractId = try await client.create(f.contracts, f.contract())["id"]!.string!
            let slaId = try await client.create(f.slas, f.sla(contractId: contractId))["id"]!.string!
            let targets: [(HTTPRequest.Method, String, String)] = [
                (.post, f.contracts, f.contract()),
                (.post, f.slas, f.sla(contractId: contractId)),
                (.post, f.projects, #"{"name": "P", "sector": "administration", "owner": {"name": "A"}, "phase": "execution", "health": "on-track", "budgetCents": 100}"#),
                (.patch, "\(f.contracts)/\(contractId)", #"{"title": "Uusi", "options": [{"months": 12, "exercised": true}]}"#),
                (.post, "/v1/cities/\(f.cityId)/sla-measurements",
                 #"[{"slaId": "\#(slaId)", "period": "2026-01", "value": 99.97, "source": "supplier-report", "evidence": "R"}]"#),
                (.put, "/v1/cities/\(f.cityId)/effort-profile",
                 #"{"current": {"strategy": 10, "architectureAndInfrastructureDevelopment": 10, "serviceDevelopmentSupport": 20, "purchasingAndPartnershipManagement": 10, "infrastructureMaintenanceAndSupport": 50}}"#),
            ]
            var random = SeededRandom(seed: seed)
            var answered = [Int: Int]()
            for round in 0..<250 {
                let (method, path, valid) = targets[round % targets.count]
                var bytes = Array(valid.utf8)
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    let position = Int.random(in: 0..<max(1, bytes.count), using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0 where !bytes.isEmpty: bytes[position] = UInt8.random(in: 0...255, using: &random)
                    case 1: bytes.insert(UInt8.random(in: 0...255, using: &random), at: min(position, bytes.count))
                    default: if !bytes.isEmpty { bytes.remove(at: position) }
                    }
                }
                var headers: HTTPFields = [.contentType: method == .patch ? "application/merge-patch+json" : "application/json"]
                headers[.authorization] = "Bearer \(TestApp.adminSecret)"
                let response = try await client.execute(uri: path, method: method, headers: headers, body: ByteBuffer(bytes: bytes))
                let status = Int(response.status.code)
                answered[status / 100, default: 0] += 1
                #expect(status < 500, "\(method) \(path) \(String(decoding: bytes, as: UTF8.self)) → \(status) \(response.text)")
                if (400..<500).contains(status) {
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
            #expect(answered[4, default: 0] > 150)
            #expect(try await client.send(.get, "/healthz").status == .ok)
            #expect(try await client.send(.get, "/v1/audit-log/verify").json()["verified"]?.bool == true)
        }
    }

    @Test func limitsAreEnforcedWithFourHundreds() async throws {
        let app = try TestApp()
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
            #expect(try await client.send(.post, f.contracts, body: deep).status == .badRequest)
            let large = "{\"title\": \"" + String(repeating: "a", count: 1 << 20) + "\"}"
            #expect(try await client.send(.post, f.contracts, body: large).status == .contentTooLarge)
            #expect(try await client.send(.get, "\(f.contracts)?limit=1001").status == .unprocessableContent)
            #expect(try await client.send(.get, "/v1/changes?wait=61").status == .unprocessableContent)
            #expect(try await client.send(.post, f.contracts, body: "{}", contentType: "text/plain").status == .unsupportedMediaType)
            // Amounts are bounded, so that no sum of them can overflow in a report.
            let huge = Bodies.service(name: "Iso", providerId: f.commercialId).replacingOccurrences(of: "12000000", with: "9223372036854775000")
            let refused = try await client.send(.post, "/v1/cities/\(f.cityId)/services", body: huge)
            #expect(try refused.errorLocations() == ["/annualCostCents"])
            #expect(try await client.send(.get, "/v1/cities/\(f.cityId)/portfolio-summary").status == .ok)
        }
    }
}
