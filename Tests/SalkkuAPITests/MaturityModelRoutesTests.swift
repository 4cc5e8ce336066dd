import Foundation
import HTTPTypes
import HummingbirdTesting
import SalkkuCore
import SalkkuDemo
import SalkkuStore
import Testing

@testable import SalkkuAPI

/// A PUT body with every threshold at its default but those `change` sets.
private func modelBody(_ change: (inout [String: Int64]) -> Void = { _ in }, note: String? = nil) -> String {
    var values = MaturityThresholds.defaults.modelValues
    change(&values)
    let members = values.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ")
    return #"{"thresholds": {\#(members)}\#(note.map { #", "note": "\#($0)""# } ?? "")}"#
}

@Suite struct MaturityModelRoutesTests {
    @Test func theFirstVersionIsTodaysDefaultsWithoutAPut() async throws {
        let app = try TestApp()
        try await app.run { client in
            let response = try await client.send(.get, "/v1/maturity-model")
            #expect(response.status == .ok && response.headers[.eTag] == "\"1\"")
            let model = try response.json()
            #expect(model["version"]?.int == 1)
            #expect(model["thresholds"]?["slaCoverSharePercent"]?.int == 80)
            #expect(model["thresholds"]?["centralContractSharePercentStage3"]?.int == 90)
            #expect(model["members"]?.array.count == MaturityThresholds.modelMembers.count)
            #expect(try await client.send(.get, "/v1/maturity-model", headers: [.ifNoneMatch: "\"1\""]).status == .notModified)
            #expect(try await client.send(.get, "/v1/maturity-model?on=2026-01-01").status == .unprocessableContent)
            let versions = try await client.send(.get, "/v1/maturity-model/versions").json()["items"]!.array
            #expect(versions.map { $0["version"]?.int } == [1])
        }
    }

    @Test func aPutPublishesANewAuditedVersionThatMaturityUses() async throws {
        let app = try TestApp()
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let before = try await client.send(.get, "/v1/cities/\(f.cityId)/maturity").json()
            #expect(before["modelVersion"]?.int == 1)
            let instantBefore = try await client.send(.get, "/v1/maturity-model").json()["publishedAt"]!.string!
            _ = instantBefore

            let put = try await client.send(.put, "/v1/maturity-model", body: modelBody({ $0["slaCoverSharePercent"] = 95 }, note: "Verkoston päätös"),
                                            headers: [.ifMatch: "\"1\""])
            #expect(put.status == .ok, "\(put.text)")
            #expect(put.headers[.eTag] == "\"2\"")
            let published = try put.json()
            #expect(published["version"]?.int == 2 && published["publishedBy"]?.string == "Test admin")
            #expect(published["thresholds"]?["slaCoverSharePercent"]?.int == 95 && published["note"]?.string == "Verkoston päätös")

            // A stale If-Match is refused and changes nothing.
            let stale = try await client.send(.put, "/v1/maturity-model", body: modelBody({ $0["slaCoverSharePercent"] = 50 }), headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .preconditionFailed)
            #expect(try await client.send(.get, "/v1/maturity-model").json()["thresholds"]?["slaCoverSharePercent"]?.int == 95)

            let maturity = try await client.send(.get, "/v1/cities/\(f.cityId)/maturity").json()
            #expect(maturity["modelVersion"]?.int == 2 && maturity["thresholds"]?["slaCoverSharePercent"]?.int == 95)
            let cover = maturity["criteria"]!.array.first { $0["threshold"]?.int == 95 }
            #expect(cover != nil)

            let snapshot = try await client.create("/v1/cities/\(f.cityId)/maturity-snapshots", "{}")
            #expect(snapshot["modelVersion"]?.int == 2 && snapshot["maturity"]?["modelVersion"]?.int == 2)

            let entries = try await client.send(.get, "/v1/audit-log?resourceType=maturity-model").json()["items"]!.array
            #expect(entries.count == 1)
            #expect(entries.first?["action"]?.string == "update" && entries.first?["version"]?.int == 2)
            #expect(try await client.send(.get, "/v1/audit-log/verify").status == .ok)

            let versions = try await client.send(.get, "/v1/maturity-model/versions").json()["items"]!.array
            #expect(versions.map { $0["version"]?.int } == [1, 2])
            #expect(versions[0]["supersededAt"]?.string == published["publishedAt"]?.string)
            #expect(versions[0]["thresholds"]?["slaCoverSharePercent"]?.int == 80 && versions[1]["supersededAt"] == .null)
            // The change feed's state is the version as the versions list shows it, not the stored record.
            let feed = try await client.send(.get, "/v1/changes?types=maturity-model").json()["items"]!.array
            #expect(feed.map { $0["state"] } == [versions[1]])

            // The same values again publish nothing.
            let again = try await client.send(.put, "/v1/maturity-model", body: modelBody({ $0["slaCoverSharePercent"] = 95 }, note: "Verkoston päätös"))
            #expect(again.status == .ok && again.headers[.eTag] == "\"2\"")
            // Nor does another note on the same values: a version is a change of the rules (found by the black-box attack).
            let renoted = try await client.send(.put, "/v1/maturity-model", body: modelBody({ $0["slaCoverSharePercent"] = 95 }, note: "Toinen perustelu"))
            #expect(renoted.status == .ok && renoted.headers[.eTag] == "\"2\"")
            #expect(try renoted.json()["note"]?.string == "Verkoston päätös")
        }
    }

    @Test func aPastRecordTimeIsJudgedWithTheVersionThenInForce() async throws {
        let app = try TestApp(now: "2026-11-20T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            app.setNow("2026-11-25T10:00:00Z")
            #expect(try await client.send(.put, "/v1/maturity-model", body: modelBody { $0["reportCoveragePercent"] = 90 }).status == .ok)
            app.setNow("2026-11-30T10:00:00Z")
            let past = try await client.send(.get, "/v1/cities/\(f.cityId)/maturity?asOf=2026-11-22T00:00:00Z").json()
            #expect(past["modelVersion"]?.int == 1 && past["thresholds"]?["reportCoveragePercent"]?.int == 80)
            let pastModel = try await client.send(.get, "/v1/maturity-model?asOf=2026-11-22T00:00:00Z").json()
            #expect(pastModel["version"]?.int == 1)
            // Before the history's first instant the first version stands, as the rules' constants did (was a 500).
            for instant in ["1900-01-01", "1969-12-31T23:59:59Z"] {
                let ancient = try await client.send(.get, "/v1/maturity-model?asOf=\(instant)")
                #expect(ancient.status == .ok, "\(instant)")
                #expect(try ancient.json()["version"]?.int == 1, "\(instant)")
            }
            // The business date alone does not pick the model: today's records, today's model.
            let now = try await client.send(.get, "/v1/cities/\(f.cityId)/maturity?on=2026-01-01").json()
            #expect(now["modelVersion"]?.int == 2)
        }
    }

    @Test func everyMemberIsValidatedAndOnlyAnAdminOfEveryCityPublishes() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            let invalid = try await client.send(.put, "/v1/maturity-model", body: modelBody({
                $0["slaCoverSharePercent"] = 101
                $0["purchaserProcessLevel"] = 6
                $0.removeValue(forKey: "strategyMaxAgeMonths")
                $0["unknownPercent"] = 1
            }))
            #expect(invalid.status == .unprocessableContent)
            #expect(try invalid.errorLocations() == ["/thresholds/slaCoverSharePercent", "/thresholds/purchaserProcessLevel",
                                                     "/thresholds/strategyMaxAgeMonths", "/thresholds/unknownPercent"])
            #expect(try await client.send(.put, "/v1/maturity-model", body: #"{"thresholds": 3, "version": 2}"#).errorLocations()
                    == ["/thresholds", "/version"])
            #expect(try await client.send(.put, "/v1/maturity-model", body: "[").status == .badRequest)
            #expect(try await client.send(.get, "/v1/maturity-model").json()["version"]?.int == 1)

            let cio = DemoData.demoTokens.first { $0.request.role == .cio }!.secret
            let auditor = DemoData.demoTokens.first { $0.request.role == .auditor }!.secret
            for secret in [cio, auditor] {
                #expect(try await client.send(.put, "/v1/maturity-model", body: modelBody(), headers: [.authorization: "Bearer \(secret)"]).status == .forbidden)
                #expect(try await client.send(.get, "/v1/maturity-model", headers: [.authorization: "Bearer \(secret)"]).status == .ok)
            }
            let limitedAdmin = try app.token(.admin, cities: ["091"])
            #expect(try await client.send(.put, "/v1/maturity-model", body: modelBody { $0["slaCoverSharePercent"] = 85 },
                                          headers: [.authorization: "Bearer \(limitedAdmin)"]).status == .forbidden)
        }
    }
}

@Suite struct TransitionPlanRoutesTests {
    private func planBody(projectIds: [String] = [], due: String = "2027-06-30", status: String = "planned", stage: Int = 3) -> String {
        let ids = projectIds.map { "\"\($0)\"" }.joined(separator: ", ")
        return #"{"targetStage": \#(stage), "targetDate": "2028-12-31", "option": "cooperation-model", "measures": [{"title": "Palvelun järjestäjän kilpailutus", "dueOn": "\#(due)", "status": "\#(status)", "projectIds": [\#(ids)]}], "decision": {"body": "city-board", "decidedOn": "2026-11-16", "reference": "Kaupunginhallitus 16.11.2026 § 412"}}"#
    }

    private let projectBody = #"{"name": "Palvelun järjestäjä", "sector": "cross-sector", "owner": {"name": "Anna Virtanen"}, "phase": "execution", "health": "off-track", "startDate": "2026-01-01", "plannedEndDate": "2027-06-30"}"#

    /// Found by the black-box attack: `If-Match: *` created a plan that did not exist. RFC 9110 § 13.1.1: `*` is false
    /// when there is no current representation; `If-None-Match: *` makes a PUT create-only. The same for every PUT
    /// that creates (governance facts here).
    @Test func ifMatchStarNeedsAnExistingRecordAndIfNoneMatchStarCreatesOnly() async throws {
        let app = try TestApp(now: "2026-12-01T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let path = "/v1/cities/\(f.cityId)/transition-plan"
            #expect(try await client.send(.put, path, body: planBody(), headers: [.ifMatch: "*"]).status == .preconditionFailed)
            #expect(try await client.send(.get, path).status == .notFound)
            #expect(try await client.send(.put, path, body: planBody(), headers: [.ifNoneMatch: "*"]).status == .created)
            #expect(try await client.send(.put, path, body: planBody(status: "done"), headers: [.ifNoneMatch: "*"]).status == .preconditionFailed)
            #expect(try await client.send(.put, path, body: planBody(status: "done"), headers: [.ifMatch: "*"]).status == .ok)

            let governance = "/v1/cities/\(f.cityId)/governance"
            #expect(try await client.send(.put, governance, body: #"{"centralItUnit": true}"#, headers: [.ifMatch: "*"]).status == .preconditionFailed)
            #expect(try await client.send(.put, governance, body: #"{"centralItUnit": true}"#, headers: [.ifMatch: "\"0\""]).status == .created)
        }
    }

    @Test func aPlanIsValidatedStoredAndShownInMaturity() async throws {
        let app = try TestApp(now: "2026-12-01T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let path = "/v1/cities/\(f.cityId)/transition-plan"
            #expect(try await client.send(.get, path).status == .notFound)
            #expect(try await client.send(.get, "/v1/cities/\(f.cityId)/maturity").json()["transitionPlan"] == .null)

            let own = try await client.create(f.projects, projectBody)["id"]!.string!
            let foreign = try await client.create("/v1/cities/\(f.otherCityId)/projects", projectBody)["id"]!.string!
            let crossCity = try await client.send(.put, path, body: planBody(projectIds: [own, foreign, "nobody"]))
            #expect(crossCity.status == .unprocessableContent)
            #expect(try crossCity.errorLocations() == ["/measures/0/projectIds/1", "/measures/0/projectIds/2"])
            let invalid = try await client.send(.put, path, body: #"{"targetStage": 5, "option": "x", "decision": {"body": "city-council", "decidedOn": "2027-01-01", "reference": "Kv"}, "id": "y"}"#)
            // The decision's future date is named beside the other errors (found by the black-box attack: it was named
            // only once everything else was right).
            #expect(try invalid.errorLocations() == ["/targetStage", "/targetDate", "/option", "/id", "/decision/decidedOn"])
            let future = try await client.send(.put, path, body: planBody().replacingOccurrences(of: "2026-11-16", with: "2026-12-24"))
            #expect(try future.errorLocations() == ["/decision/decidedOn"])
            #expect(try await client.send(.get, path).status == .notFound)

            let created = try await client.send(.put, path, body: planBody(projectIds: [own]))
            #expect(created.status == .created && created.headers[.eTag] == "\"1\"", "\(created.text)")
            #expect(try created.json()["decision"]?["reference"]?.string == "Kaupunginhallitus 16.11.2026 § 412")
            #expect(try await client.send(.put, path, body: planBody(projectIds: [own], status: "in-progress"), headers: [.ifMatch: "\"7\""]).status
                    == .preconditionFailed)

            let progress = try await client.send(.get, "/v1/cities/\(f.cityId)/maturity").json()["transitionPlan"]!
            #expect(progress["targetStage"]?["level"]?.int == 3 && progress["currentStage"]?.int == 1 && progress["stagesToGo"]?.int == 2)
            #expect(progress["daysToTarget"]?.int == 761 && progress["option"]?.string == "cooperation-model")
            // The measure's project is off track: the plan is behind though nothing is overdue yet.
            #expect(progress["status"]?.string == "behind" && progress["onTrack"] == .bool(false))
            #expect(progress["projects"]?.array.first?["health"]?.string == "off-track")
            #expect(progress["measures"]?["overdue"]?.int == 0 && progress["measures"]?["planned"]?.int == 1)

            // On a later business date the measure is overdue.
            let later = try await client.send(.get, "/v1/cities/\(f.cityId)/maturity?on=2027-07-01").json()["transitionPlan"]!
            #expect(later["measures"]?["overdueIndexes"]?.array.compactMap(\.int) == [0] && later["daysToTarget"]?.int == 549)

            // Before its decision (16.11.2026) the plan did not exist yet (found by the black-box attack).
            let before = try await client.send(.get, "/v1/cities/\(f.cityId)/maturity?on=2026-11-15").json()
            #expect(before["transitionPlan"] == .null)
            #expect(try await client.send(.get, "/v1/cities/\(f.cityId)/maturity?on=2026-11-16").json()["transitionPlan"] != .null)

            let replaced = try await client.send(.put, path, body: planBody(status: "done"), headers: [.ifMatch: "\"1\""])
            #expect(replaced.status == .ok && replaced.headers[.eTag] == "\"2\"")
            let onTrack = try await client.send(.get, "/v1/cities/\(f.cityId)/maturity").json()["transitionPlan"]!
            #expect(onTrack["status"]?.string == "on-track" && onTrack["measures"]?["done"]?.int == 1)

            let history = try await client.send(.get, "\(path)/history").json()["items"]!.array
            #expect(history.map { $0["version"]?.int } == [1, 2])
            #expect(try await client.send(.get, "/v1/cities/\(f.otherCityId)/transition-plan/history").status == .notFound)
        }
    }
}
