import Foundation
import GRDB
import SalkkuCore

extension MaturityModelFields: StoredResource {
    public static let databaseTableName = "maturity_model"
    public static let isCityOwned = false
}

extension TransitionPlanFields: StoredResource {
    public static let databaseTableName = "transition_plan"
    public static let isCityOwned = true

    /// A measure is carried out through projects of the plan's own city; another city's project is not found.
    public static func referenceErrors(in fields: TransitionPlanFields, id: String?, cityId: String?, db: Database) throws -> [FieldError] {
        var errors: [FieldError] = []
        for (index, measure) in fields.measures.enumerated() {
            errors += try missingReferences(measure.projectIds, key: "measures/\(index)/projectIds", table: "project", cityId: cityId,
                                            label: "project of this city", db: db)
        }
        return errors
    }
}

/// One published version of the maturity model, as the record history keeps it.
public struct MaturityModelRecord: Sendable {
    public var version: Int
    public var fields: MaturityModelFields
    /// When the version was published and until when it was in force (its record time); nil while it is.
    public var publishedAt: Timestamp
    public var supersededAt: Timestamp?

    public init(version: Int, fields: MaturityModelFields, publishedAt: Timestamp, supersededAt: Timestamp?) {
        self.version = version
        self.fields = fields
        self.publishedAt = publishedAt
        self.supersededAt = supersededAt
    }
}

extension AppDatabase {
    /// The model in force at this database's record time: the current one, or at a past `asOf` the version then
    /// published (the model is a record, so the record clock, not the business date, picks its version).
    public func maturityModel() throws -> Resource<MaturityModelFields> {
        // The first version stands for the constants the rules used before any record, so a record time before the
        // history's first instant (1970) reads it rather than finding no model.
        if let recordTime, recordTime < Self.modelEpoch { return try reading(at: Self.modelEpoch).maturityModel() }
        return try read { db in
            guard let record = try db.fetchResource(Resource<MaturityModelFields>.filter(Column("id") == MaturityModelFields.recordId)) else {
                // The migration writes the first version; a database without it was edited behind the server's back.
                throw StoredValueError(column: "maturity_model.id", text: MaturityModelFields.recordId)
            }
            return record
        }
    }

    /// Publishes a new version of the model through the write path, when the current version is one of
    /// `acceptedVersions` (nil accepts any). Thresholds equal to the current ones publish nothing, whatever the
    /// note or publisher: a version is a change of the rules, and every result names the version it used.
    public func publishMaturityModel(_ fields: MaturityModelFields, acceptedVersions: Set<Int>?,
                                     by actor: Actor) throws -> Resource<MaturityModelFields> {
        try update(MaturityModelFields.self, id: MaturityModelFields.recordId, cityId: nil, acceptedVersions: acceptedVersions, by: actor) { current in
            current.fields.resolved == fields.resolved ? current.fields : fields
        }
    }

    /// Every published version of the model, first first, from the record history (which holds the first version
    /// the migration wrote as well as each publication since).
    public func maturityModelVersions() throws -> [MaturityModelRecord] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT version, thresholds, note, publishedBy, updatedAt, recordedUntil FROM main.maturity_model_history
                WHERE id = ? ORDER BY version
                """, arguments: [MaturityModelFields.recordId])
            return try rows.map { row in
                let text: String = try row.decode(forColumn: "thresholds")
                let thresholds = try JSONValue.decode([String: Int64].self, from: Array(text.utf8))
                let from: String = try row.decode(forColumn: "updatedAt")
                let until: String? = try row.decode(forColumn: "recordedUntil")
                return MaturityModelRecord(
                    version: try row.decode(forColumn: "version"),
                    fields: MaturityModelFields(thresholds: thresholds, note: try row.decode(forColumn: "note"),
                                                publishedBy: try row.decode(forColumn: "publishedBy")),
                    publishedAt: Timestamp(rfc3339: from) ?? Self.modelFirstPublished, supersededAt: until.flatMap { Timestamp(rfc3339: $0) })
            }
        }
    }

    /// The record time the first version of the model is in force from: before any record, since the rules used
    /// its values as constants before the model was published.
    static let modelEpoch = Timestamp(millisecondsSinceEpoch: 0)
    /// When the model was first published: the release of the migration that made it a record.
    static let modelFirstPublished = Timestamp(rfc3339: "2026-12-01T00:00:00Z")!
}
