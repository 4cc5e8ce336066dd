/// How far the assessed capability level is achieved (COBIT 2019, CMMI-based): fully > 85 %,
/// largely 50–85 %, partially 15–50 %, not < 15 %.
public enum Achievement: String, APIEnum {
    case fully, largely, partially, not

    /// A level counts as reached when it is at least largely achieved.
    public var reachesLevel: Bool { self == .fully || self == .largely }
}

public enum AssessmentMethod: String, APIEnum {
    case selfAssessment = "self-assessment"
    case internalAudit = "internal-audit"
    case externalAudit = "external-audit"
    /// Retired: CAF rates the whole IT organisation on nine criteria (`CAFAssessmentFields`), not one process.
    /// Stored assessments keep it so that history, exports and re-imports of old files still read.
    case caf

    public static let cafRetirement = "caf is no longer a method of rating a single process: record a CAF self-assessment "
        + "of the IT organisation at POST /v1/cities/{cityId}/caf-assessments"
}

/// One capability assessment of one process. Assessments are never changed: a new one supersedes.
public struct AssessmentFields: ResourceFields {
    public static let resourceType = "assessment"
    public static let computedFields: Set<String> = ["reachedLevel"]

    public var processId: String
    public var level: Int
    public var achievement: Achievement
    public var targetLevel: Int?
    public var assessedOn: LocalDate
    public var assessor: String
    public var method: AssessmentMethod
    public var evidence: String?

    public init(processId: String, level: Int, achievement: Achievement, targetLevel: Int? = nil, assessedOn: LocalDate,
                assessor: String, method: AssessmentMethod, evidence: String? = nil) {
        self.processId = processId
        self.level = level
        self.achievement = achievement
        self.targetLevel = targetLevel
        self.assessedOn = assessedOn
        self.assessor = assessor
        self.method = method
        self.evidence = evidence
    }

    /// The capability level the process has: the assessed level when fully or largely achieved, else the one below.
    public var reachedLevel: Int { achievement.reachesLevel ? level : max(0, level - 1) }

    public static func read(_ value: JSONValue, errors: InputErrors) -> AssessmentFields? {
        read(value, errors: errors, acceptsRetiredMethod: false)
    }

    /// `acceptsRetiredMethod` reads a stored assessment back (an import row that matches one): a new one may not be `caf`.
    public static func read(_ value: JSONValue, errors: InputErrors, acceptsRetiredMethod: Bool) -> AssessmentFields? {
        guard var reader = ObjectReader(value, errors: errors) else { return nil }
        let processId = reader.text("processId", required: true, maxLength: 100)
        if let processId, !GovernanceCatalogue.processIds.contains(processId) {
            errors.add(.root.appending("processId"), "is not a process of the catalogue (GET /v1/catalogue/processes)")
        }
        let level = reader.integer("level", required: true, in: 0...5)
        let achievement = reader.read("achievement", required: true, as: Achievement.self)
        let targetLevel = reader.integer("targetLevel", in: 0...5)
        let assessedOn = reader.factDate("assessedOn", required: true)
        let assessor = reader.text("assessor", required: true, maxLength: 300)
        let method = reader.read("method", required: true, as: AssessmentMethod.self)
        if method == .caf && !acceptsRetiredMethod { errors.add(.root.appending("method"), AssessmentMethod.cafRetirement) }
        let evidence = reader.text("evidence", maxLength: 5000)
        reader.finish(readOnly: readOnlyFields)
        guard errors.isEmpty, let processId, let level, let achievement, let assessedOn, let assessor, let method else { return nil }
        return AssessmentFields(processId: processId, level: Int(level), achievement: achievement, targetLevel: targetLevel.map(Int.init),
                                assessedOn: assessedOn, assessor: assessor, method: method, evidence: evidence)
    }
}

/// A process's standing from its latest assessment on a date.
public struct ProcessStanding: Codable, Sendable, Equatable {
    public var processId: String
    public var name: BilingualText
    public var level: Int
    public var assessedLevel: Int
    public var achievement: Achievement
    public var targetLevel: Int?
    public var gap: Int?
    public var assessedOn: LocalDate
    public var assessmentId: String
    /// Older than 24 months on the evaluation date.
    public var stale: Bool

    public static let staleAfterMonths = 24

    /// The latest assessment of each process by `assessedOn` (then the latest recorded), among those made by `date`.
    public static func profile(_ assessments: [Resource<AssessmentFields>], on date: LocalDate) -> [ProcessStanding] {
        var latest: [String: Resource<AssessmentFields>] = [:]
        for assessment in assessments where assessment.fields.assessedOn <= date {
            if let current = latest[assessment.fields.processId],
               (current.fields.assessedOn, current.meta.createdAt, current.meta.id)
                > (assessment.fields.assessedOn, assessment.meta.createdAt, assessment.meta.id) { continue }
            latest[assessment.fields.processId] = assessment
        }
        let names = Dictionary(uniqueKeysWithValues: GovernanceCatalogue.processes.map { ($0.id, $0.name) })
        return latest.values.map { record in
            let fields = record.fields
            return ProcessStanding(
                processId: fields.processId, name: names[fields.processId] ?? BilingualText(fi: fields.processId, en: fields.processId),
                level: fields.reachedLevel, assessedLevel: fields.level, achievement: fields.achievement,
                targetLevel: fields.targetLevel, gap: fields.targetLevel.map { max(0, $0 - fields.reachedLevel) },
                assessedOn: fields.assessedOn, assessmentId: record.meta.id,
                stale: fields.assessedOn.adding(months: staleAfterMonths) < date)
        }
        .sorted { $0.processId < $1.processId }
    }
}

/// A frozen maturity result, for the city's reports to the council.
public struct MaturitySnapshotFields: ResourceFields {
    public static let resourceType = "maturity-snapshot"

    public var asOf: LocalDate
    public var stage: Int
    public var note: String?
    public var maturity: JSONValue
    /// The version of the published maturity model the snapshot was judged with; nil for snapshots taken before
    /// the model was published (they used its first version's values).
    public var modelVersion: Int?

    public init(asOf: LocalDate, stage: Int, note: String?, maturity: JSONValue, modelVersion: Int? = nil) {
        self.asOf = asOf
        self.stage = stage
        self.note = note
        self.maturity = maturity
        self.modelVersion = modelVersion
    }

    /// Snapshots are computed, never written by clients; reading one back is all this supports.
    public static func read(_ value: JSONValue, errors: InputErrors) -> MaturitySnapshotFields? {
        errors.add(.root, "maturity snapshots cannot be changed")
        return nil
    }
}

extension JSONValue: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .real(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let values): try container.encode(values)
        case .object(let members): try container.encode(members)
        }
    }
}

extension AssessmentFields {
    public var factDates: [(member: JSONPointer, date: LocalDate)] { [(JSONPointer.root.appending("assessedOn"), assessedOn)] }
}
