import Foundation
import HTTPTypes
import HummingbirdTesting
import SalkkuCore
import Testing

@testable import SalkkuAPI

/// The compliance fixture (a commercial supplier's contract with a monthly and a quarterly SLA) and a second
/// contract of the in-house company with a monthly SLA, measured in the city; and the other city's SLA with the
/// commercial supplier, measured too, which the city's list never shows.
struct CityMeasurementsFixture {
    var compliance: ComplianceFixture
    var secondContractId = ""
    var secondSlaId = ""
    var otherCitySlaId = ""
    /// "slaId period" of every measurement of the city, in the order the list gives them.
    var written: [String] = []

    var p: PortfolioFixture { compliance.portfolio }
    var list: String { "\(compliance.city)/sla-measurements" }

    static let monthly = ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]
    static let quarterly = ["2025-Q4", "2026-Q1"]
    static let second = ["2025-12", "2026-01", "2026-03"]

    static func make(_ client: any TestClientProtocol) async throws -> CityMeasurementsFixture {
        var f = CityMeasurementsFixture(compliance: try await ComplianceFixture.make(client))
        let p = f.compliance.portfolio
        f.secondContractId = try await client.create(p.contracts, p.contract(title: "Palkanlaskennan palvelu", supplierId: p.inHouseId))["id"]!.string!
        f.secondSlaId = try await client.create(p.slas, p.sla(contractId: f.secondContractId))["id"]!.string!
        let other = "/v1/cities/\(p.otherCityId)"
        let otherContract = try await client.create("\(other)/contracts", p.contract().replacingOccurrences(of: p.serviceA, with: p.otherCityService))["id"]!.string!
        f.otherCitySlaId = try await client.create("\(other)/slas", p.sla(contractId: otherContract, serviceId: p.otherCityService))["id"]!.string!

        var rows: [(sla: String, period: String, value: String, source: String)] = []
        rows += monthly.map { (f.compliance.slaId, $0, "99.9", "monitoring") }
        rows += quarterly.map { (f.compliance.quarterlySlaId, $0, "4.1", "survey") }
        rows += second.map { (f.secondSlaId, $0, "99.5", "monitoring") }
        try await report(client, city: f.compliance.city, rows)
        try await report(client, city: other, ["2026-01", "2026-02"].map { (f.otherCitySlaId, $0, "98", "monitoring") })
        f.written = Self.ordered(rows.map { "\($0.sla) \($0.period)" })
        return f
    }

    static func report(_ client: any TestClientProtocol, city: String, _ rows: [(sla: String, period: String, value: String, source: String)]) async throws {
        let body = "[" + rows.map { #"{"slaId": "\#($0.sla)", "period": "\#($0.period)", "value": \#($0.value), "source": "\#($0.source)"}"# }
            .joined(separator: ",") + "]"
        let response = try await client.send(.post, "\(city)/sla-measurements", body: body)
        #expect(response.status == .ok, "\(response.text)")
    }

    /// The documented order: the month the period ends, then the SLA, then (one SLA's two periods) the first month.
    static func ordered(_ keys: [String]) -> [String] {
        keys.sorted { a, b in
            let (slaA, periodA) = split(a), (slaB, periodB) = split(b)
            return (periodA.last.index, slaA, periodA.first.index) < (periodB.last.index, slaB, periodB.first.index)
        }
    }

    static func split(_ key: String) -> (String, MeasurementPeriod) {
        let parts = key.split(separator: " ")
        return (String(parts[0]), MeasurementPeriod(parts[1])!)
    }

    static func keys(_ items: [JSONValue]) -> [String] {
        items.map { "\($0["slaId"]?.string ?? "?") \($0["period"]?.string ?? "?")" }
    }

    /// Every page of `path` with `limit` items a page, following `nextCursor`; the items and the number of pages.
    static func walk(_ client: any TestClientProtocol, _ path: String, limit: Int) async throws -> (items: [JSONValue], pages: Int) {
        var items: [JSONValue] = [], cursor: String?, pages = 0
        repeat {
            let separator = path.contains("?") ? "&" : "?"
            let response = try await client.send(.get, "\(path)\(separator)limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? ""))
            #expect(response.status == .ok, "\(path): \(response.text)")
            let body = try response.json()
            let page = body["items"]?.array ?? []
            #expect(page.count <= limit)
            items += page
            cursor = body["nextCursor"]?.string
            pages += 1
        } while cursor != nil && pages <= 100
        return (items, pages)
    }

    func keys(_ client: any TestClientProtocol, _ query: String) async throws -> [String] {
        let response = try await client.send(.get, "\(list)?limit=1000&\(query)")
        #expect(response.status == .ok, "\(query): \(response.text)")
        #expect(try response.json()["nextCursor"] == .null)
        return Self.keys(try response.json()["items"]?.array ?? [])
    }
}

@Suite struct CityMeasurementsListTests {
    @Test func listsEverySLAOfTheCityByPeriodThenSLA() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await CityMeasurementsFixture.make(client)
            let response = try await client.send(.get, f.list)
            #expect(response.status == .ok)
            let items = try response.json()["items"]!.array
            #expect(CityMeasurementsFixture.keys(items) == f.written)
            #expect(f.written.count == 10 && items.count == 10)
            #expect(!items.contains { $0["slaId"]?.string == f.otherCitySlaId })
            #expect(items.allSatisfy { $0["cityId"]?.string == f.p.cityId })
            // Each item is the per-SLA list's, member for member.
            var perSLA: [String: JSONValue] = [:]
            for sla in [f.compliance.slaId, f.compliance.quarterlySlaId, f.secondSlaId] {
                for item in try await client.send(.get, "\(f.compliance.city)/slas/\(sla)/measurements").json()["items"]!.array {
                    perSLA[CityMeasurementsFixture.keys([item])[0]] = item
                }
            }
            #expect(items.count == perSLA.count)
            for item in items { #expect(perSLA[CityMeasurementsFixture.keys([item])[0]] == item) }
            // December 2025: the monthly SLA, the quarter that ends then, the second SLA, by SLA id.
            let december = CityMeasurementsFixture.keys(items).filter { key in
                CityMeasurementsFixture.split(key).1.last == YearMonth("2025-12")
            }
            #expect(december == [f.compliance.slaId, f.compliance.quarterlySlaId, f.secondSlaId].sorted().map { sla in
                "\(sla) \(sla == f.compliance.quarterlySlaId ? "2025-Q4" : "2025-12")"
            })
            // The other city lists its own.
            let other = try await client.send(.get, "/v1/cities/\(f.p.otherCityId)/sla-measurements").json()["items"]!.array
            #expect(CityMeasurementsFixture.keys(other) == ["\(f.otherCitySlaId) 2026-01", "\(f.otherCitySlaId) 2026-02"])
        }
    }

    @Test func fromAndToCountAQuarterInTheMonthItEndsAsThePerSLAListDoes() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await CityMeasurementsFixture.make(client)
            let (monthly, quarterly, second) = (f.compliance.slaId, f.compliance.quarterlySlaId, f.secondSlaId)
            #expect(try await f.keys(client, "from=2026-01&to=2026-02")
                    == CityMeasurementsFixture.ordered(["\(monthly) 2026-01", "\(monthly) 2026-02", "\(second) 2026-01"]))
            // 2026-Q1 ends in March: in a range of March alone, not in January–February.
            #expect(try await f.keys(client, "from=2026-03&to=2026-03")
                    == CityMeasurementsFixture.ordered(["\(monthly) 2026-03", "\(quarterly) 2026-Q1", "\(second) 2026-03"]))
            #expect(try await f.keys(client, "from=2025-11&to=2025-11") == ["\(monthly) 2025-11"])
            #expect(try await f.keys(client, "from=2027-01&to=2027-12").isEmpty)
            #expect(try await f.keys(client, "from=2016-01&to=2025-12")
                    == CityMeasurementsFixture.ordered(["\(monthly) 2025-11", "\(monthly) 2025-12", "\(quarterly) 2025-Q4", "\(second) 2025-12"]))
            // The same months as the per-SLA list finds, SLA by SLA.
            for range in ["from=2025-10&to=2025-12", "from=2026-02&to=2026-03", "from=2025-12&to=2026-01"] {
                let all = try await f.keys(client, range)
                for sla in [monthly, quarterly, second] {
                    let own = try await client.send(.get, "\(f.compliance.city)/slas/\(sla)/measurements?\(range)").json()["items"]!.array
                    #expect(Set(CityMeasurementsFixture.keys(own)) == Set(all.filter { $0.hasPrefix(sla) }), "\(range) \(sla)")
                }
            }
        }
    }

    @Test func filtersNarrowToAnSLAAContractOrASupplier() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await CityMeasurementsFixture.make(client)
            let (monthly, quarterly, second) = (f.compliance.slaId, f.compliance.quarterlySlaId, f.secondSlaId)
            func of(_ slas: String...) -> [String] { f.written.filter { slas.contains(String($0.split(separator: " ")[0])) } }
            #expect(try await f.keys(client, "slaId=\(quarterly)") == of(quarterly))
            #expect(try await f.keys(client, "slaId=\(monthly)&from=2026-02&to=2026-12") == ["\(monthly) 2026-02", "\(monthly) 2026-03"])
            #expect(try await f.keys(client, "contractId=\(f.compliance.contractId)") == of(monthly, quarterly))
            #expect(try await f.keys(client, "contractId=\(f.secondContractId)") == of(second))
            // The supplier of the SLA's contract; the commercial supplier's SLA in the other city is not listed.
            #expect(try await f.keys(client, "supplierId=\(f.p.commercialId)") == of(monthly, quarterly))
            #expect(try await f.keys(client, "supplierId=\(f.p.inHouseId)&from=2026-01&to=2026-01") == ["\(second) 2026-01"])
            #expect(try await f.keys(client, "contractId=\(f.compliance.contractId)&slaId=\(quarterly)&supplierId=\(f.p.commercialId)") == of(quarterly))
            // Filters that contradict each other, or name nothing of this city, give an empty list, as other lists' do.
            #expect(try await f.keys(client, "contractId=\(f.compliance.contractId)&supplierId=\(f.p.inHouseId)").isEmpty)
            #expect(try await f.keys(client, "slaId=\(second)&contractId=\(f.compliance.contractId)").isEmpty)
            #expect(try await f.keys(client, "slaId=\(f.otherCitySlaId)").isEmpty)
            for name in ["slaId", "contractId", "supplierId"] {
                #expect(try await f.keys(client, "\(name)=019b76da-a800-7000-8000-0000deadbeef").isEmpty)
                let empty = try await client.send(.get, "\(f.list)?\(name)=")
                #expect(try empty.status == .unprocessableContent && empty.errorLocations() == [name])
                let twice = try await client.send(.get, "\(f.list)?\(name)=a&\(name)=b")
                #expect(try twice.status == .unprocessableContent && twice.errorLocations() == [name])
            }
        }
    }

    @Test func pagesWalkEveryMeasurementExactlyOnce() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await CityMeasurementsFixture.make(client)
            for limit in [1, 2, 3, 4, 9, 10, 11] {
                let (items, pages) = try await CityMeasurementsFixture.walk(client, f.list, limit: limit)
                #expect(CityMeasurementsFixture.keys(items) == f.written, "limit \(limit)")
                #expect(pages == max(1, (f.written.count + limit - 1) / limit), "limit \(limit)")
            }
            // With a range and a filter too, and a page boundary inside a month.
            let ranged = try await CityMeasurementsFixture.walk(client, "\(f.list)?from=2025-12&to=2026-03&supplierId=\(f.p.commercialId)", limit: 2)
            #expect(CityMeasurementsFixture.keys(ranged.items)
                    == f.written.filter { !$0.hasPrefix(f.secondSlaId) && !$0.hasSuffix("2025-11") })
            // A page ending exactly at the end has no next cursor.
            let exact = try await client.send(.get, "\(f.list)?limit=10").json()
            #expect(exact["items"]!.array.count == 10 && exact["nextCursor"] == .null)
            // A page continues after its cursor even when the last item was deleted since.
            let first = try await client.send(.get, "\(f.list)?limit=3").json()
            let last = first["items"]!.array.last!
            #expect(try await client.send(.delete, "\(f.compliance.city)/slas/\(last["slaId"]!.string!)/measurements/\(last["period"]!.string!)").status == .noContent)
            let rest = try await client.send(.get, "\(f.list)?limit=1000&cursor=\(first["nextCursor"]!.string!)").json()
            #expect(CityMeasurementsFixture.keys(rest["items"]!.array) == Array(f.written.dropFirst(3)))
        }
    }

    @Test func aCursorContinuesOnlyTheListItWasIssuedFor() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await CityMeasurementsFixture.make(client)
            let query = "from=2025-01&to=2026-12&supplierId=\(f.p.commercialId)"
            let cursor = try await client.send(.get, "\(f.list)?\(query)&limit=2").json()["nextCursor"]!.string!
            #expect(try await client.send(.get, "\(f.list)?\(query)&limit=2&cursor=\(cursor)").status == .ok)
            // The limit is not a filter: a page of another size continues the same list.
            #expect(try await client.send(.get, "\(f.list)?\(query)&limit=5&cursor=\(cursor)").status == .ok)
            let others = [
                "from=2025-02&to=2026-12&supplierId=\(f.p.commercialId)", "from=2025-01&to=2026-12",
                "supplierId=\(f.p.commercialId)", "\(query)&slaId=\(f.compliance.slaId)", "\(query)&contractId=\(f.compliance.contractId)",
                "from=2025-01&to=2026-12&supplierId=\(f.p.inHouseId)", "\(query)&on=2026-01-01", "\(query)&asOf=2026-11-23T10:00:00Z",
            ]
            for other in others {
                let response = try await client.send(.get, "\(f.list)?\(other)&cursor=\(cursor)")
                #expect(response.status == .unprocessableContent, "\(other)")
                #expect(try response.errorLocations() == ["cursor"], "\(other)")
                #expect(response.text.contains("other filters"), "\(other)")
            }
            // Another list's cursor, and text that is no cursor of ours.
            let perSLA = try await client.send(.get, "\(f.compliance.city)/slas/\(f.compliance.slaId)/measurements?limit=1").json()["nextCursor"]!.string!
            #expect(try await client.send(.get, "\(f.list)?cursor=\(perSLA)").errorLocations() == ["cursor"])
            for garbage in ["nope", "%C3%A4", "", "YWJjOmRlZg", String(repeating: "A", count: 5000)] {
                let response = try await client.send(.get, "\(f.list)?cursor=\(garbage)")
                #expect(response.status == .unprocessableContent, "\(garbage.prefix(20))")
            }
            // One of ours for this list's filters, but with an id after the colon that is no period.
            let forged = PageCursor.make(lastId: "2026-13:x", fingerprint: PageCursor.fingerprint(path: f.list, filters: []))
            #expect(try await client.send(.get, "\(f.list)?cursor=\(forged)").errorLocations() == ["cursor"])
            let noSeparator = PageCursor.make(lastId: "2026-01", fingerprint: PageCursor.fingerprint(path: f.list, filters: []))
            #expect(try await client.send(.get, "\(f.list)?cursor=\(noSeparator)").errorLocations() == ["cursor"])
        }
    }

    @Test func asOfListsTheMeasurementsAsTheyWereRecorded() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await CityMeasurementsFixture.make(client)
            let before = try await client.send(.get, "\(f.list)?limit=1000").json()["items"]!.array
            let measurement = { (sla: String, period: String) in "\(f.compliance.city)/slas/\(sla)/measurements/\(period)" }

            app.setNow("2026-11-24T10:00:00Z")
            let replaced = try await client.send(.put, measurement(f.compliance.slaId, "2026-01"), body: #"{"value": 97.5, "source": "manual"}"#)
            #expect(replaced.status == .ok)
            #expect(try await client.send(.delete, measurement(f.compliance.slaId, "2026-02")).status == .noContent)
            #expect(try await client.send(.put, measurement(f.secondSlaId, "2026-04"), body: #"{"value": 99, "source": "monitoring"}"#).status == .created)
            #expect(try await client.send(.patch, measurement(f.compliance.quarterlySlaId, "2026-Q1"), body: #"{"dispute": {"status": "open"}}"#).status == .ok)

            let now = try await client.send(.get, "\(f.list)?limit=1000").json()["items"]!.array
            #expect(CityMeasurementsFixture.keys(now)
                    == CityMeasurementsFixture.ordered(f.written.filter { $0 != "\(f.compliance.slaId) 2026-02" } + ["\(f.secondSlaId) 2026-04"]))
            #expect(now.first { $0["slaId"]?.string == f.compliance.slaId && $0["period"]?.string == "2026-01" }?["value"]?.number == "97.5")

            // Recorded at the first instant: exactly the list as it was then, item for item, on every page.
            for asOf in ["2026-11-23T10:00:00Z", "2026-11-23T12:00:00Z", "2026-11-23"] {
                let past = try await client.send(.get, "\(f.list)?limit=1000&asOf=\(asOf)")
                #expect(past.status == .ok, "\(asOf): \(past.text)")
                #expect(try past.json()["items"]!.array == before, "\(asOf)")
                let paged = try await CityMeasurementsFixture.walk(client, "\(f.list)?asOf=\(asOf)", limit: 3)
                #expect(paged.items == before, "\(asOf)")
            }
            // A filter at the record time: the dispute was not there yet.
            let quarter = try await client.send(.get, "\(f.list)?asOf=2026-11-23T12:00:00Z&slaId=\(f.compliance.quarterlySlaId)&from=2026-03&to=2026-03").json()
            #expect(quarter["items"]!.array.count == 1 && quarter["items"]!.array[0]["dispute"] == nil)
            // Before the city was recorded it was not known; in the future nothing is.
            #expect(try await client.send(.get, "\(f.list)?asOf=2026-11-22").status == .notFound)
            #expect(try await client.send(.get, "\(f.list)?asOf=2026-11-25T10:00:00Z").errorLocations() == ["asOf"])
            #expect(try await client.send(.get, "\(f.list)?on=2026-01-01").status == .ok)
        }
    }

    @Test func unknownCityAndCitiesOutsideTheTokenAre404() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await CityMeasurementsFixture.make(client)
            let unknown = try await client.send(.get, "/v1/cities/019b76da-a800-7000-8000-0000deadbeef/sla-measurements")
            #expect(unknown.status == .notFound && unknown.headers[.contentType] == "application/problem+json")
            #expect(unknown.text.contains("no city has id"))
            // The city is told before the query is judged, as on the per-SLA list.
            #expect(try await client.send(.get, "/v1/cities/nope/sla-measurements?from=bad&limit=0").status == .notFound)

            let jyvaskyla = try app.token(.integration, cities: ["179"])
            let lahti = try app.token(.cio, cities: ["398"])
            let auditor = try app.token(.auditor)
            for (token, status) in [(jyvaskyla, HTTPResponse.Status.ok), (auditor, .ok), (lahti, .notFound)] {
                let response = try await client.send(.get, f.list, headers: [.authorization: "Bearer \(token)"])
                #expect(response.status == status, "\(response.text)")
                if status == .notFound { #expect(response.text.contains("no city has id")) }
            }
            let own = try await client.send(.get, "/v1/cities/\(f.p.otherCityId)/sla-measurements", headers: [.authorization: "Bearer \(lahti)"])
            #expect(try own.status == .ok && own.json()["items"]!.array.count == 2)
            #expect(try await client.send(.get, f.list, headers: [.authorization: "Bearer nope"]).status == .unauthorized)
        }
    }

    @Test func badParametersAreRefusedNamingThem() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await CityMeasurementsFixture.make(client)
            let cases: [(String, Set<String>)] = [
                ("from=2026-13&to=2026-12", ["from"]), ("from=2026-1&to=2026-12", ["from"]), ("from=1899-12&to=1900-01", ["from"]),
                ("from=2026-01", ["to"]), ("to=2026-01", ["from"]), ("from=2026-02&to=2026-01", ["to"]),
                ("from=2000-01&to=2026-12", ["to"]), ("from=2026-01&from=2026-02&to=2026-03", ["from"]),
                ("limit=0", ["limit"]), ("limit=1001", ["limit"]), ("limit=-1", ["limit"]), ("limit=99999999999999999999", ["limit"]),
                ("limit=abc", ["limit"]), ("on=2026-02-30", ["on"]), ("asOf=2300-01-01", ["asOf"]), ("asOf=yesterday", ["asOf"]),
                ("period=2026-01", ["period"]), ("serviceId=x", ["serviceId"]), ("slaId=%00", ["slaId"]),
                ("from=x&to=y&limit=0&bogus=1", ["from", "to", "limit", "bogus"]),
            ]
            for (query, names) in cases {
                let response = try await client.send(.get, "\(f.list)?\(query)")
                #expect(response.status == .unprocessableContent, "\(query): \(response.text)")
                #expect(try response.errorLocations() == names, "\(query): \(response.text)")
            }
            #expect(try await client.send(.get, "\(f.list)?from=2016-12&to=2026-11&limit=1000").status == .ok)
            #expect(try await client.send(.get, "\(f.list)?from=2200-01&to=2200-12").status == .ok)
        }
    }
}
