/// What a city actually paid under a contract in one calendar year, with the evidence an auditor checks it by.
public struct ContractSpendFields: ResourceFields {
    public static let resourceType = "contract-spend"
    public static let yearRange: ClosedRange<Int64> = 1990...2100

    public var contractId: String
    public var year: Int
    public var amountCents: Int64
    /// Where the figure comes from: a ledger report, an invoice list, a voucher number.
    public var evidenceReference: String
    /// A link to or the name of the document itself, when there is one.
    public var evidenceDocument: String?
    public var note: String?

    public init(contractId: String, year: Int, amountCents: Int64, evidenceReference: String,
                evidenceDocument: String? = nil, note: String? = nil) {
        self.contractId = contractId
        self.year = year
        self.amountCents = amountCents
        self.evidenceReference = evidenceReference
        self.evidenceDocument = evidenceDocument
        self.note = note
    }

    public static func read(_ value: JSONValue, errors: InputErrors) -> ContractSpendFields? {
        read(value, errors: errors, contractId: nil, year: nil)
    }

    /// The body of `PUT …/contracts/{contractId}/spend/{year}`; the contract and the year come from the path.
    public static func read(_ value: JSONValue, errors: InputErrors, contractId pathContract: String?, year pathYear: Int?) -> ContractSpendFields? {
        guard var reader = ObjectReader(value, errors: errors) else { return nil }
        let contractId = pathContract ?? reader.text("contractId", required: true, maxLength: 64)
        let year = pathYear.map { Int64($0) } ?? reader.integer("year", required: true, in: yearRange)
        let amountCents = reader.cents("amountCents", required: true)
        let evidenceReference = reader.text("evidenceReference", required: true, maxLength: 500)
        let evidenceDocument = reader.text("evidenceDocument", maxLength: 2000)
        let note = reader.text("note", maxLength: 5000)
        let fromPath: Set<String> = pathContract == nil ? [] : ["contractId", "year"]
        reader.finish(readOnly: readOnlyFields.union(fromPath))
        guard errors.isEmpty, let contractId, let year, let amountCents, let evidenceReference else { return nil }
        return ContractSpendFields(contractId: contractId, year: Int(year), amountCents: amountCents,
                                   evidenceReference: evidenceReference, evidenceDocument: evidenceDocument, note: note)
    }
}

/// The limits of a modification made without a new procurement (Procurement Act 1397/2016 § 136(2), Directive
/// 2014/24/EU art. 72(2)): the net change, all changes together, stays below the EU threshold and within 10 % of
/// the original value for supplies and services (and concessions, Directive 2014/23/EU art. 43(2)), 15 % for works.
public enum ModificationLimits {
    public static func allowedPercent(_ category: ContractCategory) -> Int64 { category == .works ? 15 : 10 }

    /// The largest increase over `originalCents` that stays within both limits, or nil when `date` is outside the
    /// threshold table (no EU threshold to judge by).
    public static func allowedIncreaseCents(originalCents: Int64, category: ContractCategory, on date: LocalDate) -> Int64? {
        guard ProcurementThresholds.coverageWarning(on: date) == nil else { return nil }
        // 10 % of the value, rounded down to the cent: the limit is "at most".
        let byShare = originalCents / 100 * allowedPercent(category) + originalCents % 100 * allowedPercent(category) / 100
        guard let eu = ProcurementThresholds.euCents(on: date, category: category) else { return byShare }
        // Below the EU threshold: the largest change is one cent under it.
        return min(byShare, eu - 1)
    }

    /// Warnings when the recorded value or the spend exceeds what a modification without a new procurement allows.
    ///
    /// - Parameters:
    ///   - original: the contract as first recorded; its estimated value is what was procured.
    ///   - current: the contract as it stands.
    ///   - spendCents: every year's recorded spend, summed.
    ///   - procuredOn: the date whose thresholds judge the change: the contract's award.
    public static func warnings(original: ContractFields, current: ContractFields, spendCents: Int64) -> [ProcedureWarning] {
        let procuredOn = current.procuredOn ?? current.startDate
        let originalValue = EstimatedValue.of(original).cents
        let currentValue = EstimatedValue.of(current).cents
        var warnings: [ProcedureWarning] = []
        guard let allowed = allowedIncreaseCents(originalCents: originalValue, category: current.category, on: procuredOn) else {
            if currentValue > originalValue || spendCents > originalValue, let coverage = ProcurementThresholds.coverageWarning(on: procuredOn) {
                warnings.append(coverage)
            }
            return warnings
        }
        let percent = allowedPercent(current.category)
        let limit = "below the EU threshold and at most \(percent) % of the original value \(ContractTerms.euros(originalValue)), i.e. \(ContractTerms.euros(allowed))"
        if currentValue - originalValue > allowed {
            warnings.append(ProcedureWarning(
                code: "value-change-exceeds-modification-limit",
                detail: "the estimated value rose from \(ContractTerms.euros(originalValue)) to \(ContractTerms.euros(currentValue)); a modification without a new procurement stays \(limit) (1397/2016 § 136)"))
        }
        if spendCents - originalValue > allowed {
            warnings.append(ProcedureWarning(
                code: "spend-exceeds-modification-limit",
                detail: "the recorded spend \(ContractTerms.euros(spendCents)) exceeds the original value \(ContractTerms.euros(originalValue)) by more than a modification without a new procurement allows: \(limit) (1397/2016 § 136)"))
        } else if spendCents > originalValue {
            warnings.append(ProcedureWarning(
                code: "spend-exceeds-procured-value",
                detail: "the recorded spend \(ContractTerms.euros(spendCents)) exceeds the original value \(ContractTerms.euros(originalValue)), within what a modification without a new procurement allows (\(ContractTerms.euros(allowed)))"))
        }
        return warnings
    }
}
