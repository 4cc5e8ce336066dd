import Foundation
import HTTPTypes
import Hummingbird
import SalkkuCore
import SalkkuStore
import ServiceLifecycle

/// The audit log, the change feed, per-resource history, and the token register.
/// The token register over the API, for admins.
struct TokensController: Sendable {
    let database: AppDatabase
    /// Dropped on every revocation, so that a revoked token stops working at once.
    let cache: TokenCache

    func register(on router: Router<AppRequestContext>) {
        router.get("/v1/tokens", use: list)
        router.post("/v1/tokens", use: create)
        router.get("/v1/tokens/{tokenId}", use: get)
        router.delete("/v1/tokens/{tokenId}", use: revoke)
    }

    /// A token as shown: never its hash; its secret only once, on creation.
    struct TokenBody: Encodable {
        var id: String
        var name: String
        var role: Role
        var cityIds: [String]
        var expiresOn: LocalDate?
        var revokedAt: Timestamp?
        var createdAt: Timestamp
        var version: Int
        var token: String?

        init(_ record: Resource<TokenFields>, secret: String? = nil) {
            id = record.meta.id
            name = record.fields.name
            role = record.fields.role
            cityIds = record.fields.cityIds
            expiresOn = record.fields.expiresOn
            revokedAt = record.fields.revokedAt
            createdAt = record.meta.createdAt
            version = record.meta.version
            token = secret
        }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        var query = QueryReader(request)
        let page = PageRequest(&query)
        try query.finish()
        return try page.response(TokenFields.self, request: request, from: database) { TokenBody($0) }
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let body = try await request.jsonBody(as: MediaType.json)
        let errors = InputErrors()
        guard let tokenRequest = TokenRequest.read(body, errors: errors, today: database.today), errors.isEmpty else {
            throw errors.failure
        }
        let (secret, record) = try database.createToken(tokenRequest, by: context.actor)
        return try .json(TokenBody(record, secret: secret), status: .created, headers: [
            .location: "\(request.uri.path)/\(record.meta.id)", .eTag: ETag.for(version: record.meta.version),
        ])
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("tokenId")
        try QueryReader(request).finish()
        guard let record = try database.fetch(TokenFields.self, id: id) else { throw Problem.notFound("no token has id \(id)") }
        return try .json(TokenBody(record), headers: [.eTag: ETag.for(version: record.meta.version)])
    }

    /// Revocation keeps the record, so the audit log and history can still name the token.
    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("tokenId")
        guard try database.fetch(TokenFields.self, id: id) != nil else { throw Problem.notFound("no token has id \(id)") }
        _ = try database.revokeToken(id: id, acceptedVersions: request.ifMatchVersions, by: context.actor)
        cache.removeAll()
        return Response(status: .noContent)
    }
}
