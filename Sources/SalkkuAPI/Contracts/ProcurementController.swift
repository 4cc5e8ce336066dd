import Hummingbird
import SalkkuCore
import SalkkuStore

/// The threshold table, a contract's spend by year, and the procurement warnings an auditor pulls for a city.
struct ProcurementController: Sendable {
    let database: AppDatabase

    func register(on router: Router<AppRequestContext>) {
        router.get("/v1/procurement-thresholds", use: thresholds)
        router.get("/v1/cities/{cityId}/contracts/{contractId}/spend", use: listSpend)
        router.get("/v1/cities/{cityId}/contracts/{contractId}/spend/{year}", use: getSpend)
        router.put("/v1/cities/{cityId}/contracts/{contractId}/spend/{year}", use: putSpend)
        router.delete("/v1/cities/{cityId}/contracts/{contractId}/spend/{year}", use: deleteSpend)
        router.get("/v1/cities/{cityId}/procurement-warnings", use: warnings)
    }

    struct ThresholdsBody: Encodable {
        /// The date asked for; null for the whole table.
        var on: LocalDate?
        var items: [ThresholdRow]
        var warnings: [ProcedureWarning]

        enum CodingKeys: String, CodingKey { case on, items, warnings }

        /// `on` is always present, null for the whole table.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(on, forKey: .on)
            try container.encode(items, forKey: .items)
            try container.encode(warnings, forKey: .warnings)
        }
    }

    /// The whole table, or the rows in force on `on` with a warning when the table does not reach that date.
    @Sendable func thresholds(_ request: Request, context: AppRequestContext) async throws -> Response {
        var query = QueryReader(request)
        let on = query.date("on")
        try query.finish()
        guard let on else { return try .json(ThresholdsBody(on: nil, items: ProcurementThresholds.rows, warnings: [])) }
        return try .json(ThresholdsBody(on: on, items: ProcurementThresholds.rows(on: on),
                                        warnings: ProcurementThresholds.coverageWarning(on: on).map { [$0] } ?? []))
    }

    /// The year of an item path, percent-decoded: four digits in the spend's range, else 422 naming `year`.
    private func year(_ context: AppRequestContext) throws -> Int {
        let text = try context.parameters.decoded("year")
        guard let year = ContractSpendFields.year(text) else {
            throw Problem.invalidParameter("year", "must be \(ContractSpendFields.yearPhrase), not \(Echo.short(text))")
        }
        return year
    }

    private func pathContractId(_ context: AppRequestContext) throws -> String {
        try context.parameters.decoded("contractId")
    }

    struct SpendBody: Encodable {
        var contractId: String
        var items: [Resource<ContractSpendFields>]
        var spendCents: Int64
        /// The contract's estimated value as first recorded: what was procured.
        var originalValueCents: Int64
        var estimatedValueCents: Int64
        var modificationWarnings: [ProcedureWarning]
    }

    /// Every year's spend of a contract, its total, and the 136 § warnings it gives.
    @Sendable func listSpend(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        let contractId = try pathContractId(context)
        var query = QueryReader(request)
        let clocks = query.clocks(database)
        try query.finish()
        guard let standing = try clocks.database(database).spendStandings(cityId: cityId, contractId: contractId).first else {
            throw Problem.notFound("no contract has id \(contractId)\(clocks.recordTimePhrase)")
        }
        return try .json(SpendBody(
            contractId: contractId, items: standing.spend, spendCents: standing.spendCents,
            originalValueCents: EstimatedValue.of(standing.original).cents,
            estimatedValueCents: EstimatedValue.of(standing.contract.fields).cents,
            modificationWarnings: ModificationLimits.warnings(original: standing.original, current: standing.contract.fields,
                                                              spendCents: standing.spendCents)))
    }

    @Sendable func getSpend(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        let contractId = try pathContractId(context)
        let year = try year(context)
        var query = QueryReader(request)
        let clocks = query.clocks(database)
        try query.finish()
        guard let spend = try clocks.database(database).spend(contractId: contractId, cityId: cityId) else {
            throw Problem.notFound("no contract has id \(contractId)\(clocks.recordTimePhrase)")
        }
        guard let record = spend.first(where: { $0.fields.year == year }) else {
            throw Problem.notFound("no spend of \(year) is recorded for contract \(contractId)\(clocks.recordTimePhrase)")
        }
        return try .item(record, version: record.meta.version, request: request)
    }

    @Sendable func putSpend(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        let contractId = try pathContractId(context)
        let year = try year(context)
        var request = request
        let body = try await request.jsonBody(as: MediaType.json)
        let errors = InputErrors()
        guard let fields = ContractSpendFields.read(body, errors: errors, contractId: contractId, year: year), errors.isEmpty else {
            throw errors.failure
        }
        let result = try database.putSpend(fields, cityId: cityId, conditions: request.writeConditions, today: database.today,
                                           by: context.actor)
        var headers: HTTPFields = [.eTag: ETag.for(version: result.record.meta.version)]
        if result.created { headers[.location] = "/v1/cities/\(cityId)/contracts/\(contractId)/spend/\(year)" }
        return try .json(result.record, status: result.created ? .created : .ok, headers: headers)
    }

    /// Removes one year's spend (204); the history and the change log keep what it was.
    @Sendable func deleteSpend(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        let contractId = try pathContractId(context)
        let year = try year(context)
        try QueryReader(request).finish()
        do {
            try database.deleteSpend(contractId: contractId, year: year, cityId: cityId, conditions: request.writeConditions,
                                     by: context.actor)
        } catch StoreError.notFound(let type, _) where type == ContractSpendFields.resourceType {
            throw Problem.notFound("no spend of \(year) is recorded for contract \(contractId)")
        } catch StoreError.notFound {
            throw Problem.notFound("no contract has id \(contractId)")
        }
        return Response(status: .noContent)
    }

    struct WarningsBody: Encodable {
        var cityId: String
        var on: LocalDate
        var asOf: Timestamp
        var items: [ContractWarnings]
    }

    struct ContractWarnings: Encodable {
        var contractId: String
        var title: String
        var supplierId: String
        var category: ContractCategory
        var procedure: ProcurementProcedure
        var procuredOn: LocalDate
        var thresholdClass: ThresholdClass?
        var originalValueCents: Int64
        var estimatedValueCents: Int64
        var estimatedValueBasis: EstimatedValueBasis
        var spendCents: Int64
        var procedureWarnings: [ProcedureWarning]
        var modificationWarnings: [ProcedureWarning]

        enum CodingKeys: String, CodingKey {
            case contractId, title, supplierId, category, procedure, procuredOn, thresholdClass, originalValueCents
            case estimatedValueCents, estimatedValueBasis, spendCents, procedureWarnings, modificationWarnings
        }

        /// `thresholdClass` is always present, null when the table does not judge the date.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(contractId, forKey: .contractId)
            try container.encode(title, forKey: .title)
            try container.encode(supplierId, forKey: .supplierId)
            try container.encode(category, forKey: .category)
            try container.encode(procedure, forKey: .procedure)
            try container.encode(procuredOn, forKey: .procuredOn)
            try container.encode(thresholdClass, forKey: .thresholdClass)
            try container.encode(originalValueCents, forKey: .originalValueCents)
            try container.encode(estimatedValueCents, forKey: .estimatedValueCents)
            try container.encode(estimatedValueBasis, forKey: .estimatedValueBasis)
            try container.encode(spendCents, forKey: .spendCents)
            try container.encode(procedureWarnings, forKey: .procedureWarnings)
            try container.encode(modificationWarnings, forKey: .modificationWarnings)
        }
    }

    /// Every contract of the city that gives a procedure or a modification warning, in contract id order.
    @Sendable func warnings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        var query = QueryReader(request)
        let clocks = query.clocks(database)
        try query.finish()
        let view = try clocks.database(database)
        let standings = try view.spendStandings(cityId: cityId)
        let kinds = try view.supplierKinds(ids: standings.map(\.contract.fields.supplierId))
        let items = standings.compactMap { standing -> ContractWarnings? in
            let fields = standing.contract.fields
            let terms = ContractTerms(fields, on: clocks.on, supplierKind: kinds[fields.supplierId])
            let modification = ModificationLimits.warnings(original: standing.original, current: fields, spendCents: standing.spendCents)
            guard !terms.procedureWarnings.isEmpty || !modification.isEmpty else { return nil }
            return ContractWarnings(
                contractId: standing.contract.meta.id, title: fields.title, supplierId: fields.supplierId, category: fields.category,
                procedure: fields.procedure, procuredOn: fields.procuredOn ?? fields.startDate, thresholdClass: terms.thresholdClass,
                originalValueCents: EstimatedValue.of(standing.original).cents, estimatedValueCents: terms.estimatedValueCents,
                estimatedValueBasis: terms.estimatedValueBasis, spendCents: standing.spendCents,
                procedureWarnings: terms.procedureWarnings, modificationWarnings: modification)
        }
        return try .json(WarningsBody(cityId: cityId, on: clocks.on, asOf: clocks.recordedAt, items: items))
    }
}
