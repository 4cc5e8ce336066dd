import Hummingbird
import Logging
import SalkkuCore
import SalkkuSpec
import SalkkuStore

public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}

/// The whole HTTP application over a database; `serve` runs it and the tests call it too.
public func buildApplication(
    database: AppDatabase, configuration: ServerConfiguration = .init(), logger: Logger = Logger(label: "salkku")
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(database: database),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "salkku"),
        logger: logger)
}

public func buildRouter(database: AppDatabase) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    let routeIndex = RouteIndex()
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ProblemMiddleware(routes: routeIndex))

    SystemController(database: database).register(on: router)
    for routes in registryRoutes(database: database) { routes(router) }

    routeIndex.fill(from: router)
    return router
}

/// The registry: cities, the shared supplier register, and each city's IT services.
func registryRoutes(database: AppDatabase) -> [(Router<AppRequestContext>) -> Void] {
    [
        ResourceRoutes<CityFields>(
            database: database, collectionPath: "/v1/cities", itemParameter: "cityId",
            filters: [.search(["municipalityCode", "json_extract(name, '$.fi')", "json_extract(name, '$.sv')"])]
        ).register,
        ResourceRoutes<SupplierFields>(
            database: database, collectionPath: "/v1/suppliers", itemParameter: "supplierId",
            filters: [.oneOf("kind", SupplierKind.self), .search(["name"])]
        ).register,
        ResourceRoutes<ServiceFields>(
            database: database, collectionPath: "/v1/cities/{cityId}/services", itemParameter: "serviceId",
            filters: [
                .oneOf("sector", Sector.self), .oneOf("lifecycle", Lifecycle.self), .id("providerId"),
                .oneOf("criticality", Criticality.self), .search(["name", "description"]),
            ]
        ).register,
    ]
}

/// Liveness, readiness and the contract, open to everyone.
struct SystemController {
    let database: AppDatabase

    func register(on router: Router<AppRequestContext>) {
        router.get("/healthz") { _, _ in
            try Response.json(["status": "ok"])
        }
        router.get("/readyz") { _, _ in
            guard database.isReachable() else {
                throw Problem(.serviceUnavailable, type: "/problems/not-ready", title: "Not ready",
                              detail: "the database does not answer")
            }
            return try Response.json(["status": "ready"])
        }
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"],
                     body: .init(byteBuffer: ByteBuffer(string: OpenAPISpec.yaml)))
        }
    }
}
