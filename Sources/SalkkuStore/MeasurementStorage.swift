import Foundation
import GRDB
import SalkkuCore

extension MeasurementFields: StoredResource {
    public static let databaseTableName = "measurement"
    public static let isCityOwned = true

    public static func referenceErrors(in fields: MeasurementFields, id: String?, cityId: String?, db: Database) throws -> [FieldError] {
        let owner = try String.fetchOne(db.cachedStatement(sql: "SELECT cityId FROM sla WHERE id = ?"), arguments: [fields.slaId])
        return owner == cityId ? [] : [FieldError(pointer: "/slaId", "no SLA of this city has id \(fields.slaId)")]
    }
}

/// What a bulk report did.
public struct ImportCounts: Sendable, Equatable, Encodable {
    public var created = 0
    public var replaced = 0
    public var unchanged = 0
}

/// One row of a bulk report, with whether `reportedAt` was sent (a re-sent row without it is unchanged).
public struct MeasurementReportRow: Sendable {
    public var fields: MeasurementFields
    public var reportedAtGiven: Bool
    /// The row's place in the request body, for error pointers.
    public var index: Int

    public init(fields: MeasurementFields, reportedAtGiven: Bool, index: Int = 0) {
        self.fields = fields
        self.reportedAtGiven = reportedAtGiven
        self.index = index
    }
}

/// The filters of a city's list of measurements: a measurement is listed when its SLA matches every one given.
public struct MeasurementFilters: Sendable, Equatable {
    public var slaId: String?
    public var contractId: String?
    /// The supplier of the SLA's contract.
    public var supplierId: String?

    public init(slaId: String? = nil, contractId: String? = nil, supplierId: String? = nil) {
        self.slaId = slaId
        self.contractId = contractId
        self.supplierId = supplierId
    }
}

/// Where one page of a city's measurements ends: the last measurement's period and SLA.
public struct MeasurementPosition: Sendable, Hashable {
    public var period: MeasurementPeriod
    public var slaId: String

    public init(period: MeasurementPeriod, slaId: String) {
        self.period = period
        self.slaId = slaId
    }
}

extension AppDatabase {
    // MARK: SLA scopes

    static let slaEntrySQL = """
        SELECT s.id, s.cityId, s.name, s.metric, s.unit, s.comparator, s.target, s.period, s.serviceCreditPercent,
               s.periodFeeCents, s.validFrom, s.validTo, s.contractId, s.serviceId,
               c.title, c.supplierId, c.startDate, c.initialEndDate, c.options, c.renewal, c.renewalPeriodMonths,
               c.noticePeriodMonths, c.terminatedOn, c.annualValueCents
        FROM sla s JOIN contract c ON c.id = s.contractId
        """

    /// Every SLA of a city with its scope on `date`, in id order.
    public func slaEntries(cityId: String, on date: LocalDate) throws -> [SLAEntry] {
        try read { db in try slaEntries(db, sql: "WHERE s.cityId = ? ORDER BY s.id", arguments: [cityId], on: date) }
    }

    /// Every SLA of every city (of one supplier, when given), in one query.
    public func allSLAEntries(on date: LocalDate, supplierId: String? = nil) throws -> [SLAEntry] {
        try read { db in
            try slaEntries(db, sql: "WHERE ? IS NULL OR c.supplierId = ? ORDER BY s.id", arguments: [supplierId, supplierId], on: date)
        }
    }

    package func slaEntries(_ db: Database, sql condition: String, arguments: StatementArguments, on date: LocalDate) throws -> [SLAEntry] {
        // Read through the statement's columns: the all-city views read every SLA of the country here.
        let statement = try db.cachedStatement(sql: Self.slaEntrySQL + " " + condition)
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        let row = StatementColumns(statement)
        var schedules: [String: ContractSchedule] = [:]
        var entries: [SLAEntry] = []
        while try rows.next() != nil {
            row.startRow()
            let contractId = try row.string("contractId")
            let id = try row.string("id")
            let period: SLAPeriod = try row.enumeration("period")
            let creditPercent = try row.decimal("serviceCreditPercent")
            let periodFeeCents = try row.optionalInt64("periodFeeCents")
            let validFrom = try row.optionalDate("validFrom"), validTo = try row.optionalDate("validTo")
            let cityId = try row.string("cityId"), name = try row.string("name"), metric: SLAMetric = try row.enumeration("metric")
            let unit: MeasurementUnit = try row.enumeration("unit"), contractTitle = try row.string("title")
            let supplierId = try row.string("supplierId"), serviceId = try row.string("serviceId")
            let comparator: SLAComparator = try row.enumeration("comparator"), target = try row.decimal("target")
            // Read last, and once per contract, so the columns every row reads keep their order.
            let schedule = try schedules[contractId] ?? ContractSchedule(
                startDate: row.date("startDate"), initialEndDate: row.date("initialEndDate"), options: row.decoded("options"),
                renewal: row.enumeration("renewal"), renewalPeriodMonths: row.optionalInt("renewalPeriodMonths"),
                noticePeriodMonths: row.int("noticePeriodMonths"), terminatedOn: row.optionalDate("terminatedOn"), annualValueCents: row.optionalInt64("annualValueCents"))
            schedules[contractId] = schedule
            let terms = SLAEffectiveTerms(period: period, periodFeeCents: periodFeeCents, validFrom: validFrom, validTo: validTo,
                                          contract: schedule, on: date)
            entries.append(SLAEntry(
                id: id, cityId: cityId, name: name, metric: metric, unit: unit, contractId: contractId, contractTitle: contractTitle,
                supplierId: supplierId, serviceId: serviceId, creditPercent: creditPercent,
                scope: SLAScope(slaId: id, kind: period, comparator: comparator, target: target,
                                validFrom: terms.effectiveValidFrom, validTo: terms.effectiveValidTo,
                                creditPerBreachCents: ComplianceRules.creditCents(
                                    periodFeeCents: terms.effectivePeriodFeeCents ?? 0, creditPercent: creditPercent))))
        }
        return entries
    }

    // MARK: Aggregation

    /// The scopes as a JSON parameter: `[[slaId, firstMonthOfValidity, lastMonthOfValidity, atLeast, target], …]`.
    static func scopeParameter(_ scopes: [SLAScope]) -> String {
        "[" + scopes.map { scope in
            "[\"\(scope.slaId)\",\(YearMonth(scope.validFrom).index),\(YearMonth(scope.validTo).index),"
                + "\(scope.comparator == .atLeast ? 1 : 0),\(scope.target.thousandths)]"
        }.joined(separator: ",") + "]"
    }

    /// The measurements in scope and in range, joined to their SLA's scope. A period is in scope when it
    /// overlaps the validity: its first month is not after the validity's last, its last month not before the first.
    /// The scopes as a table, `s`.
    static let scopeTable = """
        WITH scope(slaId, validFromMonth, validToMonth, atLeast, target) AS MATERIALIZED (
            SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
                   json_extract(value, '$[3]'), json_extract(value, '$[4]')
            FROM json_each(:scopes)
        )
        """

    /// Measurement `m` is one of scope `s`'s and ends in the range.
    static let inScope = """
        m.slaId = s.slaId AND m.lastMonth BETWEEN max(:fromMonth, s.validFromMonth) AND :toMonth AND m.firstMonth <= s.validToMonth
        """

    static let scopedMeasurements = scopeTable + " SELECT %@ FROM scope s JOIN measurement m ON " + inScope

    /// The compliance rule of `ComplianceRules.isBreach`, in SQL: the comparator misses and no dispute was accepted.
    static let breachCondition = """
        (CASE WHEN s.atLeast THEN m.value < s.target ELSE m.value > s.target END) AND ifnull(m.disputeStatus, '') <> 'accepted'
        """

    /// One measured period as one integer: 1 when met, 2^16 when breached, 2^32 more for a breach with an open
    /// dispute, 2^48 more when its last month has ended. A sum of these holds the four counts side by side,
    /// so SQLite evaluates the rule once per period and keeps one sum; an SLA has at most two periods (a
    /// month and a quarter) per month of a range of at most `MonthRange.maxMonths`, far below 2^15 in a field.
    static let packedCounts = """
        CASE WHEN \(breachCondition) THEN 65536 + (m.disputeStatus IS 'open') * 4294967296 ELSE 1 END
            + (m.lastMonth < :currentMonth) * 281474976710656
        """

    static func unpacked(_ sum: Int64) -> MeasuredCounts {
        let met = Int(sum & 0xFFFF), breached = Int((sum >> 16) & 0xFFFF), ended = Int(sum >> 48)
        return MeasuredCounts(met: met, breached: breached, openDisputes: Int((sum >> 32) & 0xFFFF), ended: ended,
                              notEnded: met + breached - ended)
    }

    /// Per SLA (and per month a period ends, when `byMonth`), the counts the rules need of measured periods.
    public func measuredCounts(_ scopes: [SLAScope], range: MonthRange, on date: LocalDate, byMonth: Bool = false,
                               sliceSize slice: Int = 4_000) throws -> [String: [Int?: MeasuredCounts]] {
        guard !scopes.isEmpty else { return [:] }
        // The country's SLAs are counted in slices side by side; one city's in one query.
        if scopes.count > slice {
            let slices = stride(from: 0, to: scopes.count, by: slice).map { Array(scopes[$0..<min($0 + slice, scopes.count)]) }
            return try concurrentMap(slices) { try measuredCounts($0, range: range, on: date, byMonth: byMonth, sliceSize: slice) }
                .reduce(into: [:]) { all, part in all.merge(part) { first, _ in first } }
        }
        // Totals are one sum per scope, read from the index; a join grouped by SLA sorted every measurement first.
        let sql = byMonth
            ? Self.scopedMeasurements.replacingOccurrences(of: "%@", with: "s.slaId, m.lastMonth, SUM(\(Self.packedCounts))")
                + " GROUP BY s.slaId, m.lastMonth"
            : Self.scopeTable + " SELECT s.slaId, NULL, (SELECT SUM(\(Self.packedCounts)) FROM measurement m WHERE \(Self.inScope)) FROM scope s"
        let arguments: StatementArguments = [
            "scopes": Self.scopeParameter(scopes), "fromMonth": range.from.index, "toMonth": range.to.index,
            "currentMonth": YearMonth(date).index,
        ]
        return try read { db in
            var result: [String: [Int?: MeasuredCounts]] = [:]
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                guard let sum = try row.decode(Int64?.self, atIndex: 2) else { continue }
                result[try row.decode(String.self, atIndex: 0), default: [:]][try row.decode(Int?.self, atIndex: 1)] = Self.unpacked(sum)
            }
            for credit in try creditsInForce(scopes, range: range, db: db) {
                let key: Int? = byMonth ? credit.period.last.index : nil
                result[credit.slaId, default: [:]][key, default: MeasuredCounts()].creditsCents =
                    (result[credit.slaId]?[key]?.creditsCents ?? 0) + Total(credit.cents)
            }
            return result
        }
    }

    /// The credits of breaches that are not one credit at today's fee, keyed by `slaId period`; others are absent.
    public func creditsInForce(_ scopes: [SLAScope], range: MonthRange) throws -> [String: Int64] {
        try read { db in
            Dictionary(try creditsInForce(scopes, range: range, db: db).map { ("\($0.slaId) \($0.period)", $0.cents) }) { first, _ in first }
        }
    }

    /// The credit of each breach in scope and in range of the SLAs whose credits are not one at today's fee each:
    /// whose own fee or contract's annual value changed in the history, or whose contract caps credits. The fee is
    /// the one the records held at the end of the breached period (the earliest recorded, for periods before the
    /// first record); the credit percentage and the cap are the current terms.
    func creditsInForce(_ scopes: [SLAScope], range: MonthRange, db: Database) throws -> [(slaId: String, period: MeasurementPeriod, cents: Int64)] {
        // At a past record time, the history is read only up to it.
        let recorded = recordTime == nil ? "1" : "h.recordedFrom <= (SELECT \(RecordHistory.recordTimeFunction)())"
        // The SLAs whose fee may have changed (a superseded version of the SLA, or of its contract when the fee comes
        // from it) or whose contract caps credits: read from partial indexes that are empty until that happens, so
        // the common case costs nothing. A superset: an unchanged fee gives the same credits either way.
        let candidates = try String.fetchSet(db.cachedStatement(sql: """
            SELECT sla.id FROM contract c JOIN sla ON sla.contractId = c.id WHERE c.serviceCreditCapPercent IS NOT NULL
            UNION SELECT id FROM sla_history INDEXED BY sla_history_superseded WHERE recordedUntil IS NOT NULL
            UNION SELECT sla.id FROM contract_history h INDEXED BY contract_history_superseded
                CROSS JOIN sla ON sla.contractId = h.id AND sla.periodFeeCents IS NULL WHERE h.recordedUntil IS NOT NULL
            """))
        guard !candidates.isEmpty else { return [] }
        let wanted = candidates
        let specialScopes = scopes.filter { wanted.contains($0.slaId) }
        guard !specialScopes.isEmpty else { return [] }
        let breaches = try Row.fetchAll(db, sql: Self.scopedMeasurements.replacingOccurrences(of: "%@", with: "m.slaId, m.period")
                                        + " WHERE \(Self.breachCondition)", arguments: [
            "scopes": Self.scopeParameter(specialScopes), "fromMonth": range.from.index, "toMonth": range.to.index,
        ]).map { (slaId: try $0.decode(String.self, atIndex: 0), period: try $0.decode(MeasurementPeriod.self, atIndex: 1)) }
        guard !breaches.isEmpty else { return [] }
        // Read through GRDB's throwing decoding: its subscripts stop the process on a value edited into something else.
        struct Version { var from: Timestamp; var id: String; var row: Row }
        func versions(_ table: String, ids: Set<String>) throws -> [String: [Version]] {
            let rows = try Row.fetchAll(db, sql: """
                SELECT h.* FROM \(RecordHistory.historyTable(table)) h JOIN json_each(?) ids ON h.id = ids.value
                WHERE \(recorded) ORDER BY h.id, h.recordedFrom
                """, arguments: [try jsonArray(ids.sorted())])
            return try Dictionary(grouping: rows.map { Version(from: try $0.decode(forColumn: "recordedFrom"), id: try $0.decode(forColumn: "id"), row: $0) },
                                  by: \.id)
        }
        /// The version current at the end of `period`, else the earliest.
        func inForce(_ all: [Version]?, _ period: MeasurementPeriod) -> Row? {
            let end = HelsinkiCalendar.endOfDay(period.lastDay)
            return (all?.last { $0.from <= end } ?? all?.first)?.row
        }
        let slaVersions = try versions("sla", ids: Set(breaches.map(\.slaId)))
        let contractIds = Set(try slaVersions.values.flatMap { try $0.map { try $0.row.decode(String.self, forColumn: "contractId") } })
        let contractVersions = try versions("contract", ids: contractIds)
        var input: [ServiceCredits.Breach] = []
        var kept: [(slaId: String, period: MeasurementPeriod)] = []
        for breach in breaches {
            // The fee is the one in force in the breached period; the credit percentage and the cap are the
            // terms as they now stand (a corrected percentage applies to every period).
            guard let sla = inForce(slaVersions[breach.slaId], breach.period), let slaNow = slaVersions[breach.slaId]?.last?.row else { continue }
            let contractId: String = try slaNow.decode(forColumn: "contractId")
            let contract = inForce(contractVersions[contractId], breach.period)
            let contractNow = contractVersions[contractId]?.last?.row
            let perYear: Int64 = breach.period.kind == .month ? 12 : 4
            let contractFee = try contract?.decode(Int64?.self, forColumn: "annualValueCents").map { $0 / perYear }
            input.append(ServiceCredits.Breach(
                slaId: breach.slaId, contractId: contractId, period: breach.period,
                creditPercent: ExactDecimal(thousandths: try slaNow.decode(forColumn: "serviceCreditPercent")),
                periodFeeCents: try sla.decode(Int64?.self, forColumn: "periodFeeCents") ?? contractFee ?? 0, contractPeriodFeeCents: contractFee,
                capPercent: try contractNow?.decode(Int64?.self, forColumn: "serviceCreditCapPercent").map(ExactDecimal.init(thousandths:))))
            kept.append(breach)
        }
        return zip(kept, ServiceCredits.credits(input)).map { ($0.slaId, $0.period, $1) }
    }

    /// The periods measured in scope and in range, per SLA.
    public func measuredPeriods(_ scopes: [SLAScope], range: MonthRange) throws -> [String: Set<MeasurementPeriod>] {
        guard !scopes.isEmpty else { return [:] }
        let sql = Self.scopedMeasurements.replacingOccurrences(of: "%@", with: "s.slaId, m.period")
        return try read { db in
            var result: [String: Set<MeasurementPeriod>] = [:]
            let rows = try Row.fetchCursor(db, sql: sql, arguments: [
                "scopes": Self.scopeParameter(scopes), "fromMonth": range.from.index, "toMonth": range.to.index,
            ])
            while let row = try rows.next() {
                result[try row.decode(String.self, atIndex: 0), default: []].insert(try row.decode(MeasurementPeriod.self, atIndex: 1))
            }
            return result
        }
    }

    /// Breaches in scope and in range, oldest period first, after `position`; at most `limit` of them (nil: all).
    public func breaches(_ scopes: [SLAScope], range: MonthRange, disputed: Bool?, after position: BreachPosition?,
                         limit: Int?) throws -> [BreachRow] {
        guard !scopes.isEmpty else { return [] }
        var sql = Self.scopedMeasurements.replacingOccurrences(of: "%@", with: "m.*") + " WHERE \(Self.breachCondition)"
        var arguments: StatementArguments = [
            // A negative limit is none to SQLite.
            "scopes": Self.scopeParameter(scopes), "fromMonth": range.from.index, "toMonth": range.to.index, "limit": limit ?? -1,
        ]
        if let disputed { sql += disputed ? " AND m.disputeStatus IS NOT NULL" : " AND m.disputeStatus IS NULL" }
        if let position {
            sql += " AND (m.lastMonth, m.slaId) > (:afterMonth, :afterSla)"
            _ = arguments.append(contentsOf: ["afterMonth": position.lastMonth, "afterSla": position.slaId])
        }
        sql += " ORDER BY m.lastMonth, m.slaId LIMIT :limit"
        return try read { db in
            var rows: [BreachRow] = []
            try db.eachRow(db.makeStatement(sql: sql), arguments: arguments) { row in
                rows.append(BreachRow(position: BreachPosition(lastMonth: try row.int("lastMonth"), slaId: try row.string("slaId")),
                                      measurement: try Resource<MeasurementFields>(from: RowDecoder(columns: row))))
            }
            return rows
        }
    }

    // MARK: Reading and writing measurements

    public func measurement(slaId: String, period: MeasurementPeriod, cityId: String) throws -> Resource<MeasurementFields>? {
        try read { db in try measurement(slaId: slaId, period: period, cityId: cityId, db: db) }
    }

    func measurement(slaId: String, period: MeasurementPeriod, cityId: String, db: Database) throws -> Resource<MeasurementFields>? {
        let request = Resource<MeasurementFields>.filter(Column("slaId") == slaId && Column("period") == period && Column("cityId") == cityId)
        return try db.fetchResource(request)
    }

    /// A measurement is in a month range when the month its period ends is (as `MonthRange.contains` decides):
    /// a quarter counts in the range its last month is in. The one condition both lists of measurements read,
    /// on the indexed `lastMonth`, with the range's first and last month numbers as its two arguments.
    static let endsInRange = "lastMonth BETWEEN ? AND ?"

    /// An SLA's measurements in period order, optionally within months, after a period; `limit + 1` tells whether more follow.
    public func measurements(slaId: String, range: MonthRange?, after period: MeasurementPeriod?, limit: Int) throws -> [Resource<MeasurementFields>] {
        try read { db in
            var request = Resource<MeasurementFields>.filter(Column("slaId") == slaId)
            if let range { request = request.filter(sql: Self.endsInRange, arguments: [range.from.index, range.to.index]) }
            if let period { request = request.filter(Column("period") > period) }
            return try db.fetchResources(request.order(Column("period")).limit(limit))
        }
    }

    /// A city's measurements across its SLAs, optionally within months and narrowed to one SLA, to the SLAs of
    /// one contract, or to the SLAs of the contracts of one supplier, after a position; `limit + 1` tells whether
    /// more follow. Ids that name nothing (of this city) match nothing.
    ///
    /// The order is by period, as the month it ends (where `from` and `to` count it), then by SLA id, and an SLA's
    /// quarter before its month that ends the same month: new periods come last, so an integration pulling
    /// incrementally continues where it stopped. `measurement_by_city (cityId, lastMonth, slaId)` gives that order
    /// (only an SLA's two periods ending the same month are sorted apart) and seeks to a page's start, so a page
    /// costs the same wherever it lies, in a city of any size. The contract and supplier filters are subqueries on
    /// the SLA and contract indexes, read once per query; with one, the city's index entries are read until the
    /// page is full, at most the city's measurements and never another city's.
    public func cityMeasurements(cityId: String, range: MonthRange?, filters: MeasurementFilters, after position: MeasurementPosition?,
                                 limit: Int) throws -> [Resource<MeasurementFields>] {
        let (sql, arguments) = Self.cityMeasurementsQuery(cityId: cityId, range: range, filters: filters, after: position, limit: limit)
        return try readStatement { db in
            // The text depends only on which filters are given: the prepared statement is reused across requests.
            try db.fetchResources(MeasurementFields.self, db.cachedStatement(sql: sql), arguments: arguments)
        }
    }

    /// The one query of `cityMeasurements`.
    static func cityMeasurementsQuery(cityId: String, range: MonthRange?, filters: MeasurementFilters, after position: MeasurementPosition?,
                                      limit: Int) -> (sql: String, arguments: StatementArguments) {
        var conditions = ["cityId = ?"]
        var arguments: StatementArguments = [cityId]
        if let range {
            // A later page starts in its cursor's month at the earliest: with the range's own first month as the
            // lower bound the index would be read from `from` up to the cursor on every page.
            conditions.append(Self.endsInRange)
            arguments += [max(range.from.index, position?.period.last.index ?? range.from.index), range.to.index]
        }
        if let slaId = filters.slaId {
            conditions.append("slaId = ?")
            arguments += [slaId]
        }
        if let contractId = filters.contractId {
            conditions.append("slaId IN (SELECT id FROM sla WHERE contractId = ?)")
            arguments += [contractId]
        }
        if let supplierId = filters.supplierId {
            conditions.append("""
                slaId IN (SELECT sla.id FROM contract JOIN sla ON sla.contractId = contract.id \
                WHERE contract.cityId = ? AND contract.supplierId = ?)
                """)
            arguments += [cityId, supplierId]
        }
        if let position {
            conditions.append("(lastMonth, slaId, firstMonth) > (?, ?, ?)")
            arguments += [position.period.last.index, position.slaId, position.period.first.index]
        }
        arguments += [limit]
        return ("SELECT * FROM measurement WHERE " + conditions.joined(separator: " AND ") + " ORDER BY lastMonth, slaId, firstMonth LIMIT ?",
                arguments)
    }

    /// The SLA of a city a measurement belongs to, with its scope today; nil when the city has no such SLA.
    public func slaEntry(id: String, cityId: String, on date: LocalDate) throws -> SLAEntry? {
        try read { db in try slaEntry(id: id, cityId: cityId, on: date, db: db) }
    }

    func slaEntry(id: String, cityId: String, on date: LocalDate, db: Database) throws -> SLAEntry? {
        try slaEntries(db, sql: "WHERE s.id = ? AND s.cityId = ?", arguments: [id, cityId], on: date).first
    }

    func measurementProblems(_ fields: MeasurementFields, entry: SLAEntry?, pointer: JSONPointer, today: LocalDate?) -> [FieldError] {
        guard let entry else { return [FieldError(pointer: pointer.appending("slaId").description, "no SLA of this city has id \(fields.slaId)")] }
        return fields.problems(kind: entry.scope.kind, unit: entry.unit, validFrom: entry.scope.validFrom, validTo: entry.scope.validTo,
                               today: today)
            .map { FieldError(pointer: pointer.appending($0.member).description, $0.detail) }
    }

    /// Stores one report (PUT): creates it, or replaces the report of that SLA and period, keeping its dispute.
    public func putMeasurement(_ row: MeasurementReportRow, cityId: String, conditions: WriteConditions, by actor: Actor,
                               on date: LocalDate) throws -> (record: Resource<MeasurementFields>, created: Bool) {
        try write { db in
            let entry = try slaEntry(id: row.fields.slaId, cityId: cityId, on: date, db: db)
            guard entry != nil else { throw StoreError.notFound(resourceType: SLAFields.resourceType, id: row.fields.slaId) }
            // The period is the path's (PUT …/measurements/{period}): an error about it names the parameter.
            let problems = measurementProblems(row.fields, entry: entry, pointer: .root, today: date).map { problem in
                problem.pointer == "/period" ? FieldError(parameter: "period", problem.detail) : problem
            }
            if !problems.isEmpty { throw StoreError.invalid(problems) }
            let current = try measurement(slaId: row.fields.slaId, period: row.fields.period, cityId: cityId, db: db)
            try conditions.check(current: current?.meta.version)
            return try store(row, over: current, cityId: cityId, by: actor, db: db)
        }
    }

    private func store(_ row: MeasurementReportRow, over current: Resource<MeasurementFields>?, cityId: String, by actor: Actor,
                       db: Database) throws -> (record: Resource<MeasurementFields>, created: Bool) {
        guard let current else { return (try insert(row.fields, cityId: cityId, by: actor, db: db), true) }
        var fields = row.fields
        fields.dispute = current.fields.dispute
        if !row.reportedAtGiven, fields.isSameReport(as: current.fields, reportedAtGiven: false) {
            fields.reportedAt = current.fields.reportedAt
        }
        return (try replace(current, with: fields, by: actor, db: db), false)
    }

    /// What the store refuses in a bulk report's rows: unknown SLAs, the wrong period form, periods outside
    /// the validity, percentages over 100, and a second row for the same SLA and period.
    public func validateMeasurements(_ rows: [MeasurementReportRow], cityId: String, on date: LocalDate) throws -> [FieldError] {
        try read { db in try validate(rows, cityId: cityId, on: date, db: db) }
    }

    func validate(_ rows: [MeasurementReportRow], cityId: String, on date: LocalDate, db: Database) throws -> [FieldError] {
        var entries: [String: SLAEntry?] = [:]
        var errors: [FieldError] = []
        var firstRow: [String: Int] = [:]
        for row in rows {
            let slaId = row.fields.slaId
            if entries[slaId] == nil { entries[slaId] = try slaEntry(id: slaId, cityId: cityId, on: date, db: db) }
            let pointer = JSONPointer.root.appending(row.index)
            errors += measurementProblems(row.fields, entry: entries[slaId]!, pointer: pointer, today: date)
            let key = "\(slaId) \(row.fields.period)"
            if let first = firstRow[key] {
                errors.append(FieldError(pointer: pointer.appending("period").description,
                                         "repeats row \(first): one value per SLA and period"))
            } else {
                firstRow[key] = row.index
            }
        }
        return errors
    }

    /// A bulk report in one transaction: any refused row refuses the whole report, naming every error.
    public func importMeasurements(_ rows: [MeasurementReportRow], cityId: String, by actor: Actor, on date: LocalDate) throws -> ImportCounts {
        try write { db in
            let errors = try validate(rows, cityId: cityId, on: date, db: db)
            if !errors.isEmpty { throw StoreError.invalid(errors) }
            var counts = ImportCounts()
            for row in rows {
                let current = try measurement(slaId: row.fields.slaId, period: row.fields.period, cityId: cityId, db: db)
                let stored = try store(row, over: current, cityId: cityId, by: actor, db: db)
                if stored.created { counts.created += 1 }
                else if stored.record.meta.version == current!.meta.version { counts.unchanged += 1 }
                else { counts.replaced += 1 }
            }
            return counts
        }
    }

    /// Changes a stored measurement (PATCH), e.g. its dispute; the SLA and period stay.
    public func updateMeasurement(slaId: String, period: MeasurementPeriod, cityId: String, acceptedVersions: Set<Int>?,
                                  by actor: Actor, on date: LocalDate,
                                  change: (Resource<MeasurementFields>) throws -> MeasurementFields) throws -> Resource<MeasurementFields> {
        try write { db in
            guard let current = try measurement(slaId: slaId, period: period, cityId: cityId, db: db) else {
                throw StoreError.notFound(resourceType: MeasurementFields.resourceType, id: "\(slaId)/\(period)")
            }
            if let acceptedVersions, !acceptedVersions.contains(current.meta.version) {
                throw StoreError.versionMismatch(current: current.meta.version)
            }
            let fields = try change(current)
            // A change of the dispute alone is not judged again on when the report was made; a changed report is.
            let changesReport = !fields.isSameReport(as: current.fields, reportedAtGiven: true)
            let problems = measurementProblems(fields, entry: try slaEntry(id: slaId, cityId: cityId, on: date, db: db), pointer: .root,
                                               today: changesReport ? date : nil)
            if !problems.isEmpty { throw StoreError.invalid(problems) }
            return try replace(current, with: fields, by: actor, db: db)
        }
    }

    public func deleteMeasurement(slaId: String, period: MeasurementPeriod, cityId: String, acceptedVersions: Set<Int>?,
                                  by actor: Actor) throws {
        try write { db in
            guard let current = try measurement(slaId: slaId, period: period, cityId: cityId, db: db) else {
                throw StoreError.notFound(resourceType: MeasurementFields.resourceType, id: "\(slaId)/\(period)")
            }
            if let acceptedVersions, !acceptedVersions.contains(current.meta.version) {
                throw StoreError.versionMismatch(current: current.meta.version)
            }
            try remove(current, by: actor, db: db)
        }
    }
}
