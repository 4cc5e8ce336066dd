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

    static let sharedSuppliers: [(name: String, kind: SupplierKind, contact: SupplierContact?)] = [
        ("Kuntaäly Oy", .inHouseCompany, SupplierContact(name: "Asiakaspalvelu", email: "asiakaspalvelu@kuntaaly.example", phone: "+358 20 123 4500")),
        ("Sisä-Suomen ICT Oy", .inHouseCompany, SupplierContact(name: "Tilaajapalvelut", email: "tilaus@sisasuomenict.example")),
        ("Rannikon Tietotekniikka -liikelaitos", .municipalEnterprise, SupplierContact(email: "palvelu@rannikontt.example")),
        ("Kuntien ICT-palvelukeskus", .sharedServiceCentre, SupplierContact(name: "Palvelupäällikkö", email: "palvelukeskus@kuntaict.example")),
        ("Julkishallinnon Palveluverkko", .sharedServiceCentre, SupplierContact(email: "tuki@jhpalveluverkko.example", phone: "0295 000 100")),
        ("Pohjola Systems Oy", .commercial, SupplierContact(name: "Myynti", email: "myynti@pohjolasystems.example", phone: "+358 9 555 0100")),
        ("Saimaan Tietopalvelu Oy", .commercial, SupplierContact(email: "info@saimaantieto.example")),
        ("Nordic Cloud Services Oy", .commercial, SupplierContact(name: "Account manager", email: "sales@nordiccloud.example")),
        ("Kaleva Software Oy", .commercial, SupplierContact(email: "kaleva@kalevasoftware.example", phone: "+358 40 555 0199")),
        ("Aava Data Ab", .commercial, SupplierContact(email: "kontakt@aavadata.example")),
    ]

    static let serviceTemplates: [(sector: Sector, names: [String])] = [
        (.socialHealth, ["Potilastietojärjestelmä", "Sosiaalihuollon asiakastietojärjestelmä", "Ajanvaraus",
                         "Suun terveydenhuollon järjestelmä", "Kotihoidon toiminnanohjaus", "Laboratoriojärjestelmä",
                         "Lastensuojelun asiakastiedot", "Vanhuspalvelujen asiakasohjaus"]),
        (.educationCulture, ["Oppilashallintojärjestelmä", "Varhaiskasvatuksen asiakastiedot", "Oppimisympäristö",
                             "Kirjastojärjestelmä", "Koulujen verkkopalvelut", "Liikuntapaikkavaraukset",
                             "Kansalaisopiston ilmoittautuminen", "Museokokoelmien hallinta"]),
        (.housingEnvironment, ["Rakennusvalvonnan sähköinen asiointi", "Paikkatietojärjestelmä", "Kaavoituksen järjestelmä",
                               "Ympäristövalvonta", "Kiinteistötietojärjestelmä", "Joukkoliikenteen lipunmyynti",
                               "Katu- ja viheralueiden ylläpito"]),
        (.administration, ["Asianhallinta", "Talousjärjestelmä", "Palkanlaskenta", "Henkilöstöhallinto",
                           "Hankintojen kilpailutusjärjestelmä", "Sähköinen arkisto", "Päätöksenteon järjestelmä",
                           "Laskutus ja reskontra"]),
        (.crossSector, ["Työasemapalvelu", "Sähköposti ja kalenteri", "Verkkopalvelu ja intranet", "Tunnistautuminen",
                        "Tietoliikenneverkko", "Palvelinalusta", "Käyttäjätuki (service desk)", "Integraatioalusta",
                        "Tietovarasto ja raportointi"]),
    ]

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
        let actor = Actor.demoSeed
        var shared: [Resource<SupplierFields>] = []
        // The shared supplier register came first, the week before the first city.
        times.record(on: times.adoption(cityIndex: 0).adding(days: -7), hour: 8)
        for (index, supplier) in sharedSuppliers.enumerated() {
            shared.append(try database.insert(
                SupplierFields(name: supplier.name, businessId: BusinessID.make(from: 2_345_000 + index * 7_919),
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
            let ownUnit = try database.insert(
                SupplierFields(name: city.ownUnit, businessId: BusinessID.make(from: 201_000 + cityIndex * 10_111),
                               kind: .ownProduction, contact: SupplierContact(email: "ict@\(city.fi.lowercased()).example"),
                               ownerCityId: cityRecord.meta.id),
                cityId: nil, by: actor, db: db)
            try seedServices(for: cityRecord, cityIndex: cityIndex, ownUnit: ownUnit, shared: shared,
                             database: database, times: times, random: &random, db: db)
            cityRecords.append(cityRecord)
        }
        // The in-house companies and shared service centres are owned by the cities that buy from them in-house
        // (hankintalaki 1397/2016 § 15), in equal shares; recorded once every owner is in the register.
        let share = ExactDecimal(thousandths: 100_000 / Int64(max(1, cityRecords.count)))
        for supplier in shared where SupplierFields.ownedKinds.contains(supplier.fields.kind) {
            var fields = supplier.fields
            fields.owners = cityRecords.map { SupplierOwner(cityId: $0.meta.id, sharePercent: share) }
            _ = try database.replace(supplier, with: fields, by: actor, db: db)
        }
        // Contracts, SLAs and projects come after every city and service, so those keep their ids.
        try seedPortfolio(database, cities: cityRecords, times: times, random: &random, db: db)
        try seedMeasurements(database, cities: cityRecords, times: times, random: &random, db: db)
        try seedGovernance(database, cities: cityRecords, times: times, db: db)
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

    private static func seedServices(
        for city: Resource<CityFields>, cityIndex: Int, ownUnit: Resource<SupplierFields>,
        shared: [Resource<SupplierFields>], database: AppDatabase, times: DemoRecordTimes, random: inout SeededRandom, db: Database
    ) throws {
        let all = serviceTemplates.flatMap { template in template.names.map { (template.sector, $0) } }
        let count = Int.random(in: 20...36, using: &random)
        // Cities further along the transition path buy more from providers other than their own unit.
        let ownShare = [0.45, 0.25, 0.1, 0.35, 0.7][cityIndex]
        for (index, (sector, name)) in all.shuffled(using: &random).prefix(count).enumerated() {
            let lifecycle: Lifecycle = switch index % 12 {
            case 0: .plan
            case 1: .phaseIn
            case 2: .phaseOut
            case 3 where index > 12: .retired
            default: .active
            }
            let provider = Double.random(in: 0..<1, using: &random) < ownShare ? ownUnit : shared.randomElement(using: &random)!
            let activeOn = LocalDate(year: Int.random(in: 2012...2024, using: &random), month: Int.random(in: 1...12, using: &random), day: 1)!
            let dates: LifecycleDates? = switch lifecycle {
            case .plan: nil
            case .phaseIn: LifecycleDates(phaseIn: LocalDate(year: 2026, month: Int.random(in: 1...10, using: &random), day: 1))
            case .active: LifecycleDates(active: activeOn)
            case .phaseOut: LifecycleDates(active: activeOn, phaseOut: LocalDate(year: 2026, month: 6, day: 1))
            case .retired: LifecycleDates(active: activeOn, phaseOut: LocalDate(year: 2025, month: 1, day: 1),
                                          retired: LocalDate(year: 2025, month: 12, day: 31))
            }
            // Services in use came with the city's first load; plans were recorded when they were made.
            if lifecycle == .plan { times.record(on: times.thisMonth.adding(months: -2 - index % 4), hour: 11) }
            else { times.record(on: times.adoption(cityIndex: cityIndex), hour: 9) }
            let owner = owners[Int.random(in: 0..<owners.count, using: &random)]
            let email = owner.lowercased().replacingOccurrences(of: " ", with: ".")
                .replacingOccurrences(of: "ä", with: "a").replacingOccurrences(of: "ö", with: "o")
            _ = try database.insert(
                ServiceFields(
                    name: name,
                    description: "\(name) – \(city.fields.name.fi)",
                    sector: sector,
                    owner: Owner(name: owner, title: titles[Int.random(in: 0..<titles.count, using: &random)],
                                 email: "\(email)@\(city.fields.name.fi.lowercased()).example"),
                    lifecycle: lifecycle,
                    lifecycleDates: dates,
                    providerId: lifecycle == .plan ? nil : provider.meta.id,
                    annualCostCents: lifecycle == .plan ? nil : Int64.random(in: 1_000...180_000, using: &random) * 1_000,
                    criticality: Criticality.allCases.randomElement(using: &random)!,
                    externalId: "\(city.fields.municipalityCode)-PAL-\(String(index + 1).leftPadded(3))",
                    arrangerId: lifecycle == .plan ? nil : arranger(cityIndex: cityIndex, serviceIndex: index, shared: shared),
                    capabilityIds: [sectorCapability[sector]!], processIds: sector == .crossSector ? ["itil-4:service-desk"] : []),
                cityId: city.meta.id, by: Actor.demoSeed, db: db)
        }
    }
}
