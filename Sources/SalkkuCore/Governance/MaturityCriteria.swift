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
        let active = inputs.services.filter { $0.fields.lifecycle == .active }
        activeServices = active
        providerProduced = active.filter { service in
            guard let providerId = service.fields.providerId, let kind = inputs.suppliers[providerId]?.fields.kind else { return false }
            return kind != .ownProduction
        }
        standings = Dictionary(uniqueKeysWithValues: ProcessStanding.profile(inputs.assessments, on: date).map { ($0.processId, $0) })
    }

    var all: [Criterion] {
        [centralITUnit(), ictStrategy(), centralContractShare(stage: 2), portfolioDecisions(),
         noSectorITUnits(), centralContractShare(stage: 3), providerProduction(), slaCover(), slaReporting(),
         infrastructureEffort(), purchaserProcesses()]
    }

    // MARK: Shared pieces

    var date: LocalDate { inputs.date }

    static func euros(_ cents: Int64) -> String { ContractTerms.euros(cents) }
    static func euros(_ cents: Total) -> String { cents.int64.map(ContractTerms.euros) ?? "\(cents) cents" }

    /// The records worth acting on first: the largest amount first, then by id.
    static func largestFirst<F>(_ records: [Resource<F>], by amount: (F) -> Int64?) -> [Resource<F>] {
        records.sorted { (amount($1.fields) ?? 0, $0.meta.id) < (amount($0.fields) ?? 0, $1.meta.id) }
    }

    /// A criterion on a share: met when `part / whole` reaches `threshold` percent, compared exactly.
    func share(id: String, stage: Int, fi: String, en: String, part: Total, whole: Total, threshold: Int64, failing: [String],
               missing: String, action: (Total) -> String, amountNeeded: (Total) -> Total?) -> Criterion {
        guard whole > 0 else {
            return Criterion(id: id, stage: stage, description: BilingualText(fi: fi, en: en), measure: .percent, measured: nil,
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
        return Criterion(id: id, stage: stage, description: BilingualText(fi: fi, en: en), measure: .percent, measured: .number(measured),
                         comparison: .atLeast, threshold: .number(ExactDecimal(threshold)), met: met, missingData: nil,
                         evidence: CriterionEvidence(numerator: part, denominator: whole, failing: met ? [] : failing),
                         gapPercent: gap, action: met ? nil : action(needed ?? 0), actionAmountCents: needed.flatMap(amountNeeded))
    }

    func fact(id: String, stage: Int, fi: String, en: String, value: Bool?, expected: Bool, missing: String, action: String) -> Criterion {
        let met = value == expected
        return Criterion(id: id, stage: stage, description: BilingualText(fi: fi, en: en), measure: .boolean,
                         measured: value.map(CriterionValue.boolean), comparison: .atLeast, threshold: .boolean(expected), met: met,
                         missingData: value == nil ? missing : nil, evidence: CriterionEvidence(),
                         gapPercent: met ? ExactDecimal(0) : ExactDecimal(100), action: met ? nil : action, actionAmountCents: nil)
    }

    // MARK: Stage 2

    func centralITUnit() -> Criterion {
        fact(id: "central-it-unit", stage: 2, fi: "Kaupungilla on keskitetty tietohallintoyksikkö.", en: "The city has a central IT unit.",
             value: inputs.governance?.centralItUnit, expected: true,
             missing: "no governance facts declare centralItUnit (PUT /v1/cities/{cityId}/governance)",
             action: "Establish a central IT management unit that steers IT for all sectors, and declare it in the governance facts.")
    }

    func ictStrategy() -> Criterion {
        let approvedOn = inputs.governance?.ictStrategyApprovedOn
        let recent = approvedOn.map { $0 <= date && $0.adding(months: thresholds.strategyMaxAgeMonths) >= date } ?? false
        let apo02 = standings["cobit-2019:APO02"]?.level
        let met = recent || (apo02 ?? 0) >= thresholds.strategyAlternativeLevel
        let missing = approvedOn == nil && apo02 == nil
        var action = "Approve an ICT strategy in the council or board"
        if let approvedOn { action += " (the last one, \(approvedOn), is over \(thresholds.strategyMaxAgeMonths / 12) years old)" }
        action += ", or raise COBIT APO02 Managed Strategy to level \(thresholds.strategyAlternativeLevel) (now \(apo02.map(String.init) ?? "not assessed"))."
        return Criterion(
            id: "ict-strategy", stage: 2,
            description: BilingualText(fi: "ICT-strategia on hyväksytty viimeisen 4 vuoden aikana tai APO02 on vähintään tasolla 2.",
                                       en: "An ICT strategy approved within 4 years, or APO02 at level 2 or more."),
            measure: .boolean, measured: missing ? nil : .boolean(met), comparison: .atLeast, threshold: .boolean(true), met: met,
            missingData: missing ? "neither ictStrategyApprovedOn nor an APO02 assessment is recorded" : nil,
            evidence: CriterionEvidence(numerator: apo02.map(Total.init), denominator: nil, failing: []),
            gapPercent: met ? ExactDecimal(0) : ExactDecimal(100), action: met ? nil : action, actionAmountCents: nil)
    }

    func centralContractShare(stage: Int) -> Criterion {
        let threshold = stage == 2 ? thresholds.centralContractSharePercentStage2 : thresholds.centralContractSharePercentStage3
        let contracts = activeContracts
        let whole = Total.of(contracts.map(\.0.fields.annualValueCents))
        let central = Total.of(contracts.filter { $0.0.fields.managedBy == .central }.map(\.0.fields.annualValueCents))
        let sectorManaged = Self.largestFirst(contracts.map(\.0).filter { $0.fields.managedBy == .sector }, by: \.annualValueCents)
        return share(
            id: "central-contract-management-\(threshold)", stage: stage,
            fi: "Vähintään \(threshold) % voimassa olevien sopimusten vuosiarvosta on keskitetysti hallittua.",
            en: "At least \(threshold) % of active contracts' annual value is managed centrally.",
            part: central, whole: whole, threshold: threshold, failing: sectorManaged.map(\.meta.id),
            missing: "no active contract has an annual value",
            action: { needed in
                let titles = sectorManaged.prefix(3).map { "\($0.fields.title) (\(Self.euros($0.fields.annualValueCents ?? 0)))" }
                return "Bring at least \(Self.euros(needed)) a year of sector-managed contracts under central management, largest first: "
                    + titles.joined(separator: ", ") + "."
            }, amountNeeded: { $0 })
    }

    func portfolioDecisions() -> Criterion {
        let running = inputs.projects.filter { [.preStudy, .planning, .execution, .deployment].contains($0.fields.phase) }
        let whole = Total.of(running.map(\.fields.budgetCents))
        // A decision counts from the day it was made.
        let isDecided: (Resource<ProjectFields>) -> Bool = { ($0.fields.portfolioDecision?.decidedOn).map { $0 <= date } ?? false }
        let decided = Total.of(running.filter(isDecided).map(\.fields.budgetCents))
        let undecided = Self.largestFirst(running.filter { !isDecided($0) }, by: \.budgetCents)
        return share(
            id: "portfolio-decisions", stage: 2,
            fi: "Vähintään 70 % esiselvitys–käyttöönotto-vaiheen hankkeiden budjetista on salkkupäätöksen piirissä.",
            en: "At least 70 % of the budget of projects from pre-study to deployment has a portfolio decision.",
            part: decided, whole: whole, threshold: thresholds.portfolioDecisionSharePercent, failing: undecided.map(\.meta.id),
            missing: "no project from pre-study to deployment has a budget",
            action: { needed in
                "Take projects worth at least \(Self.euros(needed)) of budget into the central development portfolio, e.g. "
                    + undecided.prefix(3).map { "\($0.fields.name) (\(Self.euros($0.fields.budgetCents ?? 0)))" }.joined(separator: ", ") + "."
            }, amountNeeded: { $0 })
    }

    // MARK: Stage 3

    func noSectorITUnits() -> Criterion {
        let units = inputs.governance?.sectorItUnits
        let met = units == 0
        return Criterion(
            id: "no-sector-it-units", stage: 3,
            description: BilingualText(fi: "Toimialoilla ei ole omia IT-yksiköitä, vain tietohallinnon edustajat.",
                                       en: "Sectors have IT representatives instead of IT units."),
            measure: .count, measured: units.map { .number(ExactDecimal(Int64($0))) }, comparison: .atMost,
            threshold: .number(ExactDecimal(0)), met: met,
            missingData: units == nil ? "no governance facts declare sectorItUnits" : nil, evidence: CriterionEvidence(),
            gapPercent: met ? ExactDecimal(0) : ExactDecimal(100),
            action: met ? nil : "Replace the \(units.map(String.init) ?? "sector") IT units with IT representatives of central IT management.",
            actionAmountCents: nil)
    }

    func providerProduction() -> Criterion {
        let services = activeServices
        let whole = Total.of(services.map(\.fields.annualCostCents))
        let providers = providerProduced
        let part = Total.of(providers.map(\.fields.annualCostCents))
        let providerIds = Set(providers.map(\.meta.id))
        let ownProduced = Self.largestFirst(services.filter { !providerIds.contains($0.meta.id) }, by: \.annualCostCents)
        return share(
            id: "provider-production", stage: 3,
            fi: "Vähintään 70 % käytössä olevien palvelujen vuosikustannuksista tuottavat tietohallinnosta erilliset tuottajat.",
            en: "At least 70 % of active services' annual cost is produced by providers separate from IT management.",
            part: part, whole: whole, threshold: thresholds.providerProductionSharePercent, failing: ownProduced.map(\.meta.id),
            missing: "no active service has an annual cost",
            action: { needed in
                "Move services costing at least \(Self.euros(needed)) a year from own production to providers, e.g. "
                    + ownProduced.prefix(3).map { "\($0.fields.name) (\(Self.euros($0.fields.annualCostCents ?? 0)))" }.joined(separator: ", ") + "."
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
        let providers = providerProduced
        let covered = servicesUnderSLA
        let whole = Total.of(providers.map(\.fields.annualCostCents))
        let part = Total.of(providers.filter { covered.contains($0.meta.id) }.map(\.fields.annualCostCents))
        let uncovered = Self.largestFirst(providers.filter { !covered.contains($0.meta.id) }, by: \.annualCostCents)
        return share(
            id: "sla-cover", stage: 3,
            fi: "Vähintään 80 % tuottajien tuottamien palvelujen kustannuksista on sopimuksen ja voimassa olevan SLA:n piirissä.",
            en: "At least 80 % of the cost of provider-produced services is covered by a contract with an SLA valid on the date.",
            part: part, whole: whole, threshold: thresholds.slaCoverSharePercent, failing: uncovered.map(\.meta.id),
            missing: "no active service produced by a provider has an annual cost",
            action: { needed in
                "Agree service levels under contracts for services costing at least \(Self.euros(needed)) a year, e.g. "
                    + uncovered.prefix(3).map { "\($0.fields.name) (\(Self.euros($0.fields.annualCostCents ?? 0)))" }.joined(separator: ", ") + "."
            }, amountNeeded: { $0 })
    }

    func slaReporting() -> Criterion {
        let tally = inputs.reporting.values.reduce(ComplianceTally(), +)
        let reported = Int64(tally.met + tally.breached)
        let due = reported + Int64(tally.missing)
        let worst = inputs.reporting.filter { $0.value.missing > 0 }
            .sorted { ($1.value.missing, $0.key) < ($0.value.missing, $1.key) }.map(\.key)
        let window = MaturityInputs.reportingWindow(before: date)
        return share(
            id: "sla-reporting", stage: 3,
            fi: "SLA-raporttien kattavuus on vähintään 80 % viimeisten 12 täyden kuukauden ajalta.",
            en: "SLA report coverage of at least 80 % over the last 12 full months.",
            part: Total(reported), whole: Total(due), threshold: thresholds.reportCoveragePercent, failing: worst,
            missing: "no SLA period was due from \(window.from) to \(window.to)",
            action: { needed in
                "Get at least \(needed) more of the \(tally.missing) missing SLA reports from \(window.from) to \(window.to) from the suppliers."
            }, amountNeeded: { _ in nil })
    }

    func infrastructureEffort() -> Criterion {
        let current = inputs.effortProfile?.current.infrastructureMaintenanceAndSupport
        let threshold = ExactDecimal(thresholds.infrastructureEffortMaxPercent)
        let met = current.map { $0 <= threshold } ?? false
        let gap: ExactDecimal = if let current, !met {
            Rounding.percent(current.thousandths - threshold.thousandths, of: ExactDecimal(100).thousandths - threshold.thousandths)
        } else { met ? ExactDecimal(0) : ExactDecimal(100) }
        return Criterion(
            id: "infrastructure-effort", stage: 3,
            description: BilingualText(fi: "Infrastruktuurin ylläpito ja tuki vie enintään 20 % tietohallinnon työpanoksesta.",
                                       en: "Infrastructure maintenance and support takes at most 20 % of IT management's effort."),
            measure: .percent, measured: current.map(CriterionValue.number), comparison: .atMost, threshold: .number(threshold), met: met,
            missingData: current == nil ? "no effort profile is recorded (PUT /v1/cities/{cityId}/effort-profile)" : nil,
            evidence: CriterionEvidence(), gapPercent: gap,
            action: met ? nil : "Hand infrastructure maintenance and support to providers: from \(current.map { "\($0) %" } ?? "an unrecorded share") to at most \(threshold) % of IT management's effort.",
            actionAmountCents: nil)
    }

    func purchaserProcesses() -> Criterion {
        let required = thresholds.purchaserProcessLevel
        let ids = ["cobit-2019:APO09", "cobit-2019:APO10"]
        let levels = ids.map { standings[$0]?.level }
        let lowest = levels.map { $0 ?? 0 }.min()!
        let met = lowest >= required
        let failing = zip(ids, levels).filter { ($0.1 ?? 0) < required }.map(\.0)
        return Criterion(
            id: "purchaser-processes", stage: 3,
            description: BilingualText(fi: "APO09 Palvelusopimukset ja APO10 Toimittajat ovat vähintään tasolla 3.",
                                       en: "APO09 Managed Service Agreements and APO10 Managed Vendors at level 3 or more."),
            measure: .level, measured: levels.contains(nil) && levels.allSatisfy({ $0 == nil }) ? nil : .number(ExactDecimal(Int64(lowest))),
            comparison: .atLeast, threshold: .number(ExactDecimal(Int64(required))), met: met,
            missingData: levels.contains(nil) ? "not assessed: " + zip(ids, levels).filter { $0.1 == nil }.map(\.0).joined(separator: ", ") : nil,
            evidence: CriterionEvidence(failing: failing),
            gapPercent: met ? ExactDecimal(0) : Rounding.percent(Int64(required - lowest), of: Int64(required)),
            action: met ? nil : "Raise " + zip(ids, levels).filter { ($0.1 ?? 0) < required }
                .map { "\($0.0.replacingOccurrences(of: "cobit-2019:", with: "")) (now \($0.1.map(String.init) ?? "not assessed"))" }
                .joined(separator: " and ") + " to capability level \(required).",
            actionAmountCents: nil)
    }
}
