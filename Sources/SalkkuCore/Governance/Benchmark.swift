/// One city's line in the benchmark between cities.
public struct BenchmarkRow: Sendable {
    public var city: Resource<CityFields>
    public var maturity: Maturity
    /// SLA compliance over the last 12 full months.
    public var reporting: ComplianceTally
    /// The city's latest CAF self-assessment on the business date, if any.
    public var caf: Resource<CAFAssessmentFields>?
    public var itCost: ITCostPerResident

    public init(city: Resource<CityFields>, maturity: Maturity, reporting: ComplianceTally, caf: Resource<CAFAssessmentFields>? = nil,
                itCost: ITCostPerResident? = nil) {
        self.city = city
        self.maturity = maturity
        self.reporting = reporting
        self.caf = caf
        self.itCost = itCost ?? ITCostPerResident(population: city.fields.population, services: [])
    }
}

/// IT cost per resident: the annual cost of the city's active services divided by its population, in euros
/// rounded half-even to the cent. Only services active on the business date count, as in the maturity criteria; a
/// service without a recorded cost adds nothing and is counted so that the reader knows the figure is partial.
public struct ITCostPerResident: Sendable, Equatable {
    public var euros: ExactDecimal?
    /// Why `euros` is null.
    public var reason: String?
    public var annualServiceCostCents: Int64?
    public var servicesWithoutCost: Int

    /// - Parameter on: the business date whose active services count; nil counts the recorded lifecycle.
    public init(population: Int64?, services: [ServiceFields], on date: LocalDate? = nil) {
        let active = services.filter { service in date.map { service.isActive(on: $0) } ?? (service.lifecycle == .active) }
        let costs = active.compactMap(\.annualCostCents)
        servicesWithoutCost = active.count - costs.count
        var total: Int64? = 0
        for cost in costs {
            guard let sum = total else { break }
            let (next, overflow) = sum.addingReportingOverflow(cost)
            total = overflow ? nil : next
        }
        annualServiceCostCents = costs.isEmpty ? nil : total
        guard let population else {
            reason = "the city has no population recorded"
            return
        }
        guard population > 0 else {
            reason = "the city's population is recorded as 0"
            return
        }
        guard !costs.isEmpty else {
            reason = active.isEmpty ? "the city has no active services" : "no active service of the city has an annual cost recorded"
            return
        }
        guard let total else {
            reason = "the annual service cost is too large to compute"
            return
        }
        // Cents per resident, then to thousandths of a euro: ten thousandths per cent.
        euros = ExactDecimal(thousandths: roundedHalfEven(total, dividedBy: population) * 10)
    }
}

/// Cities side by side on the same measures, with the median of each and every city's rank in it.
public struct Benchmark: Encodable, Sendable {
    public struct Measure: Encodable, Sendable {
        public var id: String
        public var higherIsBetter: Bool
        public var median: ExactDecimal?

        enum CodingKeys: String, CodingKey { case id, higherIsBetter, median }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(higherIsBetter, forKey: .higherIsBetter)
            try container.encode(median, forKey: .median)
        }
    }

    public struct CityLine: Encodable, Sendable {
        public var cityId: String
        public var municipalityCode: String
        public var name: LocalizedName
        public var stage: TransitionStage
        public var nextStageCriteriaMet: Int?
        public var nextStageCriteriaTotal: Int?
        public var values: [String: ExactDecimal?]
        /// 1 is best; cities without a value are not ranked.
        public var ranks: [String: Int?]
        public var focusAreas: [String: Int]
        /// Why a measure has no value for the city, by measure id.
        public var unavailable: [String: String]
        /// The CAF self-assessment the `caf…` values come from.
        public var cafAssessmentId: String?
        public var cafAssessedOn: LocalDate?

        enum CodingKeys: String, CodingKey {
            case cityId, municipalityCode, name, stage, nextStageCriteriaMet, nextStageCriteriaTotal, values, ranks, focusAreas,
                 unavailable, cafAssessmentId, cafAssessedOn
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(cityId, forKey: .cityId)
            try container.encode(municipalityCode, forKey: .municipalityCode)
            try container.encode(name, forKey: .name)
            try container.encode(stage, forKey: .stage)
            try container.encode(nextStageCriteriaMet, forKey: .nextStageCriteriaMet)
            try container.encode(nextStageCriteriaTotal, forKey: .nextStageCriteriaTotal)
            try container.encode(values, forKey: .values)
            try container.encode(ranks, forKey: .ranks)
            try container.encode(focusAreas, forKey: .focusAreas)
            try container.encode(unavailable, forKey: .unavailable)
            try container.encode(cafAssessmentId, forKey: .cafAssessmentId)
            try container.encode(cafAssessedOn, forKey: .cafAssessedOn)
        }
    }

    /// The business date the cities are compared on, and the record time of the records compared.
    public var on: LocalDate
    public var asOf: Timestamp
    public var measures: [Measure]
    public var cities: [CityLine]

    /// Measure ids and whether a larger value is better.
    public static let measureIds: [(String, Bool)] = [
        ("stage", true), ("slaCompliancePercent", true), ("slaCoveragePercent", true), ("centralContractSharePercent", true),
        ("serviceCostUnderSLAPercent", true), ("effortDistance", false),
    ] + CAFCriterion.allCases.map { (cafMeasureId($0), true) } + [("cafMeanScore", true), ("itCostPerResidentEuros", false)]

    /// `cafLeadership`, `cafStrategyAndPlanning`, …: the criterion's score in the city's latest self-assessment.
    public static func cafMeasureId(_ criterion: CAFCriterion) -> String {
        "caf" + criterion.rawValue.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    public init(on: LocalDate, asOf: Timestamp, rows: [BenchmarkRow]) {
        self.on = on
        self.asOf = asOf
        let lines = rows.map { row -> CityLine in
            let maturity = row.maturity
            let next = maturity.stage.level < 3 ? maturity.criteria.filter { $0.stage == maturity.stage.level + 1 } : nil
            func number(_ id: String) -> ExactDecimal? {
                if case .number(let value)? = maturity.criteria.first(where: { $0.id == id })?.measured { return value }
                return nil
            }
            var values: [String: ExactDecimal?] = [
                "stage": ExactDecimal(Int64(maturity.stage.level)),
                "slaCompliancePercent": row.reporting.compliancePercent,
                "slaCoveragePercent": row.reporting.coveragePercent,
                "centralContractSharePercent": number("central-contract-management-70"),
                "serviceCostUnderSLAPercent": number("sla-cover"),
                "effortDistance": maturity.effortProfile?.distance,
                "cafMeanScore": row.caf?.fields.meanScore,
                "itCostPerResidentEuros": row.itCost.euros,
            ]
            var unavailable: [String: String] = [:]
            for criterion in CAFCriterion.allCases {
                values[Self.cafMeasureId(criterion)] = row.caf?.fields.score(of: criterion).map { ExactDecimal(Int64($0)) }
            }
            if row.caf == nil {
                for id in CAFCriterion.allCases.map(Self.cafMeasureId) + ["cafMeanScore"] {
                    unavailable[id] = "the city has no CAF self-assessment made on or before \(on)"
                }
            }
            if let reason = row.itCost.reason { unavailable["itCostPerResidentEuros"] = reason }
            return CityLine(cityId: row.city.meta.id, municipalityCode: row.city.fields.municipalityCode, name: row.city.fields.name,
                            stage: maturity.stage, nextStageCriteriaMet: next?.filter(\.met).count, nextStageCriteriaTotal: next?.count,
                            values: values, ranks: [:],
                            focusAreas: Dictionary(uniqueKeysWithValues: maturity.focusAreas.map { ($0.id, $0.level) }),
                            unavailable: unavailable, cafAssessmentId: row.caf?.meta.id, cafAssessedOn: row.caf?.fields.assessedOn)
        }
        var ranked = lines.sorted { $0.municipalityCode < $1.municipalityCode }
        var measures: [Measure] = []
        for (id, higherIsBetter) in Self.measureIds {
            let known = ranked.compactMap { $0.values[id] ?? nil }.sorted()
            measures.append(Measure(id: id, higherIsBetter: higherIsBetter, median: Self.median(known)))
            for index in ranked.indices {
                guard let value = ranked[index].values[id] ?? nil else {
                    ranked[index].ranks[id] = .some(nil)
                    continue
                }
                // Standard competition ranking: ties share the best rank.
                let better = known.filter { higherIsBetter ? $0 > value : $0 < value }.count
                ranked[index].ranks[id] = better + 1
            }
        }
        self.measures = measures
        cities = ranked
    }

    /// The middle value, or the mean of the two middle values rounded half-even to three decimals.
    static func median(_ sorted: [ExactDecimal]) -> ExactDecimal? {
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        if sorted.count % 2 == 1 { return sorted[middle] }
        let sum = sorted[middle - 1].thousandths + sorted[middle].thousandths
        let half = sum / 2
        let rounded = sum % 2 != 0 && half % 2 != 0 ? half + (sum > 0 ? 1 : -1) : half
        return ExactDecimal(thousandths: rounded)
    }
}
