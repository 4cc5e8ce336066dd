import Foundation
import GRDB
import SalkkuCore
import SalkkuStore

/// A deterministic data set of national size for benchmarks: every city of the country with a full
/// portfolio and five years of SLA measurements, written through the store one city per transaction.
public enum NationalData {
    /// The cities DOMAIN.md names come first, so that a small data set has them; Swedish names for the bilingual ones.
    static let realCities: [(String, String?)] = [
        ("091", "Helsingfors"), ("049", "Esbo"), ("092", "Vanda"), ("837", nil), ("853", "Åbo"), ("564", nil), ("179", nil),
        ("297", nil), ("398", nil), ("609", nil), ("286", nil), ("167", nil), ("405", nil), ("109", nil), ("905", "Vasa"),
        ("743", nil), ("698", nil), ("491", nil), ("285", nil), ("734", nil), ("272", "Karleby"),
    ]

    /// Every municipality of Statistics Finland's classification by its real code and name, the named cities first.
    static var cityOrder: [(code: String, fi: String, sv: String?)] {
        let named = Set(realCities.map(\.0))
        return realCities.map { ($0.0, Municipalities.name(of: $0.0)!, $0.1) }
            + Municipalities.all.filter { !named.contains($0.code) }.map { ($0.code, $0.name, nil) }
    }

    public struct Sizes: Sendable {
        public var cities: Int
        public var servicesPerCity: Int
        public var contractsPerCity: Int
        public var slasPerCity: Int
        public var months: Int

        public init(cities: Int = Municipalities.all.count, servicesPerCity: Int = 150, contractsPerCity: Int = 65, slasPerCity: Int = 200, months: Int = 60) {
            self.cities = cities
            self.servicesPerCity = servicesPerCity
            self.contractsPerCity = contractsPerCity
            self.slasPerCity = slasPerCity
            self.months = months
        }
    }

    /// Writes the data set into an empty database; `progress` hears of every city done.
    public static func generate(into database: AppDatabase, sizes: Sizes = Sizes(), seed: UInt64,
                                progress: (Int, Int) -> Void = { _, _ in }) throws {
        var random = SeededRandom(seed: seed)
        let actor = Actor(id: nil, name: "generate", role: "system")
        let today = HelsinkiCalendar.date(at: database.clock())
        let thisMonth = YearMonth(today)
        let range = MonthRange(from: thisMonth.adding(-sizes.months), to: thisMonth.adding(-1))

        let suppliers: [Resource<SupplierFields>] = try database.writer.write { db in
            // Shared by many cities: in-house companies owned by municipalities (named by code, as other municipalities
            // are), shared service centres and the market. A municipal enterprise belongs to one city, so none here.
            let kinds: [SupplierKind] = [.inHouseCompany, .inHouseCompany, .sharedServiceCentre, .sharedServiceCentre, .sharedServiceCentre]
                + Array(repeating: .commercial, count: 35)
            let ownerCodes = [["091", "049", "092"], ["837", "853", "564", "179"]]
            return try kinds.enumerated().map { index, kind in
                let owners = kind == .inHouseCompany
                    ? ownerCodes[index % ownerCodes.count].map { SupplierOwner(municipalityCode: $0, sharePercent: ExactDecimal(20)) } : nil
                return try database.insert(SupplierFields(name: "Toimittaja \(index + 1) \(kind == .commercial ? "Oy" : "")".trimmingCharacters(in: .whitespaces),
                                                          businessId: BusinessID.make(from: 3_000_000 + index * 7_919), kind: kind, owners: owners),
                                           cityId: nil, by: actor, db: db)
            }
        }
        // Some suppliers are much worse than others, the same everywhere.
        let breachRates = suppliers.map { _ in [0.02, 0.05, 0.1, 0.25][Int.random(in: 0..<4, using: &random)] }
        let cities = cityOrder
        for cityIndex in 0..<min(sizes.cities, cities.count) {
            let (code, fi, sv) = cities[cityIndex]
            // Cities spread along the transition path: a third decentralised, a third steered, a third purchaser–provider.
            let stage = cityIndex % 3 + 1
            // Social and health care moved to the wellbeing services counties in 2023: only Helsinki keeps it.
            let sectors = code == "091" ? Sector.allCases : Sector.allCases.filter { $0 != .socialHealth }
            try database.writer.write { db in
                let city = try database.insert(CityFields(municipalityCode: code, name: LocalizedName(fi: fi, sv: sv),
                                                          population: Int64.random(in: 2_000...700_000, using: &random), itOrganisation: nil),
                                               cityId: nil, by: actor, db: db)
                let own = try database.insert(SupplierFields(name: "\(fi): oma tuotanto", businessId: BusinessID.make(from: 4_000_000 + cityIndex * 7_907),
                                                             kind: .ownProduction, ownerCityId: city.meta.id), cityId: nil, by: actor, db: db)
                let services = try database.insertAll((0..<sizes.servicesPerCity).map { index in
                    let provider = Double.random(in: 0..<1, using: &random) < [0.7, 0.4, 0.15][stage - 1] ? own : suppliers.randomElement(using: &random)!
                    return ServiceFields(
                        name: "Palvelu \(index + 1)", sector: sectors[index % sectors.count], owner: Owner(name: "Omistaja \(index % 17)"),
                        lifecycle: index % 10 == 0 ? .plan : .active, providerId: index % 10 == 0 ? nil : provider.meta.id,
                        annualCostCents: Int64.random(in: 1_000...200_000, using: &random) * 1_000, criticality: Criticality.allCases[index % 4],
                        externalId: "\(code)-PAL-\(index + 1)")
                }, cityId: city.meta.id, by: actor, db: db)
                let active = services.filter { $0.fields.lifecycle == .active }
                var contractFields: [ContractFields] = []
                for index in 0..<sizes.contractsPerCity {
                    let supplier = suppliers[(cityIndex * 7 + index) % suppliers.count]
                    let covered = Array(active.shuffled(using: &random).prefix(3))
                    let start = today.adding(months: -Int.random(in: 6...84, using: &random))
                    let annual = Int64.random(in: 20_000...3_000_000, using: &random) * 100
                    let renewal = Renewal.allCases[index % 3]
                    let sectorManaged = stage == 1 ? index % 2 == 0 : (stage == 2 ? index % 5 == 0 : false)
                    contractFields.append(ContractFields(
                        title: "Sopimus \(index + 1)", supplierId: supplier.meta.id, externalId: "\(code)-SOP-\(index + 1)",
                        category: index % 9 == 0 && code == "091" ? .socialHealthServices : .services,
                        procedure: ProcurementProcedure.allCases[index % ProcurementProcedure.allCases.count],
                        procuredOn: start.adding(days: -60), totalValueCents: annual * 4, annualValueCents: annual, startDate: start,
                        initialEndDate: start.adding(months: 48).adding(days: -1),
                        options: index % 4 == 0 ? [ContractOption(months: 12, exercised: index % 8 == 0)] : [],
                        renewal: renewal, renewalPeriodMonths: renewal == .tacit ? 12 : nil, noticePeriodMonths: 3 + index % 4,
                        managedBy: sectorManaged ? .sector : .central, sector: sectorManaged ? sectors[index % sectors.count] : nil,
                        serviceIds: covered.map(\.meta.id)))
                }
                let contracts = try database.insertAll(contractFields, cityId: city.meta.id, by: actor, db: db)
                // An SLA measures one of the services its contract covers; a contract that covers none gets none.
                let slaContracts = (0..<sizes.slasPerCity).map { (index: $0, contract: contracts[$0 % contracts.count]) }
                    .filter { !$0.contract.fields.serviceIds.isEmpty }
                let slas = try database.insertAll(slaContracts.map { index, contract in
                    let quarterly = index % 10 == 9
                    let serviceIds = contract.fields.serviceIds
                    return SLAFields(
                        contractId: contract.meta.id, serviceId: serviceIds[index % serviceIds.count], name: "SLA \(index + 1)",
                        metric: quarterly ? .satisfaction : .availability, unit: quarterly ? .score : .percent, comparator: .atLeast,
                        target: quarterly ? ExactDecimal(4) : ExactDecimal("99.5")!, period: quarterly ? .quarter : .month,
                        serviceCreditPercent: ExactDecimal(5), validFrom: today.adding(months: -sizes.months - 12))
                }, cityId: city.meta.id, by: actor, db: db)
                var measurements: [MeasurementFields] = []
                for (sla, (_, contract)) in zip(slas, slaContracts) {
                    let quarterly = sla.fields.period == .quarter
                    let rate = breachRates[suppliers.firstIndex { $0.meta.id == contract.fields.supplierId } ?? 0]
                    for period in range.periods(of: quarterly ? .quarter : .month) {
                        if Double.random(in: 0..<1, using: &random) < 0.03 { continue }
                        let breach = Double.random(in: 0..<1, using: &random) < rate
                        let value: ExactDecimal = quarterly
                            ? ExactDecimal(thousandths: breach ? Int64.random(in: 2_500...3_990, using: &random) : Int64.random(in: 4_000...5_000, using: &random))
                            : ExactDecimal(thousandths: breach ? Int64.random(in: 95_000...99_490, using: &random) : Int64.random(in: 99_500...100_000, using: &random))
                        measurements.append(MeasurementFields(
                            slaId: sla.meta.id, period: period, value: value, source: .supplierReport, evidence: "Raportti \(period)",
                            reportedAt: database.clock(), dispute: breach && Double.random(in: 0..<1, using: &random) < 0.1 ? Dispute(status: .open) : nil))
                    }
                }
                _ = try database.insertAll(measurements, cityId: city.meta.id, by: actor, db: db)
                _ = try database.insert(GovernanceFactsFields(
                    centralItUnit: stage > 1, ictStrategyApprovedOn: stage > 1 ? today.adding(months: -20) : nil,
                    sectorItUnits: [5, 2, 0][stage - 1], itSteeringGroup: stage > 1), cityId: city.meta.id, by: actor, db: db)
                let infra: Int64 = [70, 40, 15][stage - 1]
                _ = try database.insert(EffortProfileFields(current: EffortSplit(
                    strategy: ExactDecimal(10), architectureAndInfrastructureDevelopment: ExactDecimal(10),
                    serviceDevelopmentSupport: ExactDecimal(70 - infra), purchasingAndPartnershipManagement: ExactDecimal(10),
                    infrastructureMaintenanceAndSupport: ExactDecimal(infra))), cityId: city.meta.id, by: actor, db: db)
                for processId in ["cobit-2019:APO02", "cobit-2019:APO05", "cobit-2019:APO09", "cobit-2019:APO10", "cobit-2019:BAI11"] {
                    _ = try database.insert(AssessmentFields(
                        processId: processId, level: stage, achievement: .largely, targetLevel: 3, assessedOn: today.adding(months: -3),
                        assessor: "Arvioija", method: .selfAssessment), cityId: city.meta.id, by: actor, db: db)
                }
                for index in 0..<10 {
                    _ = try database.insert(ProjectFields(
                        name: "Hanke \(index + 1)", sector: sectors[index % sectors.count], owner: Owner(name: "Projektipäällikkö"),
                        phase: ProjectPhase.allCases[index % ProjectPhase.allCases.count],
                        health: ProjectPhase.allCases[index % ProjectPhase.allCases.count].isUnderWay ? .onTrack : nil,
                        budgetCents: Int64(index + 1) * 10_000_000,
                        portfolioDecision: stage > 1 ? PortfolioDecision(decidedOn: today.adding(months: -6), decidedBy: "Ohjausryhmä") : nil),
                        cityId: city.meta.id, by: actor, db: db)
                }
            }
            progress(cityIndex + 1, min(sizes.cities, cities.count))
        }
    }
}
