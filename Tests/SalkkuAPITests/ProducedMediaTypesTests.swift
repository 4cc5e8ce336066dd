import Foundation
import Testing

@testable import SalkkuAPI

/// The contract's success media types are read with plain string matching (regex literals made start-up take
/// seconds); the regex reading they replaced is kept here as the oracle.
@Suite struct ProducedMediaTypesTests {
    @Test func theStringReadingAgreesWithTheRegexReadingOnTheContract() throws {
        let yaml = try String(contentsOf: OpenAPIDocument.fileURL, encoding: .utf8)
        let read = ProducedMediaTypes.parse(yaml).byOperation
        #expect(read == Oracle.regexOracle(yaml))
        #expect(read == ProducedMediaTypes.fromSpec.byOperation)
        #expect(read["GET /v1/cities/{cityId}/export"]?.isEmpty == false)
        #expect(read.count > 100)
    }

    @Test func lineShapesAtTheirEdges() {
        let yaml = """
            paths:
              /v1/a:
                get:
                  responses:
                    "200":
                      content:
                        application/json:
                          schema: {}
                        text/csv:\t
                    201: {$ref: "#/components/responses/Shared"}
                    "404":
                      content:
                        application/problem+json: {}
                post:
                  responses:
                    "204":
                      $ref: "#/components/responses/Shared"
              /v1/b:c:
                get:
                  responses:
                    "200":
                      content:
                        Application/json:
            components:
              responses:
                Shared:
                  content:
                    application/x-ndjson:
            """
        #expect(ProducedMediaTypes.parse(yaml).byOperation == Oracle.regexOracle(yaml))
        #expect(ProducedMediaTypes.parse(yaml).byOperation["GET /v1/a"] == ["application/json", "text/csv", "application/x-ndjson"])
    }
}

private enum Oracle {
    static func regexOracle(_ yaml: String) -> [String: [String]] {
        var table: [String: [String]] = [:]
        var sharedAnswers: [String: [String]] = [:], referenced: [String: [String]] = [:]
        var section = "", inSharedAnswers = false, sharedAnswer: String?
        var path: String?, operation: String?, inSuccess = false
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty { section = String(line) }
            if section == "components:" {
                if let match = line.wholeMatch(of: /^  ([A-Za-z]+):\s*$/) {
                    inSharedAnswers = match.1 == "responses"
                    sharedAnswer = nil
                } else if inSharedAnswers, let match = line.wholeMatch(of: /^    ([A-Za-z0-9_.-]+):\s*$/) {
                    sharedAnswer = String(match.1)
                } else if inSharedAnswers, let sharedAnswer,
                          let match = line.wholeMatch(of: /^        ([a-z]+\/[A-Za-z0-9.+-]+):\s*$/) {
                    sharedAnswers[sharedAnswer, default: []].append(String(match.1))
                }
                continue
            }
            guard section == "paths:" else { continue }
            if let match = line.wholeMatch(of: /^  (\/[^:]*):\s*$/) {
                path = String(match.1)
                operation = nil
            } else if let match = line.wholeMatch(of: /^    (get|put|post|patch|delete):\s*$/), let path {
                operation = "\(match.1.uppercased()) \(path)"
                inSuccess = false
            } else if let match = line.firstMatch(of: /^        "?(\d{3})"?:/) {
                inSuccess = match.1.hasPrefix("2")
                if inSuccess, let operation, let ref = line.firstMatch(of: /\$ref: "#\/components\/responses\/([A-Za-z0-9_.-]+)"/) {
                    referenced[operation, default: []].append(String(ref.1))
                }
            } else if inSuccess, let operation,
                      let ref = line.wholeMatch(of: /^          \$ref: "#\/components\/responses\/([A-Za-z0-9_.-]+)"\s*$/) {
                referenced[operation, default: []].append(String(ref.1))
            } else if inSuccess, let operation, let match = line.wholeMatch(of: /^            ([a-z]+\/[A-Za-z0-9.+-]+):\s*$/) {
                table[operation, default: []].append(String(match.1))
            }
        }
        for (operation, names) in referenced {
            table[operation, default: []].append(contentsOf: names.flatMap { sharedAnswers[$0] ?? [] })
        }
        return table.filter { !$0.value.isEmpty }
    }
}
