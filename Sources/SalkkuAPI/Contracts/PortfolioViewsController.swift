import Hummingbird
import SalkkuCore
import SalkkuStore

/// Computed views over a city's whole portfolio: the deadline calendar and the CIO overview.
struct PortfolioViewsController: Sendable {
    let database: AppDatabase

    func register(on router: Router<AppRequestContext>) {
        router.get("/v1/cities/{cityId}/contract-deadlines", use: deadlines)
        router.get("/v1/cities/{cityId}/portfolio-summary", use: summary)
    }

    struct DeadlinesBody: Encodable {
        var on: LocalDate
        var asOf: Timestamp
        var withinDays: Int
        var items: [ContractDeadline]
    }

    /// Every contract of the city with its terms on `date`, and the suppliers they and the services name.
    private func contractTerms(cityId: String, on date: LocalDate, extraSupplierIds: [String] = [])
        throws -> (contracts: [(record: Resource<ContractFields>, terms: ContractTerms)], suppliers: [String: Resource<SupplierFields>]) {
        let contracts = try database.all(ContractFields.self, cityId: cityId)
        let suppliers = try database.byId(SupplierFields.self, ids: Set(contracts.map(\.fields.supplierId) + extraSupplierIds))
        let code = try database.byId(CityFields.self, ids: [cityId])[cityId]?.fields.municipalityCode
        let evaluated = contracts.map { record in
            let supplier = suppliers[record.fields.supplierId]?.fields
            return (record: record, terms: ContractTerms(record.fields, on: date, supplierKind: supplier?.kind,
                                                         buyerControlsSupplier: supplier?.isControlled(byCityId: cityId, municipalityCode: code)))
        }
        return (evaluated, suppliers)
    }

    @Sendable func deadlines(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        var query = QueryReader(request)
        let within = query.integer("within", in: 0...3660, default: 180)
        let clocks = query.clocks(database)
        let date = clocks.on
        try query.finish()
        let view = PortfolioViewsController(database: try clocks.database(database))
        let (contracts, suppliers) = try view.contractTerms(cityId: cityId, on: date)
        let items = ContractDeadline.upcoming(contracts, suppliers: suppliers, on: date, withinDays: within)
        return try .json(DeadlinesBody(on: date, asOf: clocks.recordedAt, withinDays: within, items: items))
    }

    @Sendable func summary(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cityId = try database.requireCity(context)
        var query = QueryReader(request)
        let clocks = query.clocks(database)
        let date = clocks.on
        try query.finish()
        let view = PortfolioViewsController(database: try clocks.database(database))
        let services = try view.database.all(ServiceFields.self, cityId: cityId)
        let projects = try view.database.all(ProjectFields.self, cityId: cityId)
        let (contracts, suppliers) = try view.contractTerms(cityId: cityId, on: date,
                                                       extraSupplierIds: services.compactMap(\.fields.providerId))
        return try .json(PortfolioSummary(cityId: cityId, on: date, asOf: clocks.recordedAt, services: services, contracts: contracts,
                                          projects: projects, suppliers: suppliers))
    }
}
