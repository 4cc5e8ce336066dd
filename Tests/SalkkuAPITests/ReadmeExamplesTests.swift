import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SalkkuAPI

/// The README's curl examples, run in order against the demo data set, each expected to answer the
/// status its comment line names in parentheses.
@Suite struct ReadmeExamplesTests {
    struct Example {
        var status: Int
        var method: HTTPRequest.Method = .get
        var path = ""
        var headers: HTTPFields = [:]
        var body: String?
        var line: String
    }

    static func examples() throws -> [Example] {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        var examples: [Example] = []
        var expectedStatus: Int?
        for line in try String(contentsOf: readme, encoding: .utf8).split(separator: "\n").map(String.init) {
            if line.hasPrefix("#"), let match = line.firstMatch(of: /\((\d{3})\)\s*$/) {
                expectedStatus = Int(match.1)
            } else if line.hasPrefix("curl "), let status = expectedStatus {
                examples.append(try parse(line, status: status))
                expectedStatus = nil
            }
        }
        return examples
    }

    /// Splits a one-line curl command as a POSIX shell would (single and double quotes) and reads the
    /// options the README uses.
    static func parse(_ line: String, status: Int) throws -> Example {
        var words: [String] = [], current = "", quote: Character?, inWord = false
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character == " " {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        var example = Example(status: status, line: line)
        var index = 1
        while index < words.count {
            let word = words[index]
            switch word {
            case "-s", "-i", "-si", "-is", "-f", "-sS": break
            case "-X":
                index += 1
                example.method = HTTPRequest.Method(words[index])!
            case "-H":
                index += 1
                let parts = words[index].split(separator: ":", maxSplits: 1)
                example.headers[HTTPField.Name(String(parts[0]))!] = parts[1].trimmingCharacters(in: .whitespaces)
            case "-d", "--data":
                index += 1
                example.body = words[index]
                if example.method == .get { example.method = .post }
            default:
                // As curl sends it: percent-encoding (a %2F inside a segment) stays as written.
                let url = try #require(URLComponents(string: word))
                example.path = url.percentEncodedPath + (url.percentEncodedQuery.map { "?\($0)" } ?? "")
            }
            index += 1
        }
        return example
    }

    @Test func examplesAnswerAsTheReadmeSays() async throws {
        let examples = try Self.examples()
        #expect(examples.count >= 8)
        let app = try TestApp(demo: true)
        try await app.run { client in
            for example in examples {
                let response = try await client.execute(
                    uri: example.path, method: example.method, headers: example.headers,
                    body: example.body.map { ByteBuffer(string: $0) })
                #expect(Int(response.status.code) == example.status, "\(example.line) → \(response.status.code) \(response.text)")
            }
        }
    }
}
