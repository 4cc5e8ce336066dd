import Hummingbird
import Logging
import NIOCore
import SalkkuCore
import SalkkuSpec
import SalkkuStore

public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var rateLimits: RateLimits
    public var idleTimeout: TimeAmount
    /// Reverse proxies whose `X-Forwarded-For` names the client, for limiting failed authentication per client.
    public var trustedProxies: TrustedProxies
    public var work: WorkLimits
    /// Browser origins (`https://portal.example.fi`) that may call the API; none by default.
    public var corsOrigins: [String]
    /// This application's metrics, served by `buildMetricsApplication` on a listener of its own.
    public var metrics: ServerMetrics
    /// Where a change-feed or audit-log page ends by the size of its stored states (tests set a small one).
    public var pageByteBudget = ChangeQuery.pageByteBudget

    public init(host: String = "127.0.0.1", port: Int = 8080, rateLimits: RateLimits = .init(), idleTimeout: TimeAmount = .seconds(30),
                trustedProxies: TrustedProxies = .init(), work: WorkLimits = .init(), corsOrigins: [String] = [],
                metrics: ServerMetrics = ServerMetrics()) {
        self.host = host
        self.port = port
        self.rateLimits = rateLimits
        self.idleTimeout = idleTimeout
        self.trustedProxies = trustedProxies
        self.work = work
        self.corsOrigins = corsOrigins
        self.metrics = metrics
    }
}

/// The whole HTTP application over a database; `serve` runs it and the tests call it too.
public func buildApplication(
    database: AppDatabase, configuration: ServerConfiguration = .init(), logger: Logger = Logger(label: "salkku")
) -> some ApplicationProtocol {
    Application(
        responder: HeadAsGetResponder(inner: buildRouter(database: database, configuration: configuration).buildResponder()),
        // A connection that sends nothing for this long is closed, so slow or stalled clients cannot hold it.
        server: .http1(configuration: .init(idleTimeout: configuration.idleTimeout)),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "salkku"),
        logger: logger)
}

public func buildRouter(database: AppDatabase, configuration: ServerConfiguration = .init()) -> Router<AppRequestContext> {
    let metrics = configuration.metrics
    let database = database.measured(by: metrics.database)
    let router = Router(context: AppRequestContext.self)
    let routeIndex = RouteIndex()
    // First, so that it sees the status the client gets.
    router.add(middleware: MetricsMiddleware(metrics: metrics))
    router.add(middleware: RequestIdMiddleware())
    router.add(middleware: RequestLogMiddleware())
    // Outside the problem middleware, so that error answers to an allowed origin carry the CORS fields too.
    if !configuration.corsOrigins.isEmpty {
        router.add(middleware: AllowListedCORSMiddleware(origins: configuration.corsOrigins))
    }
    router.add(middleware: ProblemMiddleware(routes: routeIndex))
    router.add(middleware: CanonicalPathMiddleware())
    let executors = WorkExecutors(configuration.work, metrics: metrics)
    router.add(middleware: RequestExecutorMiddleware(executors: executors))
    // On the request threads: hashing and compressing a large page must not hold Swift's cooperative pool.
    router.add(middleware: CompressionMiddleware())
    router.add(middleware: ConditionalGetMiddleware())
    let tokenCache = TokenCache()
    router.add(middleware: AuthenticationMiddleware(database: database, limits: configuration.rateLimits, cache: tokenCache,
                                                    trustedProxies: configuration.trustedProxies, metrics: metrics))
    // After authentication: a caller without a token learns nothing of what a route answers.
    router.add(middleware: AcceptMiddleware(produced: .fromSpec))
    router.add(middleware: ReportLimitMiddleware(executors: executors))
    router.add(middleware: CityAtRecordTimeMiddleware(database: database))

    SystemController(database: database).register(on: router)
    DocsController().register(on: router)
    for routes in registryRoutes(database: database) + portfolioRoutes(database: database, tokenCache: tokenCache, executors: executors,
                                                                                      pageByteBudget: configuration.pageByteBudget) {
        routes(router)
    }

    routeIndex.fill(from: router)
    return router
}

/// The registry: cities, the shared supplier register, and each city's IT services.
func registryRoutes(database: AppDatabase) -> [(Router<AppRequestContext>) -> Void] {
    [
        ResourceRoutes(
            database: database, collectionPath: "/v1/cities", itemParameter: "cityId",
            filters: [.search(["municipalityCode", "json_extract(name, '$.fi')", "json_extract(name, '$.sv')"])],
            presenter: StoredPresenter<CityFields>(), writeRule: .city
        ).register,
        ResourceRoutes(
            database: database, collectionPath: "/v1/suppliers", itemParameter: "supplierId",
            filters: [.oneOf("kind", SupplierKind.self), .id("ownerCityId"), .search(["name"])],
            presenter: StoredPresenter<SupplierFields>(), writeRule: .supplier
        ).register,
        ResourceRoutes(
            database: database, collectionPath: "/v1/cities/{cityId}/services", itemParameter: "serviceId",
            filters: [
                .oneOf("sector", Sector.self), .oneOf("lifecycle", Lifecycle.self), .id("providerId"),
                .oneOf("criticality", Criticality.self), .search(["name", "description"]),
            ],
            presenter: StoredPresenter<ServiceFields>()
        ).register,
    ]
}

/// The purchaser–provider portfolio of a city: contracts, their service levels, development projects.
func portfolioRoutes(database: AppDatabase, tokenCache: TokenCache, executors: WorkExecutors,
                     pageByteBudget: Int) -> [(Router<AppRequestContext>) -> Void] {
    [
        ResourceRoutes(
            database: database, collectionPath: "/v1/cities/{cityId}/contracts", itemParameter: "contractId",
            filters: [
                .id("supplierId"), .oneOf("managedBy", ManagedBy.self), .oneOf("procedure", ProcurementProcedure.self),
                .linked("serviceId", subquery: "SELECT contractId FROM contract_service WHERE serviceId = ?"),
                .search(["title", "externalId"]),
            ],
            presenter: ContractPresenter()
        ).register,
        ResourceRoutes(
            database: database, collectionPath: "/v1/cities/{cityId}/slas", itemParameter: "slaId",
            filters: [.id("contractId"), .id("serviceId"), .oneOf("metric", SLAMetric.self)],
            presenter: SLAPresenter()
        ).register,
        ResourceRoutes(
            database: database, collectionPath: "/v1/cities/{cityId}/projects", itemParameter: "projectId",
            filters: [
                .oneOf("phase", ProjectPhase.self), .oneOf("health", ProjectHealth.self), .oneOf("sector", Sector.self),
                .search(["name", "description"]),
            ],
            presenter: ProjectPresenter()
        ).register,
        PortfolioViewsController(database: database).register,
        ProcurementController(database: database).register,
        MeasurementsController(database: database).register,
        ImportController(database: database).register,
        ComplianceController(database: database).register,
        CatalogueController().register,
        GovernanceController(database: database).register,
        AssessmentsController(database: database).register,
        CAFController(database: database).register,
        MaturityController(database: database).register,
        MaturityModelController(database: database).register,
        TransitionPlanController(database: database).register,
        AuditController(database: database, pageByteBudget: pageByteBudget).register,
        TokensController(database: database, cache: tokenCache).register,
        ExportController(database: database, executors: executors).register,
    ]
}
