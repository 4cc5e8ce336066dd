public enum MeasurementSource: String, APIEnum {
    case supplierReport = "supplier-report"
    case monitoring, survey, manual
}

public enum DisputeStatus: String, APIEnum {
    case open, accepted, rejected
}

/// A party's objection to a measurement and how the city judged it.
public struct Dispute: Codable, Sendable, Equatable, JSONReadable {
    public var status: DisputeStatus
    public var note: String?

    public init(status: DisputeStatus, note: String? = nil) {
        self.status = status
        self.note = note
    }

    public static func read(_ value: JSONValue, at pointer: JSONPointer, errors: InputErrors) -> Dispute? {
        guard var reader = ObjectReader(value, at: pointer, errors: errors) else { return nil }
        let status = reader.read("status", required: true, as: DisputeStatus.self)
        let note = reader.text("note", maxLength: 5000)
        reader.finish()
        guard let status else { return nil }
        return Dispute(status: status, note: note)
    }
}

extension Timestamp: JSONReadable {
    public static func read(_ value: JSONValue, at pointer: JSONPointer, errors: InputErrors) -> Timestamp? {
        guard case .string(let text) = value, let instant = Timestamp(rfc3339: text) else {
            errors.add(pointer, "must be an RFC 3339 instant such as 2026-11-22T10:00:00Z")
            return nil
        }
        guard SupportedDates.contains(instant) else {
            errors.add(pointer, "must be an instant \(SupportedDates.phrase)")
            return nil
        }
        return instant
    }
}

/// One measured value of an SLA for one period, as a supplier, a monitoring system or a survey reported it.
public struct MeasurementFields: ResourceFields {
    public static let resourceType = "measurement"

    public var slaId: String
    public var period: MeasurementPeriod
    public var value: ExactDecimal
    public var source: MeasurementSource
    public var evidence: String?
    public var reportedAt: Timestamp
    public var note: String?
    public var dispute: Dispute?

    public init(slaId: String, period: MeasurementPeriod, value: ExactDecimal, source: MeasurementSource,
                evidence: String? = nil, reportedAt: Timestamp, note: String? = nil, dispute: Dispute? = nil) {
        self.slaId = slaId
        self.period = period
        self.value = value
        self.source = source
        self.evidence = evidence
        self.reportedAt = reportedAt
        self.note = note
        self.dispute = dispute
    }

    /// Where the SLA and period of a measurement come from when they are not members of the body.
    public struct Context: Sendable {
        public var slaId: String?
        public var period: MeasurementPeriod?
        /// `reportedAt` when the body leaves it out.
        public var now: Timestamp?
        public var acceptsDispute: Bool
        /// The SLA's unit when it is known before reading, so that a percentage over 100 is named beside the body's
        /// other errors (else it is judged with the SLA, once the body reads).
        public var unit: MeasurementUnit?

        public init(slaId: String? = nil, period: MeasurementPeriod? = nil, now: Timestamp? = nil, acceptsDispute: Bool,
                    unit: MeasurementUnit? = nil) {
            self.slaId = slaId
            self.period = period
            self.now = now
            self.acceptsDispute = acceptsDispute
            self.unit = unit
        }
    }

    public static func read(_ value: JSONValue, errors: InputErrors) -> MeasurementFields? {
        read(value, at: .root, errors: errors, context: Context(acceptsDispute: true))
    }

    /// Reads a measurement body; members that `context` supplies (the path's SLA and period) are not accepted.
    public static func read(_ body: JSONValue, at pointer: JSONPointer, errors: InputErrors, context: Context) -> MeasurementFields? {
        guard var reader = ObjectReader(body, at: pointer, errors: errors) else { return nil }
        let slaId = context.slaId ?? reader.text("slaId", required: true, maxLength: 64)
        var period = context.period
        if context.period == nil, let text = reader.text("period", required: true, maxLength: 7) {
            period = MeasurementPeriod(text)
            if period == nil { errors.add(pointer.appending("period"), "must be a month YYYY-MM or a quarter YYYY-Qn") }
        }
        // A period not yet over is named beside the body's other errors when the reader knows today (a new report).
        if let period, let today = errors.today, period.lastDay >= today {
            // The path's period is a parameter, not a member of the body.
            if context.period != nil {
                errors.add(parameter: "period", notEndedDetail(period))
            } else {
                errors.add(pointer.appending("period"), notEndedDetail(period))
            }
        }
        let value = reader.read("value", required: true, as: ExactDecimal.self)
        let source = reader.read("source", required: true, as: MeasurementSource.self)
        let evidence = reader.text("evidence", maxLength: 2000)
        let reportedAt = reader.read("reportedAt", required: context.now == nil, as: Timestamp.self) ?? context.now
        let note = reader.text("note", maxLength: 5000)
        let dispute = context.acceptsDispute ? reader.read("dispute", as: Dispute.self) : nil
        var readOnly = readOnlyFields
        if context.slaId != nil { readOnly.formUnion(["slaId", "period"]) }
        if !context.acceptsDispute { readOnly.insert("dispute") }
        reader.finish(readOnly: readOnly)
        if source == .supplierReport, evidence == nil || evidence!.allSatisfy(\.isWhitespace) {
            errors.add(pointer.appending("evidence"), "is required for a supplier report: a document reference or URL")
        }
        if let value, value < ExactDecimal(0) {
            errors.add(pointer.appending("value"), "must not be negative")
        } else if let value, context.unit == .percent, value > ExactDecimal(100) {
            errors.add(pointer.appending("value"), percentOver100Detail)
        }
        guard let slaId, let period, let value, let source, let reportedAt else { return nil }
        return MeasurementFields(slaId: slaId, period: period, value: value, source: source, evidence: evidence,
                                 reportedAt: reportedAt, note: note, dispute: dispute)
    }

    /// What the SLA itself forbids: the other period form, a period outside the validity, a percentage over 100;
    /// and for a new report (`today` given), a period that has not ended by today (what was measured is known
    /// once it is over) and a `reportedAt` in the future or before the period ended. A change to a stored report
    /// (its dispute) is not judged again on when it was made.
    public func problems(kind: SLAPeriod, unit: MeasurementUnit, validFrom: LocalDate, validTo: LocalDate,
                         today: LocalDate?) -> [(member: String, detail: String)] {
        var problems: [(String, String)] = []
        let reportedOn = HelsinkiCalendar.date(at: reportedAt)
        if let today, period.lastDay >= today {
            problems.append(("period", Self.notEndedDetail(period)))
        } else if let today, reportedOn > today {
            problems.append(("reportedAt", "must not be after today (\(today)): a report is recorded once it has been made"))
        } else if today != nil, reportedOn < period.lastDay {
            problems.append(("reportedAt", "must not be before the period's last day \(period.lastDay): what was measured is known once it is over"))
        }
        if let today, period.lastDay >= today {
            // One complaint about the period is enough.
        } else if let problem = Self.periodProblem(period, kind: kind, validFrom: validFrom, validTo: validTo) {
            problems.append(("period", problem))
        }
        if unit == .percent, value > ExactDecimal(100) {
            problems.append(("value", Self.percentOver100Detail))
        }
        return problems
    }

    static let percentOver100Detail = "must be at most 100 for a percentage"

    /// What the SLA says of a period whatever was measured: its form (month or quarter) and the SLA's validity.
    public static func periodProblem(_ period: MeasurementPeriod, kind: SLAPeriod, validFrom: LocalDate, validTo: LocalDate) -> String? {
        if period.kind != kind {
            return kind == .month ? "must be a month YYYY-MM: the SLA is measured monthly" : "must be a quarter YYYY-Qn: the SLA is measured quarterly"
        }
        if period.lastDay < validFrom || period.firstDay > validTo { return "is outside the SLA's validity \(validFrom)–\(validTo)" }
        return nil
    }

    static func notEndedDetail(_ period: MeasurementPeriod) -> String {
        "has not ended yet (its last day is \(period.lastDay)); report it once it is over"
    }

    /// The same report again: equal in everything the reporter sends. `reportedAt` counts only when it was sent.
    public func isSameReport(as other: MeasurementFields, reportedAtGiven: Bool) -> Bool {
        value == other.value && source == other.source && evidence == other.evidence && note == other.note
            && (!reportedAtGiven || reportedAt == other.reportedAt)
    }
}
