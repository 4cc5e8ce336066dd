import Foundation
import HTTPTypes
import HummingbirdTesting
import SalkkuCore
import SalkkuStore
import Testing

@testable import SalkkuAPI

@Suite struct CatalogueRoutesTests {
    @Test func catalogueIsServedReadOnly() async throws {
        let app = try TestApp()
        try await app.run { client in
            let processes = try await client.send(.get, "/v1/catalogue/processes").json()["items"]!.array
            let cobit = try await client.send(.get, "/v1/catalogue/processes?framework=cobit-2019").json()["items"]!.array
            let itil = try await client.send(.get, "/v1/catalogue/processes?framework=itil-4").json()["items"]!.array
            #expect(cobit.count == 40 && itil.count == 34)
            #expect(Set(processes.compactMap { $0["id"]?.string }).count == processes.count)
            let apo09 = cobit.first { $0["code"]?.string == "APO09" }!
            #expect(apo09["id"]?.string == "cobit-2019:APO09" && apo09["name"]?["en"]?.string == "Managed Service Agreements")
            #expect(apo09["references"]?.array.compactMap(\.string).contains("itil-4:service-level-management") == true)
            #expect(try await client.send(.get, "/v1/catalogue/processes?framework=iso").status == .unprocessableContent)

            let tree = try await client.send(.get, "/v1/catalogue/capabilities").json()["items"]!.array
            let sectors = tree.first { $0["id"]?.string == "sector-expertise" }!
            #expect(sectors["children"]?.array.compactMap { $0["id"]?.string }.contains("sector-expertise/social-health") == true)
            let areas = try await client.send(.get, "/v1/catalogue/focus-areas").json()["items"]!.array
            #expect(areas.first { $0["id"]?.string == "purchaser-competence" }?["processIds"]?.array.count == 6)
            #expect(try await client.send(.post, "/v1/catalogue/processes", body: "{}").status == .methodNotAllowed)
        }
    }

    @Test func mappingsAreValidatedAgainstTheCatalogue() async throws {
        let app = try TestApp()
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let path = "/v1/cities/\(f.cityId)/services/\(f.serviceA)"
            let bad = try await client.send(.patch, path, body: #"{"capabilityIds": ["astrology"], "processIds": ["cobit-2019:APO99"], "arrangerId": "nobody"}"#)
            // The unknown arranger is named beside the other errors.
            #expect(try bad.errorLocations() == ["/capabilityIds/0", "/processIds/0", "/arrangerId"])
            let unknownArranger = try await client.send(.patch, path, body: #"{"arrangerId": "nobody"}"#)
            #expect(try unknownArranger.errorLocations() == ["/arrangerId"])
            let good = try await client.send(.patch, path, body: #"{"capabilityIds": ["sector-expertise/administration"], "processIds": ["itil-4:service-desk"], "arrangerId": "\#(f.inHouseId)"}"#)
            #expect(good.status == .ok)
            #expect(try good.json()["arrangerId"]?.string == f.inHouseId)
            #expect(try await client.send(.delete, "/v1/suppliers/\(f.inHouseId)").status == .conflict)

            let portfolio = try await client.send(.get, "/v1/cities/\(f.cityId)/capabilities/sector-expertise/portfolio").json()
            #expect(portfolio["services"]?.array.compactMap { $0["id"]?.string } == [f.serviceA])
            #expect(portfolio["annualServiceCostCents"]?.int == 12_000_000)
            #expect(portfolio["includes"]?.array.count == 12)  // itself, its five sectors, solution management and its five
            let leaf = try await client.send(.get, "/v1/cities/\(f.cityId)/capabilities/sector-expertise%2Fadministration/portfolio")
            #expect(leaf.status == .ok)
            #expect(try leaf.json()["services"]?.array.count == 1)
            #expect(try await client.send(.get, "/v1/cities/\(f.cityId)/capabilities/astrology/portfolio").status == .notFound)
            let contract = try await client.send(.post, f.contracts, body: f.contract(extra: #", "processIds": ["cobit-2019:APO10", "x"]"#))
            #expect(try contract.errorLocations() == ["/processIds/1"])
        }
    }
}

@Suite struct GovernanceFactsRoutesTests {
    @Test func capabilitySourcing() async throws {
        let app = try TestApp()
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let base = "/v1/cities/\(f.cityId)/capabilities"
            let created = try await client.send(.put, "\(base)/procurement-and-supplier-management", body: #"{"sourcing": "shared-centre-supports", "note": "KPK ICT"}"#)
            #expect(created.status == .created && created.headers[.eTag] == "\"1\"")
            let replaced = try await client.send(.put, "\(base)/procurement-and-supplier-management", body: #"{"sourcing": "own"}"#)
            #expect(replaced.status == .ok && replaced.headers[.eTag] == "\"2\"")
            #expect(try await client.send(.put, "\(base)/procurement-and-supplier-management", body: #"{"sourcing": "own"}"#,
                                          headers: [.ifMatch: "\"1\""]).status == .preconditionFailed)
            #expect(try await client.send(.put, "\(base)/sector-expertise%2Fsocial-health", body: #"{"sourcing": "shared-centre-provides"}"#).status == .created)
            let invalid = try await client.send(.put, "\(base)/architectures", body: #"{"sourcing": "outsourced", "capabilityId": "x"}"#)
            #expect(try invalid.errorLocations() == ["/sourcing", "/capabilityId"])
            #expect(try await client.send(.put, "\(base)/astrology", body: #"{"sourcing": "own"}"#).status == .notFound)

            let list = try await client.send(.get, base).json()["items"]!.array
            #expect(list.count == GovernanceCatalogue.capabilities.count)
            #expect(list.first { $0["id"]?.string == "procurement-and-supplier-management" }?["sourcing"]?.string == "own")
            #expect(list.first { $0["id"]?.string == "sector-expertise/social-health" }?["sourcing"]?.string == "shared-centre-provides")
            #expect(list.first { $0["id"]?.string == "architectures" }?["sourcing"] == .null)
        }
    }

    /// Figure 1.4's legend with the national centre's support beside it, the named provider, and figure 1.3's
    /// estimate of the expert support needed, shown beside the sourcing.
    @Test func capabilitySourcingFollowsTheLegend() async throws {
        let app = try TestApp()
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let centreId = try await client.create("/v1/suppliers",
                #"{"name": "Kuntien ICT-palvelukeskus Oy", "businessId": "1234567-1", "kind": "shared-service-centre"}"#)["id"]!.string!
            let base = "/v1/cities/\(f.cityId)/capabilities"
            let created = try await client.send(.put, "\(base)/architectures", body: #"""
                {"sourcing": "shared-centre-provides", "nationalCentreSupports": true, "providerId": "\#(centreId)", "expertSupportNeed": "high"}
                """#)
            #expect(created.status == .created)
            let record = try created.json()
            #expect(record["sourcing"]?.string == "shared-centre-provides" && record["nationalCentreSupports"] == .bool(true))
            #expect(record["providerId"]?.string == centreId && record["expertSupportNeed"]?.string == "high")
            #expect(try await client.send(.put, "\(base)/solution-management%2Fsocial-health",
                                          body: #"{"sourcing": "market", "providerId": "\#(f.commercialId)", "expertSupportNeed": "none"}"#).status == .created)

            // Refusals name the member and leave the record as it was.
            let refusals: [(String, Set<String>)] = [
                (#"{"sourcing": "market", "nationalCentreSupports": true}"#, ["/nationalCentreSupports"]),
                (#"{"sourcing": "market", "providerId": "\#(centreId)"}"#, ["/providerId"]),
                (#"{"sourcing": "own", "providerId": "\#(f.inHouseId)"}"#, ["/providerId"]),
                (#"{"sourcing": "shared-centre-supports", "providerId": "no-such-supplier"}"#, ["/providerId"]),
                (#"{"sourcing": "national-centre-supports"}"#, ["/sourcing"]),
                (#"{"sourcing": "own", "expertSupportNeed": "lots", "nationalCentreSupports": 1}"#, ["/expertSupportNeed", "/nationalCentreSupports"]),
            ]
            for (body, pointers) in refusals {
                let refused = try await client.send(.put, "\(base)/architectures", body: body)
                #expect(refused.status == .unprocessableContent, "\(body)")
                #expect(try refused.errorLocations() == pointers, "\(body)")
            }

            let list = try await client.send(.get, base).json()["items"]!.array
            #expect(list.first?["id"]?.string == "city-strategy-and-leadership")
            let architectures = try #require(list.first { $0["id"]?.string == "architectures" })
            #expect(architectures["version"] == .integer(1) && architectures["sourcing"]?.string == "shared-centre-provides")
            #expect(architectures["nationalCentreSupports"] == .bool(true) && architectures["providerId"]?.string == centreId)
            #expect(architectures["expertSupportNeed"]?.string == "high")
            let solutions = try #require(list.first { $0["id"]?.string == "solution-management/social-health" })
            #expect(solutions["parentId"]?.string == "solution-management" && solutions["expertSupportNeed"]?.string == "none")
            #expect(solutions["nationalCentreSupports"] == .bool(false))
            let unrecorded = try #require(list.first { $0["id"]?.string == "sector-expertise/administration" })
            #expect(unrecorded["nationalCentreSupports"] == .null && unrecorded["providerId"] == .null && unrecorded["expertSupportNeed"] == .null)
            #expect(unrecorded["name"]?["fi"]?.string == "Hallintopalvelut")

            // A supplier a city's sourcing names cannot be deleted.
            let blocked = try await client.send(.delete, "/v1/suppliers/\(centreId)")
            #expect(blocked.status == .conflict)
            #expect(try blocked.json()["detail"]?.string?.contains("capability architectures") == true)
        }
    }

    @Test func effortProfile() async throws {
        let app = try TestApp()
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let path = "/v1/cities/\(f.cityId)/effort-profile"
            #expect(try await client.send(.get, path).status == .notFound)
            let split = #"{"strategy": 5, "architectureAndInfrastructureDevelopment": 5, "serviceDevelopmentSupport": 0, "purchasingAndPartnershipManagement": 0, "infrastructureMaintenanceAndSupport": 90}"#
            let created = try await client.send(.put, path, body: #"{"current": \#(split)}"#)
            #expect(created.status == .created)
            let profile = try created.json()
            #expect(profile["distance"]?.number == "85")
            #expect(profile["target"]?["serviceDevelopmentSupport"]?.number == "50")
            #expect(try await client.send(.get, path).json() == profile)
            let wrong = try await client.send(.put, path, body: #"{"current": {"strategy": 50, "architectureAndInfrastructureDevelopment": 50, "serviceDevelopmentSupport": 10, "purchasingAndPartnershipManagement": 0, "infrastructureMaintenanceAndSupport": 0}, "target": \#(split.replacingOccurrences(of: "90", with: "89.5")), "distance": 3}"#)
            #expect(try wrong.errorLocations() == ["/current", "/target", "/distance"])
            #expect(try await client.send(.put, path, body: #"{"current": {"strategy": 100}}"#).status == .unprocessableContent)
        }
    }

    @Test func governanceFacts() async throws {
        let app = try TestApp()
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let path = "/v1/cities/\(f.cityId)/governance"
            #expect(try await client.send(.get, path).status == .notFound)
            let body = #"{"centralItUnit": true, "ictStrategyApprovedOn": "2025-03-10", "sectorItUnits": 2, "itSteeringGroup": true, "evidence": {"ictStrategyApprovedOn": "Kaupunginvaltuusto 10.3.2025 § 34"}}"#
            let created = try await client.send(.put, path, body: body)
            #expect(created.status == .created)
            #expect(try created.json()["evidence"]?["ictStrategyApprovedOn"]?.string == "Kaupunginvaltuusto 10.3.2025 § 34")
            #expect(try await client.send(.get, path).json()["sectorItUnits"]?.int == 2)
            let bad = try await client.send(.put, path, body: #"{"centralItUnit": "yes", "sectorItUnits": -1, "evidence": {"budget": "x", "itSteeringGroup": ""}}"#)
            #expect(try bad.errorLocations() == ["/centralItUnit", "/sectorItUnits", "/evidence/budget", "/evidence/itSteeringGroup"])
        }
    }
}

@Suite struct AssessmentRoutesTests {
    @Test func assessmentsAreImmutableAndTheLatestCounts() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let base = "/v1/cities/\(f.cityId)/assessments"
            let first = try await client.create(base, #"{"processId": "cobit-2019:APO09", "level": 2, "achievement": "fully", "targetLevel": 4, "assessedOn": "2023-05-01", "assessor": "Johtoryhmä", "method": "self-assessment"}"#)
            #expect(first["reachedLevel"]?.int == 2)
            let second = try await client.create(base, #"{"processId": "cobit-2019:APO09", "level": 3, "achievement": "partially", "targetLevel": 4, "assessedOn": "2026-09-01", "assessor": "Sisäinen tarkastus", "method": "internal-audit", "evidence": "Raportti 4/2026"}"#)
            #expect(second["reachedLevel"]?.int == 2)
            app.setNow("2026-11-23T10:00:00Z")
            let id = second["id"]!.string!
            #expect(try await client.send(.get, "\(base)/\(id)").json() == second)
            #expect(try await client.send(.patch, "\(base)/\(id)", body: #"{"level": 5}"#).status == .methodNotAllowed)
            #expect(try await client.send(.delete, "\(base)/\(id)").status == .methodNotAllowed)
            #expect(try await client.send(.get, "\(base)?processId=cobit-2019:APO09").json()["items"]!.array.count == 2)

            let bad = try await client.send(.post, base, body: #"{"processId": "cobit-2019:APO15", "level": 6, "achievement": "mostly", "assessedOn": "2026-13-01", "assessor": "", "method": "gut"}"#)
            #expect(try bad.errorLocations() == ["/processId", "/level", "/achievement", "/assessedOn", "/assessor", "/method"])
            // An assessment is recorded once it has been made.
            let early = try await client.send(.post, base, body: #"{"processId": "cobit-2019:APO09", "level": 3, "achievement": "fully", "assessedOn": "2026-11-24", "assessor": "Johtoryhmä", "method": "self-assessment"}"#)
            #expect(early.status == .unprocessableContent)
            #expect(try early.errorLocations() == ["/assessedOn"])

            let profile = try await client.send(.get, "/v1/cities/\(f.cityId)/process-profile").json()
            let apo09 = profile["items"]!.array[0]
            #expect(apo09["assessmentId"]?.string == id && apo09["level"]?.int == 2 && apo09["assessedLevel"]?.int == 3)
            #expect(apo09["gap"]?.int == 2 && apo09["stale"]?.bool == false)
            let earlier = try await client.send(.get, "/v1/cities/\(f.cityId)/process-profile?on=2026-01-01").json()["items"]!.array[0]
            #expect(earlier["assessmentId"]?.string == first["id"]?.string && earlier["stale"]?.bool == true)
            let purchaser = profile["focusAreas"]!.array.first { $0["id"]?.string == "purchaser-competence" }!
            #expect(purchaser["level"]?.int == 0 && purchaser["unassessedProcesses"]?.array.count == 5)
        }
    }
}

@Suite struct MaturityRoutesTests {
    /// Found by the black-box attack: an `asOf` after the last write was answered with the instant of the read, so
    /// the answer (and its ETag) changed on every request and never matched If-None-Match.
    @Test func theRecordTimeAskedForIsTheOneStatedAlsoAfterTheLastWrite() async throws {
        let app = try TestApp(now: "2026-11-20T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            app.setNow("2026-11-25T10:00:00Z")
            let path = "/v1/cities/\(f.cityId)/maturity?asOf=2026-11-24T08:00:00Z"
            let first = try await client.send(.get, path)
            #expect(try first.json()["asOf"]?.string == "2026-11-24T08:00:00.000Z", "\(first.text.prefix(300))")
            app.setNow("2026-11-25T10:00:05Z")
            let etag = try #require(first.headers[.eTag])
            #expect(try await client.send(.get, path, headers: [.ifNoneMatch: etag]).status == .notModified)
        }
    }

    @Test func demoCitiesStandAtEveryStage() async throws {
        let app = try TestApp(demo: true)
        try await app.run { client in
            let cities = try await client.send(.get, "/v1/cities").json()["items"]!.array
            var stages: [String: Int64] = [:]
            for city in cities {
                let maturity = try await client.send(.get, "/v1/cities/\(city["id"]!.string!)/maturity").json()
                stages[city["municipalityCode"]!.string!] = maturity["stage"]?["level"]?.int
                let criteria = maturity["criteria"]!.array
                #expect(criteria.count == 14)
                // Every text a city reads comes in Finnish, Swedish and English.
                for criterion in criteria {
                    #expect(criterion["description"]?["sv"]?.string?.isEmpty == false)
                    if criterion["met"]?.bool == false { #expect(criterion["action"]?["sv"]?.string?.isEmpty == false) }
                }
                #expect(maturity["stage"]?["name"]?["sv"]?.string?.isEmpty == false)
                let level = maturity["stage"]!["level"]!.int!
                // The stage is the highest whose criteria, and all lower stages', are met.
                for stage in 2...3 {
                    let allMet = criteria.filter { $0["stage"]?.int == Int64(stage) }.allSatisfy { $0["met"]?.bool == true }
                    if Int64(stage) <= level { #expect(allMet) }
                }
                let steps = maturity["nextSteps"]!.array
                let gaps = steps.compactMap { Double($0["gapPercent"]?.number ?? "") }
                #expect(gaps == gaps.sorted(by: >))
                if level < 3 { #expect(!steps.isEmpty) }
                #expect(steps.allSatisfy { $0["action"]?["fi"]?.string != nil && $0["action"]?["sv"]?.string != nil && $0["action"]?["en"]?.string != nil })
                // Bilingual cities report in Finnish and Swedish; Tampere in Finnish.
                let languages = maturity["languages"]!.array.compactMap(\.string)
                #expect(languages == (city["municipalityCode"]?.string == "837" ? ["fi"] : ["fi", "sv"]))
            }
            #expect(stages == ["091": 2, "049": 2, "092": 3, "837": 2, "853": 1])

            let vantaa = cities.first { $0["municipalityCode"]?.string == "092" }!["id"]!.string!
            let maturity = try await client.send(.get, "/v1/cities/\(vantaa)/maturity").json()
            #expect(maturity["productionArrangement"]?["arrangement"]?.string == "one-stop")
            let stageThree = maturity["criteria"]!.array.filter { $0["stage"]?.int == 3 }.compactMap { $0["id"]?.string }
            #expect(stageThree.contains("service-arranger") && stageThree.contains("centralised-sector-expertise"))
            #expect(maturity["criteria"]!.array.first { $0["id"]?.string == "it-steering-group" }?["stage"]?.int == 2)
            // Helsinki's sector expertise stays in the sectors, which keep their IT units.
            let helsinki = cities.first { $0["municipalityCode"]?.string == "091" }!["id"]!.string!
            let expertise = try await client.send(.get, "/v1/cities/\(helsinki)/maturity").json()["criteria"]!.array
                .first { $0["id"]?.string == "centralised-sector-expertise" }!
            #expect(expertise["met"]?.bool == false && expertise["evidence"]?["failingCount"]?.int == 5)
            #expect(try await client.send(.get, "/v1/cities/\(vantaa)/maturity?on=2020-01-01").json()["stage"]?["level"]?.int == 1)
            #expect(try await client.send(.get, "/v1/cities/\(vantaa)/maturity?on=soon").status == .unprocessableContent)
            #expect(try await client.send(.get, "/v1/cities/nope/maturity").status == .notFound)

            let benchmark = try await client.send(.get, "/v1/benchmark").json()
            let lines = benchmark["cities"]!.array
            #expect(lines.count == 5)
            #expect(lines.compactMap { $0["stage"]?["level"]?.int }.sorted() == [1, 2, 2, 2, 3])
            #expect(lines.first { $0["cityId"]?.string == vantaa }?["ranks"]?["stage"]?.int == 1)
            #expect(benchmark["measures"]!.array.first { $0["id"]?.string == "stage" }?["median"]?.number == "2")
        }
    }

    @Test func snapshotsFreezeTheResult() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            let base = "/v1/cities/\(f.cityId)/maturity-snapshots"
            let snapshot = try await client.create(base, #"{"note": "Valtuustoraportti"}"#)
            #expect(snapshot["asOf"]?.string == "2026-11-23" && snapshot["stage"]?.int == 1)
            #expect(snapshot["maturity"]?["criteria"]?.array.count == 14)
            #expect(snapshot["maturity"]?["languages"]?.array.count == 1)
            #expect(snapshot["maturity"]?["stage"]?["name"]?["sv"]?.string == "Decentraliserad IT-förvaltning")
            _ = try await client.send(.put, "/v1/cities/\(f.cityId)/governance", body: #"{"centralItUnit": true}"#)
            #expect(try await client.create(base, #"{"asOf": "2026-06-30"}"#)["asOf"]?.string == "2026-06-30")
            let list = try await client.send(.get, base).json()["items"]!.array
            #expect(list.count == 2 && list[0] == snapshot)
            #expect(try await client.send(.post, base, body: #"{"asOf": "2027-01-01", "stage": 3}"#).errorLocations() == ["/asOf", "/stage"])
        }
    }

    @Test func separatedOwnProductionCountsAsAProvider() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let f = try await PortfolioFixture.make(client)
            // A shared supplier is a provider already: separating it says nothing, and is refused with nothing stored.
            let refused = try await client.send(.patch, "/v1/suppliers/\(f.commercialId)", body: #"{"separatedFromItManagement": true}"#)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.errorLocations() == ["/separatedFromItManagement"])
            #expect(try await client.send(.get, "/v1/suppliers/\(f.commercialId)").json()["separatedFromItManagement"]?.bool == false)

            let own = try await client.create("/v1/suppliers",
                #"{"name": "Jyväskylän oma tuotanto", "businessId": "0201256-6", "kind": "own-production", "ownerCityId": "\#(f.cityId)"}"#)
            #expect(own["separatedFromItManagement"]?.bool == false)
            _ = try await client.create("/v1/cities/\(f.cityId)/services", Bodies.service(name: "Lähiverkko", providerId: own["id"]!.string!))
            func providerShare() async throws -> String? {
                try await client.send(.get, "/v1/cities/\(f.cityId)/maturity").json()["criteria"]!.array
                    .first { $0["id"]?.string == "provider-production" }?["measured"]?.number
            }
            #expect(try await providerShare() == "66.67")
            let separated = try await client.send(.patch, "/v1/suppliers/\(own["id"]!.string!)", body: #"{"separatedFromItManagement": true}"#)
            #expect(separated.status == .ok)
            #expect(try separated.json()["separatedFromItManagement"]?.bool == true)
            #expect(try await providerShare() == "100")
        }
    }
}
