import GRDB
import SalkkuCore
import SalkkuStore

/// The demo cities' governance: each at a different place on the transition path, with facts, effort
/// profiles, capability sourcing and assessments that make that place plausible.
extension DemoData {
    struct GovernancePosition {
        var facts: GovernanceFactsFields
        var effort: [Int64]
        /// A base capability level and the processes that differ from it.
        var baseLevel: Int
        var levels: [String: (Int, Achievement)]
        var sourcing: [String: CapabilitySourcing]
    }

    static func positions(thisMonth: LocalDate) -> [GovernancePosition] {
        func approved(_ monthsAgo: Int) -> LocalDate { thisMonth.adding(months: -monthsAgo) }
        return [
            // Helsinki: centrally steered, sectors keep their IT units.
            GovernancePosition(
                facts: GovernanceFactsFields(centralItUnit: true, ictStrategyApprovedOn: approved(20), sectorItUnits: 3, itSteeringGroup: true,
                                             evidence: ["centralItUnit": "Hallintosääntö 2023, 12 §", "ictStrategyApprovedOn": "Kaupunginhallitus, digitalisaatio-ohjelma"]),
                effort: [10, 10, 20, 10, 50], baseLevel: 2, levels: ["APO09": (2, .largely), "APO10": (3, .partially)],
                sourcing: ["strategic-ict-planning": .own, "procurement-and-supplier-management": .own, "it-service-production/commercial": .market,
                           // The city's own sector expertise, with IT units still in the sectors: not yet centralised (stage 2).
                           "sector-expertise/social-health": .own, "sector-expertise/education-culture": .own]),
            // Espoo: centrally steered, one sector IT unit left, part of production arranged.
            GovernancePosition(
                facts: GovernanceFactsFields(centralItUnit: true, ictStrategyApprovedOn: approved(30), sectorItUnits: 1, itSteeringGroup: true,
                                             evidence: ["ictStrategyApprovedOn": "Kaupunginvaltuusto, ICT-strategia"]),
                effort: [15, 15, 25, 10, 35], baseLevel: 2, levels: ["APO09": (3, .partially)],
                sourcing: ["strategic-ict-planning": .own, "procurement-and-supplier-management": .sharedCentreSupports,
                           "it-service-production/municipal": .sharedCentreProvides]),
            // Vantaa: purchaser–provider, one-stop through a service arranger.
            GovernancePosition(
                facts: GovernanceFactsFields(centralItUnit: true, ictStrategyApprovedOn: approved(10), sectorItUnits: 0, itSteeringGroup: true,
                                             evidence: ["sectorItUnits": "Organisaatiouudistus: toimialojen IT-yksiköt lakkautettu",
                                                        "ictStrategyApprovedOn": "Kaupunginhallitus, tietohallintostrategia"]),
                effort: [20, 15, 40, 15, 10], baseLevel: 3, levels: ["APO09": (3, .fully), "APO10": (3, .largely), "APO05": (4, .largely)],
                sourcing: ["strategic-ict-planning": .own, "procurement-and-supplier-management": .own,
                           "it-service-production/municipal": .sharedCentreProvides, "architectures": .sharedCentreSupports,
                           // IT management's sector expertise is centralised: its own experts, e-services with the shared centre.
                           // Social and health services are the wellbeing services county's since 2023: no expertise of them.
                           "information-security": .sharedCentreSupports, "sector-expertise/education-culture": .own,
                           "sector-expertise/housing-environment": .own, "sector-expertise/administration": .own,
                           "sector-expertise/e-services": .sharedCentreProvides]),
            // Tampere: centrally steered; its strategy is old, but APO02 is at level 2.
            GovernancePosition(
                facts: GovernanceFactsFields(centralItUnit: true, ictStrategyApprovedOn: approved(70), sectorItUnits: 2, itSteeringGroup: true),
                effort: [10, 10, 20, 5, 55], baseLevel: 2, levels: ["APO02": (2, .fully), "APO10": (2, .largely)],
                sourcing: ["strategic-ict-planning": .own, "it-service-production/producer-units": .own]),
            // Turku: decentralised; each sector runs its own IT.
            GovernancePosition(
                facts: GovernanceFactsFields(centralItUnit: false, sectorItUnits: 5, itSteeringGroup: false),
                effort: [5, 5, 10, 5, 75], baseLevel: 1, levels: ["APO02": (1, .partially)],
                sourcing: ["it-service-production/producer-units": .own]),
        ]
    }

    /// Who produces a capability, named as figure 1.4's legend does: the shared service centre, for the market the
    /// supplier of the city's first contract with a commercial supplier, and for IT production of its own the city's
    /// production unit. Planning and expertise of the city's own are IT management's: no supplier is named for them.
    static func capabilityProvider(_ sourcing: CapabilitySourcing, capabilityId: String, cityId: String, db: Database) throws -> String? {
        switch sourcing {
        case .own where !capabilityId.hasPrefix("it-service-production"):
            nil
        case .own:
            try String.fetchOne(db, sql: "SELECT id FROM supplier WHERE kind = 'own-production' AND ownerCityId = ?", arguments: [cityId])
        case .sharedCentreSupports, .sharedCentreProvides:
            try String.fetchOne(db, sql: "SELECT id FROM supplier WHERE kind = 'shared-service-centre' AND name = ?",
                                arguments: [sharedSuppliers[3].name])
        case .market:
            try String.fetchOne(db, sql: """
                SELECT s.id FROM contract c JOIN supplier s ON s.id = c.supplierId
                WHERE c.cityId = ? AND s.kind = 'commercial' ORDER BY c.startDate, c.id LIMIT 1
                """, arguments: [cityId])
        }
    }

    /// Figure 1.3's estimate of the outside expert support a city needs for a sector: least where a shared centre provides
    /// the expertise, most where Helsinki still arranges social and health care with its own experts; none recorded for
    /// the capabilities that are not a sector's.
    static func expertSupportNeed(_ capabilityId: String, sourcing: CapabilitySourcing, cityIndex: Int) -> ExpertSupportNeed? {
        guard capabilityId.hasPrefix("sector-expertise/") else { return nil }
        if cityIndex == 0, capabilityId == "sector-expertise/social-health" { return .high }
        return sourcing == .sharedCentreProvides ? .low : .medium
    }

    /// Every process of a focus area, and APO02 for the strategy criterion.
    static let assessedProcesses: [String] = {
        var ids = ["cobit-2019:APO02"]
        for area in GovernanceCatalogue.focusAreas { for id in area.processIds where !ids.contains(id) { ids.append(id) } }
        return ids
    }()

    static func seedGovernance(_ database: AppDatabase, cities: [Resource<CityFields>], times: DemoRecordTimes, db: Database) throws {
        let thisMonth = times.thisMonth
        for (cityIndex, (city, position)) in zip(cities, positions(thisMonth: thisMonth)).enumerated() {
            // The governance picture was recorded two weeks after the city's first load.
            times.record(on: times.adoption(cityIndex: cityIndex).adding(days: 14), hour: 10)
            _ = try database.insert(position.facts, cityId: city.meta.id, by: .demoSeed, db: db)
            let shares = position.effort.map { ExactDecimal($0) }
            _ = try database.insert(EffortProfileFields(current: EffortSplit(
                strategy: shares[0], architectureAndInfrastructureDevelopment: shares[1], serviceDevelopmentSupport: shares[2],
                purchasingAndPartnershipManagement: shares[3], infrastructureMaintenanceAndSupport: shares[4])),
                cityId: city.meta.id, by: .demoSeed, db: db)
            for (capabilityId, sourcing) in position.sourcing.sorted(by: { $0.key < $1.key }) {
                _ = try database.insert(CapabilitySourcingFields(
                    capabilityId: capabilityId, sourcing: sourcing, providerId: try capabilityProvider(sourcing, capabilityId: capabilityId, cityId: city.meta.id, db: db),
                    expertSupportNeed: expertSupportNeed(capabilityId, sourcing: sourcing, cityIndex: cityIndex)),
                    cityId: city.meta.id, by: .demoSeed, db: db)
            }
            for (index, processId) in assessedProcesses.enumerated() {
                // Turku has not assessed its ITIL practices at all.
                if position.baseLevel == 1, processId.hasPrefix("itil-4:") { continue }
                let code = processId.replacingOccurrences(of: "cobit-2019:", with: "")
                let (level, achievement) = position.levels[code] ?? (position.baseLevel, .largely)
                // An older self-assessment first, superseded by a later one; one process is left stale. Each is
                // recorded a week after it was made, or with the city's first load.
                times.record(fact: thisMonth.adding(months: -30 - index), afterDays: 7, cityIndex: cityIndex, hour: 13)
                _ = try database.insert(AssessmentFields(
                    processId: processId, level: max(0, level - 1), achievement: .largely, targetLevel: 3,
                    assessedOn: thisMonth.adding(months: -30 - index), assessor: "Tietohallinnon johtoryhmä", method: .selfAssessment),
                    cityId: city.meta.id, by: .demoSeed, db: db)
                guard code != "MEA02" else { continue }
                times.record(fact: thisMonth.adding(months: -(index % 6) - 1), afterDays: 7, cityIndex: cityIndex, hour: 13)
                _ = try database.insert(AssessmentFields(
                    processId: processId, level: level, achievement: achievement, targetLevel: max(3, level),
                    assessedOn: thisMonth.adding(months: -(index % 6) - 1), assessor: index % 2 == 0 ? "Sisäinen tarkastus" : "Tietohallinnon johtoryhmä",
                    method: index % 2 == 0 ? .internalAudit : .selfAssessment, evidence: "Arviointiraportti \(thisMonth.year)"),
                    cityId: city.meta.id, by: .demoSeed, db: db)
            }
        }
    }
}

extension DemoData {
    /// The documented demo tokens: one per role. Only `serve --demo` creates them.
    public static let demoTokens: [(secret: String, request: TokenRequest)] = [
        ("salkku-demo-admin", TokenRequest(name: "Demo admin", role: .admin)),
        ("salkku-demo-cio-helsinki", TokenRequest(name: "Demo CIO of Helsinki", role: .cio, cityCodes: ["091"])),
        ("salkku-demo-integration", TokenRequest(name: "Demo integration (Helsinki, Espoo)", role: .integration, cityCodes: ["091", "049"])),
        ("salkku-demo-auditor", TokenRequest(name: "Demo auditor", role: .auditor)),
    ]

    /// Creates the demo tokens that do not exist yet, and makes usable again those a start without `--demo`
    /// revoked; returns every one of them.
    @discardableResult
    public static func ensureDemoTokens(_ database: AppDatabase) throws -> [(secret: String, request: TokenRequest)] {
        for (secret, request) in demoTokens {
            if let token = try database.token(secret: secret) {
                if token.fields.revokedAt != nil { _ = try database.reinstateToken(id: token.meta.id, by: .demoSeed) }
            } else {
                _ = try database.createToken(request, secret: secret, by: .demoSeed)
            }
        }
        return demoTokens
    }

    /// Revokes the demo tokens that still work: their secrets are published, so a server started without
    /// `--demo` on a database that once held the demo must not accept them. Returns how many were revoked.
    @discardableResult
    public static func revokeDemoTokens(_ database: AppDatabase) throws -> Int {
        var revoked = 0
        for (secret, _) in demoTokens {
            guard let token = try database.token(secret: secret), token.fields.revokedAt == nil else { continue }
            _ = try database.revokeToken(id: token.meta.id, by: .demoSeed)
            revoked += 1
        }
        return revoked
    }
}
