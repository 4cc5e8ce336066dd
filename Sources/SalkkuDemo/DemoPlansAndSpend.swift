import GRDB
import SalkkuCore
import SalkkuStore

/// The records issue 19 brought (CAF self-assessments, transition plans, spend by year), seeded after everything else
/// so that the ids the README and the tests name stay where they were.
extension DemoData {
    static func seedPlansAndSpend(_ database: AppDatabase, cities: [Resource<CityFields>], times: DemoRecordTimes, db: Database) throws {
        let thisMonth = times.thisMonth
        let today = times.today
        for (cityIndex, city) in cities.enumerated() {
            try seedCAF(database, city: city, cityIndex: cityIndex, thisMonth: thisMonth, times: times, db: db)
            try seedSpend(database, city: city, cityIndex: cityIndex, today: today, times: times, db: db)
        }
        try seedTransitionPlans(database, cities: cities, thisMonth: thisMonth, times: times, db: db)
        try seedSeparatedProduction(database, cities: cities, thisMonth: thisMonth, times: times, db: db)
        try seedForeignSupplier(database, cities: cities, times: times, db: db)
    }

    /// Vantaa separated its own production from IT management half a year ago, as its plan's option asks ("kyvykkyydet
    /// ja resurssit ovat selkeästi eriytetty tietohallinnosta"): from then on its own unit counts as a provider.
    private static func seedSeparatedProduction(_ database: AppDatabase, cities: [Resource<CityFields>], thisMonth: LocalDate,
                                                times: DemoRecordTimes, db: Database) throws {
        let vantaa = 2
        guard vantaa < cities.count,
              let id = try String.fetchOne(db, sql: "SELECT id FROM supplier WHERE kind = 'own-production' AND ownerCityId = ?",
                                           arguments: [cities[vantaa].meta.id]),
              let unit = try database.fetch(SupplierFields.self, id: id, cityId: nil, db: db) else { return }
        times.record(fact: thisMonth.adding(months: -6), afterDays: 3, cityIndex: vantaa, hour: 10)
        var fields = unit.fields
        fields.separatedFromItManagement = true
        _ = try database.replace(unit, with: fields, by: .demoSeed, db: db)
    }

    /// Espoo's contract with the foreign supplier and the one service it covers.
    static let foreignContract = (title: "Oppimisanalytiikkapalvelu", covers: "Oppimisanalytiikka")

    /// A foreign supplier, known by its EU VAT number and its home register's id rather than a business ID: a Swedish
    /// learning-analytics service Espoo procured in an open procedure above the EU threshold in 2025.
    private static func seedForeignSupplier(_ database: AppDatabase, cities: [Resource<CityFields>], times: DemoRecordTimes,
                                            db: Database) throws {
        let espoo = 1
        guard espoo < cities.count else { return }
        let city = cities[espoo]
        let signed = LocalDate(year: 2025, month: 5, day: 20)!, start = LocalDate(year: 2025, month: 8, day: 1)!
        times.record(fact: signed, afterDays: 2, cityIndex: espoo, hour: 9)
        let supplier = try database.insert(SupplierFields(
            name: "Skolplattform Norden AB", businessId: nil, kind: .commercial,
            contact: SupplierContact(name: "Customer success", email: "kommun@skolplattform.example", phone: "+46 8 555 012 00"),
            vatNumber: "SE556781234101", foreignRegistryId: "556781-2341", country: "SE"), cityId: nil, by: .demoSeed, db: db)
        let annualEuros: Int64 = 95_000
        let service = try database.insert(ServiceFields(
            name: foreignContract.covers, description: "Oppimisanalytiikka – Espoo; perusopetuksen oppimisen seuranta",
            sector: .educationCulture, owner: Owner(name: "Elina Saarinen", title: "Kehittämispäällikkö", email: "elina.saarinen@espoo.example"),
            lifecycle: .active, lifecycleDates: LifecycleDates(active: start), providerId: supplier.meta.id,
            annualCostCents: annualEuros * 100, criticality: .medium, externalId: "049-PAL-901",
            capabilityIds: [sectorCapability[.educationCulture]!]), cityId: city.meta.id, by: .demoSeed, db: db)
        // Three years and a one-year option: 380 000 €, above the EU threshold of 2025 (221 000 €), so an open procedure.
        _ = try database.insert(ContractFields(
            title: foreignContract.title, supplierId: supplier.meta.id, externalId: "049-SOP-901", category: .services,
            procedure: .open, procuredOn: signed, totalValueCents: annualEuros * 4 * 100, annualValueCents: annualEuros * 100,
            startDate: start, initialEndDate: start.adding(months: 36).adding(days: -1), options: [ContractOption(months: 12, exercised: false)],
            renewal: .none, noticePeriodMonths: 6, managedBy: .central, serviceIds: [service.meta.id]),
            cityId: city.meta.id, by: .demoSeed, db: db)
    }

    /// CAF self-assessments of the IT organisation: Turku has made none; the others one or two, the latest within the year.
    private static func seedCAF(_ database: AppDatabase, city: Resource<CityFields>, cityIndex: Int, thisMonth: LocalDate,
                                times: DemoRecordTimes, db: Database) throws {
        // Per city: the level the scores sit around (Vantaa furthest along, Turku has not assessed).
        let base = [52, 48, 64, 45, 0][cityIndex % 5]
        guard base > 0 else { return }
        let rounds = cityIndex == 0 ? [-15, -3] : [-4]
        for (round, monthsAgo) in rounds.enumerated() {
            let assessedOn = thisMonth.adding(months: monthsAgo)
            times.record(fact: assessedOn, afterDays: 10, cityIndex: cityIndex, hour: 14)
            let criteria = CAFCriterion.allCases.enumerated().map { index, criterion in
                // Enablers score above results in an organisation that has only begun to measure its results.
                let score = min(100, max(0, base + (index < 5 ? 6 : -7) + (index * 3) % 5 - 2 + round * 5))
                return CAFCriterionScore(criterion: criterion, score: score,
                                         evidence: "Itsearviointityöpaja, tietohallinnon johtoryhmä; näyttö kriteerin \(criterion.rawValue) arviointilomakkeella",
                                         reference: "CAF-itsearviointi \(assessedOn.year)")
            }
            _ = try database.insert(CAFAssessmentFields(assessedOn: assessedOn, assessor: "Tietohallinnon johtoryhmä", criteria: criteria,
                                                        note: round == 0 && rounds.count > 1 ? "Ensimmäinen CAF-itsearviointi" : nil),
                                    cityId: city.meta.id, by: .demoSeed, db: db)
        }
    }

    /// What each city paid in the last two full years under its three oldest contracts still running, as the ledger shows;
    /// Helsinki's oldest spent well over what was procured, so the auditor's report has its § 136 case.
    private static func seedSpend(_ database: AppDatabase, city: Resource<CityFields>, cityIndex: Int, today: LocalDate,
                                  times: DemoRecordTimes, db: Database) throws {
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, totalValueCents, annualValueCents, startDate FROM contract
            WHERE cityId = ? AND terminatedOn IS NULL AND startDate <= ? ORDER BY startDate, id LIMIT 3
            """, arguments: [city.meta.id, today.adding(months: -30).description])
        for (index, row) in rows.enumerated() {
            let contractId: String = row["id"]
            let total: Int64 = row["totalValueCents"]
            let annual: Int64 = row["annualValueCents"] ?? total / 4
            for year in [today.year - 2, today.year - 1] {
                let overrun = cityIndex == 0 && index == 0 && year == today.year - 1
                let amount = overrun ? total + total / 5 : annual * (94 + Int64((index + year) % 5)) / 100
                times.record(fact: LocalDate(year: year + 1, month: 2, day: 15)!, afterDays: 0, cityIndex: cityIndex, hour: 9)
                _ = try database.insert(ContractSpendFields(
                    contractId: contractId, year: year, amountCents: amount,
                    evidenceReference: "Kirjanpito \(year), sopimusseuranta \(year + 1)-02",
                    note: overrun ? "Lisätilaukset ilman uutta kilpailutusta" : nil),
                    cityId: city.meta.id, by: .demoSeed, db: db)
            }
        }
    }

    /// Helsinki, Espoo, Vantaa and Turku have decided their own transition paths; Tampere has not.
    private static func seedTransitionPlans(_ database: AppDatabase, cities: [Resource<CityFields>], thisMonth: LocalDate,
                                            times: DemoRecordTimes, db: Database) throws {
        let plans: [(cityIndex: Int, stage: Int, years: Int, option: TransitionOption, body: DecisionBody, section: Int)] = [
            (0, 3, 3, .cooperationModel, .cityBoard, 412), (1, 3, 3, .ownDevelopmentModel, .cityCouncil, 58), (2, 3, 2, .cooperationModel, .cityBoard, 211), (4, 2, 2, .ownDevelopmentModel, .cityBoard, 97),
        ]
        for plan in plans where plan.cityIndex < cities.count {
            let city = cities[plan.cityIndex]
            let decidedOn = thisMonth.adding(months: -8)
            // A measure is carried by a project in the state the measure is in: a closed project for the one done, one
            // under way for the one in progress (none where the city has no such project).
            func project(phases: [ProjectPhase]) throws -> [String] {
                try String.fetchAll(db, sql: "SELECT id FROM project WHERE cityId = ? AND phase IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT 1",
                                    arguments: [city.meta.id, "[" + phases.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]"])
            }
            let measures = [
                TransitionMeasure(title: "Sopimusten keskitetty hallinta ja sopimusrekisteri", dueOn: thisMonth.adding(months: -1),
                                  status: .done, projectIds: try project(phases: [.closed])),
                TransitionMeasure(title: "Palvelutasosopimukset kaikille kriittisille palveluille", dueOn: thisMonth.adding(months: 6),
                                  status: .inProgress, projectIds: try project(phases: [.execution, .deployment])),
                TransitionMeasure(title: plan.option == .cooperationModel ? "Palvelun järjestäjän kilpailutus" : "Oman tuotannon eriyttäminen tietohallinnosta",
                                  dueOn: thisMonth.adding(months: 14), status: .planned),
            ]
            times.record(fact: decidedOn, afterDays: 5, cityIndex: plan.cityIndex, hour: 15)
            _ = try database.insert(TransitionPlanFields(
                targetStage: plan.stage, targetDate: LocalDate(year: thisMonth.year + plan.years, month: 12, day: 31)!, option: plan.option,
                measures: measures,
                decision: PlanDecision(body: plan.body, decidedOn: decidedOn,
                                       reference: "\(plan.body == .cityCouncil ? "Kaupunginvaltuusto" : "Kaupunginhallitus") \(decidedOn.day).\(decidedOn.month).\(decidedOn.year) § \(plan.section)")),
                cityId: city.meta.id, by: .demoSeed, db: db)
        }
    }
}
