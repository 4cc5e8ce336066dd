import Foundation
import Testing

@testable import SalkkuCore

private let capabilities = Dictionary(uniqueKeysWithValues: GovernanceCatalogue.capabilities.map { ($0.id, $0) })
private let processes = Dictionary(uniqueKeysWithValues: GovernanceCatalogue.processes.map { ($0.id, $0) })

/// The capability model as figures 1.3–1.4 of the seed report draw it.
@Suite struct CapabilityModelTests {
    @Test(arguments: [
        ("city-strategy-and-leadership", "Kaupungin strategia ja johtaminen", nil),
        ("strategic-ict-planning", "Strateginen ICT-suunnittelu ja ICT-johtaminen", "city-strategy-and-leadership"),
        ("sector-expertise", "Tietohallinnon toimialaosaaminen ja ratkaisut", nil),
        ("sector-expertise/social-health", "Sosiaali- ja terveyspalvelut", "sector-expertise"),
        ("sector-expertise/education-culture", "Opetus- ja kulttuuripalvelut", "sector-expertise"),
        ("sector-expertise/housing-environment", "Asumis- ja ympäristöpalvelut", "sector-expertise"),
        ("sector-expertise/administration", "Hallintopalvelut", "sector-expertise"),
        ("sector-expertise/e-services", "Sähköisen asioinnin ratkaisut", "sector-expertise"),
        ("solution-management", "Ratkaisujen hallinta", "sector-expertise"),
        ("solution-management/social-health", "Ratkaisujen hallinta: sosiaali- ja terveyspalvelut", "solution-management"),
        ("solution-management/administration", "Ratkaisujen hallinta: hallintopalvelut", "solution-management"),
        ("it-management-expertise", "Tietohallinnon asiantuntijuus", nil),
        ("operational-it-management", "Tietohallinnon johtaminen", "it-management-expertise"),
        ("public-sector-standards", "JHS-suositukset", "it-management-expertise"),
        ("it-service-production", "IT-palvelutuotanto", nil),
    ] as [(String, String, String?)])
    func namesAndPlacesAsTheFiguresGiveThem(id: String, finnish: String, parent: String?) throws {
        let capability = try #require(capabilities[id], "no capability \(id)")
        #expect(capability.name.fi == finnish)
        #expect(capability.parentId == parent)
    }

    @Test func everySectorHasItsExpertiseAndItsSolutionManagement() {
        #expect(GovernanceCatalogue.sectorExpertiseIds == GovernanceCatalogue.capabilities.map(\.id).filter { $0.hasPrefix("sector-expertise/") })
        #expect(GovernanceCatalogue.sectorExpertiseIds.count == 5)
        for (expertise, solutions) in zip(GovernanceCatalogue.sectorExpertiseIds, GovernanceCatalogue.solutionManagementIds) {
            #expect(capabilities[expertise]?.parentId == "sector-expertise")
            #expect(capabilities[solutions]?.parentId == "solution-management")
            #expect(capabilities[solutions]?.name.fi.hasSuffix(capabilities[expertise]!.name.fi.lowercased()) == true, "\(solutions)")
        }
    }

    /// Ids that services, contracts and stored sourcing already name stay in the catalogue.
    @Test func releasedIdsStay() {
        let released = ["strategic-ict-planning", "sector-expertise", "sector-expertise/social-health", "sector-expertise/education-culture",
                        "sector-expertise/housing-environment", "sector-expertise/administration", "sector-expertise/e-services",
                        "it-management-expertise", "solution-management", "operational-it-management", "information-security",
                        "architectures", "procurement-and-supplier-management", "project-management-and-methods", "process-development",
                        "public-sector-standards", "it-service-production", "it-service-production/municipal",
                        "it-service-production/producer-units", "it-service-production/commercial"]
        for id in released { #expect(GovernanceCatalogue.capabilityIds.contains(id), "\(id) left the catalogue") }
    }
}

@Suite struct CatalogueNamesAndReferencesTests {
    @Test(arguments: [
        ("cobit-2019:APO05", "Salkunhallinta"),
        ("cobit-2019:APO13", "Tietoturvallisuuden hallinta"),
        ("cobit-2019:APO14", "Tiedonhallinta"),
        ("cobit-2019:DSS01", "Käyttötoiminnan hallinta"),
        ("cobit-2019:MEA04", "Varmennus"),
        ("itil-4:change-enablement", "Muutoksenhallinta"),
    ])
    func finnishNamesReadRight(id: String, finnish: String) {
        #expect(processes[id]?.name.fi == finnish)
    }

    @Test(arguments: [
        ("itil-4:service-desk", "cobit-2019:DSS02"),
        ("itil-4:deployment-management", "cobit-2019:BAI07"),
        ("itil-4:release-management", "cobit-2019:BAI07"),
        ("itil-4:service-validation-and-testing", "cobit-2019:BAI07"),
        ("itil-4:infrastructure-and-platform-management", "cobit-2019:DSS01"),
        ("itil-4:monitoring-and-event-management", "cobit-2019:DSS01"),
        ("itil-4:continual-improvement", "cobit-2019:APO11"),
        ("itil-4:service-design", "cobit-2019:BAI02"),
        ("itil-4:service-design", "cobit-2019:BAI03"),
        ("itil-4:software-development-and-management", "cobit-2019:BAI03"),
        ("public-it-governance:standards-recommendations-and-architecture", "cobit-2019:MEA03"),
        ("public-it-governance:it-service-development", "cobit-2019:APO10"),
        ("public-it-governance:it-service-arrangement", "cobit-2019:APO10"),
    ])
    func crossReferencesGoBothWays(from: String, to: String) {
        #expect(processes[from]?.references.contains(to) == true, "\(from) → \(to)")
        #expect(processes[to]?.references.contains(from) == true, "\(to) → \(from)")
    }

    @Test func everyReferenceIsSymmetricAndEveryITILPracticeHasOne() {
        for process in GovernanceCatalogue.processes {
            for reference in process.references {
                #expect(processes[reference]?.references.contains(process.id) == true, "\(process.id) → \(reference) has no way back")
            }
        }
        let unreferenced = GovernanceCatalogue.processes.filter { $0.framework == .itil4 && $0.references.isEmpty }.map(\.id)
        #expect(unreferenced.isEmpty, "ITIL practices without a COBIT reference: \(unreferenced)")
    }
}

/// Figure 1.4's legend: three values, the market, and the national centre's support in addition.
@Suite struct CapabilitySourcingLegendTests {
    private func read(_ text: String) throws -> (fields: CapabilitySourcingFields?, pointers: [String]) {
        let errors = InputErrors()
        let fields = CapabilitySourcingFields.read(try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)), errors: errors,
                                                   capabilityId: "architectures")
        return (fields, errors.list.compactMap(\.pointer))
    }

    @Test(arguments: [
        (#"{"sourcing": "own"}"#, []),
        (#"{"sourcing": "own", "nationalCentreSupports": true}"#, []),
        (#"{"sourcing": "shared-centre-supports", "nationalCentreSupports": true}"#, []),
        (#"{"sourcing": "shared-centre-provides", "nationalCentreSupports": true, "expertSupportNeed": "high"}"#, []),
        (#"{"sourcing": "market", "providerId": "s", "expertSupportNeed": "none"}"#, []),
        (#"{"sourcing": "market", "nationalCentreSupports": true}"#, ["/nationalCentreSupports"]),
        (#"{"sourcing": "national-centre-supports"}"#, ["/sourcing"]),
        (#"{"sourcing": "own", "nationalCentreSupports": "yes"}"#, ["/nationalCentreSupports"]),
        (#"{"sourcing": "own", "expertSupportNeed": "some"}"#, ["/expertSupportNeed"]),
        (#"{"sourcing": "own", "expertSupportNeed": 2}"#, ["/expertSupportNeed"]),
    ] as [(String, [String])])
    func readsTheLegend(body: String, refused: [String]) throws {
        let (fields, pointers) = try read(body)
        #expect(pointers == refused)
        #expect((fields == nil) == !refused.isEmpty)
    }

    @Test func absentMembersReadAsNoSupportAndNoEstimate() throws {
        let fields = try #require(try read(#"{"sourcing": "own"}"#).fields)
        #expect(fields == CapabilitySourcingFields(capabilityId: "architectures", sourcing: .own))
        #expect(!fields.nationalCentreSupports && fields.providerId == nil && fields.expertSupportNeed == nil)
        let estimated = try #require(try read(#"{"sourcing": "own", "expertSupportNeed": "none"}"#).fields)
        #expect(estimated.expertSupportNeed == .notNeeded)
    }

    @Test(arguments: [
        (CapabilitySourcing.own, SupplierKind.ownProduction, true),
        (.own, .municipalEnterprise, true),
        (.own, .commercial, false),
        (.own, .sharedServiceCentre, false),
        (.sharedCentreSupports, .sharedServiceCentre, true),
        (.sharedCentreSupports, .inHouseCompany, true),
        (.sharedCentreSupports, .commercial, false),
        (.sharedCentreProvides, .sharedServiceCentre, true),
        (.sharedCentreProvides, .ownProduction, false),
        (.market, .commercial, true),
        (.market, .inHouseCompany, false),
    ])
    func theProviderIsOfAKindTheSourcingNames(sourcing: CapabilitySourcing, kind: SupplierKind, accepted: Bool) {
        let refusal = CapabilitySourcingFields(capabilityId: "architectures", sourcing: sourcing, providerId: "s").providerRefusal(kind: kind)
        #expect((refusal == nil) == accepted)
        if let refusal { #expect(refusal.contains(kind.rawValue) && refusal.contains(sourcing.rawValue)) }
    }

    /// The change log keeps states written before v14; they read as the migration moved the rows.
    @Test(arguments: [
        (#"{"capabilityId": "a", "sourcing": "national-centre-supports", "note": "JIP"}"#,
         CapabilitySourcingFields(capabilityId: "a", sourcing: .sharedCentreSupports, nationalCentreSupports: true, note: "JIP")),
        (#"{"capabilityId": "a", "sourcing": "shared-centre-provides"}"#,
         CapabilitySourcingFields(capabilityId: "a", sourcing: .sharedCentreProvides)),
        (#"{"capabilityId": "a", "sourcing": "market", "nationalCentreSupports": false, "providerId": "s", "expertSupportNeed": "low"}"#,
         CapabilitySourcingFields(capabilityId: "a", sourcing: .market, providerId: "s", expertSupportNeed: .low)),
    ])
    func storedStatesDecode(state: String, expected: CapabilitySourcingFields) throws {
        #expect(try JSONDecoder().decode(CapabilitySourcingFields.self, from: Data(state.utf8)) == expected)
    }

    @Test func anUnknownStoredSourcingIsAnError() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(CapabilitySourcingFields.self, from: Data(#"{"capabilityId": "a", "sourcing": "outsourced"}"#.utf8))
        }
    }
}
