import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SalkkuCore
import Testing

@testable import SalkkuAPI

/// API.md's conventions, checked on every resource kind where they apply.
@Suite struct RequestBodyTests {
    @Test func malformedJSONIs400WithLineAndColumn() async throws {
        let app = try TestApp()
        try await app.run { client in
            let response = try await client.send(.post, "/v1/cities", body: "{\n  \"municipalityCode\": \"179\",\n  \"name\": {\"fi\": \"J\"\n}")
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType] == "application/problem+json")
            let problem = try response.json()
            #expect(problem["type"]?.string == "/problems/malformed-json")
            #expect(problem["line"]?.int == 4)
            #expect(problem["column"] != nil)
            #expect(problem["detail"]?.string?.contains("line 4") == true)
        }
    }

    @Test func duplicateKeysAre400() async throws {
        let app = try TestApp()
        try await app.run { client in
            let response = try await client.send(.post, "/v1/suppliers", body: #"{"name": "A", "name": "B", "businessId": "0112038-9", "kind": "commercial"}"#)
            #expect(response.status == .badRequest)
            #expect(try response.json()["detail"]?.string?.contains("duplicate") == true)
        }
    }

    @Test func invalidUTF8Is400() async throws {
        let app = try TestApp()
        try await app.run { client in
            var bytes = Array(#"{"municipalityCode": "179", "name": {"fi": "J"#.utf8)
            bytes += [0xC3, 0x28]
            bytes += Array(#""}}"#.utf8)
            let response = try await client.execute(uri: "/v1/cities", method: .post, headers: [.contentType: "application/json"],
                                                    body: ByteBuffer(bytes: bytes))
            #expect(response.status == .badRequest)
        }
    }

    @Test func nestingDeeperThan32Is400() async throws {
        let app = try TestApp()
        try await app.run { client in
            let deep = "{\"contact\": " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "}"
            let response = try await client.send(.post, "/v1/suppliers", body: deep)
            #expect(response.status == .badRequest)
            #expect(try response.json()["detail"]?.string?.contains("deeper than 32") == true)
        }
    }

    @Test func bodiesOverOneMebibyteAre413() async throws {
        let app = try TestApp()
        try await app.run { client in
            let big = #"{"name": ""# + String(repeating: "x", count: 1 << 20) + #""}"#
            let response = try await client.send(.post, "/v1/suppliers", body: big)
            #expect(response.status == .contentTooLarge)
            #expect(response.headers[.contentType] == "application/problem+json")
        }
    }

    @Test func wrongContentTypeIs415() async throws {
        let app = try TestApp()
        try await app.run { client in
            #expect(try await client.send(.post, "/v1/cities", body: Bodies.city, contentType: "text/plain").status == .unsupportedMediaType)
            let noType = try await client.execute(uri: "/v1/cities", method: .post, body: ByteBuffer(string: Bodies.city))
            #expect(noType.status == .unsupportedMediaType)
            let id = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            let patchAsJSON = try await client.send(.patch, "/v1/cities/\(id)", body: #"{"population": 1}"#, contentType: "application/json")
            #expect(patchAsJSON.status == .unsupportedMediaType)
            #expect(try patchAsJSON.json()["detail"]?.string?.contains("application/merge-patch+json") == true)
            // charset parameters are fine
            #expect(try await client.send(.post, "/v1/suppliers", body: Bodies.supplier, contentType: "application/json; charset=utf-8").status == .created)
        }
    }

    @Test func aBodyThatIsNotAnObjectIs422() async throws {
        let app = try TestApp()
        try await app.run { client in
            for body in ["[]", "42", "\"city\"", "null"] {
                let response = try await client.send(.post, "/v1/cities", body: body)
                #expect(response.status == .unprocessableContent, "\(body)")
                #expect(try response.errorLocations() == [""])
            }
        }
    }

    @Test func readOnlyFieldsAreRefusedByName() async throws {
        let app = try TestApp()
        try await app.run { client in
            let id = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            let response = try await client.send(.patch, "/v1/cities/\(id)", body: #"{"id": "mine", "version": 9, "updatedAt": "2020-01-01T00:00:00Z"}"#)
            #expect(response.status == .unprocessableContent)
            #expect(try response.errorLocations() == ["/id", "/version", "/updatedAt"])
            #expect(try response.json()["errors"]?.array.allSatisfy { $0["detail"]?.string == "is read-only" } == true)
            #expect(try await client.send(.get, "/v1/cities/\(id)").json()["version"]?.int == 1)
        }
    }

    @Test func nullOnARequiredFieldIsRefused() async throws {
        let app = try TestApp()
        try await app.run { client in
            let id = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            let response = try await client.send(.patch, "/v1/cities/\(id)", body: #"{"name": null}"#)
            #expect(response.status == .unprocessableContent)
            #expect(try response.errorLocations() == ["/name"])
        }
    }

    @Test func refusedWritesLeaveNoTrace() async throws {
        let app = try TestApp()
        try await app.run { client in
            let id = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            let before = try await client.send(.get, "/v1/cities/\(id)").text
            _ = try await client.send(.patch, "/v1/cities/\(id)", body: #"{"population": -1, "name": {"fi": "Uusi"}}"#)
            _ = try await client.send(.patch, "/v1/cities/\(id)", body: "{")
            _ = try await client.send(.post, "/v1/cities", body: #"{"municipalityCode": "1"}"#)
            #expect(try await client.send(.get, "/v1/cities/\(id)").text == before)
            #expect(try app.changeCount() == 1)
        }
    }
}

@Suite struct ConditionalRequestTests {
    @Test func ifNoneMatchGives304() async throws {
        let app = try TestApp()
        try await app.run { client in
            let id = try await client.create("/v1/suppliers", Bodies.supplier)["id"]!.string!
            let first = try await client.send(.get, "/v1/suppliers/\(id)")
            let etag = try #require(first.headers[.eTag])
            #expect(etag == "\"1\"")
            let again = try await client.send(.get, "/v1/suppliers/\(id)", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.headers[.eTag] == etag)
            #expect(again.body.readableBytes == 0)
            #expect(try await client.send(.get, "/v1/suppliers/\(id)", headers: [.ifNoneMatch: "W/\"1\""]).status == .notModified)
            #expect(try await client.send(.get, "/v1/suppliers/\(id)", headers: [.ifNoneMatch: "\"7\", \"8\""]).status == .ok)
        }
    }

    @Test func ifMatchGuardsPatchAndDelete() async throws {
        let app = try TestApp()
        try await app.run { client in
            let cityId = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            let path = "/v1/cities/\(cityId)/services"
            let id = try await client.create(path, Bodies.service(providerId: nil, lifecycle: "plan"))["id"]!.string!
            let stale = try await client.send(.patch, "\(path)/\(id)", body: #"{"name": "Uusi"}"#, headers: [.ifMatch: "\"3\""])
            #expect(stale.status == .preconditionFailed)
            #expect(stale.headers[.eTag] == "\"1\"")
            #expect(try await client.send(.get, "\(path)/\(id)").json()["name"]?.string == "Asianhallinta")
            let fresh = try await client.send(.patch, "\(path)/\(id)", body: #"{"name": "Uusi"}"#, headers: [.ifMatch: "\"1\""])
            #expect(fresh.status == .ok)
            #expect(try await client.send(.delete, "\(path)/\(id)", headers: [.ifMatch: "\"1\""]).status == .preconditionFailed)
            #expect(try await client.send(.delete, "\(path)/\(id)", headers: [.ifMatch: "*"]).status == .noContent)
        }
    }
}

@Suite struct PaginationTests {
    @Test func pagesCoverEveryItemOnceInIdOrder() async throws {
        let app = try TestApp()
        try await app.run { client in
            let cityId = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            var created: [String] = []
            for index in 0..<23 {
                let sector = index % 2 == 0 ? "administration" : "education-culture"
                created.append(try await client.create("/v1/cities/\(cityId)/services",
                                                       Bodies.service(name: "S\(index)", providerId: nil, lifecycle: "plan", sector: sector))["id"]!.string!)
            }
            for (query, expected) in [("", created), ("&sector=administration", stride(from: 0, to: 23, by: 2).map { created[$0] })] {
                var seen: [String] = []
                var cursor: String?
                var pages = 0
                repeat {
                    let uri = "/v1/cities/\(cityId)/services?limit=5\(query)" + (cursor.map { "&cursor=\($0)" } ?? "")
                    let page = try await client.send(.get, uri).json()
                    seen += page["items"]!.array.map { $0["id"]!.string! }
                    cursor = page["nextCursor"]?.string
                    pages += 1
                } while cursor != nil && pages < 20
                #expect(seen == expected)
                #expect(pages == (expected.count + 4) / 5)
            }
        }
    }

    @Test func aCursorOnlyWorksWithItsOwnFilters() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            let page = try await client.send(.get, "/v1/suppliers?limit=2&kind=commercial").json()
            let cursor = try #require(page["nextCursor"]?.string)
            #expect(try await client.send(.get, "/v1/suppliers?limit=2&kind=commercial&cursor=\(cursor)").status == .ok)
            // another page size is the same filter set
            #expect(try await client.send(.get, "/v1/suppliers?limit=3&kind=commercial&cursor=\(cursor)").status == .ok)
            let other = try await client.send(.get, "/v1/suppliers?limit=2&cursor=\(cursor)")
            #expect(other.status == .unprocessableContent)
            #expect(try other.errorLocations() == ["cursor"])
            #expect(try await client.send(.get, "/v1/suppliers?cursor=garbage!").status == .unprocessableContent)
        }
    }

    @Test func badListParametersAre422() async throws {
        let app = try TestApp()
        try await app.run { client in
            for query in ["limit=0", "limit=1001", "limit=ten", "color=red", "limit=5&limit=6", "q="] {
                let response = try await client.send(.get, "/v1/suppliers?\(query)")
                #expect(response.status == .unprocessableContent, "\(query)")
                #expect(try response.errorLocations().count == 1, "\(query)")
            }
            #expect(try await client.send(.get, "/v1/suppliers?limit=1000").status == .ok)
            let both = try await client.send(.get, "/v1/suppliers?limit=0&kind=x&sort=name")
            #expect(try both.errorLocations() == ["limit", "kind", "sort"])
        }
    }

    @Test func emptyNamesInFiltersAre422() async throws {
        let app = try TestApp()
        try await app.run { client in
            let city = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            // An empty id or name would quietly match nothing; it is refused, naming the parameter.
            for (path, parameter) in [
                ("/v1/cities/\(city)/contracts?supplierId=", "supplierId"), ("/v1/cities/\(city)/contracts?serviceId=", "serviceId"),
                ("/v1/cities/\(city)/slas?contractId=", "contractId"),
                ("/v1/cities/\(city)/sla-compliance?from=2026-01&to=2026-06&supplierId=", "supplierId"),
                ("/v1/cities/\(city)/assessments?processId=", "processId"),
                ("/v1/audit-log?actor=", "actor"), ("/v1/audit-log?resourceType=", "resourceType"), ("/v1/audit-log?cityId=", "cityId"),
            ] {
                let response = try await client.send(.get, path)
                #expect(response.status == .unprocessableContent, "\(path)")
                #expect(try response.errorLocations() == [parameter], "\(path)")
            }
            #expect(try await client.send(.get, "/v1/audit-log?actor=admin").status == .ok)
        }
    }
}

@Suite struct RoutingTests {
    @Test func unknownPathsAre404AndWrongMethods405() async throws {
        let app = try TestApp()
        try await app.run { client in
            let missing = try await client.send(.get, "/v1/nothing")
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] == "application/problem+json")
            let wrong = try await client.send(.put, "/v1/cities")
            #expect(wrong.status == .methodNotAllowed)
            #expect(wrong.headers[.allow] == "GET, HEAD, POST")
            let item = try await client.send(.post, "/v1/cities/abc")
            #expect(item.headers[.allow] == "DELETE, GET, HEAD, PATCH")
        }
    }

    @Test func systemEndpoints() async throws {
        let app = try TestApp()
        try await app.run { client in
            #expect(try await client.send(.get, "/healthz").json() == .object(["status": .string("ok")]))
            #expect(try await client.send(.get, "/readyz").json() == .object(["status": .string("ready")]))
            let spec = try await client.send(.get, "/openapi.yaml")
            #expect(spec.status == .ok)
            #expect(spec.headers[.contentType] == "application/yaml")
            #expect(spec.text == (try String(contentsOf: OpenAPIDocument.fileURL, encoding: .utf8)))
        }
    }
}
