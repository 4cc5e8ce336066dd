/// The transition-path criteria, each measured from the city's own records with its evidence.
struct MaturityCriteria {
    let inputs: MaturityInputs
    let thresholds: MaturityThresholds
    /// Derived once: several criteria read each of these.
    let activeContracts: [(Resource<ContractFields>, ContractTerms)]
    let activeServices: [Resource<ServiceFields>]
    let providerProduced: [Resource<ServiceFields>]
    let standings: [String: ProcessStanding]

    init(inputs: MaturityInputs, thresholds: MaturityThresholds) {
        self.inputs = inputs
        self.thresholds = thresholds
        let date = inputs.date
        activeContracts = inputs.contracts
            .map { ($0, ContractTerms($0.fields, on: date, supplierKind: inputs.suppliers[$0.fields.supplierId]?.fields.kind)) }
            .filter { $0.1.status == .active }
        let active = inputs.services.filter { $0.fields.isActive(on: date) }
        activeServices = active
        providerProduced = active.filter { Self.isProviderProduced($0.fields, suppliers: inputs.suppliers) }
        standings = Dictionary(uniqueKeysWithValues: ProcessStanding.profile(inputs.assessments, on: date).map { ($0.processId, $0) })
    }

    /// The one rule for "produced by a provider": a provider is any supplier but own production, and own production
    /// separated from IT management (figure 1.1's target state) is one too. A service without a known provider is not.
    static func isProviderProduced(_ service: ServiceFields, suppliers: [String: Resource<SupplierFields>]) -> Bool {
        guard let providerId = service.providerId, let provider = suppliers[providerId] else { return false }
        return provider.fields.isProvider
    }

    var all: [Criterion] {
        [centralITUnit(), ictStrategy(), itSteeringGroup(), centralContractShare(stage: 2), portfolioDecisions(),
         noSectorITUnits(), centralisedSectorExpertise(), serviceArranger(), centralContractShare(stage: 3), providerProduction(),
         slaCover(), slaReporting(), infrastructureEffort(), purchaserProcesses()]
    }

    // MARK: Shared pieces

    var date: LocalDate { inputs.date }

    static func euros(_ cents: Int64) -> String { ContractTerms.euros(cents) }
    static func euros(_ cents: Total) -> String { cents.int64.map(ContractTerms.euros) ?? "\(cents) cents" }

    /// The records worth acting on first: the largest amount first, then by id.
    static func largestFirst<F>(_ records: [Resource<F>], by amount: (F) -> Int64?) -> [Resource<F>] {
        records.sorted { (amount($1.fields) ?? 0, $0.meta.id) < (amount($0.fields) ?? 0, $1.meta.id) }
    }

    /// The annual cost of `services` and of those that qualify, with the others largest first: what every
    /// cost-share criterion measures and names.
    static func costShare(of services: [Resource<ServiceFields>], qualifying: (Resource<ServiceFields>) -> Bool)
        -> (part: Total, whole: Total, others: [Resource<ServiceFields>]) {
        let (qualified, others) = services.reduce(into: ([Resource<ServiceFields>](), [Resource<ServiceFields>]())) { split, service in
            if qualifying(service) { split.0.append(service) } else { split.1.append(service) }
        }
        return (Total.of(qualified.map(\.fields.annualCostCents)), Total.of(services.map(\.fields.annualCostCents)),
                largestFirst(others, by: \.annualCostCents))
    }

    /// Up to three services by name and annual cost, for an action's examples.
    static func examples(_ services: [Resource<ServiceFields>]) -> String {
        services.prefix(3).map { "\($0.fields.name) (\(euros($0.fields.annualCostCents ?? 0)))" }.joined(separator: ", ")
    }

    /// A criterion on a share: met when `part / whole` reaches `threshold` percent, compared exactly.
    func share(id: String, stage: Int, description: CityText, part: Total, whole: Total, threshold: Int64, failing: [String],
               missing: String, action: (Total) -> CityText, amountNeeded: (Total) -> Total?) -> Criterion {
        guard whole > 0 else {
            return Criterion(id: id, stage: stage, description: description, measure: .percent, measured: nil,
                             comparison: .atLeast, threshold: .number(ExactDecimal(threshold)), met: false, missingData: missing,
                             evidence: CriterionEvidence(numerator: part, denominator: whole, failing: failing),
                             gapPercent: ExactDecimal(100), action: action(0), actionAmountCents: nil)
        }
        // part × 100 ≥ threshold × whole, in totals: sums of cents times 100 can pass Int64.
        let met = part * 100 >= whole * threshold
        let measured = Rounding.percent(part, of: whole)
        let gap = met ? ExactDecimal(0) : Rounding.percent(threshold * 1_000 - measured.thousandths, of: threshold * 1_000)
        // The least amount that would move the share to the threshold: ceil(threshold × whole / 100) − part.
        let needed = met ? nil : (whole * threshold).dividedRoundingUp(by: 100) - part
        return Criterion(id: id, stage: stage, description: description, measure: .percent, measured: .number(measured),
                         comparison: .atLeast, threshold: .number(ExactDecimal(threshold)), met: met, missingData: nil,
                         evidence: CriterionEvidence(numerator: part, denominator: whole, failing: met ? [] : failing),
                         gapPercent: gap, action: met ? nil : action(needed ?? 0), actionAmountCents: needed.flatMap(amountNeeded))
    }

    func fact(id: String, stage: Int, description: CityText, value: Bool?, expected: Bool, missing: String, action: CityText) -> Criterion {
        let met = value == expected
        return Criterion(id: id, stage: stage, description: description, measure: .boolean,
                         measured: value.map(CriterionValue.boolean), comparison: .atLeast, threshold: .boolean(expected), met: met,
                         missingData: value == nil ? missing : nil, evidence: CriterionEvidence(),
                         gapPercent: met ? ExactDecimal(0) : ExactDecimal(100), action: met ? nil : action, actionAmountCents: nil)
    }

    // MARK: Stage 2

    func centralITUnit() -> Criterion {
        fact(id: "central-it-unit", stage: 2,
             description: CityText(fi: "Kaupungilla on keskitetty tietohallintoyksikkö.",
                                   sv: "Staden har en central enhet för IT-förvaltningen.",
                                   en: "The city has a central IT unit."),
             value: inputs.governance?.centralItUnit, expected: true,
             missing: "no governance facts declare centralItUnit (PUT /v1/cities/{cityId}/governance)",
             action: CityText(
                fi: "Perustakaa keskitetty tietohallintoyksikkö, joka ohjaa kaikkien toimialojen tietohallintoa, ja kirjatkaa se hallintotietoihin.",
                sv: "Inrätta en central enhet för IT-förvaltningen som styr IT för alla sektorer, och registrera den i uppgifterna om IT-styrningen.",
                en: "Establish a central IT management unit that steers IT for all sectors, and declare it in the governance facts."))
    }

    func ictStrategy() -> Criterion {
        let approvedOn = inputs.governance?.ictStrategyApprovedOn
        let recent = approvedOn.map { $0 <= date && $0.adding(months: thresholds.strategyMaxAgeMonths) >= date } ?? false
        let apo02 = standings["cobit-2019:APO02"]?.level
        let met = recent || (apo02 ?? 0) >= thresholds.strategyAlternativeLevel
        let missing = approvedOn == nil && apo02 == nil
        let years = thresholds.strategyMaxAgeMonths / 12
        let level = thresholds.strategyAlternativeLevel
        let old = approvedOn.map { (fi: " (edellinen, \($0), on yli \(years) vuotta vanha)",
                                    sv: " (den senaste, \($0), är över \(years) år gammal)",
                                    en: " (the last one, \($0), is over \(years) years old)") }
        let now = (fi: apo02.map(String.init) ?? "ei arvioitu", sv: apo02.map(String.init) ?? "inte bedömd",
                   en: apo02.map(String.init) ?? "not assessed")
        let action = CityText(
            fi: "Hyväksyttäkää ICT-strategia valtuustossa tai hallituksessa\(old?.fi ?? "") tai nostakaa COBIT APO02 Strategian hallinta tasolle \(level) (nyt \(now.fi)).",
            sv: "Låt stadsfullmäktige eller stadsstyrelsen godkänna en IKT-strategi\(old?.sv ?? ""), eller höj COBIT APO02 Hanterad strategi till nivå \(level) (nu \(now.sv)).",
            en: "Approve an ICT strategy in the council or board\(old?.en ?? ""), or raise COBIT APO02 Managed Strategy to level \(level) (now \(now.en)).")
        return Criterion(
            id: "ict-strategy", stage: 2,
            description: CityText(fi: "ICT-strategia on hyväksytty viimeisen \(years) vuoden aikana tai APO02 on vähintään tasolla \(level).",
                                  sv: "En IKT-strategi har godkänts under de senaste \(years) åren, eller APO02 är minst på nivå \(level).",
                                  en: "An ICT strategy approved within \(years) years, or APO02 at level \(level) or more."),
            measure: .boolean, measured: missing ? nil : .boolean(met), comparison: .atLeast, threshold: .boolean(true), met: met,
            missingData: missing ? "neither ictStrategyApprovedOn nor an APO02 assessment is recorded" : nil,
            evidence: CriterionEvidence(numerator: apo02.map(Total.init), denominator: nil, failing: []),
            gapPercent: met ? ExactDecimal(0) : ExactDecimal(100), action: met ? nil : action, actionAmountCents: nil)
    }

    /// Figure 1.1's second stage: strategic steering, goals and budget come from central IT management, and figure 1.6 names
    /// the steering groups that steer the development portfolio. The governance fact is the city's own declaration.
    func itSteeringGroup() -> Criterion {
        fact(id: "it-steering-group", stage: 2,
             description: CityText(fi: "Kaupungilla on IT-ohjausryhmä, joka ohjaa kehittämissalkkua.",
                                   sv: "Staden har en IT-styrgrupp som styr utvecklingsportföljen.",
                                   en: "The city has an IT steering group that steers the development portfolio."),
             value: inputs.governance?.itSteeringGroup, expected: true,
             missing: "no governance facts declare itSteeringGroup (PUT /v1/cities/{cityId}/governance)",
             action: CityText(
                fi: "Asettakaa IT-ohjausryhmä, joka priorisoi ja ohjaa kehittämissalkkua, ja kirjatkaa se hallintotietoihin.",
                sv: "Tillsätt en IT-styrgrupp som prioriterar och styr utvecklingsportföljen, och registrera den i uppgifterna om IT-styrningen.",
                en: "Set up an IT steering group that prioritises and steers the development portfolio, and declare it in the governance facts."))
    }

    func centralContractShare(stage: Int) -> Criterion {
        let threshold = stage == 2 ? thresholds.centralContractSharePercentStage2 : thresholds.centralContractSharePercentStage3
        let contracts = activeContracts
        let whole = Total.of(contracts.map(\.0.fields.annualValueCents))
        let central = Total.of(contracts.filter { $0.0.fields.managedBy == .central }.map(\.0.fields.annualValueCents))
        let sectorManaged = Self.largestFirst(contracts.map(\.0).filter { $0.fields.managedBy == .sector }, by: \.annualValueCents)
        return share(
            id: "central-contract-management-\(threshold)", stage: stage,
            description: CityText(fi: "Vähintään \(threshold) % voimassa olevien sopimusten vuosiarvosta on keskitetysti hallittua.",
                                  sv: "Minst \(threshold) % av gällande avtals årsvärde förvaltas centralt.",
                                  en: "At least \(threshold) % of active contracts' annual value is managed centrally."),
            part: central, whole: whole, threshold: threshold, failing: sectorManaged.map(\.meta.id),
            missing: "no active contract has an annual value",
            action: { needed in
                let titles = sectorManaged.prefix(3).map { "\($0.fields.title) (\(Self.euros($0.fields.annualValueCents ?? 0)))" }
                    .joined(separator: ", ")
                return CityText(
                    fi: "Siirtäkää toimialojen hallinnoimia sopimuksia keskitettyyn hallintaan vähintään \(Self.euros(needed)) vuodessa, suurimmat ensin: \(titles).",
                    sv: "För över avtal som sektorerna förvaltar till central förvaltning för minst \(Self.euros(needed)) per år, de största först: \(titles).",
                    en: "Bring at least \(Self.euros(needed)) a year of sector-managed contracts under central management, largest first: \(titles).")
            }, amountNeeded: { $0 })
    }

    func portfolioDecisions() -> Criterion {
        let running = inputs.projects.filter { [.preStudy, .planning, .execution, .deployment].contains($0.fields.phase) }
        let whole = Total.of(running.map(\.fields.budgetCents))
        // A decision counts from the day it was made.
        let isDecided: (Resource<ProjectFields>) -> Bool = { ($0.fields.portfolioDecision?.decidedOn).map { $0 <= date } ?? false }
        let decided = Total.of(running.filter(isDecided).map(\.fields.budgetCents))
        let undecided = Self.largestFirst(running.filter { !isDecided($0) }, by: \.budgetCents)
        let threshold = thresholds.portfolioDecisionSharePercent
        return share(
            id: "portfolio-decisions", stage: 2,
            description: CityText(fi: "Vähintään \(threshold) % esiselvitys–käyttöönotto-vaiheen hankkeiden budjetista on salkkupäätöksen piirissä.",
                                  sv: "Minst \(threshold) % av budgeten för projekt från förstudie till driftsättning omfattas av ett portföljbeslut.",
                                  en: "At least \(threshold) % of the budget of projects from pre-study to deployment has a portfolio decision."),
            part: decided, whole: whole, threshold: threshold, failing: undecided.map(\.meta.id),
            missing: "no project from pre-study to deployment has a budget",
            action: { needed in
                let names = undecided.prefix(3).map { "\($0.fields.name) (\(Self.euros($0.fields.budgetCents ?? 0)))" }.joined(separator: ", ")
                return CityText(
                    fi: "Ottakaa keskitettyyn kehittämissalkkuun hankkeita vähintään \(Self.euros(needed)) budjetin edestä, esimerkiksi \(names).",
                    sv: "Ta in projekt med en budget på minst \(Self.euros(needed)) i den centrala utvecklingsportföljen, till exempel \(names).",
                    en: "Take projects worth at least \(Self.euros(needed)) of budget into the central development portfolio, e.g. \(names).")
            }, amountNeeded: { $0 })
    }

    // MARK: Stage 3

    func noSectorITUnits() -> Criterion {
        let units = inputs.governance?.sectorItUnits
        let met = units == 0
        // Finnish and Swedish inflect the unit by the count: one unit, several, or an undeclared number.
        let unitsText: (fi: String, sv: String, en: String) = switch units {
        case 1: ("toimialan IT-yksikkö", "sektorns IT-enhet", "the sector IT unit")
        case let count?: ("toimialojen \(count) IT-yksikköä", "sektorernas \(count) IT-enheter", "the \(count) sector IT units")
        case nil: ("toimialojen IT-yksiköt", "sektorernas IT-enheter", "the sector IT units")
        }
        return Criterion(
            id: "no-sector-it-units", stage: 3,
            description: CityText(fi: "Toimialoilla ei ole omia IT-yksiköitä, vain tietohallinnon edustajat.",
                                  sv: "Sektorerna har inga egna IT-enheter, bara representanter för IT-förvaltningen.",
                                  en: "Sectors have IT representatives instead of IT units."),
            measure: .count, measured: units.map { .number(ExactDecimal(Int64($0))) }, comparison: .atMost,
            threshold: .number(ExactDecimal(0)), met: met,
            missingData: units == nil ? "no governance facts declare sectorItUnits" : nil, evidence: CriterionEvidence(),
            gapPercent: met ? ExactDecimal(0) : ExactDecimal(100),
            action: met ? nil : CityText(
                fi: "Korvatkaa \(unitsText.fi) keskitetyn tietohallinnon edustajilla.",
                sv: "Ersätt \(unitsText.sv) med representanter för den centrala IT-förvaltningen.",
                en: "Replace \(unitsText.en) with IT representatives of central IT management."),
            actionAmountCents: nil)
    }

    /// The sector-expertise capabilities of the catalogue (figure 1.3's "tietohallinnon toimialaosaaminen").
    static var sectorExpertiseCapabilities: [Capability] {
        GovernanceCatalogue.capabilities.filter { GovernanceCatalogue.sectorExpertiseIds.contains($0.id) }
    }

    /// The one place the sector-expertise criterion reads a capability's sourcing, kept small because the sourcing model is
    /// being reshaped (figure 1.4's legend). Expertise a shared centre provides is held outside the sectors. Expertise the
    /// city holds itself — on its own or with a centre's or the national centre's support — is central only when the
    /// city has a central IT unit and no sector IT units; otherwise it sits in the sectors, as figure 1.1's second stage
    /// says ("Osaaminen on vahvasti keskittynyt toimialoille").
    static func holdsExpertiseCentrally(_ sourcing: CapabilitySourcingFields, governance: GovernanceFactsFields?) -> Bool {
        switch sourcing.sourcing {
        case .sharedCentreProvides: true
        // The national centre's support comes in addition to the city's own or shared centre's expertise (figure 1.4's
        // legend), so it does not move where the expertise sits.
        case .own, .sharedCentreSupports:
            governance?.centralItUnit == true && governance?.sectorItUnits == 0
        // Expertise bought from the market on a sector's behalf is not IT management's own.
        case .market: false
        }
    }

    /// Expertise in a sector counts only for a city that serves it: social and health services moved to the wellbeing
    /// services counties on 2023-01-01, and a city that runs no service of a sector has no expertise of it to hold.
    /// E-services serve every sector; a city with no active service recorded is judged on every sector.
    static func servesSector(of capability: Capability, activeServices: [Resource<ServiceFields>]) -> Bool {
        guard let sector = Sector(rawValue: String(capability.id.dropFirst("sector-expertise/".count))), !activeServices.isEmpty else {
            return true
        }
        return activeServices.contains { $0.fields.sector == sector }
    }

    /// Swedish names of the sector-expertise capabilities, whose catalogue names are Finnish and English only.
    static let swedishSectorExpertise: [String: String] = [
        "sector-expertise/social-health": "Social- och hälsovårdstjänster",
        "sector-expertise/education-culture": "Utbildnings- och kulturtjänster",
        "sector-expertise/housing-environment": "Boende- och miljötjänster",
        "sector-expertise/administration": "Förvaltningstjänster",
        "sector-expertise/e-services": "Lösningar för e-tjänster",
    ]

    /// Figure 1.1's third stage: "Myös tietohallinnon asiantuntemus on keskitettyä" — unlike the second, where expertise
    /// sits in the sectors. Read from how the city sources each sector-expertise capability; an unrecorded one is not central.
    func centralisedSectorExpertise() -> Criterion {
        let capabilities = Self.sectorExpertiseCapabilities.filter { Self.servesSector(of: $0, activeServices: activeServices) }
        let sourcings = Dictionary(inputs.capabilitySourcings.map { ($0.capabilityId, $0) }, uniquingKeysWith: { first, _ in first })
        let notCentral = capabilities.filter { capability in
            sourcings[capability.id].map { !Self.holdsExpertiseCentrally($0, governance: inputs.governance) } ?? true
        }
        let threshold = thresholds.centralisedSectorExpertisePercent
        let recorded = capabilities.contains { sourcings[$0.id] != nil }
        let whole = recorded ? Total(Int64(capabilities.count)) : Total(0)
        return share(
            id: "centralised-sector-expertise", stage: 3,
            description: CityText(
                fi: "Vähintään \(threshold) % tietohallinnon toimialaosaamisesta on keskitetty tietohallintoon tai yhteiseen palvelukeskukseen eikä jää toimialoille.",
                sv: "Minst \(threshold) % av IT-förvaltningens sektorkunskap är centraliserad till IT-förvaltningen eller ett gemensamt servicecenter och ligger inte kvar i sektorerna.",
                en: "At least \(threshold) % of IT management's sector expertise is centralised in IT management or a shared centre, not left to the sectors."),
            // Nothing recorded is missing data, not a negative count.
            part: recorded ? whole - Total(Int64(notCentral.count)) : Total(0), whole: whole, threshold: threshold, failing: notCentral.map(\.id),
            missing: "no sourcing is recorded for the sector-expertise capabilities (PUT /v1/cities/{cityId}/capabilities/{capabilityId})",
            action: { _ in
                CityText(
                    fi: "Keskittäkää toimialaosaaminen tietohallintoon tai yhteiseen palvelukeskukseen ja kirjatkaa sen hankintatapa: "
                        + notCentral.map(\.name.fi).joined(separator: ", ") + ".",
                    sv: "Centralisera sektorkunskapen till IT-förvaltningen eller ett gemensamt servicecenter och registrera hur den anskaffas: "
                        + notCentral.map { Self.swedishSectorExpertise[$0.id] ?? $0.name.en }.joined(separator: ", ") + ".",
                    en: "Centralise the sector expertise in IT management or a shared centre, and record its sourcing: "
                        + notCentral.map(\.name.en).joined(separator: ", ") + ".")
            }, amountNeeded: { _ in nil })
    }

    /// Figure 1.1's third stage puts a service arranger ("palvelun järjestäjä") between IT management and the suppliers:
    /// a hybrid or one-stop arrangement. Measured as the share of active services' cost that an arranger arranges.
    func serviceArranger() -> Criterion {
        let (part, whole, unarranged) = Self.costShare(of: activeServices) { $0.fields.arrangerId != nil }
        let threshold = thresholds.serviceArrangerSharePercent
        return share(
            id: "service-arranger", stage: 3,
            description: CityText(
                fi: "Palvelun järjestäjä järjestää vähintään \(threshold) % käytössä olevien palvelujen vuosikustannuksista (hybridi- tai yhden luukun malli).",
                sv: "En tjänsteanordnare ordnar minst \(threshold) % av de årliga kostnaderna för tjänster i bruk (hybridmodell eller modell med en enda kontaktpunkt).",
                en: "A service arranger arranges at least \(threshold) % of active services' annual cost (a hybrid or one-stop arrangement)."),
            part: part, whole: whole, threshold: threshold, failing: unarranged.map(\.meta.id),
            missing: "no active service has an annual cost",
            action: { needed in
                let names = Self.examples(unarranged)
                return CityText(
                    fi: "Antakaa palvelun järjestäjän järjestettäväksi palveluja vähintään \(Self.euros(needed)) vuodessa, suurimmat ensin: \(names).",
                    sv: "Låt en tjänsteanordnare ordna tjänster för minst \(Self.euros(needed)) per år, de största först: \(names).",
                    en: "Have a service arranger arrange services costing at least \(Self.euros(needed)) a year, largest first: \(names).")
            }, amountNeeded: { $0 })
    }

    func providerProduction() -> Criterion {
        let providerIds = Set(providerProduced.map(\.meta.id))
        let (part, whole, ownProduced) = Self.costShare(of: activeServices) { providerIds.contains($0.meta.id) }
        let threshold = thresholds.providerProductionSharePercent
        return share(
            id: "provider-production", stage: 3,
            description: CityText(
                fi: "Vähintään \(threshold) % käytössä olevien palvelujen vuosikustannuksista tuottavat tietohallinnosta erilliset tuottajat.",
                sv: "Minst \(threshold) % av de årliga kostnaderna för tjänster i bruk produceras av utförare som är fristående från IT-förvaltningen.",
                en: "At least \(threshold) % of active services' annual cost is produced by providers separate from IT management."),
            part: part, whole: whole, threshold: threshold, failing: ownProduced.map(\.meta.id),
            missing: "no active service has an annual cost",
            action: { needed in
                let names = Self.examples(ownProduced)
                return CityText(
                    fi: "Siirtäkää vähintään \(Self.euros(needed)) vuodessa maksavia palveluja omasta tuotannosta tuottajille tai eriyttäkää oma tuotanto tietohallinnosta, esimerkiksi \(names).",
                    sv: "För över tjänster som kostar minst \(Self.euros(needed)) per år från egen produktion till utförare, eller skilj den egna produktionen från IT-förvaltningen, till exempel \(names).",
                    en: "Move services costing at least \(Self.euros(needed)) a year from own production to providers, or separate own production from IT management, e.g. \(names).")
            }, amountNeeded: { $0 })
    }

    /// Services with an SLA valid on the date under an active contract with their provider or arranger (`SLACover`).
    var servicesUnderSLA: Set<String> {
        let contracts = Dictionary(uniqueKeysWithValues: activeContracts.map { ($0.0.meta.id, $0.0) })
        let services = Dictionary(inputs.services.map { ($0.meta.id, $0.fields) }, uniquingKeysWith: { first, _ in first })
        var covered: Set<String> = []
        for sla in inputs.slas {
            guard let contract = contracts[sla.fields.contractId], let service = services[sla.fields.serviceId],
                  SLACover.counts(contract: contract.fields, serviceId: sla.fields.serviceId, service: service) else { continue }
            let terms = sla.fields.effectiveTerms(contract: contract.fields, on: date)
            if terms.effectiveValidFrom <= date && date <= terms.effectiveValidTo { covered.insert(sla.fields.serviceId) }
        }
        return covered
    }

    func slaCover() -> Criterion {
        let covered = servicesUnderSLA
        let (part, whole, uncovered) = Self.costShare(of: providerProduced) { covered.contains($0.meta.id) }
        let threshold = thresholds.slaCoverSharePercent
        return share(
            id: "sla-cover", stage: 3,
            description: CityText(
                fi: "Vähintään \(threshold) % tuottajien tuottamien palvelujen kustannuksista on sopimuksen ja voimassa olevan SLA:n piirissä.",
                sv: "Minst \(threshold) % av kostnaderna för tjänster som utförare producerar omfattas av ett avtal med ett gällande SLA.",
                en: "At least \(threshold) % of the cost of provider-produced services is covered by a contract with an SLA valid on the date."),
            part: part, whole: whole, threshold: threshold, failing: uncovered.map(\.meta.id),
            missing: "no active service produced by a provider has an annual cost",
            action: { needed in
                let names = Self.examples(uncovered)
                return CityText(
                    fi: "Sopikaa palvelutasot sopimuksissa palveluille, joiden kustannukset ovat vähintään \(Self.euros(needed)) vuodessa, esimerkiksi \(names).",
                    sv: "Avtala om servicenivåer i avtalen för tjänster som kostar minst \(Self.euros(needed)) per år, till exempel \(names).",
                    en: "Agree service levels under contracts for services costing at least \(Self.euros(needed)) a year, e.g. \(names).")
            }, amountNeeded: { $0 })
    }

    func slaReporting() -> Criterion {
        let tally = inputs.reporting.values.reduce(ComplianceTally(), +)
        let reported = Int64(tally.met + tally.breached)
        let due = reported + Int64(tally.missing)
        let worst = inputs.reporting.filter { $0.value.missing > 0 }
            .sorted { ($1.value.missing, $0.key) < ($0.value.missing, $1.key) }.map(\.key)
        let window = MaturityInputs.reportingWindow(before: date)
        let threshold = thresholds.reportCoveragePercent
        return share(
            id: "sla-reporting", stage: 3,
            description: CityText(fi: "SLA-raporttien kattavuus on vähintään \(threshold) % viimeisten 12 täyden kuukauden ajalta.",
                                  sv: "SLA-rapporternas täckning är minst \(threshold) % under de senaste 12 hela månaderna.",
                                  en: "SLA report coverage of at least \(threshold) % over the last 12 full months."),
            part: Total(reported), whole: Total(due), threshold: threshold, failing: worst,
            missing: "no SLA period was due from \(window.from) to \(window.to)",
            action: { needed in
                CityText(
                    fi: "Hankkikaa toimittajilta vähintään \(needed) niistä \(tally.missing) SLA-raportista, jotka puuttuvat ajalta \(window.from)–\(window.to).",
                    sv: "Skaffa minst \(needed) av de \(tally.missing) saknade SLA-rapporterna för \(window.from)–\(window.to) från leverantörerna.",
                    en: "Get at least \(needed) more of the \(tally.missing) missing SLA reports from \(window.from) to \(window.to) from the suppliers.")
            }, amountNeeded: { _ in nil })
    }

    func infrastructureEffort() -> Criterion {
        let current = inputs.effortProfile?.current.infrastructureMaintenanceAndSupport
        let threshold = ExactDecimal(thresholds.infrastructureEffortMaxPercent)
        let met = current.map { $0 <= threshold } ?? false
        let gap: ExactDecimal = if let current, !met {
            Rounding.percent(current.thousandths - threshold.thousandths, of: ExactDecimal(100).thousandths - threshold.thousandths)
        } else { met ? ExactDecimal(0) : ExactDecimal(100) }
        let from = (fi: current.map { "\($0) %:sta" } ?? "kirjaamattomasta osuudesta",
                    sv: current.map { "\($0) %" } ?? "en oregistrerad andel",
                    en: current.map { "\($0) %" } ?? "an unrecorded share")
        return Criterion(
            id: "infrastructure-effort", stage: 3,
            description: CityText(fi: "Infrastruktuurin ylläpito ja tuki vie enintään \(threshold) % tietohallinnon työpanoksesta.",
                                  sv: "Underhåll av och stöd för infrastrukturen tar högst \(threshold) % av IT-förvaltningens arbetsinsats.",
                                  en: "Infrastructure maintenance and support takes at most \(threshold) % of IT management's effort."),
            measure: .percent, measured: current.map(CriterionValue.number), comparison: .atMost, threshold: .number(threshold), met: met,
            missingData: current == nil ? "no effort profile is recorded (PUT /v1/cities/{cityId}/effort-profile)" : nil,
            evidence: CriterionEvidence(), gapPercent: gap,
            action: met ? nil : CityText(
                fi: "Siirtäkää infrastruktuurin ylläpito ja tuki tuottajille: \(from.fi) enintään \(threshold) %:iin tietohallinnon työpanoksesta.",
                sv: "Överlåt underhåll av och stöd för infrastrukturen till utförare: från \(from.sv) till högst \(threshold) % av IT-förvaltningens arbetsinsats.",
                en: "Hand infrastructure maintenance and support to providers: from \(from.en) to at most \(threshold) % of IT management's effort."),
            actionAmountCents: nil)
    }

    func purchaserProcesses() -> Criterion {
        let required = thresholds.purchaserProcessLevel
        let ids = ["cobit-2019:APO09", "cobit-2019:APO10"]
        let levels = ids.map { standings[$0]?.level }
        let lowest = levels.map { $0 ?? 0 }.min()!
        let met = lowest >= required
        let failing = zip(ids, levels).filter { ($0.1 ?? 0) < required }.map(\.0)
        func below(_ notAssessed: String, _ now: String, _ and: String) -> String {
            zip(ids, levels).filter { ($0.1 ?? 0) < required }
                .map { "\($0.0.replacingOccurrences(of: "cobit-2019:", with: "")) (\(now) \($0.1.map(String.init) ?? notAssessed))" }
                .joined(separator: " \(and) ")
        }
        return Criterion(
            id: "purchaser-processes", stage: 3,
            description: CityText(fi: "APO09 Palvelusopimukset ja APO10 Toimittajat ovat vähintään tasolla \(required).",
                                  sv: "APO09 Hanterade serviceavtal och APO10 Hanterade leverantörer är minst på nivå \(required).",
                                  en: "APO09 Managed Service Agreements and APO10 Managed Vendors at level \(required) or more."),
            measure: .level, measured: levels.contains(nil) && levels.allSatisfy({ $0 == nil }) ? nil : .number(ExactDecimal(Int64(lowest))),
            comparison: .atLeast, threshold: .number(ExactDecimal(Int64(required))), met: met,
            missingData: levels.contains(nil) ? "not assessed: " + zip(ids, levels).filter { $0.1 == nil }.map(\.0).joined(separator: ", ") : nil,
            evidence: CriterionEvidence(failing: failing),
            gapPercent: met ? ExactDecimal(0) : Rounding.percent(Int64(required - lowest), of: Int64(required)),
            action: met ? nil : CityText(
                fi: "Nostakaa \(below("ei arvioitu", "nyt", "ja")) kyvykkyystasolle \(required).",
                sv: "Höj \(below("inte bedömd", "nu", "och")) till förmågenivå \(required).",
                en: "Raise \(below("not assessed", "now", "and")) to capability level \(required)."),
            actionAmountCents: nil)
    }
}
