import GRDB
import SalkkuCore
import SalkkuStore

/// The demo cities' contracts, SLAs and development projects. Dates are laid out around the day
/// the demo is loaded, so that some deadlines always fall within the next 90 days, some tacit
/// renewals have already rolled over, and some contracts have expired or not yet begun.
extension DemoData {
    /// One kind of contract the demo shows, relative to `today`'s month.
    struct ContractScenario {
        var title: String
        var procedure: ProcurementProcedure
        var category: ContractCategory = .services
        var supplierKinds: [SupplierKind]
        /// Start and initial end as month offsets from the current month; the end falls on a month's last day.
        var startMonth: Int
        var initialMonths: Int
        var options: [ContractOption] = []
        var renewal: Renewal = .none
        var renewalPeriodMonths: Int? = nil
        var noticePeriodMonths: Int = 3
        var annualValueEuros: Int64
        var managedBySector: Sector? = nil
        var terminated: Bool = false
    }

    static let contractScenarios: [ContractScenario] = [
        ContractScenario(title: "Työasemapalvelun kokonaistoimitus", procedure: .open, supplierKinds: [.commercial],
                         startMonth: -50, initialMonths: 48, options: [ContractOption(months: 12, exercised: true), ContractOption(months: 12, exercised: false)],
                         noticePeriodMonths: 6, annualValueEuros: 1_400_000),
        ContractScenario(title: "Palvelinalustan ylläpito", procedure: .restricted, supplierKinds: [.commercial],
                         startMonth: -40, initialMonths: 24, renewal: .tacit, renewalPeriodMonths: 12, noticePeriodMonths: 6,
                         annualValueEuros: 380_000),
        ContractScenario(title: "Asianhallinnan sovelluspalvelu", procedure: .open, supplierKinds: [.commercial],
                         startMonth: -46, initialMonths: 48, renewal: .express, noticePeriodMonths: 1, annualValueEuros: 210_000),
        ContractScenario(title: "Tulostuspalvelut", procedure: .open, category: .supplies, supplierKinds: [.commercial],
                         startMonth: -66, initialMonths: 60, annualValueEuros: 90_000),
        ContractScenario(title: "Tunnistautumispalvelun käyttöönotto", procedure: .frameworkCallOff, supplierKinds: [.sharedServiceCentre],
                         startMonth: 2, initialMonths: 36, options: [ContractOption(months: 24, exercised: false)],
                         annualValueEuros: 120_000),
        ContractScenario(title: "Tietoliikenneverkon palvelut", procedure: .frameworkCallOff, supplierKinds: [.sharedServiceCentre],
                         startMonth: -20, initialMonths: 48, annualValueEuros: 640_000),
        ContractScenario(title: "ICT-palvelujen palvelusopimus", procedure: .inHouse, supplierKinds: [.inHouseCompany],
                         startMonth: -70, initialMonths: 12, renewal: .tacit, renewalPeriodMonths: 12, noticePeriodMonths: 3,
                         annualValueEuros: 2_600_000),
        ContractScenario(title: "Liikuntapaikkavarausten pilvipalvelu", procedure: .belowThreshold, supplierKinds: [.commercial],
                         startMonth: -10, initialMonths: 24, annualValueEuros: 18_000, managedBySector: .educationCulture),
        ContractScenario(title: "Kokousjärjestelmän lisälisenssit", procedure: .directAward, supplierKinds: [.commercial],
                         startMonth: -4, initialMonths: 24, annualValueEuros: 42_000),
        ContractScenario(title: "Kotihoidon toiminnanohjauksen palvelu", procedure: .negotiated, category: .socialHealthServices,
                         supplierKinds: [.commercial], startMonth: -30, initialMonths: 36,
                         options: [ContractOption(months: 12, exercised: false)], noticePeriodMonths: 6,
                         annualValueEuros: 310_000, managedBySector: .socialHealth),
        ContractScenario(title: "Oppimisympäristön kehittäminen", procedure: .competitiveDialogue, supplierKinds: [.commercial],
                         startMonth: -18, initialMonths: 48, options: [ContractOption(months: 24, exercised: false)],
                         annualValueEuros: 520_000, managedBySector: .educationCulture),
        ContractScenario(title: "Paikkatietojärjestelmän ylläpito", procedure: .open, supplierKinds: [.commercial],
                         startMonth: -33, initialMonths: 36, renewal: .express, noticePeriodMonths: 2, annualValueEuros: 160_000,
                         managedBySector: .housingEnvironment),
        ContractScenario(title: "Vanhan arkistojärjestelmän tuki", procedure: .negotiated, supplierKinds: [.commercial],
                         startMonth: -38, initialMonths: 36, renewal: .tacit, renewalPeriodMonths: 6, noticePeriodMonths: 3,
                         annualValueEuros: 65_000, terminated: true),
        ContractScenario(title: "Sisäinen sovellustuotanto", procedure: .inHouse, supplierKinds: [.ownProduction],
                         startMonth: -26, initialMonths: 24, renewal: .tacit, renewalPeriodMonths: 12, noticePeriodMonths: 1,
                         annualValueEuros: 900_000),
        ContractScenario(title: "Taloushallinnon palvelukeskuspalvelut", procedure: .inHouse, supplierKinds: [.municipalEnterprise],
                         startMonth: -14, initialMonths: 36, renewal: .express, noticePeriodMonths: 6, annualValueEuros: 740_000),
        ContractScenario(title: "Käyttäjätuen palvelupiste", procedure: .restricted, supplierKinds: [.commercial],
                         startMonth: -22, initialMonths: 24, options: [ContractOption(months: 12, exercised: false)],
                         noticePeriodMonths: 1, annualValueEuros: 450_000),
        ContractScenario(title: "Sote-asiakastietojärjestelmän jatkokehitys", procedure: .open, category: .socialHealthServices,
                         supplierKinds: [.commercial], startMonth: -60, initialMonths: 48,
                         options: [ContractOption(months: 12, exercised: true), ContractOption(months: 12, exercised: true)],
                         renewal: .express, noticePeriodMonths: 6, annualValueEuros: 2_100_000),
    ]

    struct SLATemplate {
        var name: String
        var metric: SLAMetric
        var priority: Int?
        var unit: MeasurementUnit
        var target: ExactDecimal
        var period: SLAPeriod = .month
        var credit: ExactDecimal
    }

    static let slaTemplates: [SLATemplate] = [
        SLATemplate(name: "Käytettävyys palveluaikana", metric: .availability, unit: .percent,
                    target: ExactDecimal("99.5")!, credit: ExactDecimal(5)),
        SLATemplate(name: "Kriittisen häiriön vasteaika", metric: .responseTime, priority: 1, unit: .minutes,
                    target: ExactDecimal(30), credit: ExactDecimal("2.5")!),
        SLATemplate(name: "Häiriön ratkaisuaika (prioriteetti 2)", metric: .resolutionTime, priority: 2, unit: .hours,
                    target: ExactDecimal(8), credit: ExactDecimal(3)),
        SLATemplate(name: "Palvelupisteen vastausaika", metric: .answerTime, unit: .minutes,
                    target: ExactDecimal(2), credit: ExactDecimal(1)),
        SLATemplate(name: "Käyttäjätyytyväisyys", metric: .satisfaction, unit: .score,
                    target: ExactDecimal("4.2")!, period: .quarter, credit: ExactDecimal(0)),
        SLATemplate(name: "Käytettävyys ympäri vuorokauden", metric: .availability, unit: .percent,
                    target: ExactDecimal("99.95")!, credit: ExactDecimal(10)),
    ]

    static let projectNames: [(String, Sector)] = [
        ("Asiointialustan uudistus", .crossSector), ("Sote-tietojärjestelmien yhtenäistäminen", .socialHealth),
        ("Varhaiskasvatuksen sähköinen asiointi", .educationCulture), ("Rakennusvalvonnan lupaprosessin digitalisointi", .housingEnvironment),
        ("Taloushallinnon robotiikka", .administration), ("Tiedolla johtamisen tietovarasto", .crossSector),
        ("Koulujen päätelaitteiden elinkaarimalli", .educationCulture), ("Kotihoidon etäpalvelut", .socialHealth),
        ("Asianhallinnan kilpailutus", .administration), ("Kaupunkimallin päivitys", .housingEnvironment),
    ]

    static func seedPortfolio(_ database: AppDatabase, cities: [Resource<CityFields>], times: DemoRecordTimes,
                              random: inout SeededRandom, db: Database) throws {
        let thisMonth = times.thisMonth
        let suppliers = try db.fetchResources(Resource<SupplierFields>.order(Column("id")))
        for (cityIndex, city) in cities.enumerated() {
            let services = try db.fetchResources(Resource<ServiceFields>.filter(Column("cityId") == city.meta.id).order(Column("id")))
            let inUse = services.filter { $0.fields.lifecycle != .plan }
            let ownUnit = suppliers.first { $0.fields.kind == .ownProduction && $0.fields.name == DemoData.cities[cityIndex].ownUnit }!
            let count = Int.random(in: 12...contractScenarios.count, using: &random)
            // Every city gets the first twelve scenarios (all procedures, renewal kinds and states); the rest vary.
            var chosen = Array(contractScenarios.prefix(12)) + contractScenarios.dropFirst(12).shuffled(using: &random).prefix(count - 12)
            // Vantaa's service agreements (below) take the place of the varied extra contracts.
            if cityIndex == 2 { chosen = Array(chosen.prefix(12)) }
            for (index, scenario) in chosen.enumerated() {
                let candidates = scenario.supplierKinds == [.ownProduction]
                    ? [ownUnit] : suppliers.filter { scenario.supplierKinds.contains($0.fields.kind) && $0.fields.kind != .ownProduction }
                let supplier = candidates.randomElement(using: &random)!
                let provided = inUse.filter { $0.fields.providerId == supplier.meta.id }
                let covered = (provided.isEmpty ? inUse : provided).shuffled(using: &random).prefix(Int.random(in: 1...3, using: &random))
                // Spread start dates a little per city so that the cities' calendars differ.
                let start = thisMonth.adding(months: scenario.startMonth - cityIndex % 3)
                let initialEnd = start.adding(months: scenario.initialMonths).adding(days: -1)
                let totalMonths = scenario.initialMonths + scenario.options.reduce(0) { $0 + $1.months }
                let annualCents = scenario.annualValueEuros * 100 * Int64(10 + cityIndex) / 10
                // Recorded when signed, three weeks after the award, or with the city's first load.
                let signedOn = start.adding(days: -75).adding(days: 21)
                times.record(fact: signedOn, cityIndex: cityIndex)
                let recordedOn = max(signedOn, times.adoption(cityIndex: cityIndex))
                // Options exercised after the contract was recorded were recorded when exercised, 30 days before
                // their notice deadline.
                var laterExercises: [(on: LocalDate, index: Int)] = []
                var endBefore = initialEnd
                for (number, option) in scenario.options.enumerated() where option.exercised {
                    let exercisedOn = endBefore.adding(months: -scenario.noticePeriodMonths).adding(days: -30)
                    if exercisedOn > recordedOn && exercisedOn < times.today { laterExercises.append((exercisedOn, number)) }
                    endBefore = endBefore.adding(months: option.months)
                }
                var options = scenario.options
                for exercise in laterExercises { options[exercise.index].exercised = false }
                let terminatedOn = scenario.terminated ? thisMonth.adding(months: -2).adding(days: -1) : nil
                var contract = try database.insert(ContractFields(
                    title: scenario.title, supplierId: supplier.meta.id,
                    externalId: "\(city.fields.municipalityCode)-SOP-\(String(index + 1).leftPadded(3))",
                    category: scenario.category, procedure: scenario.procedure, procuredOn: start.adding(days: -75),
                    totalValueCents: annualCents * Int64(totalMonths) / 12, annualValueCents: annualCents,
                    startDate: start, initialEndDate: initialEnd, options: options, renewal: scenario.renewal,
                    renewalPeriodMonths: scenario.renewalPeriodMonths, noticePeriodMonths: scenario.noticePeriodMonths,
                    // Vantaa, furthest along the path, manages every contract centrally.
                    managedBy: scenario.managedBySector == nil || cityIndex == 2 ? .central : .sector, sector: scenario.managedBySector,
                    serviceIds: covered.map(\.meta.id),
                    terminatedOn: terminatedOn.flatMap { $0.adding(months: -3) <= recordedOn ? $0 : nil },
                    capabilityIds: ["procurement-and-supplier-management"], processIds: ["cobit-2019:APO10"]),
                    cityId: city.meta.id, by: .demoSeed, db: db)
                for (number, template) in slaTemplates.shuffled(using: &random).prefix(Int.random(in: 2...4, using: &random)).enumerated() {
                    _ = try database.insert(SLAFields(
                        contractId: contract.meta.id, serviceId: covered.randomElement(using: &random)!.meta.id,
                        name: template.name, metric: template.metric, priority: template.priority, unit: template.unit,
                        comparator: template.metric.defaultComparator!, target: template.target, period: template.period,
                        serviceCreditPercent: template.credit, externalId: slaExternalId(contract, number)),
                        cityId: city.meta.id, by: .demoSeed, db: db)
                }
                for exercise in laterExercises {
                    times.record(on: exercise.on, hour: 13)
                    var fields = contract.fields
                    fields.options[exercise.index].exercised = true
                    contract = try database.replace(contract, with: fields, by: .demoSeed, db: db)
                }
                // Notice given three months before the termination took effect, recorded that day.
                if let terminatedOn, contract.fields.terminatedOn == nil {
                    times.record(on: terminatedOn.adding(months: -3), hour: 14)
                    var fields = contract.fields
                    fields.terminatedOn = terminatedOn
                    contract = try database.replace(contract, with: fields, by: .demoSeed, db: db)
                }
            }
            if cityIndex == 2 {
                times.record(on: times.adoption(cityIndex: cityIndex), hour: 12)
                try seedServiceAgreements(database, city: city, services: inUse, suppliers: suppliers, thisMonth: thisMonth, db: db)
            }
            try seedProjects(database, city: city, cityIndex: cityIndex, services: inUse, suppliers: suppliers, times: times,
                             random: &random, db: db)
        }
    }

    /// The city's key for an SLA: its contract's key and its row in the contract's SLA table.
    private static func slaExternalId(_ contract: Resource<ContractFields>, _ index: Int) -> String? {
        contract.fields.externalId.map { "\($0)-SLA-\(index + 1)" }
    }

    /// A purchaser–provider city has a service agreement with an SLA for every service a provider produces.
    private static func seedServiceAgreements(_ database: AppDatabase, city: Resource<CityFields>, services: [Resource<ServiceFields>],
                                              suppliers: [Resource<SupplierFields>], thisMonth: LocalDate, db: Database) throws {
        let byProvider = Dictionary(grouping: services.filter { $0.fields.lifecycle == .active && $0.fields.providerId != nil },
                                    by: { $0.fields.providerId! })
        // At most eight agreements (the largest providers) of at most four services, so that the city keeps
        // to 20 contracts and every contract to 2–4 SLAs.
        let largest = suppliers.filter { $0.fields.kind != .ownProduction && byProvider[$0.meta.id] != nil }
            .map { supplier in (supplier, byProvider[supplier.meta.id]!.sorted { ($0.fields.annualCostCents ?? 0) > ($1.fields.annualCostCents ?? 0) }) }
            .sorted { ($0.1.reduce(0) { $0 + ($1.fields.annualCostCents ?? 0) }, $1.0.meta.id) > ($1.1.reduce(0) { $0 + ($1.fields.annualCostCents ?? 0) }, $0.0.meta.id) }
            .prefix(8)
        for (number, (supplier, all)) in largest.enumerated() {
            let provided = Array(all.prefix(4))
            let annual = provided.reduce(Int64(0)) { $0 + ($1.fields.annualCostCents ?? 0) }
            let start = thisMonth.adding(months: -30)
            let contract = try database.insert(ContractFields(
                title: "Palvelusopimus: \(supplier.fields.name)", supplierId: supplier.meta.id,
                externalId: "\(city.fields.municipalityCode)-PS-\(String(number + 1).leftPadded(3))", category: .services,
                procedure: supplier.fields.kind == .commercial ? .frameworkCallOff : .inHouse, procuredOn: start.adding(days: -60),
                totalValueCents: annual * 4, annualValueCents: annual, startDate: start,
                initialEndDate: start.adding(months: 48).adding(days: -1), options: [ContractOption(months: 24, exercised: false)],
                renewal: .none, noticePeriodMonths: 6, managedBy: .central, serviceIds: provided.map(\.meta.id),
                capabilityIds: ["procurement-and-supplier-management"], processIds: ["cobit-2019:APO09", "cobit-2019:APO10"]),
                cityId: city.meta.id, by: .demoSeed, db: db)
            for (number, service) in provided.enumerated() {
                _ = try database.insert(SLAFields(
                    contractId: contract.meta.id, serviceId: service.meta.id, name: "Käytettävyys: \(service.fields.name)",
                    metric: .availability, unit: .percent, comparator: .atLeast, target: ExactDecimal("99.5")!, period: .month,
                    serviceCreditPercent: ExactDecimal(5), processIds: ["itil-4:service-level-management"],
                    externalId: slaExternalId(contract, number)),
                    cityId: city.meta.id, by: .demoSeed, db: db)
            }
            if provided.count == 1 {
                _ = try database.insert(SLAFields(
                    contractId: contract.meta.id, serviceId: provided[0].meta.id, name: "Kriittisen häiriön vasteaika",
                    metric: .responseTime, priority: 1, unit: .minutes, comparator: .atMost, target: ExactDecimal(30), period: .month,
                    serviceCreditPercent: ExactDecimal(2), externalId: slaExternalId(contract, 1)), cityId: city.meta.id, by: .demoSeed, db: db)
            }
        }
    }

    private static func seedProjects(_ database: AppDatabase, city: Resource<CityFields>, cityIndex: Int, services: [Resource<ServiceFields>],
                                     suppliers: [Resource<SupplierFields>], times: DemoRecordTimes,
                                     random: inout SeededRandom, db: Database) throws {
        let thisMonth = times.thisMonth
        let count = Int.random(in: 5...10, using: &random)
        let phases = ProjectPhase.allCases
        for (index, (name, sector)) in projectNames.shuffled(using: &random).prefix(count).enumerated() {
            let phase = phases[index % phases.count]
            let start = thisMonth.adding(months: -Int.random(in: 3...30, using: &random))
            let plannedEnd = start.adding(months: Int.random(in: 9...30, using: &random)).adding(days: -1)
            let budget = Int64.random(in: 50...2_500, using: &random) * 100_000
            let spentShare: Int64 = switch phase {
            case .idea, .preStudy: 0
            case .planning: 10
            case .execution: Int64.random(in: 30...110, using: &random)
            case .deployment: Int64.random(in: 70...125, using: &random)
            case .closed: Int64.random(in: 85...130, using: &random)
            case .cancelled: Int64.random(in: 5...40, using: &random)
            }
            let owner = owners[Int.random(in: 0..<owners.count, using: &random)]
            // Recorded when the portfolio decision was made, or with the city's first load.
            times.record(fact: start.adding(days: -30), afterDays: 2, cityIndex: cityIndex, hour: 15)
            _ = try database.insert(ProjectFields(
                name: name, description: "\(name) – \(city.fields.name.fi)", sector: sector,
                owner: Owner(name: owner, title: "Projektipäällikkö"), phase: phase,
                health: phase.isUnderWay ? ProjectHealth.allCases.randomElement(using: &random)! : nil,
                budgetCents: phase == .idea ? nil : budget,
                actualCostCents: spentShare == 0 ? nil : budget * spentShare / 100,
                startDate: phase == .idea ? nil : start, plannedEndDate: phase == .idea ? nil : plannedEnd,
                actualEndDate: phase.isFinished ? min(plannedEnd.adding(days: 30), thisMonth.adding(days: -1)) : nil,
                expectedAnnualSavingsCents: Int64.random(in: 0...400, using: &random) * 100_000,
                serviceIds: services.shuffled(using: &random).prefix(Int.random(in: 0...2, using: &random)).map(\.meta.id),
                supplierIds: suppliers.filter { $0.fields.kind == .commercial }.shuffled(using: &random).prefix(index % 2).map(\.meta.id),
                // Turku, still decentralised, has no central development portfolio.
                portfolioDecision: phase == .idea || cityIndex == 4 ? nil
                    : PortfolioDecision(decidedOn: start.adding(days: -30), decidedBy: "Digiohjausryhmä"),
                priority: Int.random(in: 1...5, using: &random),
                externalId: "\(city.fields.municipalityCode)-HNK-\(String(index + 1).leftPadded(3))",
                capabilityIds: ["project-management-and-methods", sectorCapability[sector]!], processIds: ["cobit-2019:BAI11"]),
                cityId: city.meta.id, by: .demoSeed, db: db)
        }
    }
}

extension DemoData {
    /// 24 months of reports for every demo SLA up to last month: mostly met, some breached (more often
    /// with some suppliers), a few missing, and a few breaches disputed.
    static func seedMeasurements(_ database: AppDatabase, cities: [Resource<CityFields>], times: DemoRecordTimes,
                                 random: inout SeededRandom, db: Database) throws {
        let today = times.today
        let lastMonth = YearMonth(today).adding(-1)
        let range = MonthRange(from: lastMonth.adding(-23), to: lastMonth)
        // Report delays and corrections draw from their own sequence, so the values stay those of the seed.
        var delays = SeededRandom(seed: 15)
        for (cityIndex, city) in cities.enumerated() {
            let entries = try database.slaEntries(db, sql: "WHERE s.cityId = ? ORDER BY s.id", arguments: [city.meta.id], on: today)
            for entry in entries {
                // A supplier's id decides how reliable it is, so the same supplier looks alike in every city.
                let breachRate = [0.04, 0.08, 0.15, 0.25][Int(entry.supplierId.utf8.reduce(0) { $0 &+ Int($1) }) % 4]
                for period in range.periods(of: entry.scope.kind) where entry.scope.isInScope(period) {
                    if Double.random(in: 0..<1, using: &random) < 0.03 { continue }
                    let breach = Double.random(in: 0..<1, using: &random) < breachRate
                    let value = demoValue(entry, breach: breach, random: &random)
                    var dispute: Dispute?
                    if breach, Double.random(in: 0..<1, using: &random) < 0.2 {
                        dispute = [Dispute(status: .open, note: "Toimittaja kiistää: mittausjakso sisälsi sovitun huoltokatkon"),
                                   Dispute(status: .accepted, note: "Hyväksytty: huoltokatko oli ilmoitettu ajallaan"),
                                   Dispute(status: .rejected, note: "Hylätty: katkoa ei ollut ilmoitettu")].randomElement(using: &random)
                    }
                    let source: MeasurementSource = entry.metric == .satisfaction ? .survey
                        : (Double.random(in: 0..<1, using: &random) < 0.7 ? .supplierReport : .monitoring)
                    // Reported some days after the period; recorded then, or with the city's first load.
                    let reportedOn = period.lastDay.adding(days: 4 + Int(delays.next() % 9))
                    let hour = 9 + Int(delays.next() % 8)
                    times.record(on: reportedOn, hour: hour)
                    let reportedAt = times.now
                    times.record(fact: reportedOn, cityIndex: cityIndex, hour: hour)
                    let reportedLater = times.adoption(cityIndex: cityIndex) < reportedOn
                    // A dispute comes after the report: opened ten days later, decided a month after that.
                    var measurement = try database.insert(MeasurementFields(
                        slaId: entry.id, period: period, value: value, source: source,
                        evidence: source == .supplierReport ? "Palveluraportti \(period), \(entry.contractTitle)" : "Seurantajärjestelmä",
                        reportedAt: reportedAt, dispute: reportedLater ? nil : dispute), cityId: city.meta.id, by: .demoSeed, db: db)
                    if reportedLater, let dispute {
                        times.record(on: reportedOn.adding(days: 10), hour: 11)
                        var fields = measurement.fields
                        fields.dispute = Dispute(status: .open, note: "Toimittaja kiistää: mittausjakso sisälsi sovitun huoltokatkon")
                        measurement = try database.replace(measurement, with: fields, by: .demoSeed, db: db)
                        if dispute.status != .open {
                            times.record(on: reportedOn.adding(days: 40), hour: 11)
                            fields.dispute = dispute
                            measurement = try database.replace(measurement, with: fields, by: .demoSeed, db: db)
                        }
                    } else if reportedLater, delays.next() % 40 == 0 {
                        // A supplier's report corrected three weeks later.
                        times.record(on: reportedOn.adding(days: 21), hour: 14)
                        var fields = measurement.fields
                        fields.note = "Korjattu toimittajan oikaistun raportin mukaan (alkuperäinen \(fields.value))"
                        fields.value = demoValue(entry, breach: false, random: &delays)
                        measurement = try database.replace(measurement, with: fields, by: .demoSeed, db: db)
                    }
                }
            }
        }
    }

    private static func demoValue(_ entry: SLAEntry, breach: Bool, random: inout SeededRandom) -> ExactDecimal {
        let target = entry.scope.target.thousandths
        let span: Int64 = switch entry.unit {
        case .percent: min(100_000 - target, 500)
        case .minutes: target / 2
        case .hours: target / 2
        case .score: 600
        }
        let upper = entry.unit == .percent ? 100_000 : (entry.unit == .score ? 5_000 : target * 3)
        let thousandths: Int64
        switch (entry.scope.comparator, breach) {
        case (.atLeast, false): thousandths = min(upper, target + Int64.random(in: 0...max(span, 1), using: &random))
        case (.atLeast, true): thousandths = max(0, target - Int64.random(in: 10...max(span * 4, 20), using: &random))
        case (.atMost, false): thousandths = max(0, target - Int64.random(in: 0...max(span, 1), using: &random))
        case (.atMost, true): thousandths = target + Int64.random(in: 10...max(span * 2, 20), using: &random)
        }
        // Reports carry at most two decimals, as suppliers write them.
        return ExactDecimal(thousandths: thousandths / 10 * 10)
    }
}
