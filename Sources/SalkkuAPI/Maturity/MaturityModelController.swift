import Foundation
import HTTPTypes
import Hummingbird
import SalkkuCore
import SalkkuJSON
import SalkkuStore

/// The published maturity model: the thresholds every city is judged with, versioned, changed by an admin of every city.
struct MaturityModelController: Sendable {
    let database: AppDatabase

    func register(on router: Router<AppRequestContext>) {
        router.get("/v1/maturity-model", use: get)
        router.put("/v1/maturity-model", use: put)
        router.get("/v1/maturity-model/versions", use: versions)
    }

    /// A threshold's allowed values, so a client can offer them without a copy of the rules.
    struct MemberBody: Encodable {
        var name: String
        var defaultValue: Int64
        var minimum: Int64
        var maximum: Int64
    }

    struct ModelBody: Encodable {
        var version: Int
        var thresholds: [String: Int64]
        var note: String?
        var publishedBy: String?
        var publishedAt: Timestamp
        /// Until when the version was in force; null while it is.
        var supersededAt: Timestamp?
        var members: [MemberBody]?

        enum CodingKeys: String, CodingKey { case version, thresholds, note, publishedBy, publishedAt, supersededAt, members }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(version, forKey: .version)
            try container.encode(thresholds, forKey: .thresholds)
            try container.encode(note, forKey: .note)
            try container.encode(publishedBy, forKey: .publishedBy)
            try container.encode(publishedAt, forKey: .publishedAt)
            try container.encode(supersededAt, forKey: .supersededAt)
            if let members { try container.encode(members, forKey: .members) }
        }

        /// The current record, with every member of today's model: a version published before a member existed
        /// shows it at its default, the value the rules use.
        init(_ record: Resource<MaturityModelFields>) {
            version = record.meta.version
            thresholds = record.fields.resolved.modelValues
            note = record.fields.note
            publishedBy = record.fields.publishedBy
            publishedAt = record.meta.updatedAt
            supersededAt = nil
            members = MaturityThresholds.modelMembers.map {
                MemberBody(name: $0.name, defaultValue: $0.defaultValue, minimum: $0.range.lowerBound, maximum: $0.range.upperBound)
            }
        }

        init(_ version: MaturityModelRecord) {
            self.version = version.version
            thresholds = version.fields.resolved.modelValues
            note = version.fields.note
            publishedBy = version.fields.publishedBy
            publishedAt = version.publishedAt
            supersededAt = version.supersededAt
            members = nil
        }
    }

    /// The model in force now, or at the record time `asOf`; the model has no business date.
    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        var query = QueryReader(request)
        let (recordTime, _) = query.recordTime(now: database.clock())
        try query.finish()
        let record = try (recordTime.map { try database.asOf($0) } ?? database).maturityModel()
        return try .item(ModelBody(record), version: record.meta.version, request: request)
    }

    @Sendable func put(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let body = try await request.jsonBody(as: MediaType.json)
        let errors = InputErrors()
        guard var fields = MaturityModelFields.read(body, errors: errors), errors.isEmpty else { throw errors.failure }
        fields.publishedBy = context.actor.name
        let record = try database.publishMaturityModel(fields, acceptedVersions: request.ifMatchVersions, by: context.actor)
        return try .json(ModelBody(record), headers: [.eTag: ETag.for(version: record.meta.version)])
    }

    struct VersionsBody: Encodable { var items: [ModelBody] }

    /// Every version ever published, first first: what a snapshot's or an old result's `modelVersion` refers to.
    @Sendable func versions(_ request: Request, context: AppRequestContext) async throws -> Response {
        try QueryReader(request).finish()
        return try .json(VersionsBody(items: try database.maturityModelVersions().map { ModelBody($0) }))
    }
}
