import Foundation
import HTTPTypes
import HummingbirdTesting
import SalkkuCore
import SalkkuStore
import Testing

@testable import SalkkuAPI

/// The portfolio fixture with one contract (2024–2026, 100 000 € a year) and a monthly availability SLA
/// (at least 99.95 %, 5 % credit of the 833 333 cent monthly fee).
struct ComplianceFixture {
    var portfolio: PortfolioFixture
    var contractId = ""
    var slaId = ""
    var quarterlySlaId = ""

    static func make(_ client: any TestClientProtocol) async throws -> ComplianceFixture {
        var fixture = ComplianceFixture(portfolio: try await PortfolioFixture.make(client))
        let p = fixture.portfolio
        fixture.contractId = try await client.create(p.contracts, p.contract())["id"]!.string!
        fixture.slaId = try await client.create(p.slas, p.sla(contractId: fixture.contractId))["id"]!.string!
        fixture.quarterlySlaId = try await client.create(p.slas, #"{"contractId": "\#(fixture.contractId)", "serviceId": "\#(p.serviceA)", "name": "Tyytyväisyys", "metric": "satisfaction", "unit": "score", "target": 4, "period": "quarter", "serviceCreditPercent": 0}"#)["id"]!.string!
        return fixture
    }

    var city: String { "/v1/cities/\(portfolio.cityId)" }
    func measurement(_ period: String, sla: String? = nil) -> String { "\(city)/slas/\(sla ?? slaId)/measurements/\(period)" }

    static func report(_ value: String, evidence: String = "Raportti 1/2026") -> String {
        #"{"value": \#(value), "source": "supplier-report", "evidence": "\#(evidence)"}"#
    }

    /// Jan–Jun 2026: met, breached, met at the target, missing, breached with an open dispute, breached with an accepted one.
    func recordHalfYear(_ client: any TestClientProtocol) async throws {
        for (period, value) in [("2026-01", "99.99"), ("2026-02", "99.9"), ("2026-03", "99.95"), ("2026-05", "99"), ("2026-06", "99.5")] {
            #expect(try await client.send(.put, measurement(period), body: Self.report(value)).status == .created)
        }
        #expect(try await client.send(.patch, measurement("2026-05"), body: #"{"dispute": {"status": "open", "note": "Huoltokatko"}}"#).status == .ok)
        #expect(try await client.send(.patch, measurement("2026-06"), body: #"{"dispute": {"status": "accepted"}}"#).status == .ok)
    }
}

@Suite struct MeasurementRoutesTests {
    @Test func putReplacesAndKeepsTheDispute() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await ComplianceFixture.make(client)
            let created = try await client.send(.put, f.measurement("2026-01"), body: ComplianceFixture.report("99.49"))
            #expect(created.status == .created)
            #expect(created.headers[.location] == f.measurement("2026-01"))
            #expect(created.headers[.eTag] == "\"1\"")
            #expect(created.text.contains(#""value":99.49"#))
            let body = try created.json()
            #expect(body["period"]?.string == "2026-01" && body["slaId"]?.string == f.slaId)
            #expect(body["reportedAt"]?.string == "2026-11-23T10:00:00.000Z")

            let again = try await client.send(.put, f.measurement("2026-01"), body: ComplianceFixture.report("99.49"))
            #expect(again.status == .ok && again.headers[.eTag] == "\"1\"")
            #expect(try await client.send(.patch, f.measurement("2026-01"), body: #"{"dispute": {"status": "open"}}"#).status == .ok)
            let replaced = try await client.send(.put, f.measurement("2026-01"), body: ComplianceFixture.report("99.5"))
            #expect(replaced.status == .ok && replaced.headers[.eTag] == "\"3\"")
            #expect(try replaced.json()["dispute"]?["status"]?.string == "open")
            #expect(try await client.send(.put, f.measurement("2026-01"), body: ComplianceFixture.report("99.6"),
                                          headers: [.ifMatch: "\"1\""]).status == .preconditionFailed)

            let fetched = try await client.send(.get, f.measurement("2026-01"))
            #expect(fetched.status == .ok && fetched.headers[.eTag] == "\"3\"")
            #expect(try await client.send(.get, f.measurement("2026-01"), headers: [.ifNoneMatch: "\"3\""]).status == .notModified)
            #expect(try await client.send(.get, f.measurement("2026-02")).status == .notFound)
            #expect(try await client.send(.delete, f.measurement("2026-01")).status == .noContent)
            #expect(try await client.send(.get, f.measurement("2026-01")).status == .notFound)
            #expect(try await client.send(.delete, f.measurement("2026-01")).status == .notFound)
        }
    }

    @Test func refusedMeasurementsNameTheField() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await ComplianceFixture.make(client)
            let before = try app.changeCount()
            func locations(_ path: String, _ body: String) async throws -> Set<String> {
                let response = try await client.send(.put, path, body: body)
                #expect(response.status == .unprocessableContent, "\(path) \(body)")
                return try response.errorLocations()
            }
            #expect(try await locations(f.measurement("2026-Q1"), ComplianceFixture.report("99.9")) == ["period"])
            #expect(try await locations(f.measurement("2026-03", sla: f.quarterlySlaId), #"{"value": 4, "source": "survey"}"#) == ["period"])
            #expect(try await locations(f.measurement("2023-12"), ComplianceFixture.report("99.9")) == ["period"])
            #expect(try await locations(f.measurement("2027-01"), ComplianceFixture.report("99.9")) == ["period"])
            #expect(try await locations(f.measurement("2026-01"), #"{"value": 99.9, "source": "supplier-report"}"#) == ["/evidence"])
            #expect(try await locations(f.measurement("2026-01"), ComplianceFixture.report("100.5")) == ["/value"])
            #expect(try await locations(f.measurement("2026-01"), ComplianceFixture.report("99.9999")) == ["/value"])
            #expect(try await locations(f.measurement("2026-01"), #"{"value": -1, "source": "manual", "slaId": "x", "dispute": {"status": "open"}, "reportedAt": "eilen"}"#)
                    == ["/value", "/slaId", "/dispute", "/reportedAt"])
            let badPeriod = try await client.send(.put, f.measurement("2026-13"), body: ComplianceFixture.report("99.9"))
            #expect(try badPeriod.errorLocations() == ["period"])
            #expect(try await client.send(.put, "/v1/cities/\(f.portfolio.otherCityId)/slas/\(f.slaId)/measurements/2026-01",
                                          body: ComplianceFixture.report("99.9")).status == .notFound)
            #expect(try app.changeCount() == before)
            #expect(try await client.send(.put, f.measurement("2026-Q1", sla: f.quarterlySlaId),
                                          body: #"{"value": 4.1, "source": "survey", "reportedAt": "2026-04-02T08:00:00Z"}"#).status == .created)
        }
    }

    @Test func disputesArePatched() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await ComplianceFixture.make(client)
            _ = try await client.send(.put, f.measurement("2026-02"), body: ComplianceFixture.report("99"))
            let bad = try await client.send(.patch, f.measurement("2026-02"), body: #"{"dispute": {"status": "maybe"}, "period": "2026-03"}"#)
            #expect(try bad.errorLocations() == ["/dispute/status", "/period"])
            let disputed = try await client.send(.patch, f.measurement("2026-02"), body: #"{"dispute": {"status": "rejected", "note": "Ei ilmoitettu"}}"#)
            #expect(try disputed.json()["dispute"] == .object(["status": .string("rejected"), "note": .string("Ei ilmoitettu")]))
            let cleared = try await client.send(.patch, f.measurement("2026-02"), body: #"{"dispute": null}"#)
            #expect(try cleared.json()["dispute"] == nil)
        }
    }

    @Test func listsInPeriodOrderWithPages() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await ComplianceFixture.make(client)
            for period in ["2026-03", "2026-01", "2025-12", "2026-02"] {
                _ = try await client.send(.put, f.measurement(period), body: ComplianceFixture.report("99.9"))
            }
            let list = "\(f.city)/slas/\(f.slaId)/measurements"
            let first = try await client.send(.get, "\(list)?from=2026-01&to=2026-12&limit=2").json()
            #expect(first["items"]!.array.compactMap { $0["period"]?.string } == ["2026-01", "2026-02"])
            let second = try await client.send(.get, "\(list)?from=2026-01&to=2026-12&limit=2&cursor=\(first["nextCursor"]!.string!)").json()
            #expect(second["items"]!.array.compactMap { $0["period"]?.string } == ["2026-03"])
            #expect(second["nextCursor"] == .null)
            #expect(try await client.send(.get, list).json()["items"]!.array.count == 4)
            #expect(try await client.send(.get, "\(list)?from=2026-01").status == .unprocessableContent)
            #expect(try await client.send(.get, "\(f.city)/slas/nope/measurements").status == .notFound)
        }
    }

    @Test func bulkReportsAreAllOrNothingAndIdempotent() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await ComplianceFixture.make(client)
            let path = "\(f.city)/sla-measurements"
            let rows = ["2026-01", "2026-02", "2026-03"].map {
                #"{"slaId": "\#(f.slaId)", "period": "\#($0)", "value": 99.97, "source": "supplier-report", "evidence": "Raportti \#($0)"}"#
            }
            let report = "[" + rows.joined(separator: ",") + "]"
            let first = try await client.send(.post, path, body: report)
            #expect(first.status == .ok)
            #expect(try first.json() == .object(["created": .integer(3), "replaced": .integer(0), "unchanged": .integer(0)]))
            let changes = try app.changeCount()
            #expect(try await client.send(.post, path, body: report).json()["unchanged"]?.int == 3)
            #expect(try app.changeCount() == changes)
            let changed = report.replacingOccurrences(of: "99.97, \"source\": \"supplier-report\", \"evidence\": \"Raportti 2026-02\"",
                                                      with: "99.1, \"source\": \"supplier-report\", \"evidence\": \"Raportti 2026-02\"")
            #expect(try await client.send(.post, path, body: changed).json() == .object(["created": .integer(0), "replaced": .integer(1), "unchanged": .integer(2)]))

            let before = try app.changeCount()
            let bad = "[" + rows[0] + #", {"slaId": "\#(f.slaId)", "period": "2026-04", "value": "high", "source": "manual"}, {"slaId": "nope", "period": "2026-05", "value": 1, "source": "manual"}, {"slaId": "\#(f.slaId)", "period": "2026-Q2", "value": 1, "source": "manual"}, {"slaId": "\#(f.slaId)", "period": "2026-07", "value": 99.9, "source": "manual"}, {"slaId": "\#(f.slaId)", "period": "2026-07", "value": 99.8, "source": "manual"}]"#
            let refused = try await client.send(.post, path, body: bad)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.json()["errors"]!.array.compactMap { $0["pointer"]?.string } == ["/1/value", "/2/slaId", "/3/period", "/5/period"])
            #expect(try app.changeCount() == before)
            #expect(try await client.send(.get, f.measurement("2026-07")).status == .notFound)

            #expect(try await client.send(.post, path, body: #"{"value": 1}"#).status == .unprocessableContent)
            let tooMany = "[" + Array(repeating: "{}", count: 10_001).joined(separator: ",") + "]"
            let large = try await client.send(.post, path, body: tooMany)
            #expect(try large.json()["errors"]?.array.first?["detail"]?.string?.contains("10000") == true)
        }
    }
}

@Suite struct ComplianceReportTests {
    @Test func rollUpFollowsTheRules() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await ComplianceFixture.make(client)
            try await f.recordHalfYear(client)
            let report = try await client.send(.get, "\(f.city)/sla-compliance?from=2026-01&to=2026-12&groupBy=sla").json()
            let totals = report["totals"]!
            #expect(totals["slaCount"]?.int == 2)
            #expect(totals["periodsInScope"]?.int == 16)  // 12 months and 4 quarters
            #expect(totals["met"]?.int == 3 && totals["breached"]?.int == 2 && totals["openDisputes"]?.int == 1)
            #expect(totals["missing"]?.int == 5 + 3 && totals["pending"]?.int == 2 + 1)
            #expect(totals["compliancePercent"]?.number == "60")
            #expect(totals["coveragePercent"]?.number == "38.46")
            #expect(totals["serviceCreditsCents"]?.int == 83_332)  // two breaches of floor(833 333 × 5 %)
            let availability = report["groups"]!.array.first { $0["key"]?["id"]?.string == f.slaId }!
            #expect(availability["key"]?["type"]?.string == "sla" && availability["key"]?["name"]?.string == "Käytettävyys")
            #expect(availability["coveragePercent"]?.number == "50")

            // Earlier, the same months were pending rather than missing.
            let past = try await client.send(.get, "\(f.city)/sla-compliance?from=2026-01&to=2026-12&on=2026-07-15&serviceId=\(f.portfolio.serviceA)").json()
            #expect(past["totals"]?["missing"]?.int == 3 && past["totals"]?["pending"]?.int == 8)  // April, Q1, Q2; July–December, Q3, Q4

            for groupBy in ComplianceGroupBy.allCases {
                let grouped = try await client.send(.get, "\(f.city)/sla-compliance?from=2026-01&to=2026-12&groupBy=\(groupBy.rawValue)").json()
                let groups = grouped["groups"]!.array
                for member in ["slaCount", "periodsInScope", "met", "breached", "missing", "pending", "serviceCreditsCents"] {
                    #expect(groups.reduce(0) { $0 + $1[member]!.int! } == grouped["totals"]![member]!.int!, "\(groupBy) \(member)")
                }
            }
            let bySupplier = try await client.send(.get, "\(f.city)/sla-compliance?from=2026-01&to=2026-12&groupBy=supplier&supplierId=\(f.portfolio.commercialId)").json()
            #expect(bySupplier["groups"]!.array.map { $0["key"]!["name"]!.string! } == ["Esimerkki Palvelut Oy"])
            #expect(try await client.send(.get, "\(f.city)/sla-compliance?from=2026-01&to=2026-12&contractId=other").json()["totals"]?["slaCount"]?.int == 0)
        }
    }

    @Test func rangesAreChecked() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await ComplianceFixture.make(client)
            for (query, expected) in [("", ["from", "to"]), ("from=2026-05&to=2026-04", ["to"]), ("from=2016-01&to=2026-01", ["to"]),
                                      ("from=2026-1&to=2026-02", ["from"]), ("from=2026-01&to=2026-02&groupBy=city", ["groupBy"])] {
                for path in ["sla-compliance", "sla-compliance/trend", "sla-breaches", "sla-missing-reports"] where !(path != "sla-compliance" && query.contains("groupBy")) {
                    let response = try await client.send(.get, "\(f.city)/\(path)?\(query)")
                    #expect(response.status == .unprocessableContent)
                    #expect(try response.errorLocations() == Set(expected), "\(path)?\(query)")
                }
            }
            #expect(try await client.send(.get, "\(f.city)/sla-compliance?from=2017-01&to=2026-12").status == .ok)  // 120 months
            #expect(try await client.send(.get, "/v1/supplier-scorecards?from=2026-02&to=2026-01").status == .unprocessableContent)
            #expect(try await client.send(.get, "/v1/cities/nope/sla-compliance?from=2026-01&to=2026-02").status == .notFound)
        }
    }

    @Test func trendAddsUpToTheRollUp() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await ComplianceFixture.make(client)
            try await f.recordHalfYear(client)
            let trend = try await client.send(.get, "\(f.city)/sla-compliance/trend?from=2026-01&to=2026-12&groupBy=metric").json()
            let periods = trend["periods"]!.array
            #expect(periods.compactMap { $0["month"]?.string } == (1...12).map { String(format: "2026-%02d", $0) })
            #expect(periods[1]["totals"]?["breached"]?.int == 1)
            #expect(periods[2]["groups"]!.array.compactMap { $0["key"]?["id"]?.string } == ["availability", "satisfaction"])
            let rollUp = try await client.send(.get, "\(f.city)/sla-compliance?from=2026-01&to=2026-12").json()["totals"]!
            for member in ["periodsInScope", "met", "breached", "missing", "pending", "serviceCreditsCents", "openDisputes"] {
                #expect(periods.reduce(0) { $0 + $1["totals"]![member]!.int! } == rollUp[member]!.int!, "\(member)")
            }
        }
    }

    @Test func breachesForTheAuditor() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await ComplianceFixture.make(client)
            try await f.recordHalfYear(client)
            _ = try await client.send(.put, f.measurement("2026-07"), body: ComplianceFixture.report("98.5", evidence: #"https://esimerkki.example/raportit/7?a=1,b=\"2\""#))
            let all = try await client.send(.get, "\(f.city)/sla-breaches?from=2026-01&to=2026-12").json()["items"]!.array
            #expect(all.compactMap { $0["period"]?.string } == ["2026-02", "2026-05", "2026-07"])
            let first = all[0]
            #expect(first["sla"]?["id"]?.string == f.slaId && first["contract"]?["id"]?.string == f.contractId)
            #expect(first["supplier"]?["name"]?.string == "Esimerkki Palvelut Oy" && first["service"]?["name"]?.string == "Asianhallinta")
            #expect(first["comparator"]?.string == "at-least" && first["target"]?.number == "99.95" && first["value"]?.number == "99.9")
            #expect(first["shortfall"]?.number == "0.05" && first["creditCents"]?.int == 41_666)
            #expect(first["source"]?.string == "supplier-report" && first["evidence"]?.string == "Raportti 1/2026")
            #expect(all[1]["dispute"]?["status"]?.string == "open")

            let page = try await client.send(.get, "\(f.city)/sla-breaches?from=2026-01&to=2026-12&limit=2").json()
            #expect(page["items"]!.array.count == 2)
            let rest = try await client.send(.get, "\(f.city)/sla-breaches?from=2026-01&to=2026-12&limit=2&cursor=\(page["nextCursor"]!.string!)").json()
            #expect(rest["items"]!.array.compactMap { $0["period"]?.string } == ["2026-07"] && rest["nextCursor"] == .null)
            #expect(try await client.send(.get, "\(f.city)/sla-breaches?from=2026-01&to=2026-11&limit=2&cursor=\(page["nextCursor"]!.string!)").status == .unprocessableContent)
            #expect(try await client.send(.get, "\(f.city)/sla-breaches?from=2026-01&to=2026-12&disputed=true").json()["items"]!.array.count == 1)
            #expect(try await client.send(.get, "\(f.city)/sla-breaches?from=2026-01&to=2026-12&disputed=false").json()["items"]!.array.count == 2)
            #expect(try await client.send(.get, "\(f.city)/sla-breaches?from=2026-01&to=2026-12&supplierId=\(f.portfolio.inHouseId)").json()["items"]!.array.isEmpty)
            #expect(try await client.send(.get, "\(f.city)/sla-breaches?from=2026-01&to=2026-12&disputed=maybe").status == .unprocessableContent)

            let csv = try await client.send(.get, "\(f.city)/sla-breaches?from=2026-01&to=2026-12&limit=1", headers: [.accept: "text/csv"])
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = csv.text.components(separatedBy: "\r\n")
            #expect(lines.count == 5 && lines.last == "")  // header, every breach whatever the limit, final CRLF
            #expect(lines[0].hasPrefix("period,slaId,slaName,metric,"))
            #expect(lines[1].hasPrefix("2026-02,\(f.slaId),Käytettävyys,availability,"))
            #expect(lines[3].contains(#","https://esimerkki.example/raportit/7?a=1,b=""2""","#))
            #expect(lines[2].hasSuffix(",open,Huoltokatko"))

            // Finnish Excel: a byte order mark, semicolons, decimal commas; the same rows.
            let finnish = try await client.send(.get, "\(f.city)/sla-breaches?from=2026-01&to=2026-12&dialect=excel-fi", headers: [.accept: "text/csv"])
            let finnishLines = finnish.text.components(separatedBy: "\r\n")
            #expect(finnishLines.count == lines.count)
            #expect(finnishLines[0].hasPrefix("\u{FEFF}period;slaId;slaName;metric;"))
            #expect(finnishLines[1].contains(";at-least;99,95;99,9;percent;0,05;41666;"), "\(finnishLines[1])")
            #expect(try await client.send(.get, "\(f.city)/sla-breaches?from=2026-01&to=2026-12&dialect=ods", headers: [.accept: "text/csv"])
                .status == .unprocessableContent)
        }
    }

    @Test func missingReportsPerSLAAndSupplier() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await ComplianceFixture.make(client)
            try await f.recordHalfYear(client)
            let body = try await client.send(.get, "\(f.city)/sla-missing-reports?from=2026-01&to=2026-12").json()
            let items = body["items"]!.array
            #expect(items.count == 2)
            let monthly = items.first { $0["sla"]?["id"]?.string == f.slaId }!
            #expect(monthly["missingPeriods"]?.array.compactMap(\.string) == ["2026-04", "2026-07", "2026-08", "2026-09", "2026-10"])
            let quarterly = items.first { $0["sla"]?["id"]?.string == f.quarterlySlaId }!
            #expect(quarterly["missingPeriods"]?.array.compactMap(\.string) == ["2026-Q1", "2026-Q2", "2026-Q3"])
            #expect(body["bySupplier"]?.array.first?["missingPeriods"]?.int == 8)
        }
    }

    @Test func supplierScorecardsAcrossCities() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await ComplianceFixture.make(client)
            try await f.recordHalfYear(client)
            let p = f.portfolio
            let otherContract = try await client.create("/v1/cities/\(p.otherCityId)/contracts",
                p.contract().replacingOccurrences(of: p.serviceA, with: p.otherCityService))["id"]!.string!
            let otherSla = try await client.create("/v1/cities/\(p.otherCityId)/slas",
                p.sla(contractId: otherContract, serviceId: p.otherCityService))["id"]!.string!
            _ = try await client.send(.put, "/v1/cities/\(p.otherCityId)/slas/\(otherSla)/measurements/2026-01", body: ComplianceFixture.report("90"))

            let all = try await client.send(.get, "/v1/supplier-scorecards?from=2026-01&to=2026-06").json()["items"]!.array
            #expect(all.count == 1)
            let line = all[0]
            #expect(line["supplier"]?["id"]?.string == p.commercialId && line["citiesServed"]?.int == 2)
            #expect(line["slaCount"]?.int == 3 && line["measured"]?.int == 6 && line["breached"]?.int == 3)
            #expect(line["compliancePercent"]?.number == "50")

            let one = try await client.send(.get, "/v1/suppliers/\(p.commercialId)/scorecard?from=2026-01&to=2026-06").json()
            let cities = one["cities"]!.array
            #expect(cities.compactMap { $0["city"]?["municipalityCode"]?.string } == ["179", "398"])
            #expect(one["scorecard"] == line)
            for member in ["slaCount", "measured", "met", "breached", "missing", "pending", "serviceCreditsCents"] {
                #expect(cities.reduce(0) { $0 + $1[member]!.int! } == line[member]!.int!, "\(member)")
            }
            #expect(try await client.send(.get, "/v1/suppliers/\(p.inHouseId)/scorecard?from=2026-01&to=2026-06").json()["cities"]!.array.isEmpty)
            #expect(try await client.send(.get, "/v1/suppliers/nope/scorecard?from=2026-01&to=2026-06").status == .notFound)
        }
    }

    @Test func demoMeasurementsCoverEveryOutcome() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            let city = try await client.send(.get, "/v1/cities").json()["items"]!.array[0]["id"]!.string!
            let today = HelsinkiCalendar.date(at: Timestamp(Date()))
            let to = YearMonth(today).adding(-1), from = YearMonth(today).adding(-24)
            let totals = try await client.send(.get, "/v1/cities/\(city)/sla-compliance?from=\(from)&to=\(to)").json()["totals"]!
            #expect(totals["met"]!.int! > totals["breached"]!.int! * 3)
            #expect(totals["breached"]!.int! > 0 && totals["missing"]!.int! > 0 && totals["openDisputes"]!.int! > 0)
            let disputed = try await client.send(.get, "/v1/cities/\(city)/sla-breaches?from=\(from)&to=\(to)&disputed=true").json()["items"]!.array
            #expect(!disputed.isEmpty)
        }
    }
}
