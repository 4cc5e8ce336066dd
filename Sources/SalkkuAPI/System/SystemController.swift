import Hummingbird
import NIOCore
import SalkkuSpec
import SalkkuStore

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
