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

    /// "a year of four digits, 1990–2100", for error messages.
    public static let yearPhrase = "a year of four digits from \(yearRange.lowerBound) to \(yearRange.upperBound)"

    /// A year as a path carries it: four ASCII digits in `yearRange`, else nil.
    public static func year(_ text: some StringProtocol) -> Int? {
        guard text.utf8.count == 4, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let year = Int(text), yearRange.contains(Int64(year)) else { return nil }
        return year
    }

    /// Why spend cannot be recorded for `year` of a contract whose term starts on `termStartsOn`, or nil when it can.
    /// Actual spend is recorded for years that have begun (`today` is the server's date), and not for a year before
    /// the contract's term began: a past year within the contract is history and is welcome.
    public static func yearRefusal(_ year: Int, termStartsOn: LocalDate, today: LocalDate) -> String? {
        if year > today.year {
            return "must not be after the current year \(today.year): actual spend is recorded for years that have begun"
        }
        if year < termStartsOn.year {
            return "must not be before \(termStartsOn.year): the contract's term starts on \(termStartsOn)"
        }
        return nil
    }
}

/// The limits of a modification made without a new procurement (Procurement Act 1397/2016 § 136(2), Directive
/// 2014/24/EU art. 72(2)): the net change, all changes together, stays below the EU threshold and within 10 % of
/// the original value for supplies and services (and concessions, Directive 2014/23/EU art. 43(2)), 15 % for works.
///
/// The share limit needs no table and is always judged. The EU threshold is the one in force on the procurement
/// date; where the threshold table does not reach that date (before 2010, after 2027) it is not known, and the
/// warnings say so rather than falling silent.
public enum ModificationLimits {
    public static func allowedPercent(_ category: ContractCategory) -> Int64 { category == .works ? 15 : 10 }

    /// What a modification without a new procurement may add to an original value.
    public struct Allowance: Sendable, Equatable {
        /// 10 % (works 15 %) of the original value, rounded down to the cent: the limit is "at most".
        public var byShareCents: Int64
        /// The EU threshold in force on the procurement date; nil when it is unknown or the category had none then.
        public var euThresholdCents: Int64?
        /// Why the EU threshold of the date is unknown (the date lies outside the threshold table); nil when known.
        public var euThresholdUnknown: ProcedureWarning?

        /// The largest increase that stays within every known limit: below the EU threshold is one cent under it.
        public var increaseCents: Int64 { euThresholdCents.map { min(byShareCents, $0 - 1) } ?? byShareCents }
    }

    public static func allowance(originalCents: Int64, category: ContractCategory, on date: LocalDate) -> Allowance {
        let percent = allowedPercent(category)
        // Split at the hundred so that no original value, however large, overflows.
        let byShare = originalCents / 100 * percent + originalCents % 100 * percent / 100
        if let unknown = ProcurementThresholds.coverageWarning(on: date) {
            return Allowance(byShareCents: byShare, euThresholdCents: nil, euThresholdUnknown: unknown)
        }
        return Allowance(byShareCents: byShare, euThresholdCents: ProcurementThresholds.euCents(on: date, category: category),
                         euThresholdUnknown: nil)
    }

    /// The largest increase over `originalCents` that stays within both limits; where the EU threshold of `date` is
    /// not in the table, within the share limit alone.
    public static func allowedIncreaseCents(originalCents: Int64, category: ContractCategory, on date: LocalDate) -> Int64 {
        allowance(originalCents: originalCents, category: category, on: date).increaseCents
    }

    /// Warnings when the recorded value or the spend exceeds what a modification without a new procurement allows.
    /// The procurement date (`procuredOn`, else the start) picks the EU threshold.
    ///
    /// - Parameters:
    ///   - original: the contract as first recorded; its estimated value is what was procured.
    ///   - current: the contract as it stands.
    ///   - spendCents: every year's recorded spend, summed.
    public static func warnings(original: ContractFields, current: ContractFields, spendCents: Int64) -> [ProcedureWarning] {
        let procuredOn = current.procuredOn ?? current.startDate
        let originalValue = EstimatedValue.of(original).cents
        let currentValue = EstimatedValue.of(current).cents
        let allowance = allowance(originalCents: originalValue, category: current.category, on: procuredOn)
        let allowed = allowance.increaseCents
        // Exact differences: no value or spend, however extreme, overflows.
        let valueIncrease = Total(currentValue) - Total(originalValue)
        let spendIncrease = Total(spendCents) - Total(originalValue)
        var warnings: [ProcedureWarning] = []
        let percent = allowedPercent(current.category)
        let limit: String
        if allowance.euThresholdUnknown != nil {
            limit = "at most \(percent) % of the original value \(ContractTerms.euros(originalValue)), i.e. \(ContractTerms.euros(allowed)); the EU threshold of \(procuredOn) is not in the threshold table (\(ProcurementThresholds.firstJudgedDate) to \(ProcurementThresholds.lastJudgedDate)), so only the \(percent) % limit is judged"
        } else {
            limit = "below the EU threshold and at most \(percent) % of the original value \(ContractTerms.euros(originalValue)), i.e. \(ContractTerms.euros(allowed))"
        }
        if valueIncrease > Total(allowed) {
            warnings.append(ProcedureWarning(
                code: "value-change-exceeds-modification-limit",
                detail: "the estimated value rose from \(ContractTerms.euros(originalValue)) to \(ContractTerms.euros(currentValue)); a modification without a new procurement stays \(limit) (1397/2016 § 136)"))
        }
        if spendIncrease > Total(allowed) {
            warnings.append(ProcedureWarning(
                code: "spend-exceeds-modification-limit",
                detail: "the recorded spend \(ContractTerms.euros(spendCents)) exceeds the original value \(ContractTerms.euros(originalValue)) by more than a modification without a new procurement allows: \(limit) (1397/2016 § 136)"))
        } else if spendIncrease > Total(0) {
            warnings.append(ProcedureWarning(
                code: "spend-exceeds-procured-value",
                detail: "the recorded spend \(ContractTerms.euros(spendCents)) exceeds the original value \(ContractTerms.euros(originalValue)), within what a modification without a new procurement allows (\(ContractTerms.euros(allowed)))"))
        }
        // The date's EU threshold is unknown: said once, by the table's own warning, whenever the change matters.
        if let unknown = allowance.euThresholdUnknown, valueIncrease > Total(0) || spendIncrease > Total(0) {
            warnings.append(unknown)
        }
        return warnings
    }
}
