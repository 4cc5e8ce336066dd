import Foundation
import HTTPTypes
import Hummingbird
import SalkkuCore
import SalkkuStore
import Synchronization

/// How many requests a token may make, and how many failed authentications an address may make.
public struct RateLimits: Sendable {
    public var tokenRequestsPerSecond: Double
    public var tokenBurst: Double
    public var failedAuthenticationsPerMinute: Double
    public var failedAuthenticationBurst: Double

    public init(tokenRequestsPerSecond: Double = 200, tokenBurst: Double = 1_000,
                failedAuthenticationsPerMinute: Double = 30, failedAuthenticationBurst: Double = 30) {
        self.tokenRequestsPerSecond = tokenRequestsPerSecond
        self.tokenBurst = tokenBurst
        self.failedAuthenticationsPerMinute = failedAuthenticationsPerMinute
        self.failedAuthenticationBurst = failedAuthenticationBurst
    }
}

/// Token buckets by key: `capacity` requests at once, refilled at `perSecond`.
final class TokenBuckets: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let capacity: Double
    let perSecond: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    init(capacity: Double, perSecond: Double) {
        self.capacity = capacity
        self.perSecond = perSecond
    }

    private func refilled(_ bucket: Bucket?, now: ContinuousClock.Instant) -> Bucket {
        guard var bucket else { return Bucket(tokens: capacity, updated: now) }
        let elapsed = now - bucket.updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        bucket.tokens = min(capacity, bucket.tokens + seconds * perSecond)
        bucket.updated = now
        return bucket
    }

    /// Takes one token; when none is left, the whole seconds until one will be.
    func take(_ key: String) -> Int? {
        takeCounting(key).wait
    }

    /// The tokens `key` has now, taking none.
    func remaining(_ key: String) -> Double {
        let now = ContinuousClock.now
        return buckets.withLock { refilled($0[key], now: now).tokens }
    }

    /// Takes one token, and tells what is left: the seconds to wait when none was, and the tokens remaining.
    func takeCounting(_ key: String) -> (wait: Int?, remaining: Double) {
        let now = ContinuousClock.now
        return buckets.withLock { buckets in
            // A full bucket is the same as none: forget those when many addresses or tokens have been seen.
            if buckets.count > 100_000 { buckets = buckets.filter { refilled($0.value, now: now).tokens < capacity } }
            var bucket = refilled(buckets[key], now: now)
            defer { buckets[key] = bucket }
            guard bucket.tokens >= 1 else { return (max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up))), bucket.tokens) }
            bucket.tokens -= 1
            return (nil, bucket.tokens)
        }
    }

    /// The `RateLimit-Policy` and `RateLimit` fields (IETF httpapi rate-limit headers draft) of a bucket named `policy`
    /// with `remaining` tokens: the quota is the burst, its window the seconds an empty bucket takes to fill, and the
    /// reset the seconds until this one is full again.
    func headers(policy: String, remaining: Double) -> HTTPFields {
        let window = max(1, Int((capacity / perSecond).rounded(.up)))
        let reset = max(0, Int(((capacity - remaining) / perSecond).rounded(.up)))
        return [.rateLimitPolicy: "\"\(policy)\";q=\(Int(capacity));w=\(window)",
                .rateLimit: "\"\(policy)\";r=\(max(0, Int(remaining)));t=\(reset)"]
    }
}

extension HTTPField.Name {
    static let rateLimitPolicy = Self("RateLimit-Policy")!
    static let rateLimit = Self("RateLimit")!
}

extension Problem {
    static func unauthorized(_ detail: String, invalidToken: Bool) -> Problem {
        var problem = Problem(.unauthorized, type: "/problems/unauthorized", title: "Unauthorized", detail: detail)
        problem.headers[.wwwAuthenticate] = invalidToken
            ? #"Bearer realm="salkku", error="invalid_token", error_description="\#(detail)""#
            : #"Bearer realm="salkku""#
        return problem
    }

    static func forbidden(_ detail: String) -> Problem {
        Problem(.forbidden, type: "/problems/forbidden", title: "Forbidden", detail: detail)
    }

    /// A refusal of one member of a body: the member is named, so an import's row error can name its column.
    static func forbidden(_ detail: String, member: String) -> Problem {
        Problem(.forbidden, type: "/problems/forbidden", title: "Forbidden", detail: detail,
                errors: [FieldError(pointer: "/\(member)", detail)])
    }

    static func rateLimited(retryAfter seconds: Int, _ detail: String) -> Problem {
        var problem = Problem(.tooManyRequests, type: "/problems/rate-limited", title: "Too many requests", detail: detail)
        problem.headers[.retryAfter] = String(seconds)
        return problem
    }
}

/// Recently authenticated tokens, so that a burst of requests does not read the token table each time.
/// Entries live one second; a token written through this process (revoked over the API) is dropped at
/// once, and expiry is judged on every request from the cached record.
final class TokenCache: Sendable {
    private let entries = Mutex<[String: (token: Resource<TokenFields>, cachedAt: ContinuousClock.Instant)]>([:])
    static let lifetime: Duration = .seconds(1)

    func token(forHash hash: String) -> Resource<TokenFields>? {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[hash] else { return nil }
            guard now - entry.cachedAt < Self.lifetime else {
                entries[hash] = nil
                return nil
            }
            return entry.token
        }
    }

    func store(_ token: Resource<TokenFields>) {
        let now = ContinuousClock.now
        entries.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[token.fields.tokenHash] = (token, now)
        }
    }

    func removeAll() { entries.withLock { $0.removeAll() } }
}

/// Every route but the open ones needs a bearer token; the token's role must be allowed on the route, and a
/// city in the path must be one of the token's cities (else 404, as if it did not exist). What is protected is
/// decided on the route the router matched, never on the spelling of the path, so no spelling of a path can
/// reach a handler without its check.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: AppDatabase
    let perToken: TokenBuckets
    let failedPerAddress: TokenBuckets
    let cache: TokenCache
    let trustedProxies: TrustedProxies
    let metrics: ServerMetrics?

    init(database: AppDatabase, limits: RateLimits, cache: TokenCache, trustedProxies: TrustedProxies, metrics: ServerMetrics? = nil) {
        self.database = database
        self.metrics = metrics
        self.cache = cache
        self.trustedProxies = trustedProxies
        perToken = TokenBuckets(capacity: limits.tokenBurst, perSecond: limits.tokenRequestsPerSecond)
        failedPerAddress = TokenBuckets(capacity: limits.failedAuthenticationBurst, perSecond: limits.failedAuthenticationsPerMinute / 60)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The router has matched the route before its middleware runs; no template means no route (404 or 405).
        let template = context.endpointPath
        let decision = template.flatMap { AccessPolicy.decision(method: request.method.rawValue, template: $0) }
        if case .open? = decision { return try await next(request, context) }
        // Unmatched paths outside /v1 are plain 404s; under /v1 a caller without a token learns nothing of the routes.
        if template == nil, !(request.uri.path == "/v1" || request.uri.path.hasPrefix("/v1/")) {
            return try await next(request, context)
        }
        var context = context
        context.clientAddress = trustedProxies.clientAddress(peer: context.clientAddress,
                                                             forwardedFor: request.headers[values: .xForwardedFor])
        let token = try authenticate(request, address: context.clientAddress, note: context.note)
        context.note.tokenId = token.meta.id
        let (wait, remaining) = perToken.takeCounting(token.meta.id)
        context.note.addHeaders(perToken.headers(policy: "token", remaining: remaining))
        if let wait {
            metrics?.tokenRateRefusals.increment()
            throw Problem.rateLimited(retryAfter: wait, "token \(token.meta.id) has used its request allowance; retry in \(wait) s")
        }
        context.actor = Actor(id: token.meta.id, name: token.fields.name, role: token.fields.role.rawValue)
        context.scope = AccessScope(role: token.fields.role, cityIds: token.fields.cityIds.isEmpty ? nil : Set(token.fields.cityIds))

        guard let template else { return try await next(request, context) }
        switch decision {
        case nil:
            throw Problem.forbidden("no access decision is recorded for \(request.method.rawValue) \(template)")
        case .open?:
            break
        case .roles(let roles)?:
            guard roles.contains(context.scope.role) else {
                throw Problem.forbidden("the \(context.scope.role.rawValue) role may not \(request.method.rawValue) \(template)")
            }
        case .everyCityAdmin?:
            guard context.scope.isGlobalAdmin else {
                throw Problem.forbidden(context.scope.role == .admin
                    ? "\(request.method.rawValue) \(template) needs an admin token for every city; this one is limited to some"
                    : "the \(context.scope.role.rawValue) role may not \(request.method.rawValue) \(template)")
            }
        }
        if let cityId = context.parameters.get("cityId"), !context.scope.covers(cityId: cityId) {
            throw Problem.notFound("no city has id \(Echo.short(cityId))")
        }
        return try await next(request, context)
    }

    /// A valid token always authenticates, whatever its address did before: only failures are counted and
    /// limited, so one broken client behind a shared address cannot lock out the others.
    private func authenticate(_ request: Request, address: String, note: RequestNote) throws -> Resource<TokenFields> {
        let key = "address \(address)"
        guard let header = request.headers[.authorization] else {
            note.addHeaders(failedPerAddress.headers(policy: "failed-authentication", remaining: failedPerAddress.remaining(key)))
            throw Problem.unauthorized("this route needs Authorization: Bearer <token>", invalidToken: false)
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty, parts[1].count <= 200 else {
            try refuse(key, "the Authorization header must be Bearer <token>", note: note)
        }
        let hash = TokenSecret.hash(String(parts[1]))
        let now = database.clock()
        if let cached = cache.token(forHash: hash), cached.fields.isUsable(at: now) { return cached }
        switch try database.authenticate(tokenHash: hash, at: now) {
        case .success(let token):
            cache.store(token)
            return token
        case .failure(let rejection):
            let reason = switch rejection {
            case .unknown: "the token is not known"
            case .revoked: "the token has been revoked"
            case .expired: "the token has expired"
            }
            try refuse(key, reason, note: note)
        }
    }

    /// Counts a failed authentication against the address: 401 while it has failures left, 429 after.
    private func refuse(_ key: String, _ reason: String, note: RequestNote) throws -> Never {
        let (wait, remaining) = failedPerAddress.takeCounting(key)
        note.addHeaders(failedPerAddress.headers(policy: "failed-authentication", remaining: remaining))
        if let wait {
            metrics?.failedAuthenticationRefusals.increment()
            throw Problem.rateLimited(retryAfter: wait, "too many failed authentications from this address; retry in \(wait) s")
        }
        throw Problem.unauthorized(reason, invalidToken: true)
    }
}
