import SalkkuCore
import SalkkuJSON
import SalkkuStore

/// The change feed's `state` of each entry: the record as stored plus the members its GET computes, computed as
/// of the entry: on the Helsinki calendar date of its record time, from the records it refers to as they stood at
/// that entry. An integration thus reads a contract's status, end date and notice deadline as they were when the
/// change was recorded. What the computation needs from other records (a contract's supplier, an SLA's contract)
/// is read for the whole page in one query, never per entry.
enum FeedStates {
    static func states(of records: [AuditEntryRecord], in database: AppDatabase) throws -> [JSONValue?] {
        let parsed = records.map(\.stateJSON)
        var lookups = Set<StateLookup>()
        for (record, state) in zip(records, parsed) {
            guard let reference = referenced(record.entry.resourceType, in: state) else { continue }
            lookups.insert(StateLookup(resourceType: reference.type, resourceId: reference.id, seq: record.entry.seq))
        }
        let referencedStates = try database.states(asOf: lookups)
        // The buying cities' municipality codes, for the in-house check of contracts (a code does not change).
        let contractCities = Set(zip(records, parsed).compactMap { record, state -> String? in
            guard record.entry.resourceType == ContractFields.resourceType, case .object(let members)? = state,
                  case .string(let cityId)? = members["cityId"] else { return nil }
            return cityId
        })
        let codes = try database.byId(CityFields.self, ids: contractCities).mapValues(\.fields.municipalityCode)
        // A contract's § 136 warnings as of its entry, as its GET at that record time lists them.
        let contractStates = try zip(records, parsed).compactMap { record, state -> (seq: Int64, contractId: String, cityId: String, version: Int, fields: ContractFields)? in
            let entry = record.entry
            guard entry.resourceType == ContractFields.resourceType, let state, case .object = state, let cityId = entry.cityId else { return nil }
            return (entry.seq, entry.resourceId, cityId, entry.version, try state.decoded(as: ContractFields.self))
        }
        let modification = try database.modificationWarnings(ofStates: contractStates)
        let contracts = Dictionary(contractStates.map { ($0.seq, $0.fields) }, uniquingKeysWith: { first, _ in first })
        return try zip(records, parsed).map { record, state in
            guard case .object(let stored)? = state else { return state }
            let entry = record.entry
            if entry.resourceType == MaturityModelFields.resourceType {
                return try publishedModel(state: .object(stored), version: entry.version, at: entry.at)
            }
            var referencedState: JSONValue?
            if let reference = referenced(entry.resourceType, in: state),
               let text = referencedStates[StateLookup(resourceType: reference.type, resourceId: reference.id, seq: entry.seq)] {
                referencedState = try StrictJSONParser.parse(Array(text.utf8))
            }
            guard let computed = try computedMembers(entry.resourceType, state: .object(stored), referenced: referencedState,
                                                     on: HelsinkiCalendar.date(at: entry.at), codes: codes,
                                                     contract: contracts[entry.seq], modification: modification[entry.seq] ?? []) else { return state }
            return .object(stored.merging(computed) { _, computed in computed })
        }
    }

    /// The maturity model's state is the version as `GET /v1/maturity-model/versions` lists it, in force from the
    /// entry's record time (a later version's entry says when it was superseded), not the stored record.
    private static func publishedModel(state: JSONValue, version: Int, at: Timestamp) throws -> JSONValue {
        let fields = try state.decoded(as: MaturityModelFields.self)
        return try .of(MaturityModelController.ModelBody(MaturityModelRecord(version: version, fields: fields, publishedAt: at, supersededAt: nil)))
    }

    /// The record a state's computed members depend on, besides the record itself.
    private static func referenced(_ type: String, in state: JSONValue?) -> (type: String, id: String)? {
        guard case .object(let members)? = state else { return nil }
        switch type {
        case ContractFields.resourceType:
            guard case .string(let supplierId)? = members["supplierId"] else { return nil }
            return (SupplierFields.resourceType, supplierId)
        case SLAFields.resourceType:
            guard case .string(let contractId)? = members["contractId"] else { return nil }
            return (ContractFields.resourceType, contractId)
        default:
            return nil
        }
    }

    /// The members the resource's GET adds to the stored record (see the presenters), or nil for a kind without any.
    private static func computedMembers(_ type: String, state: JSONValue, referenced: JSONValue?,
                                        on date: LocalDate, codes: [String: String],
                                        contract: ContractFields?, modification: [ProcedureWarning]) throws -> [String: JSONValue]? {
        let computed: JSONValue
        switch type {
        case ContractFields.resourceType:
            // Decoded once for the page's § 136 warnings; a contract state is never without them here.
            let fields = try contract ?? state.decoded(as: ContractFields.self)
            var supplierKind: SupplierKind?
            if case .object(let supplier)? = referenced, case .string(let kind)? = supplier["kind"] { supplierKind = SupplierKind(rawValue: kind) }
            var buyerControlsSupplier: Bool?
            if case .object(let members) = state, case .string(let cityId)? = members["cityId"],
               let supplier = try? referenced?.decoded(as: SupplierFields.self) {
                buyerControlsSupplier = supplier.isControlled(byCityId: cityId, municipalityCode: codes[cityId])
            }
            var terms = ContractTerms(fields, on: date, supplierKind: supplierKind, buyerControlsSupplier: buyerControlsSupplier)
            // Listed once, as the contract presenter lists them.
            terms.procedureWarnings += modification.filter { !terms.procedureWarnings.contains($0) }
            computed = try .of(terms)
        case SLAFields.resourceType:
            // The foreign key keeps an SLA's contract in the log; a 500 is right if the file was edited behind our back.
            guard let referenced else { throw Problem.internalError }
            let contract = try referenced.decoded(as: ContractFields.self)
            computed = try .of(try state.decoded(as: SLAFields.self).effectiveTerms(contract: contract, on: date))
        case ProjectFields.resourceType:
            computed = try .of(try state.decoded(as: ProjectFields.self).status(on: date))
        case EffortProfileFields.resourceType:
            computed = try .of(EffortDistance(distance: try state.decoded(as: EffortProfileFields.self).distance))
        case AssessmentFields.resourceType:
            computed = try .of(ReachedLevel(reachedLevel: try state.decoded(as: AssessmentFields.self).reachedLevel))
        case CAFAssessmentFields.resourceType:
            let fields = try state.decoded(as: CAFAssessmentFields.self)
            computed = try .of(CAFController.Scores(totalScore: fields.totalScore, meanScore: fields.meanScore))
        default:
            return nil
        }
        guard case .object(let members) = computed else { throw Problem.internalError }
        return members
    }
}
