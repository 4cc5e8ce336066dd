import Foundation
import HTTPTypes
import HummingbirdTesting
import SalkkuCore
import SalkkuStore
import Testing

@testable import SalkkuAPI

/// A CAF self-assessment body with every criterion scored `score` (the first `leadership`), made on `on`.
private func cafBody(on: String = "2026-10-15", leadership: Int = 50, score: Int = 50, drop: String? = nil) -> String {
    let items = CAFCriterion.allCases.filter { $0.rawValue != drop }.map { criterion in
        #"{"criterion": "\#(criterion.rawValue)", "score": \#(criterion == .leadership ? leadership : score), "evidence": "Arviointiraportti", "reference": "Dnro 12/2026"}"#
    }
    return #"{"assessedOn": "\#(on)", "assessor": "CAF-arviointiryhmä", "criteria": [\#(items.joined(separator: ", "))]}"#
}

@Suite struct CAFRoutesTests {
    @Test func selfAssessmentsAreValidatedImmutableAndAudited() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let cityId = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            let base = "/v1/cities/\(cityId)/caf-assessments"
            let criteria = try await client.send(.get, "/v1/catalogue/caf-criteria").json()["items"]!.array
            #expect(criteria.count == 9 && criteria[8]["name"]?["fi"]?.string == "Keskeiset suorituskyvyn tulokset")
            #expect(criteria[0]["name"]?["sv"]?.string == "Ledarskap" && criteria[5]["kind"]?.string == "result")

            let created = try await client.send(.post, base, body: cafBody(leadership: 59))
            #expect(created.status == .created)
            let record = try created.json()
            let id = record["id"]!.string!
            #expect(created.headers[.location] == "\(base)/\(id)")
            #expect(record["totalScore"]?.int == 459 && record["meanScore"]?.number == "51")
            #expect(record["criteria"]?.array.first?["criterion"]?.string == "leadership")
            #expect(try await client.send(.get, "\(base)/\(id)").json() == record)
            #expect(try await client.send(.get, base).json()["items"]?.array.count == 1)
            #expect(try await client.send(.patch, "\(base)/\(id)", body: #"{"note": "x"}"#).status == .methodNotAllowed)
            #expect(try await client.send(.delete, "\(base)/\(id)").status == .methodNotAllowed)
            let history = try await client.send(.get, "\(base)/\(id)/history").json()
            #expect(history["resourceType"]?.string == "caf-assessment" && history["items"]?.array.count == 1)

            // All nine criteria, each once, whole points 0–100, with evidence; a date not yet come is refused.
            let missing = try await client.send(.post, base, body: cafBody(drop: "processes"))
            #expect(missing.status == .unprocessableContent)
            #expect(try missing.errorLocations() == ["/criteria"])
            #expect(try await client.send(.post, base, body: cafBody(score: 101)).errorLocations().contains("/criteria/1/score"))
            let future = try await client.send(.post, base, body: cafBody(on: "2026-11-24"))
            #expect(try future.errorLocations() == ["/assessedOn"])
            let twice = cafBody().replacingOccurrences(of: #""criterion": "people","#, with: #""criterion": "leadership","#)
            #expect(try await client.send(.post, base, body: twice).errorLocations() == ["/criteria/2/criterion", "/criteria"])
            #expect(try await client.send(.get, base).json()["items"]?.array.count == 1)
            #expect(try await client.send(.get, "\(base)/nothing").status == .notFound)
        }
    }

    /// Found by the black-box attack: `on` was accepted and ignored by the list, an assessment of 1900 was accepted,
    /// and a future date was named only once everything else in the body was right.
    @Test func theListOnABusinessDateHoldsTheAssessmentsMadeByThenAndDatesAreChecked() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let cityId = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            let base = "/v1/cities/\(cityId)/caf-assessments"
            for day in ["2024-05-02", "2026-10-15"] { #expect(try await client.send(.post, base, body: cafBody(on: day)).status == .created) }
            let dates = { (query: String) in
                try await client.send(.get, base + query).json()["items"]!.array.compactMap { $0["assessedOn"]?.string }
            }
            #expect(try await dates("") == ["2024-05-02", "2026-10-15"])
            #expect(try await dates("?on=2025-01-01") == ["2024-05-02"])
            #expect(try await dates("?on=2024-05-01") == [])
            #expect(try await dates("?on=2026-10-15") == ["2024-05-02", "2026-10-15"])

            let ancient = try await client.send(.post, base, body: cafBody(on: "1900-01-01"))
            #expect(ancient.status == .unprocessableContent)
            #expect(try ancient.errorLocations() == ["/assessedOn"])
            #expect(ancient.text.contains("2000-01-01"))
            let futureAndWrong = try await client.send(.post, base, body: cafBody(on: "2027-01-01", score: 101))
            #expect(try futureAndWrong.errorLocations().contains("/assessedOn"))
            #expect(try futureAndWrong.errorLocations().contains("/criteria/1/score"))
            #expect(try await dates("") == ["2024-05-02", "2026-10-15"])
        }
    }

    @Test func cafIsNoLongerAMethodOfRatingAProcessButStoredOnesStayReadable() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let cityId = try await client.create("/v1/cities", Bodies.city)["id"]!.string!
            let base = "/v1/cities/\(cityId)/assessments"
            let refused = try await client.send(.post, base, body: #"{"processId": "cobit-2019:APO09", "level": 2, "achievement": "fully", "assessedOn": "2026-05-01", "assessor": "Johtoryhmä", "method": "caf"}"#)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.errorLocations() == ["/method"])
            #expect(refused.text.contains("caf-assessments"))

            // One recorded before the method was retired.
            let stored = try app.database.create(AssessmentFields(processId: "cobit-2019:APO09", level: 2, achievement: .fully,
                                                                  assessedOn: LocalDate("2024-05-01")!, assessor: "Johtoryhmä", method: .caf),
                                                 cityId: cityId, by: Actor(id: nil, name: "tester", role: "admin"))
            let read = try await client.send(.get, "\(base)/\(stored.meta.id)").json()
            #expect(read["method"]?.string == "caf" && read["reachedLevel"]?.int == 2)
            #expect(try await client.send(.get, "\(base)/\(stored.meta.id)/history").status == .ok)
            #expect(try await client.send(.get, "/v1/cities/\(cityId)/process-profile").json()["items"]?.array.count == 1)

            // An old file imported again: the stored row is unchanged; a new row may not name caf.
            let csv = try await client.send(.get, "/v1/cities/\(cityId)/export?type=assessments", headers: [.accept: "text/csv"])
            #expect(csv.status == .ok && csv.text.contains("caf"))
            let again = try await client.send(.post, "/v1/cities/\(cityId)/imports/assessments", body: csv.text, contentType: "text/csv")
            #expect(again.status == .ok, "\(again.text)")
            #expect(try again.json()["totals"]?["unchanged"]?.int == 1)
            // The same row as a new assessment: no id, another date.
            let newRow = csv.text.replacingOccurrences(of: stored.meta.id, with: "").replacingOccurrences(of: "2024-05-01", with: "2025-01-01")
            let refusedImport = try await client.send(.post, "/v1/cities/\(cityId)/imports/assessments", body: newRow, contentType: "text/csv")
            #expect(refusedImport.status == .unprocessableContent, "\(refusedImport.text)")
            #expect(refusedImport.text.contains("caf-assessments"))
        }
    }

    @Test func benchmarkComparesSelfAssessmentsAndITCostPerResident() async throws {
        let app = try TestApp(now: "2026-11-23T10:00:00Z")
        try await app.run { client in
            let jyvaskyla = try await client.create("/v1/cities", Bodies.city)["id"]!.string!   // population 148 622
            let lahti = try await client.create("/v1/cities", #"{"municipalityCode": "398", "name": {"fi": "Lahti"}}"#)["id"]!.string!
            let supplier = try await client.create("/v1/suppliers", Bodies.supplier)["id"]!.string!
            // 120 000 € a year each; the planned one does not count.
            _ = try await client.create("/v1/cities/\(jyvaskyla)/services", Bodies.service(providerId: supplier))
            _ = try await client.create("/v1/cities/\(jyvaskyla)/services", Bodies.service(name: "Palkanlaskenta", providerId: supplier))
            _ = try await client.create("/v1/cities/\(jyvaskyla)/services", Bodies.service(name: "Uusi", providerId: supplier, lifecycle: "plan"))
            _ = try await client.create("/v1/cities/\(jyvaskyla)/caf-assessments", cafBody(on: "2025-03-01", leadership: 30))
            let latest = try await client.create("/v1/cities/\(jyvaskyla)/caf-assessments", cafBody(on: "2026-09-01", leadership: 70))
            _ = try await client.create("/v1/cities/\(lahti)/caf-assessments", cafBody(on: "2026-10-01", leadership: 40, score: 60))

            let benchmark = try await client.send(.get, "/v1/benchmark").json()
            let measures = benchmark["measures"]!.array
            func median(_ id: String) -> String? { measures.first { $0["id"]?.string == id }?["median"]?.number }
            #expect(median("cafLeadership") == "55")
            #expect(median("cafMeanScore") == "55")   // (52.222 + 57.778) / 2
            #expect(median("itCostPerResidentEuros") == "1.61")   // 24 000 000 cents / 148 622 = 161.48… cents
            let lines = Dictionary(uniqueKeysWithValues: benchmark["cities"]!.array.map { ($0["cityId"]!.string!, $0) })
            let first = lines[jyvaskyla]!
            #expect(first["cafAssessmentId"]?.string == latest["id"]?.string && first["cafAssessedOn"]?.string == "2026-09-01")
            #expect(first["values"]?["cafLeadership"]?.number == "70" && first["ranks"]?["cafLeadership"]?.int == 1)
            #expect(first["values"]?["itCostPerResidentEuros"]?.number == "1.61")
            let second = lines[lahti]!
            #expect(second["values"]?["itCostPerResidentEuros"] == .null && second["ranks"]?["itCostPerResidentEuros"] == .null)
            #expect(second["unavailable"]?["itCostPerResidentEuros"]?.string == "the city has no population recorded")

            // On an earlier business date, the earlier self-assessment; before any, none with the reason.
            let earlier = try await client.send(.get, "/v1/benchmark?on=2025-06-30").json()["cities"]!.array
            let then = earlier.first { $0["cityId"]?.string == jyvaskyla }!
            #expect(then["values"]?["cafLeadership"]?.number == "30")
            #expect(earlier.first { $0["cityId"]?.string == lahti }?["unavailable"]?["cafMeanScore"]?.string
                    == "the city has no CAF self-assessment made on or before 2025-06-30")
        }
    }
}
