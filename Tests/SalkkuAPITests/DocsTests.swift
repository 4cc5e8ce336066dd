import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SalkkuCore
import Testing
import Yams

@testable import SalkkuAPI

/// GET /docs: the reference made from the spec, open to everyone.
@Suite struct DocsTests {
    /// "GET /v1/cities" → operationId, read from the committed spec by a YAML parser of the test's own.
    static func specOperations() throws -> [(method: String, path: String, operationId: String)] {
        let text = try String(contentsOf: OpenAPIDocument.fileURL, encoding: .utf8)
        let spec = try #require(try Yams.load(yaml: text) as? [String: Any])
        let paths = try #require(spec["paths"] as? [String: Any])
        var operations: [(method: String, path: String, operationId: String)] = []
        for (path, item) in paths {
            for (method, operation) in try #require(item as? [String: Any]) where method != "parameters" {
                let id = try #require((operation as? [String: Any])?["operationId"] as? String, "\(method) \(path) has no operationId")
                operations.append((method, path, id))
            }
        }
        return operations
    }

    @Test func listsEveryOperationOfTheSpecWithoutAToken() async throws {
        let operations = try Self.specOperations()
        #expect(operations.count > 80)
        let app = try TestApp()
        try await app.run(token: nil) { client in
            let response = try await client.send(.get, "/docs")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'none'; style-src 'unsafe-inline'") == true)
            let html = response.text
            for operation in operations {
                let heading = #"<h3><span class="method method-\#(operation.method)">\#(operation.method.uppercased())</span> <code>\#(operation.path)</code></h3>"#
                #expect(html.contains(heading), "\(operation.method) \(operation.path) is not in /docs")
                #expect(html.contains(#"id="op-\#(operation.operationId)""#), "\(operation.operationId) has no section")
                #expect(html.contains("<code>\(operation.operationId)</code>"))
            }
        }
    }

    @Test func hasNoScriptsAndNothingFromElsewhere() throws {
        let html = try DocsPages.referenceHTML(yaml: String(contentsOf: OpenAPIDocument.fileURL, encoding: .utf8))
        #expect(!html.localizedCaseInsensitiveContains("<script"))
        #expect(!html.contains("src="))
        #expect(!html.contains("<link"))
        #expect(!html.contains("href=\"http"))
        #expect(!html.contains("url("))
    }

    @Test func everyLinkWithinThePageHasItsTarget() throws {
        let html = try DocsPages.referenceHTML(yaml: String(contentsOf: OpenAPIDocument.fileURL, encoding: .utf8))
        let ids = Set(html.matches(of: /id="([^"]+)"/).map { String($0.1) })
        let targets = Set(html.matches(of: /href="#([^"]+)"/).map { String($0.1) })
        #expect(targets.subtracting(ids).isEmpty, "links without a target: \(targets.subtracting(ids).sorted())")
        #expect(ids.contains("schema-Problem"))
        #expect(ids.contains("schema-ProblemType"))
    }

    @Test func showsParametersSchemasAndExamples() throws {
        let html = try DocsPages.referenceHTML(yaml: String(contentsOf: OpenAPIDocument.fileURL, encoding: .utf8))
        // A shared parameter with its bounds and default, a schema's enum, a response example pretty-printed.
        #expect(html.contains("<code>limit</code>"))
        #expect(html.contains("minimum 1; maximum 1000; default <code>50</code>"))
        #expect(html.contains("one of <code>own-production</code>, <code>in-house-company</code>"))
        #expect(html.contains("&quot;type&quot;: &quot;/problems/validation&quot;,\n  &quot;title&quot;: &quot;Validation failed&quot;"))
        #expect(html.contains(##"<a href="#schema-CityInput">CityInput</a>"##))
        // A schema made with allOf lists the members of its parts, with its own required ones.
        let cityInput = try #require(html.firstRange(of: #"id="schema-CityInput""#))
        let rest = html[cityInput.upperBound...]
        let section = rest[..<(try #require(rest.firstRange(of: "</section>"))).lowerBound]
        #expect(section.contains("<code>municipalityCode</code> <span class=\"required\">required</span>"))
        #expect(section.contains("<code>population</code></td>"))
    }

    @Test func escapesTheSpecsText() throws {
        let yaml = #"""
            openapi: 3.1.0
            info:
              title: "Tags <b>bold</b>"
              version: "1 & 2"
              description: "a < b, `<script>` and a list:\n\n- one <i>\n- two"
            tags:
              - name: things
                description: "<img src=x onerror=alert(1)>"
            paths:
              /things/{id}:
                parameters:
                  - name: id
                    in: path
                    required: true
                    description: "id < 10 & \"quoted\""
                    schema: {type: string, pattern: '^<[a-z]>$'}
                get:
                  tags: [things]
                  operationId: getThing
                  summary: "Get a <thing>"
                  responses:
                    "200":
                      description: The thing.
                      content:
                        application/json:
                          schema: {$ref: "#/components/schemas/Thing"}
                          example: {html: "<b>bold</b>", on: no, count: 3, ratio: 0.5, none: null, flag: true}
            components:
              schemas:
                Thing:
                  type: object
                  required: [html]
                  properties:
                    html: {type: string, description: "markup </td> inside", enum: ["<a>", "b"]}
            """#
        let html = try DocsPages.referenceHTML(yaml: yaml)
        #expect(html.contains("Tags &lt;b&gt;bold&lt;/b&gt;"))
        #expect(html.contains("1 &amp; 2"))
        #expect(html.contains("<p>a &lt; b, <code>&lt;script&gt;</code> and a list:</p>"))
        #expect(html.contains("<ul><li>one &lt;i&gt;</li><li>two</li></ul>"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("id &lt; 10 &amp; &quot;quoted&quot;"))
        #expect(html.contains("pattern <code>^&lt;[a-z]&gt;$</code>"))
        #expect(html.contains("Get a &lt;thing&gt;"))
        #expect(html.contains("markup &lt;/td&gt; inside"))
        #expect(html.contains("one of <code>&lt;a&gt;</code>, <code>b</code>"))
        // The example as JSON: markup escaped, and YAML 1.1's `no` stays the text a JSON tool reads.
        #expect(html.contains("""
            <pre><code>{
              &quot;html&quot;: &quot;&lt;b&gt;bold&lt;/b&gt;&quot;,
              &quot;on&quot;: &quot;no&quot;,
              &quot;count&quot;: 3,
              &quot;ratio&quot;: 0.5,
              &quot;none&quot;: null,
              &quot;flag&quot;: true
            }</code></pre>
            """))
        for markup in ["<b>", "<script>", "<img", "<i>", "<thing>", "</td> inside", "<a>"] {
            #expect(!html.contains(markup), "\(markup) was not escaped")
        }
    }

    @Test func answers304ForItsETag() async throws {
        let app = try TestApp()
        try await app.run(token: nil) { client in
            let first = try await client.send(.get, "/docs")
            let etag = try #require(first.headers[.eTag])
            #expect(etag.hasPrefix("\"") && etag.hasSuffix("\""))
            let again = try await client.send(.get, "/docs", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.headers[.eTag] == etag)
            #expect(again.body.readableBytes == 0)
            let weak = try await client.send(.get, "/docs", headers: [.ifNoneMatch: "\"other\", W/\(etag)"])
            #expect(weak.status == .notModified)
            let stale = try await client.send(.get, "/docs", headers: [.ifNoneMatch: "\"other\""])
            #expect(stale.status == .ok)
            #expect(stale.text == first.text)
        }
    }
}

/// Every problem `type` resolves to a page under /problems, from one catalogue.
@Suite struct ProblemCatalogueTests {
    static let sourcesURL = OpenAPIDocument.fileURL.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    /// The `/problems/…` types written in the sources (and the spec's examples), with the files they are in;
    /// the catalogue's own folder does not count as a use.
    static func typesUsed() throws -> [String: Set<String>] {
        var used: [String: Set<String>] = [:]
        var files = FileManager.default.enumerator(at: sourcesURL, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }
            .filter { $0.pathExtension == "swift" && !$0.pathComponents.contains("Docs") } ?? []
        files.append(OpenAPIDocument.fileURL)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: /\/problems\/([a-z0-9][a-z0-9-]*)/) {
                used[String(match.1), default: []].insert(file.lastPathComponent)
            }
        }
        return used
    }

    @Test func everyTypeInTheSourcesIsInTheCatalogue() throws {
        let used = try Self.typesUsed()
        #expect(used.count >= 15)
        for (slug, files) in used.sorted(by: { $0.key < $1.key }) {
            #expect(ProblemCatalogue.bySlug[slug] != nil,
                    "/problems/\(slug) (in \(files.sorted().joined(separator: ", "))) is missing from ProblemCatalogue")
        }
    }

    @Test func everyCatalogueEntryIsStillUsed() throws {
        let used = try Self.typesUsed()
        for problem in ProblemCatalogue.all {
            #expect(used[problem.slug] != nil, "\(problem.type) is in the catalogue but no source uses it")
        }
        #expect(ProblemCatalogue.bySlug.count == ProblemCatalogue.all.count)
    }

    /// A problem built with a literal type and title uses the catalogue's title.
    @Test func titlesMatchTheCatalogue() throws {
        let files = FileManager.default.enumerator(at: Self.sourcesURL, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: /type: "\/problems\/([a-z0-9-]+)",\s*title: "([^"]+)"/) {
                let entry = ProblemCatalogue.bySlug[String(match.1)]
                #expect(entry == nil || entry?.title == String(match.2),
                        "\(file.lastPathComponent): /problems/\(match.1) is titled \"\(match.2)\", the catalogue says \"\(entry?.title ?? "")\"")
            }
        }
    }

    @Test func everyTypeResolvesAsHTMLAndJSON() async throws {
        let app = try TestApp()
        try await app.run(token: nil) { client in
            for problem in ProblemCatalogue.all {
                let page = try await client.send(.get, problem.type)
                #expect(page.status == .ok, "\(problem.type)")
                #expect(page.headers[.contentType] == "text/html; charset=utf-8")
                #expect(page.headers[.vary]?.contains("Accept") == true)
                #expect(page.text.contains("<h1>\(HTMLText.escaped(problem.title))</h1>"))
                #expect(page.text.contains("HTTP \(problem.statuses.map(String.init).joined(separator: ", "))"))
                #expect(page.text.contains("<code>errors[].pointer</code>") == (problem.slug == "validation"))

                let json = try await client.send(.get, problem.type, headers: [.accept: "application/json"])
                #expect(json.status == .ok)
                #expect(json.headers[.contentType] == "application/json")
                let entry = try json.json()
                #expect(entry["type"]?.string == problem.type)
                #expect(entry["title"]?.string == problem.title)
                #expect(entry["statuses"] == .array(problem.statuses.map { .integer(Int64($0)) }))
                #expect(entry["members"].map { if case .array(let members) = $0 { members.count } else { 0 } } == problem.members.count)
                #expect(json.headers[.eTag] != page.headers[.eTag])
            }
        }
    }

    @Test func aRealProblemsTypeResolves() async throws {
        let app = try TestApp()
        try await app.run(token: nil) { client in
            let problem = try await client.send(.get, "/v1/cities")
            #expect(problem.status == .unauthorized)
            let type = try #require(try problem.json()["type"]?.string)
            let page = try await client.send(.get, type)
            #expect(page.status == .ok)
            #expect(page.text.contains("WWW-Authenticate"))
        }
    }

    @Test func listsThemAll() async throws {
        let app = try TestApp()
        try await app.run(token: nil) { client in
            let page = try await client.send(.get, "/problems")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            for problem in ProblemCatalogue.all {
                #expect(page.text.contains(#"<a href="\#(problem.type)"><code>\#(problem.type)</code></a>"#))
            }
            let json = try await client.send(.get, "/problems", headers: [.accept: "text/html;q=0.5, application/json"])
            #expect(json.headers[.contentType] == "application/json")
            guard case .array(let items)? = try json.json()["items"] else { Issue.record("no items"); return }
            #expect(items.map { $0["type"]?.string } == ProblemCatalogue.all.map(\.type))

            let etag = try #require(page.headers[.eTag])
            let again = try await client.send(.get, "/problems", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
        }
    }

    @Test func anUnknownTypeIs404() async throws {
        let app = try TestApp()
        try await app.run(token: nil) { client in
            for accept in ["text/html", "application/json"] {
                let response = try await client.send(.get, "/problems/unknown", headers: [.accept: accept])
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(try response.json()["type"]?.string == "/problems/not-found")
            }
        }
    }

    @Test(arguments: [
        (nil, false), ("*/*", false), ("text/html", false), ("application/json", true),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false),
        ("application/json, text/plain, */*", true), ("application/*", true), ("text/*, application/json;q=0.9", false),
        ("application/json;q=0", false), ("text/html;q=0.1, application/json;q=0.2", true),
    ] as [(String?, Bool)])
    func acceptPrefersJSONOnlyWhenItRanksHigher(accept: String?, json: Bool) {
        #expect(AcceptHeader.prefersJSON(accept) == json)
    }
}
