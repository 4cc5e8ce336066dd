import Crypto
import Foundation
import GRDB
import SalkkuCore

extension TokenFields: StoredResource {
    public static let databaseTableName = "api_token"
    public static let isCityOwned = false

    public static func uniquenessConflict(for fields: TokenFields, id: String?, cityId: String?, db: Database) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM api_token WHERE tokenHash = ? AND id IS NOT ?"), arguments: [fields.tokenHash, id])
            .map { "token \($0) already has this secret" }
    }
}

/// Why a bearer token was not accepted.
public enum TokenRejection: Error, Sendable, Equatable {
    case unknown, revoked, expired
}

public enum TokenSecret {
    /// A new secret: `slk_` and 32 random bytes, base64url.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "slk_" + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public static func hash(_ secret: String) -> String {
        Hex.string(SHA256.hash(data: Data(secret.utf8)))
    }

    /// Compares two hex digests in time that does not depend on where they differ.
    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension AppDatabase {
    /// Creates a token and returns its secret, which is shown once and never stored.
    public func createToken(_ request: TokenRequest, secret: String = TokenSecret.generate(), by actor: Actor) throws -> (secret: String, record: Resource<TokenFields>) {
        let cityIds = try read { db in
            var ids: [String] = []
            var unknown: [FieldError] = []
            for (index, code) in request.cityCodes.enumerated() {
                if let id = try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM city WHERE municipalityCode = ?"), arguments: [code]) {
                    ids.append(id)
                } else {
                    unknown.append(FieldError(pointer: "/cities/\(index)", "no city has municipality code \(code)"))
                }
            }
            // Every unknown code at once, not the first alone.
            if !unknown.isEmpty { throw StoreError.invalid(unknown) }
            return ids
        }
        let record = try create(TokenFields(name: request.name, role: request.role, cityIds: cityIds,
                                            tokenHash: TokenSecret.hash(secret), expiresOn: request.expiresOn),
                                cityId: nil, by: actor)
        return (secret, record)
    }

    public func revokeToken(id: String, acceptedVersions: Set<Int>? = nil, by actor: Actor) throws -> Resource<TokenFields> {
        let now = clock()
        return try update(TokenFields.self, id: id, cityId: nil, acceptedVersions: acceptedVersions, by: actor) { current in
            var fields = current.fields
            if fields.revokedAt == nil { fields.revokedAt = now }
            return fields
        }
    }

    /// The token whose secret hashes to `hash`, if it is known, not revoked and not expired at `instant`.
    public func authenticate(tokenHash hash: String, at instant: Timestamp) throws -> Result<Resource<TokenFields>, TokenRejection> {
        guard let record = try read({ db in
            try db.fetchResources(TokenFields.self, db.cachedStatement(sql: "SELECT * FROM api_token WHERE tokenHash = ?"), arguments: [hash]).first
        }),
              TokenSecret.constantTimeEqual(record.fields.tokenHash, hash) else { return .failure(.unknown) }
        if record.fields.revokedAt != nil { return .failure(.revoked) }
        if !record.fields.isUsable(at: instant) { return .failure(.expired) }
        return .success(record)
    }

    /// Whether any token is neither revoked nor expired at `instant`.
    public func hasUsableTokens(at instant: Timestamp) throws -> Bool {
        try read { db in try db.fetchResources(Resource<TokenFields>.filter(Column("revokedAt") == nil)) }
            .contains { $0.fields.isUsable(at: instant) }
    }

}

extension AppDatabase {
    /// The token whose secret this is, revoked or not.
    public func token(secret: String) throws -> Resource<TokenFields>? {
        let hash = TokenSecret.hash(secret)
        return try read { db in try db.fetchResource(Resource<TokenFields>.filter(Column("tokenHash") == hash)) }
    }

    /// Makes a revoked token usable again (the demo tokens, when `--demo` is given again).
    public func reinstateToken(id: String, by actor: Actor) throws -> Resource<TokenFields> {
        try update(TokenFields.self, id: id, cityId: nil, by: actor) { current in
            var fields = current.fields
            fields.revokedAt = nil
            return fields
        }
    }
}
