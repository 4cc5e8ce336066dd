import Foundation
import GRDB
import SalkkuCore
import SalkkuStore

/// The demo data set: five real cities with plausible portfolios. Deterministic, ids included, so that
/// the README's examples work as printed. Later features extend it here, and only here.
public enum DemoData {
    /// Demo ids are UUIDv7 at this instant (2026-01-01T00:00:00Z), told apart by their counter.
    static let idInstant: UInt64 = 1_767_225_600_000

    struct DemoCity {
        let code: String
        let fi: String
        let sv: String?
        let population: Int64
        let itOrganisation: String
        let ownUnit: String
    }

    static let cities = [
        DemoCity(code: "091", fi: "Helsinki", sv: "Helsingfors", population: 684_018,
                 itOrganisation: "Kaupunginkanslian digitalisaatioyksikkö; toimialoilla omat IT-yksiköt",
                 ownUnit: "Helsingin kaupungin tietotekniikkapalvelut"),
        DemoCity(code: "049", fi: "Espoo", sv: "Esbo", population: 320_931,
                 itOrganisation: "Keskitetty tietohallinto, toimialoilla IT-yhteyshenkilöt",
                 ownUnit: "Espoon kaupungin tietohallinnon palvelutuotanto"),
        DemoCity(code: "092", fi: "Vantaa", sv: "Vanda", population: 250_073,
                 itOrganisation: "Tietohallinto tilaajana, tuotanto palveluntuottajilla",
                 ownUnit: "Vantaan kaupungin tietohallinnon tuotantoyksikkö"),
        DemoCity(code: "837", fi: "Tampere", sv: "Tammerfors", population: 255_050,
                 itOrganisation: "Tietohallinto ja toimialojen tietohallintoyksiköt",
                 ownUnit: "Tampereen kaupungin ICT-palvelut"),
        DemoCity(code: "853", fi: "Turku", sv: "Åbo", population: 201_863,
                 itOrganisation: "Hajautettu: toimialoilla omat IT-yksiköt",
                 ownUnit: "Turun kaupungin tietotekniikkayksikkö"),
    ]

    /// A supplier of the shared register. `buyers` are the demo cities (by index) that may buy from it: an in-house
    /// award is lawful only to an owner (hankintalaki 15 §), and a municipal enterprise is part of its own city; nil
    /// for the market and the shared service centre. A statutory provider is never procured from.
    struct SharedSupplier {
        let name: String
        let kind: SupplierKind
        let contact: SupplierContact?
        var businessId: String? = nil
        var buyers: Set<Int>? = nil
        var statutory = false
    }

    /// The index of the Digital and Population Data Services Agency in `sharedSuppliers`.
    static let dvvIndex = 4
    /// The index of the municipal enterprise in `sharedSuppliers`, and its city's.
    static let municipalEnterpriseIndex = 2
    static let municipalEnterpriseCity = 0

    /// Ten shared suppliers, in this order: the ids of the five cities and of what follows them rest on the count.
    static let sharedSuppliers: [SharedSupplier] = [
        // A nationwide in-house company all five demo cities own shares of (as municipalities own Sarastia).
        SharedSupplier(name: "Kuntaäly Oy", kind: .inHouseCompany,
                       contact: SupplierContact(name: "Asiakaspalvelu", email: "asiakaspalvelu@kuntaaly.example", phone: "+358 20 123 4500"),
                       buyers: [0, 1, 2, 3, 4]),
        // A regional in-house company; of the demo cities only Tampere is an owner.
        SharedSupplier(name: "Sisä-Suomen ICT Oy", kind: .inHouseCompany,
                       contact: SupplierContact(name: "Tilaajapalvelut", email: "tilaus@sisasuomenict.example"), buyers: [3]),
        // Helsinki's own municipal enterprise for financial and payroll services; it serves Helsinki only.
        SharedSupplier(name: "Helsingin talous- ja henkilöstöpalvelut -liikelaitos", kind: .municipalEnterprise,
                       contact: SupplierContact(email: "palvelu@helsingintalpa.example"), buyers: [municipalEnterpriseCity]),
        SharedSupplier(name: "Kuntien ICT-palvelukeskus", kind: .sharedServiceCentre,
                       contact: SupplierContact(name: "Palvelupäällikkö", email: "palvelukeskus@kuntaict.example")),
        // Suomi.fi identification is provided by law (laki 571/2016), not procured: a provider of services, never a
        // party to a demo contract. Its real business ID.
        SharedSupplier(name: "Digi- ja väestötietovirasto", kind: .sharedServiceCentre,
                       contact: SupplierContact(name: "Suomi.fi-palvelut", email: "suomifi@dvv.example", phone: "0295 535 001"),
                       businessId: "0245437-2", statutory: true),
        SharedSupplier(name: "Pohjola Systems Oy", kind: .commercial, contact: SupplierContact(name: "Myynti", email: "myynti@pohjolasystems.example", phone: "+358 9 555 0100")),
        SharedSupplier(name: "Saimaan Tietopalvelu Oy", kind: .commercial, contact: SupplierContact(email: "info@saimaantieto.example")),
        SharedSupplier(name: "Nordic Cloud Services Oy", kind: .commercial, contact: SupplierContact(name: "Account manager", email: "sales@nordiccloud.example")),
        SharedSupplier(name: "Kaleva Software Oy", kind: .commercial, contact: SupplierContact(email: "kaleva@kalevasoftware.example", phone: "+358 40 555 0199")),
        SharedSupplier(name: "Aava Data Ab", kind: .commercial, contact: SupplierContact(email: "kontakt@aavadata.example")),
    ]

    /// Whether city number `cityIndex` may buy from shared supplier number `index`.
    static func mayBuy(cityIndex: Int, from index: Int) -> Bool {
        let supplier = sharedSuppliers[index]
        return !supplier.statutory && (supplier.buyers?.contains(cityIndex) ?? true)
    }

    /// One kind of system or service a city runs, with its annual cost for a city of 250 000 residents: real
    /// orders of magnitude of Finnish municipal IT (an ERP in the millions, a booking service in the tens of thousands).
    struct ServiceTemplate {
        let sector: Sector
        let name: String
        let annualCostEuros: Int64
        /// The day the city's duty began: employment services moved to the municipalities on 2025-01-01 (TE24).
        var since: LocalDate? = nil
    }

    /// The day social and health services moved to the wellbeing services counties; only Helsinki keeps them.
    static let wellbeingCountiesStart = LocalDate(year: 2023, month: 1, day: 1)!
    /// The day employment services (TE-palvelut) moved from the state to the municipalities.
    static let employmentServicesStart = LocalDate(year: 2025, month: 1, day: 1)!

    static let suomiFiIdentification = "Suomi.fi-tunnistus"
    static let employmentCaseManagement = "Työllisyyspalvelujen asiakkuudenhallinta"

    static let serviceTemplates: [ServiceTemplate] = [
        ServiceTemplate(sector: .socialHealth, name: "Potilastietojärjestelmä", annualCostEuros: 9_000_000),
        ServiceTemplate(sector: .socialHealth, name: "Sosiaalihuollon asiakastietojärjestelmä", annualCostEuros: 2_800_000),
        ServiceTemplate(sector: .socialHealth, name: "Ajanvaraus", annualCostEuros: 260_000),
        ServiceTemplate(sector: .socialHealth, name: "Suun terveydenhuollon järjestelmä", annualCostEuros: 420_000),
        ServiceTemplate(sector: .socialHealth, name: "Kotihoidon toiminnanohjaus", annualCostEuros: 520_000),
        ServiceTemplate(sector: .socialHealth, name: "Terveyspalvelujen sähköinen asiointi", annualCostEuros: 300_000),
        ServiceTemplate(sector: .socialHealth, name: "Lastensuojelun asiakastiedot", annualCostEuros: 310_000),
        ServiceTemplate(sector: .socialHealth, name: "Vanhuspalvelujen asiakasohjaus", annualCostEuros: 240_000),
        ServiceTemplate(sector: .educationCulture, name: "Oppilashallintojärjestelmä", annualCostEuros: 380_000),
        ServiceTemplate(sector: .educationCulture, name: "Varhaiskasvatuksen asiakastiedot", annualCostEuros: 320_000),
        ServiceTemplate(sector: .educationCulture, name: "Oppimisympäristö", annualCostEuros: 600_000),
        ServiceTemplate(sector: .educationCulture, name: "Kirjastojärjestelmä", annualCostEuros: 160_000),
        ServiceTemplate(sector: .educationCulture, name: "Koulujen verkkopalvelut", annualCostEuros: 80_000),
        ServiceTemplate(sector: .educationCulture, name: "Liikuntapaikkavaraukset", annualCostEuros: 30_000),
        ServiceTemplate(sector: .educationCulture, name: "Kansalaisopiston ilmoittautuminen", annualCostEuros: 35_000),
        ServiceTemplate(sector: .educationCulture, name: "Museokokoelmien hallinta", annualCostEuros: 30_000),
        ServiceTemplate(sector: .housingEnvironment, name: "Rakennusvalvonnan sähköinen asiointi", annualCostEuros: 120_000),
        ServiceTemplate(sector: .housingEnvironment, name: "Paikkatietojärjestelmä", annualCostEuros: 260_000),
        ServiceTemplate(sector: .housingEnvironment, name: "Kaavoituksen järjestelmä", annualCostEuros: 150_000),
        ServiceTemplate(sector: .housingEnvironment, name: "Ympäristövalvonta", annualCostEuros: 60_000),
        ServiceTemplate(sector: .housingEnvironment, name: "Kiinteistötietojärjestelmä", annualCostEuros: 250_000),
        ServiceTemplate(sector: .housingEnvironment, name: "Pysäköinnin maksut ja valvonta", annualCostEuros: 140_000),
        ServiceTemplate(sector: .housingEnvironment, name: "Katu- ja viheralueiden ylläpito", annualCostEuros: 120_000),
        ServiceTemplate(sector: .administration, name: "Asianhallinta", annualCostEuros: 350_000),
        ServiceTemplate(sector: .administration, name: "Talousjärjestelmä", annualCostEuros: 1_600_000),
        ServiceTemplate(sector: .administration, name: "Palkanlaskenta", annualCostEuros: 1_000_000),
        ServiceTemplate(sector: .administration, name: "Henkilöstöhallinto", annualCostEuros: 600_000),
        ServiceTemplate(sector: .administration, name: "Hankintojen kilpailutusjärjestelmä", annualCostEuros: 60_000),
        ServiceTemplate(sector: .administration, name: "Sähköinen arkisto", annualCostEuros: 200_000),
        ServiceTemplate(sector: .administration, name: "Päätöksenteon järjestelmä", annualCostEuros: 150_000),
        ServiceTemplate(sector: .administration, name: "Laskutus ja reskontra", annualCostEuros: 1_400_000),
        // The model has no employment sector: employment services sit with the city's administration (elinvoima).
        ServiceTemplate(sector: .administration, name: employmentCaseManagement, annualCostEuros: 380_000, since: employmentServicesStart),
        ServiceTemplate(sector: .administration, name: "Työnhakijan sähköinen asiointi", annualCostEuros: 120_000, since: employmentServicesStart),
        ServiceTemplate(sector: .crossSector, name: "Työasemapalvelu", annualCostEuros: 4_200_000),
        ServiceTemplate(sector: .crossSector, name: "Sähköposti ja kalenteri", annualCostEuros: 900_000),
        ServiceTemplate(sector: .crossSector, name: "Verkkopalvelu ja intranet", annualCostEuros: 400_000),
        ServiceTemplate(sector: .crossSector, name: suomiFiIdentification, annualCostEuros: 60_000),
        ServiceTemplate(sector: .crossSector, name: "Tulostuspalvelu", annualCostEuros: 260_000),
        ServiceTemplate(sector: .crossSector, name: "Tietoliikenneverkko", annualCostEuros: 1_800_000),
        ServiceTemplate(sector: .crossSector, name: "Palvelinalusta", annualCostEuros: 900_000),
        ServiceTemplate(sector: .crossSector, name: "Käyttäjätuki (service desk)", annualCostEuros: 1_100_000),
        ServiceTemplate(sector: .crossSector, name: "Integraatioalusta", annualCostEuros: 380_000),
        ServiceTemplate(sector: .crossSector, name: "Tietovarasto ja raportointi", annualCostEuros: 900_000),
    ]

    /// How a city's IT costs grow with its size: less than in proportion, as platforms and licences are shared.
    static func sizeFactor(population: Int64) -> Double { pow(Double(population) / 250_000, 0.8) }

    /// Euros for a city of 250 000 residents, scaled to the city and rounded to a thousand euros, in cents.
    static func scaledCents(_ euros: Int64, population: Int64, jitter: Double = 1) -> Int64 {
        Int64((Double(euros) * sizeFactor(population: population) * jitter / 1_000).rounded()) * 1_000 * 100
    }

    /// Services each city has, however its list is drawn: the statutory identification and employment services.
    static let servicesEveryCityHas = [suomiFiIdentification, employmentCaseManagement]

    /// How many services each city has; the ids the README names (the cities', their first contract's) rest on these.
    static let serviceCounts = [34, 29, 20, 23, 26]

    static let owners = ["Anna Virtanen", "Mikko Korhonen", "Liisa Mäkinen", "Jussi Nieminen", "Sanna Hämäläinen",
                         "Timo Laine", "Päivi Heikkinen", "Kari Koskinen", "Riikka Järvinen", "Antti Lehtonen",
                         "Elina Saarinen", "Pekka Salminen", "Hanna Lindqvist", "Johan Sjöberg"]
    static let titles = ["Palvelupäällikkö", "Tietohallintopäällikkö", "Sovellusasiantuntija", "Kehittämispäällikkö",
                         "Järjestelmäpääkäyttäjä"]

    /// Loads the demo data when the database holds no city yet; tells whether it did.
    @discardableResult
    public static func seedIfEmpty(_ database: AppDatabase) throws -> Bool {
        let times = DemoRecordTimes(loadedAt: database.clock())
        var demo = database.with(ids: IDGenerator(deterministicAt: idInstant), clock: { times.now })
        demo.stampsWritesWithClock = true
        return try demo.writer.write { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM city") == 0 else { return false }
            try seed(demo, times: times, db: db)
            try demo.orderChangeLogByRecordTime(db)
            return true
        }
    }

    private static func seed(_ database: AppDatabase, times: DemoRecordTimes, db: Database) throws {
        var random = SeededRandom(seed: 2026)
        // Which contracts each city has is drawn first, from a sequence of its own: the services follow from it.
        var planRandom = SeededRandom(seed: 19)
        let plans = cities.indices.map { contractPlan(cityIndex: $0, random: &planRandom) }
        let actor = Actor.demoSeed
        var shared: [Resource<SupplierFields>] = []
        // The shared supplier register came first, the week before the first city.
        times.record(on: times.adoption(cityIndex: 0).adding(days: -7), hour: 8)
        for (index, supplier) in sharedSuppliers.enumerated() {
            shared.append(try database.insert(
                SupplierFields(name: supplier.name, businessId: supplier.businessId ?? BusinessID.make(from: 2_345_000 + index * 7_919),
                               kind: supplier.kind, contact: supplier.contact),
                cityId: nil, by: actor, db: db))
        }
        var cityRecords: [Resource<CityFields>] = []
        for (cityIndex, city) in cities.enumerated() {
            times.record(on: times.adoption(cityIndex: cityIndex), hour: 8)
            let cityRecord = try database.insert(
                CityFields(municipalityCode: city.code, name: LocalizedName(fi: city.fi, sv: city.sv),
                           population: city.population, itOrganisation: city.itOrganisation),
                cityId: nil, by: actor, db: db)
            if cityIndex == municipalEnterpriseCity {
                // The municipal enterprise belongs to its city, recorded once the city is.
                var fields = shared[municipalEnterpriseIndex].fields
                fields.ownerCityId = cityRecord.meta.id
                shared[municipalEnterpriseIndex] = try database.replace(shared[municipalEnterpriseIndex], with: fields, by: actor, db: db)
            }
            let ownUnit = try database.insert(
                SupplierFields(name: city.ownUnit, businessId: BusinessID.make(from: 201_000 + cityIndex * 10_111),
                               kind: .ownProduction, contact: SupplierContact(email: "ict@\(city.fi.lowercased()).example"),
                               ownerCityId: cityRecord.meta.id),
                cityId: nil, by: actor, db: db)
            try seedServices(for: cityRecord, cityIndex: cityIndex, plan: plans[cityIndex], ownUnit: ownUnit, shared: shared,
                             database: database, times: times, random: &random, db: db)
            cityRecords.append(cityRecord)
        }
        // The in-house companies and shared service centres are owned by the cities that buy from them in-house
        // (hankintalaki 1397/2016 § 15), in equal shares; recorded once every owner is in the register.
        let share = ExactDecimal(thousandths: 100_000 / Int64(max(1, cityRecords.count)))
        // The state's agency (DVV) is owned by no municipality.
        for (index, supplier) in shared.enumerated() where SupplierFields.ownedKinds.contains(supplier.fields.kind) && !sharedSuppliers[index].statutory {
            var fields = supplier.fields
            fields.owners = cityRecords.map { SupplierOwner(cityId: $0.meta.id, sharePercent: share) }
            _ = try database.replace(supplier, with: fields, by: actor, db: db)
        }
        // Contracts, SLAs and projects come after every city and service, so those keep their ids.
        try seedPortfolio(database, cities: cityRecords, plans: plans, shared: shared, times: times, random: &random, db: db)
        try seedMeasurements(database, cities: cityRecords, times: times, random: &random, db: db)
        try seedGovernance(database, cities: cityRecords, times: times, db: db)
        try seedPlansAndSpend(database, cities: cityRecords, times: times, db: db)
    }

    static let sectorCapability: [Sector: String] = [
        .socialHealth: "sector-expertise/social-health", .educationCulture: "sector-expertise/education-culture",
        .housingEnvironment: "sector-expertise/housing-environment", .administration: "sector-expertise/administration",
        .crossSector: "it-service-production",
    ]

    /// Vantaa gets its whole production through one service arranger (one-stop), Espoo a third of it (hybrid).
    static func arranger(cityIndex: Int, serviceIndex: Int, shared: [Resource<SupplierFields>]) -> String? {
        let centre = shared.first { $0.fields.kind == .sharedServiceCentre }!.meta.id
        switch cityIndex {
        case 2: return centre
        case 1 where serviceIndex % 3 == 0: return centre
        default: return nil
        }
    }

    /// Where a service sits in the city's list decides its lifecycle: a few plans, services being phased in and out,
    /// and retired ones; the rest are active.
    static func lifecycle(at index: Int) -> Lifecycle {
        switch index % 12 {
        case 0: .plan
        case 1: .phaseIn
        case 2: .phaseOut
        case 3 where index > 12: .retired
        default: .active
        }
    }

    /// Services a contract may cover and still be phased out: old platforms being replaced.
    static let mayPhaseOut: Set<String> = ["Palvelinalusta", "Sähköinen arkisto", "Tulostuspalvelu"]

    private static func seedServices(
        for city: Resource<CityFields>, cityIndex: Int, plan: [PlannedContract], ownUnit: Resource<SupplierFields>,
        shared: [Resource<SupplierFields>], database: AppDatabase, times: DemoRecordTimes, random: inout SeededRandom, db: Database
    ) throws {
        let keepsSocialHealth = cityIndex == 0
        let population = cities[cityIndex].population
        // Services the city's contracts cover are provided by the contract's supplier; the statutory ones by law.
        var providerOf: [String: Resource<SupplierFields>] = [suomiFiIdentification: shared[dvvIndex]]
        for contract in plan {
            let supplier = contract.supplierIndex.map { shared[$0] } ?? ownUnit
            for name in contract.scenario.covers where providerOf[name] == nil { providerOf[name] = supplier }
        }
        // Helsinki, which still arranges social and health care, runs its client and patient records.
        let records = keepsSocialHealth ? ["Potilastietojärjestelmä", "Sosiaalihuollon asiakastietojärjestelmä"] : []
        var required = Array(Set(servicesEveryCityHas + records + plan.flatMap(\.scenario.covers))).sorted().shuffled(using: &random)
        var optional = serviceTemplates.filter { $0.sector != .socialHealth && !required.contains($0.name) }
            .map(\.name).shuffled(using: &random)
        // Social and health services left the other cities for the wellbeing services counties: what they kept of
        // them is history, retired at the end of 2022.
        var history = serviceTemplates.filter { $0.sector == .socialHealth }.map(\.name).shuffled(using: &random)
        if keepsSocialHealth { optional = (optional + history).shuffled(using: &random); history = [] }
        // Helsinki's first service is the README's example of a plan.
        if cityIndex == 0, let first = optional.firstIndex(of: "Kaavoituksen järjestelmä") { optional.swapAt(0, first) }
        let templates = Dictionary(uniqueKeysWithValues: serviceTemplates.map { ($0.name, $0) })
        // Shared suppliers the city may buy from, for the services no contract of the demo covers.
        let buyable = shared.indices.filter { mayBuy(cityIndex: cityIndex, from: $0) }.map { shared[$0] }
        // Cities further along the transition path buy more from providers other than their own unit.
        let ownShare = [0.45, 0.25, 0.1, 0.35, 0.7][cityIndex]
        for index in 0..<serviceCounts[cityIndex] {
            let lifecycle = Self.lifecycle(at: index)
            let name: String
            switch lifecycle {
            case .plan, .phaseIn: name = optional.isEmpty ? required.removeFirst() : optional.removeFirst()
            case .retired where !history.isEmpty: name = history.removeFirst()
            case .retired: name = optional.isEmpty ? required.removeFirst() : optional.removeFirst()
            case .phaseOut:
                if let old = required.firstIndex(where: mayPhaseOut.contains) { name = required.remove(at: old) }
                else { name = optional.isEmpty ? required.removeFirst() : optional.removeFirst() }
            case .active: name = required.isEmpty ? optional.removeFirst() : required.removeFirst()
            }
            let template = templates[name]!
            let isHistory = template.sector == .socialHealth && !keepsSocialHealth
            let ownDraw = Double.random(in: 0..<1, using: &random)
            let provider = providerOf[name] ?? (ownDraw < ownShare ? ownUnit : buyable.randomElement(using: &random)!)
            let activeOn = template.since
                ?? LocalDate(year: Int.random(in: isHistory ? 2010...2018 : 2012...2024, using: &random), month: Int.random(in: 1...12, using: &random), day: 1)!
            let dates: LifecycleDates? = switch lifecycle {
            case .plan: nil
            case .phaseIn: LifecycleDates(phaseIn: LocalDate(year: 2026, month: Int.random(in: 1...10, using: &random), day: 1))
            case .active: LifecycleDates(active: activeOn)
            case .phaseOut: LifecycleDates(active: activeOn, phaseOut: LocalDate(year: 2026, month: 6, day: 1))
            case .retired where isHistory: LifecycleDates(active: activeOn, phaseOut: LocalDate(year: 2022, month: 6, day: 1),
                                                          retired: wellbeingCountiesStart.adding(days: -1))
            case .retired: LifecycleDates(active: activeOn, phaseOut: LocalDate(year: 2025, month: 1, day: 1),
                                          retired: LocalDate(year: 2025, month: 12, day: 31))
            }
            // Services in use came with the city's first load; plans were recorded when they were made.
            // A duty that began after that was recorded the month before it began.
            if lifecycle == .plan { times.record(on: times.thisMonth.adding(months: -2 - index % 4), hour: 11) }
            else if let since = template.since { times.record(fact: since.adding(months: -1), cityIndex: cityIndex, hour: 9) }
            else { times.record(on: times.adoption(cityIndex: cityIndex), hour: 9) }
            let owner = owners[Int.random(in: 0..<owners.count, using: &random)]
            let email = owner.lowercased().replacingOccurrences(of: " ", with: ".")
                .replacingOccurrences(of: "ä", with: "a").replacingOccurrences(of: "ö", with: "o")
            let jitter = Double.random(in: 0.85...1.2, using: &random)
            _ = try database.insert(
                ServiceFields(
                    name: name,
                    description: isHistory ? "\(name) – \(city.fields.name.fi); siirtyi hyvinvointialueelle 1.1.2023"
                        : "\(name) – \(city.fields.name.fi)",
                    sector: template.sector,
                    owner: Owner(name: owner, title: titles[Int.random(in: 0..<titles.count, using: &random)],
                                 email: "\(email)@\(city.fields.name.fi.lowercased()).example"),
                    lifecycle: lifecycle,
                    lifecycleDates: dates,
                    providerId: lifecycle == .plan ? nil : provider.meta.id,
                    annualCostCents: lifecycle == .plan ? nil : scaledCents(template.annualCostEuros, population: population, jitter: jitter),
                    criticality: Criticality.allCases.randomElement(using: &random)!,
                    externalId: "\(city.fields.municipalityCode)-PAL-\(String(index + 1).leftPadded(3))",
                    arrangerId: lifecycle == .plan ? nil : arranger(cityIndex: cityIndex, serviceIndex: index, shared: shared),
                    capabilityIds: [sectorCapability[template.sector]!], processIds: template.sector == .crossSector ? ["itil-4:service-desk"] : []),
                cityId: city.meta.id, by: Actor.demoSeed, db: db)
        }
        precondition(required.isEmpty, "city \(cityIndex) has too few services for its contracts: \(required)")
    }
}
