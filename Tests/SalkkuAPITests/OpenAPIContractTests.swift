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
            // Every answer to a GET carries an entity tag: the version of an item, a digest of anything else.
            if method == "GET" { expected.insert("304") }
            if method == "GET" && path.hasSuffix("}") { expected.insert("404") }
            if method == "GET" && !path.hasSuffix("}") { expected.insert("422") }
            if path.hasPrefix("/v1/cities/{cityId}") { expected.insert("404") }
            let missing = expected.subtracting(codes)
            #expect(missing.isEmpty, "\(operation) does not document \(missing.sorted())")
        }
    }
}

/// What a client generator reads from the contract beyond its routes: operation ids, success-response
/// examples and number constraints, read as plain lines in the same layout as `OpenAPIDocument`.
struct OpenAPIClientFacts {
    /// operationId → the operations ("GET /v1/cities") that use it.
    var operationIds: [String: [String]] = [:]
    /// Operations whose success response (2xx) has content but no `example` or `examples`.
    var successResponsesWithoutExample: [String] = []
    /// Lines that constrain a number with `multipleOf`.
    var multipleOfLines: [String] = []

    init() throws {
        let lines = try String(contentsOf: OpenAPIDocument.fileURL, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let sharedResponses = Self.sharedResponses(lines)
        var section = "", path = "", operation: String?
        var response: (code: String, hasContent: Bool, hasExample: Bool, sharedName: String?)?
        func closeResponse() {
            guard let current = response, let operation else { return }
            let hasExample: Bool
            if let name = current.sharedName {
                hasExample = sharedResponses[name].map { !$0.hasContent || $0.hasExample } ?? false
            } else {
                hasExample = !current.hasContent || current.hasExample
            }
            if !hasExample { successResponsesWithoutExample.append("\(operation) \(current.code)") }
            response = nil
        }
        for (number, line) in lines.enumerated() {
            if line.firstMatch(of: /(^|[{,\s])multipleOf\s*:/) != nil { multipleOfLines.append("line \(number + 1): \(line)") }
            if !line.hasPrefix(" ") && !line.isEmpty { closeResponse(); section = line }
            guard section == "paths:" else { continue }
            if let match = line.wholeMatch(of: /^  (\/[^:]*):\s*$/) {
                closeResponse()
                path = String(match.1)
                operation = nil
            } else if let match = line.wholeMatch(of: /^    (get|put|post|patch|delete|head|options):\s*$/) {
                closeResponse()
                operation = "\(match.1.uppercased()) \(path)"
            } else if let match = line.wholeMatch(of: /^      operationId:\s*(\S+)\s*$/), let operation {
                operationIds[String(match.1), default: []].append(operation)
            } else if let match = line.firstMatch(of: /^        "(\d{3})":(.*)$/) {
                closeResponse()
                guard match.1.hasPrefix("2") else { continue }
                let shared = match.2.firstMatch(of: /#\/components\/responses\/(\w+)/).map { String($0.1) }
                response = (String(match.1), false, false, shared)
            } else if line.wholeMatch(of: /^ {0,8}\S.*$/) != nil {
                closeResponse()
            } else if response != nil {
                if let shared = line.wholeMatch(of: /^          \$ref:.*#\/components\/responses\/(\w+).*$/) {
                    response!.sharedName = String(shared.1)
                }
                if line.wholeMatch(of: /^          content:.*$/) != nil { response!.hasContent = true }
                if line.wholeMatch(of: /^              examples?:.*$/) != nil { response!.hasExample = true }
            }
        }
        closeResponse()
    }

    /// components/responses: name → whether it has content and an example on its media type.
    static func sharedResponses(_ lines: [String]) -> [String: (hasContent: Bool, hasExample: Bool)] {
        var result: [String: (hasContent: Bool, hasExample: Bool)] = [:]
        var inComponents = false, inResponses = false, name: String?
        for line in lines {
            if !line.hasPrefix(" ") && !line.isEmpty { inComponents = line == "components:" }
            guard inComponents else { continue }
            if let match = line.wholeMatch(of: /^  (\w+):\s*$/) { inResponses = match.1 == "responses"; name = nil; continue }
            guard inResponses else { continue }
            if let match = line.wholeMatch(of: /^    (\w+):\s*$/) {
                name = String(match.1)
                result[name!] = (false, false)
            } else if let name {
                if line.wholeMatch(of: /^      content:.*$/) != nil { result[name]!.hasContent = true }
                if line.wholeMatch(of: /^          examples?:.*$/) != nil { result[name]!.hasExample = true }
            }
        }
        return result
    }
}

/// A generated client needs what these check: one function per operation id, an example of every answer
/// for its documentation, and number constraints that validators agree on.
@Suite struct OpenAPIClientContractTests {
    let facts: OpenAPIClientFacts

    init() throws { facts = try OpenAPIClientFacts() }

    @Test func everyOperationHasItsOwnOperationId() throws {
        let document = try OpenAPIDocument()
        let operations = document.operations.count + document.metricsListenerOperations.count
        #expect(facts.operationIds.values.map(\.count).reduce(0, +) == operations, "an operation without an operationId")
        let repeated = facts.operationIds.filter { $0.value.count > 1 }
        #expect(repeated.isEmpty, "operationIds used more than once: \(repeated)")
    }

    @Test func everySuccessResponseHasAnExample() {
        #expect(facts.successResponsesWithoutExample.isEmpty,
                "success responses without an example: \(facts.successResponsesWithoutExample.sorted())")
    }

    /// `multipleOf: 0.001` refuses 99.57 in validators that divide binary floating-point numbers; the
    /// three-decimal rule is stated in descriptions instead.
    @Test func noSchemaUsesMultipleOf() {
        #expect(facts.multipleOfLines.isEmpty, "multipleOf in openapi.yaml: \(facts.multipleOfLines)")
    }
}
