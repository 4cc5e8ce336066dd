import Foundation
import Testing

@testable import SalkkuAPI

/// The committed contract, read as plain lines: it is written with two-space indentation, paths at
/// level one under `paths:`, operations at level two and response codes at level four.
struct OpenAPIDocument {
    static let fileURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("openapi/openapi.yaml")

    /// "GET /v1/cities" → response status codes, for the operations the API's own listener serves.
    var operations: [String: Set<String>] = [:]
    /// The operations whose `servers` name the metrics listener (`buildMetricsRouter`), not the API's.
    var metricsListenerOperations: Set<String> = []
    static let metricsListenerURL = "http://127.0.0.1:9464"

    init() throws {
        let lines = try String(contentsOf: Self.fileURL, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        var inPaths = false, path: String?, operation: String?, inResponses = false, inServers = false
        for line in lines {
            if !line.hasPrefix(" ") && !line.isEmpty { inPaths = line == "paths:" }
            guard inPaths else { continue }
            if let match = line.wholeMatch(of: /^  (\/[^:]*):\s*$/) {
                path = String(match.1)
                operation = nil
            } else if let match = line.wholeMatch(of: /^    (get|put|post|patch|delete|head|options):\s*$/), let path {
                operation = "\(match.1.uppercased()) \(path)"
                operations[operation!] = []
                inResponses = false
            } else if line.wholeMatch(of: /^      responses:\s*$/) != nil {
                (inResponses, inServers) = (true, false)
            } else if line.wholeMatch(of: /^      servers:\s*$/) != nil {
                (inResponses, inServers) = (false, true)
            } else if line.wholeMatch(of: /^      \S.*$/) != nil {
                (inResponses, inServers) = (false, false)
            } else if inServers, let operation, let match = line.wholeMatch(of: /^        - url: (\S+)\s*$/),
                      match.1 == Self.metricsListenerURL {
                metricsListenerOperations.insert(operation)
            } else if inResponses, let operation, let match = line.firstMatch(of: /^        "(\d{3})":/) {
                operations[operation]!.insert(String(match.1))
            }
        }
        for operation in metricsListenerOperations { operations[operation] = nil }
    }
}

@Suite struct OpenAPIContractTests {
    let spec: OpenAPIDocument
    let routes: Set<String>

    init() throws {
        spec = try OpenAPIDocument()
        let router = buildRouter(database: try TestApp().database)
        routes = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
    }

    @Test func everyRouteIsInTheSpec() {
        let undocumented = routes.subtracting(spec.operations.keys)
        #expect(undocumented.isEmpty, "routes missing from openapi.yaml: \(undocumented.sorted())")
    }

    @Test func theMetricsListenerServesItsOperationsAndNoOthers() throws {
        let router = buildMetricsRouter(metrics: ServerMetrics(), database: try TestApp().database)
        let metricsRoutes = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
        #expect(metricsRoutes == spec.metricsListenerOperations)
        #expect(routes.isDisjoint(with: metricsRoutes))
    }

    @Test func everySpecOperationIsRouted() {
        let unrouted = Set(spec.operations.keys).subtracting(routes)
        #expect(unrouted.isEmpty, "operations in openapi.yaml without a route: \(unrouted.sorted())")
        #expect(spec.operations.count >= 18)
    }

    @Test func operationsDocumentTheErrorsTheyCanAnswer() {
        for (operation, codes) in spec.operations where operation.hasPrefix("/v1") || operation.contains(" /v1") {
            let method = operation.split(separator: " ")[0]
            let path = operation.split(separator: " ")[1]
            var expected: Set<String> = []
            if method == "POST" || method == "PATCH" { expected.formUnion(["400", "413", "415", "422"]) }
            if method == "PATCH" || method == "DELETE" { expected.formUnion(["404", "412"]) }
            if method == "GET" && path.hasSuffix("}") { expected.formUnion(["304", "404"]) }
            if method == "GET" && !path.hasSuffix("}") { expected.insert("422") }
            if path.hasPrefix("/v1/cities/{cityId}") { expected.insert("404") }
            let missing = expected.subtracting(codes)
            #expect(missing.isEmpty, "\(operation) does not document \(missing.sorted())")
        }
    }
}
