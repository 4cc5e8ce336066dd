import GRDB
import SalkkuCore

/// A contract with what the modification check needs: the contract as first recorded and its spend.
public struct ContractSpendStanding: Sendable {
    public var contract: Resource<ContractFields>
    /// The contract's first recorded version: what was procured, before any change.
    public var original: ContractFields
    public var spend: [Resource<ContractSpendFields>]

    /// Every year's spend, summed exactly; beyond 64 bits (no stored amounts can get there) it stays at Int64.max.
    public var spendCents: Int64 { Total.of(spend.map(\.fields.amountCents)).int64 ?? .max }
}

extension AppDatabase {
    /// A contract's spend by year, in year order; nil when the city has no such contract.
    public func spend(contractId: String, cityId: String) throws -> [Resource<ContractSpendFields>]? {
        try read { db in
            guard try fetch(ContractFields.self, id: contractId, cityId: cityId, db: db) != nil else { return nil }
            return try spend(contractIds: [contractId], db: db)[contractId] ?? []
        }
    }

    func spend(contractIds: [String], db: Database) throws -> [String: [Resource<ContractSpendFields>]] {
        let statement = try db.cachedStatement(sql: """
            SELECT s.* FROM json_each(?) ids JOIN contract_spend s ON s.contractId = ids.value ORDER BY s.contractId, s.year
            """)
        let records = try db.fetchResources(ContractSpendFields.self, statement, arguments: [try jsonArray(contractIds)])
        return Dictionary(grouping: records, by: \.fields.contractId)
    }

    /// Writes a contract's spend of one year, creating it or replacing it, through the write path; 404 when the city
    /// has no such contract. The year must have begun by `today` and not precede the year the contract's term starts
    /// (422 naming `year`); `conditions` are checked against the year's current record (412).
    public func putSpend(_ fields: ContractSpendFields, cityId: String, conditions: WriteConditions, today: LocalDate,
                         by actor: Actor) throws -> (record: Resource<ContractSpendFields>, created: Bool) {
        try write { db in
            guard let contract = try fetch(ContractFields.self, id: fields.contractId, cityId: cityId, db: db) else {
                throw StoreError.notFound(resourceType: ContractFields.resourceType, id: fields.contractId)
            }
            if let refusal = ContractSpendFields.yearRefusal(fields.year, termStartsOn: contract.fields.startDate, today: today) {
                throw StoreError.invalid([FieldError(parameter: "year", refusal)])
            }
            let current = try spendRecord(contractId: fields.contractId, year: fields.year, db: db)
            try conditions.check(current: current?.meta.version)
            if let current { return (try replace(current, with: fields, by: actor, db: db), false) }
            return (try insert(fields, cityId: cityId, by: actor, db: db), true)
        }
    }

    /// Removes a contract's spend of one year through the write path (history and change log record it); 404 when
    /// the city has no such contract or no spend of that year is recorded.
    public func deleteSpend(contractId: String, year: Int, cityId: String, conditions: WriteConditions, by actor: Actor) throws {
        try write { db in
            guard try fetch(ContractFields.self, id: contractId, cityId: cityId, db: db) != nil else {
                throw StoreError.notFound(resourceType: ContractFields.resourceType, id: contractId)
            }
            // Absent, the answer is 404 whatever the conditions say (RFC 9110 § 13.2.1).
            guard let current = try spendRecord(contractId: contractId, year: year, db: db) else {
                throw StoreError.notFound(resourceType: ContractSpendFields.resourceType, id: "\(contractId)/\(year)")
            }
            try conditions.check(current: current.meta.version)
            try remove(current, by: actor, db: db)
        }
    }

    private func spendRecord(contractId: String, year: Int, db: Database) throws -> Resource<ContractSpendFields>? {
        try db.fetchResource(Resource<ContractSpendFields>.filter(Column("contractId") == contractId && Column("year") == year))
    }

    /// Every contract of a city (or the one named) with its first recorded version and its spend, in one read.
    public func spendStandings(cityId: String, contractId: String? = nil) throws -> [ContractSpendStanding] {
        try read { db in
            let contracts: [Resource<ContractFields>]
            if let contractId {
                contracts = try fetch(ContractFields.self, id: contractId, cityId: cityId, db: db).map { [$0] } ?? []
            } else {
                contracts = try db.fetchResources(ContractFields.self, db.cachedStatement(sql: "SELECT * FROM contract WHERE cityId = ? ORDER BY id"),
                                                  arguments: [cityId])
            }
            guard !contracts.isEmpty else { return [] }
            let ids = contracts.map(\.meta.id)
            let original = try firstVersions(ids: contracts.filter { $0.meta.version > 1 }.map(\.meta.id), db: db)
            let spend = try spend(contractIds: ids, db: db)
            return contracts.map {
                ContractSpendStanding(contract: $0, original: original[$0.meta.id] ?? $0.fields, spend: spend[$0.meta.id] ?? [])
            }
        }
    }

    /// The first recorded version of each contract: the history keeps every version, and the earliest is the
    /// contract as it was procured. By version, not record time: two versions can share an instant. At a past record time it is the same, recorded before any later one.
    func firstVersions(ids: [String], db: Database) throws -> [String: ContractFields] {
        guard !ids.isEmpty else { return [:] }
        let firsts = try db.fetchResources(ContractFields.self, db.cachedStatement(sql: """
            SELECT h.* FROM json_each(?) ids JOIN contract_history h ON h.id = ids.value
            WHERE h.version = (SELECT min(f.version) FROM contract_history f WHERE f.id = h.id)
            """), arguments: [try jsonArray(ids)])
        return Dictionary(firsts.map { ($0.meta.id, $0.fields) }, uniquingKeysWith: { first, _ in first })
    }

    /// The 1397/2016 § 136 warnings of contract states of the change log, each as of its own entry: against the
    /// contract's first version, with the spend the log had recorded up to that entry. Keyed by the entry's `seq`,
    /// for the entries that have any. One query for the page's spend entries, whatever its length.
    public func modificationWarnings(ofStates states: [(seq: Int64, contractId: String, cityId: String, version: Int, fields: ContractFields)])
        throws -> [Int64: [ProcedureWarning]] {
        guard let lastSeq = states.map(\.seq).max() else { return [:] }
        return try read { db in
            // A spend entry names its contract in its state; a deletion (null state) is known by the spend's id.
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT c.seq, c.resourceId, json_extract(c.state, '$.contractId') AS contractId,
                       json_extract(c.state, '$.amountCents') AS amountCents
                FROM json_each(?) cities JOIN change c ON c.resourceType = 'contract-spend' AND c.cityId = cities.value
                WHERE c.seq <= ? ORDER BY c.seq
                """), arguments: [try jsonArray(Array(Set(states.map(\.cityId)))), lastSeq])
            var contractOfSpend: [String: String] = [:]
            var events: [String: [(seq: Int64, spendId: String, amount: Int64?)]] = [:]
            for row in rows {
                let spendId: String = row["resourceId"]
                if let contractId: String = row["contractId"] { contractOfSpend[spendId] = contractId }
                guard let contractId = contractOfSpend[spendId] else { continue }
                events[contractId, default: []].append((row["seq"], spendId, row["amountCents"]))
            }
            let original = try firstVersions(ids: Array(Set(states.filter { $0.version > 1 }.map(\.contractId))), db: db)
            var result: [Int64: [ProcedureWarning]] = [:]
            for state in states {
                var amounts: [String: Int64] = [:]
                for event in events[state.contractId] ?? [] where event.seq <= state.seq { amounts[event.spendId] = event.amount }
                // As the contracts' GET decides: only a contract changed since it was recorded, or with spend, is judged.
                guard state.version > 1 || !amounts.isEmpty else { continue }
                var total = Total()
                for amount in amounts.values { total += amount }
                let warnings = ModificationLimits.warnings(original: state.version > 1 ? original[state.contractId] ?? state.fields : state.fields,
                                                           current: state.fields, spendCents: total.int64 ?? .max)
                if !warnings.isEmpty { result[state.seq] = warnings }
            }
            return result
        }
    }

    /// The 1397/2016 § 136 warnings of these contracts, by id, for the contracts that have any. Only a contract
    /// changed since it was recorded, or with spend, can have one, so the others cost no history read.
    public func modificationWarnings(_ contracts: [Resource<ContractFields>]) throws -> [String: [ProcedureWarning]] {
        guard !contracts.isEmpty else { return [:] }
        return try read { db in
            // Summed here, exactly: SQLite's sum() fails with "integer overflow" where 64 bits do not hold the total.
            let amounts = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT s.contractId, s.amountCents FROM json_each(?) ids JOIN contract_spend s ON s.contractId = ids.value
                """), arguments: [try jsonArray(contracts.map(\.meta.id))])
            var totals: [String: Total] = [:]
            for row in amounts {
                totals[try row.decode(String.self, forColumn: "contractId"), default: Total()] += try row.decode(Int64.self, forColumn: "amountCents")
            }
            let spend = totals.mapValues { $0.int64 ?? .max }
            let candidates = contracts.filter { $0.meta.version > 1 || spend[$0.meta.id] != nil }
            guard !candidates.isEmpty else { return [:] }
            let original = try firstVersions(ids: candidates.filter { $0.meta.version > 1 }.map(\.meta.id), db: db)
            var result: [String: [ProcedureWarning]] = [:]
            for contract in candidates {
                let warnings = ModificationLimits.warnings(original: original[contract.meta.id] ?? contract.fields, current: contract.fields,
                                                           spendCents: spend[contract.meta.id] ?? 0)
                if !warnings.isEmpty { result[contract.meta.id] = warnings }
            }
            return result
        }
    }
}
