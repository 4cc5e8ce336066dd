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
        /// The kinds of supplier it goes to, in order of preference; a city buys only where it may (`mayBuy`).
        var supplierKinds: [SupplierKind]
        /// The services it covers, by name: a contract covers what its title says.
        var covers: [String]
        /// Its SLAs, by template name; the first one's service is the first covered.
        var slas: [String]
        /// Start and initial end as month offsets from the current month; the end falls on a month's last day.
        var startMonth: Int
        /// A start fixed by law rather than by the demo's calendar (employment services from 2025-01-01).
        var fixedStart: LocalDate? = nil
        var initialMonths: Int
        var options: [ContractOption] = []
        var renewal: Renewal = .none
        var renewalPeriodMonths: Int? = nil
        var noticePeriodMonths: Int = 3
        /// For a city of 250 000 residents; scaled to the city's size unless `fixedValue`.
        var annualValueEuros: Int64
        /// Small purchases keep their value whatever the city's size.
        var fixedValue = false
        var managedBySector: Sector? = nil
        var terminated: Bool = false
        /// Social and health care: only Helsinki still arranges it (the others' moved to the wellbeing services counties).
        var onlyHelsinki = false
    }

    /// Every city has the first `mandatoryScenarios` (all procedures, renewal kinds and states); the rest vary.
    static let mandatoryScenarios = 13

    static let contractScenarios: [ContractScenario] = [
        ContractScenario(title: "Työasemapalvelun kokonaistoimitus", procedure: .open, supplierKinds: [.commercial],
                         covers: ["Työasemapalvelu"],
                         slas: ["Käytettävyys palveluaikana", "Etäyhteyden käytettävyys", "Palvelupisteen vastausaika", "Käyttäjätyytyväisyys"],
                         startMonth: -50, initialMonths: 48, options: [ContractOption(months: 12, exercised: true), ContractOption(months: 12, exercised: false)],
                         noticePeriodMonths: 6, annualValueEuros: 3_400_000),
        ContractScenario(title: "Palvelinalustan ylläpito", procedure: .restricted, supplierKinds: [.commercial], covers: ["Palvelinalusta"],
                         slas: ["Käytettävyys ympäri vuorokauden", "Kriittisen häiriön vasteaika", "Häiriön ratkaisuaika (prioriteetti 2)"],
                         startMonth: -40, initialMonths: 24, renewal: .tacit, renewalPeriodMonths: 12, noticePeriodMonths: 6,
                         annualValueEuros: 650_000),
        ContractScenario(title: "Asianhallinnan sovelluspalvelu", procedure: .open, supplierKinds: [.commercial], covers: ["Asianhallinta"],
                         slas: ["Käytettävyys palveluaikana", "Häiriön ratkaisuaika (prioriteetti 2)"],
                         startMonth: -46, initialMonths: 48, renewal: .express, noticePeriodMonths: 1, annualValueEuros: 280_000),
        ContractScenario(title: "Tulostuspalvelut", procedure: .open, category: .supplies, supplierKinds: [.commercial], covers: ["Tulostuspalvelu"],
                         slas: ["Häiriön ratkaisuaika (prioriteetti 2)", "Käyttäjätyytyväisyys"],
                         startMonth: -66, initialMonths: 60, annualValueEuros: 220_000),
        // Not yet begun: the next platform, called off a central purchasing body's framework.
        ContractScenario(title: "Integraatioalustan palvelu", procedure: .frameworkCallOff, supplierKinds: [.commercial], covers: ["Integraatioalusta"],
                         slas: ["Käytettävyys ympäri vuorokauden", "Kriittisen häiriön vasteaika"],
                         startMonth: 2, initialMonths: 36, options: [ContractOption(months: 24, exercised: false)],
                         annualValueEuros: 300_000),
        ContractScenario(title: "Tietoliikenneverkon palvelut", procedure: .frameworkCallOff, supplierKinds: [.sharedServiceCentre],
                         covers: ["Tietoliikenneverkko"],
                         slas: ["Käytettävyys ympäri vuorokauden", "Kriittisen häiriön vasteaika", "Häiriön ratkaisuaika (prioriteetti 2)"],
                         startMonth: -20, initialMonths: 48, annualValueEuros: 1_500_000),
        ContractScenario(title: "ICT-palvelujen palvelusopimus", procedure: .inHouse, supplierKinds: [.inHouseCompany],
                         covers: ["Sähköposti ja kalenteri", "Verkkopalvelu ja intranet"],
                         slas: ["Käytettävyys palveluaikana", "Kriittisen häiriön vasteaika", "Käyttäjätyytyväisyys"],
                         startMonth: -70, initialMonths: 12, renewal: .tacit, renewalPeriodMonths: 12, noticePeriodMonths: 3,
                         annualValueEuros: 1_100_000),
        ContractScenario(title: "Liikuntapaikkavarausten pilvipalvelu", procedure: .belowThreshold, supplierKinds: [.commercial],
                         covers: ["Liikuntapaikkavaraukset"], slas: ["Käytettävyys palveluaikana", "Käyttäjätyytyväisyys"],
                         startMonth: -10, initialMonths: 24, annualValueEuros: 18_000, fixedValue: true, managedBySector: .educationCulture),
        ContractScenario(title: "Kokousjärjestelmän lisälisenssit", procedure: .directAward, supplierKinds: [.commercial],
                         covers: ["Päätöksenteon järjestelmä"], slas: ["Käytettävyys palveluaikana", "Häiriön ratkaisuaika (prioriteetti 2)"],
                         startMonth: -4, initialMonths: 24, annualValueEuros: 42_000, fixedValue: true),
        // An IT system for home care is a service contract, not a social and health service (hankintalaki liite E).
        ContractScenario(title: "Kotihoidon toiminnanohjauksen palvelu", procedure: .negotiated,
                         supplierKinds: [.commercial], covers: ["Kotihoidon toiminnanohjaus"],
                         slas: ["Käytettävyys ympäri vuorokauden", "Kriittisen häiriön vasteaika", "Häiriön ratkaisuaika (prioriteetti 2)"],
                         startMonth: -30, initialMonths: 36, options: [ContractOption(months: 12, exercised: false)], noticePeriodMonths: 6,
                         annualValueEuros: 420_000, managedBySector: .socialHealth, onlyHelsinki: true),
        ContractScenario(title: "Oppimisympäristön kehittäminen", procedure: .competitiveDialogue, supplierKinds: [.commercial],
                         covers: ["Oppimisympäristö"], slas: ["Käytettävyys palveluaikana", "Käyttäjätyytyväisyys"],
                         startMonth: -18, initialMonths: 48, options: [ContractOption(months: 24, exercised: false)],
                         annualValueEuros: 450_000, managedBySector: .educationCulture),
        ContractScenario(title: "Paikkatietojärjestelmän ylläpito", procedure: .open, supplierKinds: [.commercial],
                         covers: ["Paikkatietojärjestelmä"], slas: ["Käytettävyys palveluaikana", "Häiriön ratkaisuaika (prioriteetti 2)"],
                         startMonth: -33, initialMonths: 36, renewal: .express, noticePeriodMonths: 2, annualValueEuros: 180_000,
                         managedBySector: .housingEnvironment),
        // Employment services became the cities' duty on 2025-01-01; each procured its case management for that day.
        ContractScenario(title: "Työllisyyspalvelujen asiakkuudenhallinnan järjestelmä", procedure: .open, supplierKinds: [.commercial],
                         covers: [employmentCaseManagement],
                         slas: ["Käytettävyys palveluaikana", "Kriittisen häiriön vasteaika", "Käyttäjätyytyväisyys"],
                         startMonth: 0, fixedStart: employmentServicesStart, initialMonths: 48, options: [ContractOption(months: 24, exercised: false)],
                         noticePeriodMonths: 6, annualValueEuros: 320_000),
        ContractScenario(title: "Vanhan arkistojärjestelmän tuki", procedure: .negotiated, supplierKinds: [.commercial],
                         covers: ["Sähköinen arkisto"], slas: ["Häiriön ratkaisuaika (prioriteetti 2)", "Käytettävyys palveluaikana"],
                         startMonth: -38, initialMonths: 36, renewal: .tacit, renewalPeriodMonths: 6, noticePeriodMonths: 3,
                         annualValueEuros: 60_000, terminated: true),
        ContractScenario(title: "Sisäinen sovellustuotanto", procedure: .inHouse, supplierKinds: [.ownProduction],
                         covers: ["Tietovarasto ja raportointi"], slas: ["Häiriön ratkaisuaika (prioriteetti 2)", "Käyttäjätyytyväisyys"],
                         startMonth: -26, initialMonths: 24, renewal: .tacit, renewalPeriodMonths: 12, noticePeriodMonths: 1,
                         annualValueEuros: 800_000),
        // From the city's own municipal enterprise where it has one, else from an in-house company it owns.
        ContractScenario(title: "Taloushallinnon palvelukeskuspalvelut", procedure: .inHouse, supplierKinds: [.municipalEnterprise, .inHouseCompany],
                         covers: ["Laskutus ja reskontra"], slas: ["Käytettävyys palveluaikana", "Käyttäjätyytyväisyys"],
                         startMonth: -14, initialMonths: 36, renewal: .express, noticePeriodMonths: 6, annualValueEuros: 1_200_000),
        ContractScenario(title: "Käyttäjätuen palvelupiste", procedure: .restricted, supplierKinds: [.commercial],
                         covers: ["Käyttäjätuki (service desk)"],
                         slas: ["Palvelupisteen vastausaika", "Käyttäjätyytyväisyys", "Häiriön ratkaisuaika (prioriteetti 2)"],
                         startMonth: -22, initialMonths: 24, options: [ContractOption(months: 12, exercised: false)],
                         noticePeriodMonths: 1, annualValueEuros: 900_000),
        // Development of an IT system: a service contract, whatever sector the system serves.
        ContractScenario(title: "Sote-asiakastietojärjestelmän jatkokehitys", procedure: .open,
                         supplierKinds: [.commercial], covers: ["Sosiaalihuollon asiakastietojärjestelmä", "Potilastietojärjestelmä"],
                         slas: ["Käytettävyys ympäri vuorokauden", "Kriittisen häiriön vasteaika", "Häiriön ratkaisuaika (prioriteetti 2)", "Käyttäjätyytyväisyys"],
                         startMonth: -60, initialMonths: 48,
                         options: [ContractOption(months: 12, exercised: true), ContractOption(months: 12, exercised: true)],
                         renewal: .express, noticePeriodMonths: 6, annualValueEuros: 2_400_000, onlyHelsinki: true),
    ]

    /// What the other cities have in place of Helsinki's social and health contracts among the mandatory ones.
    static let earlyChildhoodScenario = ContractScenario(
        title: "Varhaiskasvatuksen asiakastietojärjestelmän palvelu", procedure: .negotiated, supplierKinds: [.commercial],
        covers: ["Varhaiskasvatuksen asiakastiedot"],
        slas: ["Käytettävyys palveluaikana", "Häiriön ratkaisuaika (prioriteetti 2)", "Käyttäjätyytyväisyys"],
        startMonth: -30, initialMonths: 36, options: [ContractOption(months: 12, exercised: false)], noticePeriodMonths: 6,
        annualValueEuros: 260_000, managedBySector: .educationCulture)

    /// One contract a city will have, with its supplier: an index into `sharedSuppliers`, or nil for the city's own unit.
    struct PlannedContract {
        var scenario: ContractScenario
        var supplierIndex: Int?
    }

    /// The contracts of city number `cityIndex`, drawn before its services so that each covers services the city has.
    static func contractPlan(cityIndex: Int, random: inout SeededRandom) -> [PlannedContract] {
        let eligible = contractScenarios.filter { !$0.onlyHelsinki || cityIndex == 0 }
        var chosen = contractScenarios.prefix(mandatoryScenarios).map { $0.onlyHelsinki && cityIndex != 0 ? earlyChildhoodScenario : $0 }
        let extras = eligible.filter { scenario in !chosen.contains { $0.title == scenario.title } }
        // Vantaa's service agreements take the place of the varied extra contracts.
        if cityIndex != 2 {
            chosen += extras.shuffled(using: &random).prefix(Int.random(in: 0...extras.count, using: &random))
        }
        return chosen.map { scenario -> PlannedContract in
            for kind in scenario.supplierKinds {
                if kind == .ownProduction { return PlannedContract(scenario: scenario, supplierIndex: nil) }
                let candidates = sharedSuppliers.indices.filter { sharedSuppliers[$0].kind == kind && mayBuy(cityIndex: cityIndex, from: $0) }
                if let index = candidates.randomElement(using: &random) { return PlannedContract(scenario: scenario, supplierIndex: index) }
            }
            preconditionFailure("no supplier city \(cityIndex) may buy \(scenario.title) from")
        }
    }

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
        SLATemplate(name: "Etäyhteyden käytettävyys", metric: .availability, unit: .percent,
                    target: ExactDecimal("99.8")!, credit: ExactDecimal(3)),
    ]

    static func slaTemplate(named name: String) -> SLATemplate { slaTemplates.first { $0.name == name }! }

    static let projectNames: [(String, Sector)] = [
        ("Asiointialustan uudistus", .crossSector), ("Sote-tietojärjestelmien yhtenäistäminen", .socialHealth),
        ("Varhaiskasvatuksen sähköinen asiointi", .educationCulture), ("Rakennusvalvonnan lupaprosessin digitalisointi", .housingEnvironment),
        ("Taloushallinnon robotiikka", .administration), ("Tiedolla johtamisen tietovarasto", .crossSector),
        ("Koulujen päätelaitteiden elinkaarimalli", .educationCulture), ("Kotihoidon etäpalvelut", .socialHealth),
        ("Asianhallinnan kilpailutus", .administration), ("Kaupunkimallin päivitys", .housingEnvironment),
        ("Työllisyyspalvelujen digitaaliset palvelut", .administration), ("Suomi.fi-viestien käyttöönotto", .crossSector),
    ]

    static func seedPortfolio(_ database: AppDatabase, cities: [Resource<CityFields>], plans: [[PlannedContract]],
                              shared: [Resource<SupplierFields>], times: DemoRecordTimes,
                              random: inout SeededRandom, db: Database) throws {
        let thisMonth = times.thisMonth
        let suppliers = try db.fetchResources(Resource<SupplierFields>.order(Column("id")))
        for (cityIndex, city) in cities.enumerated() {
            let services = try db.fetchResources(Resource<ServiceFields>.filter(Column("cityId") == city.meta.id).order(Column("id")))
            let inUse = services.filter { $0.fields.lifecycle != .plan }
            let ownUnit = suppliers.first { $0.fields.kind == .ownProduction && $0.fields.name == DemoData.cities[cityIndex].ownUnit }!
            let population = DemoData.cities[cityIndex].population
            var contracted: Set<String> = []
            for (index, planned) in plans[cityIndex].enumerated() {
                let scenario = planned.scenario
                let supplier = planned.supplierIndex.map { shared[$0] } ?? ownUnit
                let covered = scenario.covers.compactMap { name in inUse.first { $0.fields.name == name } }
                precondition(covered.count == scenario.covers.count, "\(scenario.title) of city \(cityIndex) lacks a service")
                contracted.formUnion(covered.map(\.meta.id))
                // Spread start dates a little per city so that the cities' calendars differ; a start set by law is the same for all.
                let start = scenario.fixedStart ?? thisMonth.adding(months: scenario.startMonth - cityIndex % 3)
                let initialEnd = start.adding(months: scenario.initialMonths).adding(days: -1)
                let totalMonths = scenario.initialMonths + scenario.options.reduce(0) { $0 + $1.months }
                let annualCents = scenario.fixedValue ? scenario.annualValueEuros * 100 : scaledCents(scenario.annualValueEuros, population: population)
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
                for (number, template) in scenario.slas.map(slaTemplate(named:)).enumerated() {
                    _ = try database.insert(SLAFields(
                        contractId: contract.meta.id, serviceId: covered[number % covered.count].meta.id,
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
                try seedServiceAgreements(database, city: city, services: inUse.filter { !contracted.contains($0.meta.id) },
                                          suppliers: suppliers.filter { $0.meta.id != shared[dvvIndex].meta.id }, thisMonth: thisMonth, db: db)
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
        // Only Helsinki still develops social and health care systems.
        let names = projectNames.filter { $0.1 != .socialHealth || cityIndex == 0 }
        for (index, (name, sector)) in names.shuffled(using: &random).prefix(count).enumerated() {
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
