import SalkkuCore
import SalkkuJSON

/// What a reference column names: the record kind, found by the key a city keeps for it.
public enum ReferenceTarget: String, Sendable {
    /// By business ID (`businessId`).
    case supplier
    /// By the city's `externalId`.
    case service, contract, sla
    /// By municipality code.
    case city

    /// The file to import before one that refers to this kind.
    public var importName: String {
        switch self {
        case .supplier: "suppliers"
        case .service: "services"
        case .contract: "contracts"
        case .sla: "slas"
        case .city: "cities"
        }
    }

    public var keyName: String {
        switch self {
        case .supplier: "businessId"
        case .service, .contract, .sla: "externalId"
        case .city: "municipalityCode"
        }
    }

    /// A key as a file gives it, in the form stored records carry it: see `ExchangeFormat.matchingKey`.
    public func matchingKey(_ key: String) -> String {
        ExchangeFormat.matchingKey(member: keyName, key)
    }
}

/// A member that holds the id of another record (or a list of ids), and the column that may name it by key instead.
public struct ExchangeReference: Sendable {
    public let member: String
    public let keyColumn: String
    public let target: ReferenceTarget
    public let isList: Bool
    /// What the template's example row puts in the key column.
    public let exampleKey: String
}

/// One column of a type's CSV: a member of the record (nested members with dots), or the key column of a reference.
public struct ExchangeColumn: Sendable, Equatable {
    public let name: String
    public let path: [String]
    public let kind: ColumnKind
    /// Set for key columns: the reference whose id member they fill.
    public let referenceMember: String?
}

/// How one kind of resource is imported and exported as CSV or NDJSON: its columns, the natural key rows are
/// matched by, and the references that may be given by the city's own keys. The columns are derived from an
/// example record with every member set, so a new field is a new column without an edit here.
public struct ExchangeFormat: Sendable {
    /// The name in paths and files: `contracts`.
    public let name: String
    public let resourceType: String
    /// The members whose values identify a record: `externalId` within the city, `businessId` for suppliers.
    public let naturalKey: [String]
    public let references: [ExchangeReference]
    /// In order: each record member (references' key columns right after their id member).
    public let columns: [ExchangeColumn]
    /// The template's example row, by column.
    public let example: [String: String]

    init<F: ResourceFields>(_ name: String, _ example: F, naturalKey: [String], references: [ExchangeReference] = [],
                            templateBlanks: Set<String> = []) {
        self.name = name
        resourceType = F.resourceType
        self.naturalKey = naturalKey
        self.references = references
        // The example is built in code and always encodes.
        let json = (try? JSONValue.of(example)) ?? .object([:])
        var columns: [ExchangeColumn] = []
        var values: [String: String] = [:]
        func walk(_ value: JSONValue, _ mirror: Any, path: [String]) {
            guard case .object(let members) = value else { return }
            for key in Self.declaredOrder(of: mirror, members: Array(members.keys)) {
                let member = members[key]!
                let childPath = path + [key]
                if case .object = member {
                    walk(member, Self.child(of: mirror, key) as Any, path: childPath)
                    continue
                }
                let column = ExchangeColumn(name: childPath.joined(separator: "."), path: childPath, kind: Self.kind(of: member, name: key),
                                            referenceMember: nil)
                columns.append(column)
                values[column.name] = templateBlanks.contains(column.name) ? "" : Cells.cell(member, kind: column.kind) ?? ""
                if path.isEmpty, let reference = references.first(where: { $0.member == key }) {
                    columns.append(ExchangeColumn(name: reference.keyColumn, path: [reference.keyColumn], kind: reference.isList ? .list : .text,
                                                  referenceMember: key))
                    values[reference.keyColumn] = reference.exampleKey
                }
            }
        }
        walk(json, example, path: [])
        self.columns = columns
        self.example = values
    }

    static func kind(of value: JSONValue, name: String) -> ColumnKind {
        switch value {
        case .string(let text): LocalDate(text) != nil && text.count == 10 ? .date : .text
        case .integer: name.hasSuffix("Cents") ? .cents : .number
        case .real: .number
        case .bool: .boolean
        case .array where name == "owners": .owners
        case .array(let items): items.contains { if case .object = $0 { true } else { false } } ? .options : .list
        case .null, .object: .text
        }
    }

    /// Members in the order the fields type declares them, so a file reads like the API's documentation.
    static func declaredOrder(of value: Any, members: [String]) -> [String] {
        var order: [String] = []
        for child in Mirror(reflecting: unwrapped(value)).children {
            if let label = child.label, members.contains(label) { order.append(label) }
        }
        return order + members.filter { !order.contains($0) }.sorted()
    }

    static func child(of value: Any, _ label: String) -> Any? {
        Mirror(reflecting: unwrapped(value)).children.first { $0.label == label }.map { unwrapped($0.value) }
    }

    static func unwrapped(_ value: Any) -> Any {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional, let some = mirror.children.first else { return value }
        return unwrapped(some.value)
    }

    /// The columns of an export: the record's id, then every column.
    public var exportHeader: [String] { ["id"] + columns.map(\.name) }

    /// The columns of the template: what a new record needs, references by key rather than by id.
    public var templateColumns: [ExchangeColumn] {
        let byKey = Set(references.map(\.member))
        return columns.filter { !byKey.contains($0.name) }
    }

    /// A key member's value as a file gives it, in the form stored records carry it: a business ID normalised, so that
    /// a legacy six-digit `112038-9` names the supplier stored as `0112038-9`. Every match by key goes through here:
    /// a row's natural key and every reference column (`supplierBusinessId`, `providerBusinessId`, …).
    public static func matchingKey(member: String, _ value: String) -> String {
        member == "businessId" ? BusinessID.matchingKey(value) : value
    }

    /// A natural key's value from a row, in the form stored records carry it.
    public func matchingKey(member: String, _ value: JSONValue) -> JSONValue {
        guard case .string(let text) = value else { return value }
        return .string(Self.matchingKey(member: member, text))
    }

    public func reference(keyColumn: String) -> ExchangeReference? {
        references.first { $0.keyColumn == keyColumn }
    }

    public func reference(member: String) -> ExchangeReference? {
        references.first { $0.member == member }
    }
}

extension ExchangeFormat {
    static let supplierByBusinessId = "0112038-9"

    public static let suppliers = ExchangeFormat(
        "suppliers",
        SupplierFields(name: "Esimerkki Palvelut Oy", businessId: supplierByBusinessId, kind: .municipalEnterprise,
                       contact: SupplierContact(name: "Maija Myyjä", email: "myynti@esimerkki.example", phone: "+358 9 123 4567"),
                       ownerCityId: "019b76da-a800-7000-8000-000a00000000",
                       // Every member set, so each is a column; a real row names either ownerCityId or owners.
                       owners: [SupplierOwner(municipalityCode: "049", sharePercent: ExactDecimal(thousandths: 51_500))],
                       vatNumber: "FI01120389", foreignRegistryId: "556677-8899", country: "SE"),
        naturalKey: ["businessId"],
        references: [ExchangeReference(member: "ownerCityId", keyColumn: "ownerMunicipalityCode", target: .city, isList: false, exampleKey: "091")],
        templateBlanks: ["ownerCityId", "owners", "vatNumber", "foreignRegistryId", "country"])

    public static let services = ExchangeFormat(
        "services",
        ServiceFields(
            name: "Asiakastietojärjestelmä", description: "Sosiaali- ja terveyspalvelujen asiakastiedot", sector: .socialHealth,
            owner: Owner(name: "Anna Virtanen", title: "Palvelupäällikkö", email: "anna.virtanen@kaupunki.example"), lifecycle: .active,
            lifecycleDates: LifecycleDates(phaseIn: LocalDate(year: 2019, month: 1, day: 1), active: LocalDate(year: 2019, month: 6, day: 1),
                                           phaseOut: LocalDate(year: 2029, month: 1, day: 1), retired: LocalDate(year: 2029, month: 12, day: 31)),
            providerId: "provider-id", annualCostCents: 125_000_00, criticality: .high, externalId: "PAL-001", arrangerId: "arranger-id",
            capabilityIds: ["sector-expertise"], processIds: ["cobit-2019:APO09"]),
        naturalKey: ["externalId"],
        references: [
            ExchangeReference(member: "providerId", keyColumn: "providerBusinessId", target: .supplier, isList: false, exampleKey: supplierByBusinessId),
            ExchangeReference(member: "arrangerId", keyColumn: "arrangerBusinessId", target: .supplier, isList: false, exampleKey: ""),
        ],
        templateBlanks: ["lifecycleDates.phaseOut", "lifecycleDates.retired"])

    public static let contracts = ExchangeFormat(
        "contracts",
        ContractFields(
            title: "Asiakastietojärjestelmän palvelusopimus", supplierId: "supplier-id", externalId: "SOP-001", category: .services,
            procedure: .open, procuredOn: LocalDate(year: 2023, month: 11, day: 15), totalValueCents: 2_400_000_00, annualValueCents: 600_000_00,
            startDate: LocalDate(year: 2024, month: 1, day: 1)!, initialEndDate: LocalDate(year: 2027, month: 12, day: 31)!,
            options: [ContractOption(months: 12, exercised: true), ContractOption(months: 12, exercised: false)], renewal: .tacit,
            renewalPeriodMonths: 12, noticePeriodMonths: 6, managedBy: .sector, sector: .socialHealth, serviceIds: ["service-id"],
            terminatedOn: LocalDate(year: 2030, month: 12, day: 31), serviceCreditCapPercent: ExactDecimal("10.5"),
            capabilityIds: ["procurement-and-supplier-management"], processIds: ["cobit-2019:APO10"]),
        naturalKey: ["externalId"],
        references: [
            ExchangeReference(member: "supplierId", keyColumn: "supplierBusinessId", target: .supplier, isList: false, exampleKey: supplierByBusinessId),
            ExchangeReference(member: "serviceIds", keyColumn: "serviceExternalIds", target: .service, isList: true, exampleKey: "PAL-001"),
        ],
        templateBlanks: ["terminatedOn"])

    public static let slas = ExchangeFormat(
        "slas",
        SLAFields(contractId: "contract-id", serviceId: "service-id", name: "Kriittisen häiriön vasteaika", metric: .responseTime, priority: 1,
                  unit: .minutes, comparator: .atMost, target: ExactDecimal("30.5")!, period: .month,
                  serviceCreditPercent: ExactDecimal("2.5")!, periodFeeCents: 50_000_00, validFrom: LocalDate(year: 2024, month: 1, day: 1),
                  validTo: LocalDate(year: 2027, month: 12, day: 31), capabilityIds: ["sector-expertise"],
                  processIds: ["itil-4:service-level-management"], externalId: "SOP-001-SLA-1"),
        naturalKey: ["externalId"],
        references: [
            ExchangeReference(member: "contractId", keyColumn: "contractExternalId", target: .contract, isList: false, exampleKey: "SOP-001"),
            ExchangeReference(member: "serviceId", keyColumn: "serviceExternalId", target: .service, isList: false, exampleKey: "PAL-001"),
        ],
        templateBlanks: ["periodFeeCents", "validFrom", "validTo"])

    public static let projects = ExchangeFormat(
        "projects",
        ProjectFields(
            name: "Sähköinen asiointi 2.0", description: "Asiointipalvelun uudistus", sector: .crossSector,
            owner: Owner(name: "Pekka Projekti", title: "Projektipäällikkö", email: "pekka@kaupunki.example"), phase: .execution,
            health: .onTrack, budgetCents: 800_000_00, actualCostCents: 310_000_00, startDate: LocalDate(year: 2025, month: 2, day: 1),
            plannedEndDate: LocalDate(year: 2026, month: 12, day: 31), actualEndDate: LocalDate(year: 2027, month: 1, day: 31),
            expectedAnnualSavingsCents: 120_000_00, serviceIds: ["service-id"], supplierIds: ["supplier-id"],
            portfolioDecision: PortfolioDecision(decidedOn: LocalDate(year: 2024, month: 11, day: 20)!, decidedBy: "Kaupunginhallitus 20.11.2024 § 512"),
            priority: 2, externalId: "HNK-001", capabilityIds: ["sector-expertise"], processIds: ["cobit-2019:BAI01"]),
        naturalKey: ["externalId"],
        references: [
            ExchangeReference(member: "serviceIds", keyColumn: "serviceExternalIds", target: .service, isList: true, exampleKey: "PAL-001"),
            ExchangeReference(member: "supplierIds", keyColumn: "supplierBusinessIds", target: .supplier, isList: true, exampleKey: supplierByBusinessId),
        ],
        templateBlanks: ["actualEndDate"])

    public static let measurements = ExchangeFormat(
        "measurements",
        MeasurementFields(slaId: "sla-id", period: MeasurementPeriod("2026-10")!, value: ExactDecimal("99.62")!, source: .supplierReport,
                          evidence: "Kuukausiraportti 10/2026, liite 2", reportedAt: Timestamp(rfc3339: "2026-11-05T09:00:00Z")!,
                          note: "Huoltokatko 12.10. sovittu", dispute: Dispute(status: .open, note: "Katko ei ollut sovittu")),
        naturalKey: ["slaId", "period"],
        references: [ExchangeReference(member: "slaId", keyColumn: "slaExternalId", target: .sla, isList: false, exampleKey: "SOP-001-SLA-1")],
        templateBlanks: ["dispute.status", "dispute.note", "note"])

    public static let capabilities = ExchangeFormat(
        "capabilities",
        CapabilitySourcingFields(capabilityId: "sector-expertise/education-culture", sourcing: .own, nationalCentreSupports: true,
                                 providerId: "provider-id", expertSupportNeed: .medium, note: "Opetuksen ICT-liikelaitos"),
        naturalKey: ["capabilityId"],
        references: [
            ExchangeReference(member: "providerId", keyColumn: "providerBusinessId", target: .supplier, isList: false, exampleKey: supplierByBusinessId),
        ])

    public static let assessments = ExchangeFormat(
        "assessments",
        AssessmentFields(processId: "cobit-2019:APO10", level: 3, achievement: .largely, targetLevel: 4,
                         assessedOn: LocalDate(year: 2026, month: 9, day: 15)!, assessor: "Sisäinen tarkastus", method: .internalAudit,
                         evidence: "Tarkastuskertomus 2026/7"),
        naturalKey: ["processId", "assessedOn", "method"])

    /// Every importable type, in the order files must be imported: what a row refers to comes first.
    public static let all: [ExchangeFormat] = [suppliers, services, contracts, slas, projects, measurements, capabilities, assessments]

    public static func named(_ name: String) -> ExchangeFormat? {
        all.first { $0.name == name }
    }
}
