import Foundation
import GRDB
import SalkkuCore
import SalkkuJSON

extension AppDatabase {
    // A released migration's SQL never changes (`MigrationTests` holds each one's text): the CHECK lists of
    // enumerations are literals as they were released, and a new case comes with a migration of its own.

    enum Ownership { case shared, city, onePerCity }

    /// The columns every resource table starts with: the metadata the write path keeps.
    static func resourceColumns(_ ownership: Ownership) -> String {
        let city = switch ownership {
        case .shared: ""
        case .city: "cityId TEXT NOT NULL REFERENCES city(id) ON DELETE RESTRICT,"
        case .onePerCity: "cityId TEXT NOT NULL UNIQUE REFERENCES city(id) ON DELETE RESTRICT,"
        }
        return "id TEXT PRIMARY KEY NOT NULL, \(city) version INTEGER NOT NULL CHECK (version >= 1), createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL,"
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-registry-and-change-log") { db in
            try db.execute(sql: """
                CREATE TABLE city (
                    \(resourceColumns(.shared))
                    municipalityCode TEXT NOT NULL UNIQUE
                        CHECK (length(municipalityCode) = 3 AND municipalityCode NOT GLOB '*[^0-9]*'),
                    name TEXT NOT NULL CHECK (json_valid(name)),
                    population INTEGER CHECK (population >= 0),
                    itOrganisation TEXT
                );

                CREATE TABLE supplier (
                    \(resourceColumns(.shared))
                    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
                    businessId TEXT NOT NULL UNIQUE CHECK (businessId GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9]'),
                    kind TEXT NOT NULL CHECK (kind IN ('own-production','in-house-company','municipal-enterprise','shared-service-centre','commercial')),
                    contact TEXT CHECK (contact IS NULL OR json_valid(contact))
                );
                CREATE INDEX supplier_by_kind ON supplier(kind, id);

                CREATE TABLE service (
                    \(resourceColumns(.city))
                    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
                    description TEXT,
                    sector TEXT NOT NULL CHECK (sector IN ('social-health','education-culture','housing-environment','administration','cross-sector')),
                    owner TEXT NOT NULL CHECK (json_valid(owner) AND json_extract(owner, '$.name') IS NOT NULL),
                    lifecycle TEXT NOT NULL CHECK (lifecycle IN ('plan','phase-in','active','phase-out','retired')),
                    lifecycleDates TEXT CHECK (lifecycleDates IS NULL OR json_valid(lifecycleDates)),
                    providerId TEXT REFERENCES supplier(id) ON DELETE RESTRICT,
                    annualCostCents INTEGER CHECK (annualCostCents >= 0),
                    criticality TEXT NOT NULL CHECK (criticality IN ('low','medium','high','critical')),
                    externalId TEXT,
                    CHECK (lifecycle = 'plan' OR providerId IS NOT NULL),
                    UNIQUE (cityId, externalId)
                );
                CREATE INDEX service_by_city ON service(cityId, id);
                CREATE INDEX service_by_sector ON service(cityId, sector, id);
                CREATE INDEX service_by_lifecycle ON service(cityId, lifecycle, id);
                CREATE INDEX service_by_criticality ON service(cityId, criticality, id);
                CREATE INDEX service_by_provider ON service(providerId, id);

                -- Every write appends here: the full new state, or NULL for a deletion (a tombstone).
                -- The audit log, as-of reads and the change feed are built on this table.
                CREATE TABLE change (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    at TEXT NOT NULL,
                    actorId TEXT,
                    actorName TEXT NOT NULL,
                    actorRole TEXT NOT NULL,
                    action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
                    resourceType TEXT NOT NULL,
                    resourceId TEXT NOT NULL,
                    cityId TEXT,
                    version INTEGER NOT NULL CHECK (version >= 1),
                    state TEXT CHECK ((action = 'delete') = (state IS NULL) AND (state IS NULL OR json_valid(state)))
                );
                CREATE INDEX change_by_resource ON change(resourceType, resourceId, seq);
                CREATE INDEX change_by_city ON change(cityId, seq);
                """)
        }
        migrator.registerMigration("v2-contracts-slas-projects") { db in
            try db.execute(sql: """
                CREATE TABLE contract (
                    \(resourceColumns(.city))
                    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
                    supplierId TEXT NOT NULL REFERENCES supplier(id) ON DELETE RESTRICT,
                    externalId TEXT,
                    category TEXT NOT NULL CHECK (category IN ('services','supplies','social-health-services')),
                    procedure TEXT NOT NULL CHECK (procedure IN ('open','restricted','negotiated','competitive-dialogue','framework-call-off','in-house','direct-award','below-threshold')),
                    procuredOn TEXT,
                    totalValueCents INTEGER NOT NULL CHECK (totalValueCents >= 0),
                    annualValueCents INTEGER CHECK (annualValueCents >= 0),
                    startDate TEXT NOT NULL,
                    initialEndDate TEXT NOT NULL CHECK (initialEndDate >= startDate),
                    options TEXT NOT NULL CHECK (json_valid(options) AND json_type(options) = 'array'),
                    renewal TEXT NOT NULL CHECK (renewal IN ('none','tacit','express')),
                    renewalPeriodMonths INTEGER CHECK (renewalPeriodMonths BETWEEN 1 AND 120),
                    noticePeriodMonths INTEGER NOT NULL CHECK (noticePeriodMonths BETWEEN 0 AND 60),
                    managedBy TEXT NOT NULL CHECK (managedBy IN ('central','sector')),
                    sector TEXT CHECK (sector IS NULL OR sector IN ('social-health','education-culture','housing-environment','administration','cross-sector')),
                    serviceIds TEXT NOT NULL CHECK (json_valid(serviceIds) AND json_type(serviceIds) = 'array'),
                    terminatedOn TEXT,
                    CHECK (renewal <> 'tacit' OR renewalPeriodMonths IS NOT NULL),
                    CHECK (managedBy <> 'sector' OR sector IS NOT NULL),
                    UNIQUE (cityId, externalId)
                );
                CREATE INDEX contract_by_city ON contract(cityId, id);
                CREATE INDEX contract_by_supplier ON contract(supplierId, id);
                CREATE INDEX contract_by_city_supplier ON contract(cityId, supplierId, id);
                CREATE INDEX contract_by_managed_by ON contract(cityId, managedBy, id);
                CREATE INDEX contract_by_procedure ON contract(cityId, procedure, id);

                CREATE TABLE sla (
                    \(resourceColumns(.city))
                    contractId TEXT NOT NULL REFERENCES contract(id) ON DELETE RESTRICT,
                    serviceId TEXT NOT NULL REFERENCES service(id) ON DELETE RESTRICT,
                    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
                    metric TEXT NOT NULL CHECK (metric IN ('availability','response-time','resolution-time','answer-time','satisfaction','custom')),
                    priority INTEGER CHECK (priority BETWEEN 1 AND 4),
                    unit TEXT NOT NULL CHECK (unit IN ('percent','minutes','hours','score')),
                    comparator TEXT NOT NULL CHECK (comparator IN ('at-least','at-most')),
                    -- Decimals are stored as integer thousandths, compared exactly.
                    target INTEGER NOT NULL CHECK (target >= 0 AND (unit <> 'percent' OR target <= 100000)),
                    period TEXT NOT NULL CHECK (period IN ('month','quarter')),
                    serviceCreditPercent INTEGER NOT NULL CHECK (serviceCreditPercent BETWEEN 0 AND 100000),
                    periodFeeCents INTEGER CHECK (periodFeeCents >= 0),
                    validFrom TEXT,
                    validTo TEXT,
                    CHECK (validFrom IS NULL OR validTo IS NULL OR validTo >= validFrom)
                );
                CREATE INDEX sla_by_city ON sla(cityId, id);
                CREATE INDEX sla_by_contract ON sla(contractId, id);
                CREATE INDEX sla_by_service ON sla(serviceId, id);
                CREATE INDEX sla_by_metric ON sla(cityId, metric, id);

                CREATE TABLE project (
                    \(resourceColumns(.city))
                    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
                    description TEXT,
                    sector TEXT NOT NULL CHECK (sector IN ('social-health','education-culture','housing-environment','administration','cross-sector')),
                    owner TEXT NOT NULL CHECK (json_valid(owner) AND json_extract(owner, '$.name') IS NOT NULL),
                    phase TEXT NOT NULL CHECK (phase IN ('idea','pre-study','planning','execution','deployment','closed','cancelled')),
                    health TEXT CHECK (health IS NULL OR health IN ('on-track','at-risk','off-track')),
                    budgetCents INTEGER CHECK (budgetCents >= 0),
                    actualCostCents INTEGER CHECK (actualCostCents >= 0),
                    startDate TEXT,
                    plannedEndDate TEXT,
                    actualEndDate TEXT,
                    expectedAnnualSavingsCents INTEGER CHECK (expectedAnnualSavingsCents >= 0),
                    serviceIds TEXT NOT NULL CHECK (json_valid(serviceIds) AND json_type(serviceIds) = 'array'),
                    supplierIds TEXT NOT NULL CHECK (json_valid(supplierIds) AND json_type(supplierIds) = 'array'),
                    portfolioDecision TEXT CHECK (portfolioDecision IS NULL OR json_valid(portfolioDecision)),
                    priority INTEGER CHECK (priority BETWEEN 1 AND 5),
                    externalId TEXT,
                    CHECK (phase NOT IN ('planning', 'execution', 'deployment') OR health IS NOT NULL),
                    UNIQUE (cityId, externalId)
                );
                CREATE INDEX project_by_city ON project(cityId, id);
                CREATE INDEX project_by_phase ON project(cityId, phase, id);
                CREATE INDEX project_by_health ON project(cityId, health, id);
                CREATE INDEX project_by_sector ON project(cityId, sector, id);
                """)
            // The id lists of contracts and projects are mirrored into link tables by triggers, so
            // that filters by service use an index and a referenced service or supplier cannot vanish.
            for (owner, column, target) in [("contract", "serviceIds", "service"), ("project", "serviceIds", "service"),
                                            ("project", "supplierIds", "supplier")] {
                let link = "\(owner)_\(target)"
                try db.execute(sql: """
                    CREATE TABLE \(link) (
                        \(owner)Id TEXT NOT NULL REFERENCES \(owner)(id) ON DELETE CASCADE,
                        \(target)Id TEXT NOT NULL REFERENCES \(target)(id) ON DELETE RESTRICT,
                        PRIMARY KEY (\(owner)Id, \(target)Id)
                    ) WITHOUT ROWID;
                    CREATE INDEX \(link)_by_\(target) ON \(link)(\(target)Id, \(owner)Id);
                    CREATE TRIGGER \(link)_on_insert AFTER INSERT ON \(owner) BEGIN
                        INSERT INTO \(link) SELECT NEW.id, value FROM json_each(NEW.\(column));
                    END;
                    CREATE TRIGGER \(link)_on_update AFTER UPDATE OF \(column) ON \(owner) BEGIN
                        DELETE FROM \(link) WHERE \(owner)Id = NEW.id;
                        INSERT INTO \(link) SELECT NEW.id, value FROM json_each(NEW.\(column));
                    END;
                    """)
            }
        }
        migrator.registerMigration("v3-sla-measurements") { db in
            try db.execute(sql: """
                CREATE TABLE measurement (
                    \(resourceColumns(.city))
                    slaId TEXT NOT NULL REFERENCES sla(id) ON DELETE RESTRICT,
                    period TEXT NOT NULL CHECK (period GLOB '[12][0-9][0-9][0-9]-[01][0-9]' OR period GLOB '[12][0-9][0-9][0-9]-Q[1-4]'),
                    value INTEGER NOT NULL CHECK (value >= 0),
                    source TEXT NOT NULL CHECK (source IN ('supplier-report','monitoring','survey','manual')),
                    evidence TEXT,
                    reportedAt TEXT NOT NULL,
                    note TEXT,
                    dispute TEXT CHECK (dispute IS NULL OR (json_valid(dispute) AND json_extract(dispute, '$.status') IN ('open','accepted','rejected'))),
                    firstMonth INTEGER GENERATED ALWAYS AS (\(MeasurementPeriodColumns.firstMonth)) STORED,
                    lastMonth INTEGER GENERATED ALWAYS AS (\(MeasurementPeriodColumns.lastMonth)) STORED,
                    disputeStatus TEXT GENERATED ALWAYS AS (json_extract(dispute, '$.status')) STORED,
                    CHECK (source <> 'supplier-report' OR length(trim(evidence)) > 0),
                    UNIQUE (slaId, period)
                );
                -- The roll-ups read only this index: per SLA, by the month a period ends.
                CREATE INDEX measurement_rollup ON measurement(slaId, lastMonth, firstMonth, value, disputeStatus);
                CREATE INDEX measurement_by_city ON measurement(cityId, lastMonth, slaId);
                """)
        }
        migrator.registerMigration("v4-governance-model") { db in
            try createCatalogue(db)
            let mapping = """
                capabilityIds TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(capabilityIds) AND json_type(capabilityIds) = 'array')
                """
            let processMapping = """
                processIds TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(processIds) AND json_type(processIds) = 'array')
                """
            for table in ["service", "contract", "sla", "project"] {
                try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN \(mapping)")
                try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN \(processMapping)")
            }
            try db.execute(sql: """
                ALTER TABLE service ADD COLUMN arrangerId TEXT REFERENCES supplier(id) ON DELETE RESTRICT;
                CREATE INDEX service_by_arranger ON service(arrangerId, id);

                CREATE TABLE capability_sourcing (
                    \(resourceColumns(.city))
                    capabilityId TEXT NOT NULL REFERENCES catalogue_capability(id),
                    sourcing TEXT NOT NULL CHECK (sourcing IN ('own','shared-centre-supports','shared-centre-provides','national-centre-supports')),
                    note TEXT,
                    UNIQUE (cityId, capabilityId)
                );

                CREATE TABLE effort_profile (
                    \(resourceColumns(.onePerCity))
                    current TEXT NOT NULL CHECK (json_valid(current)),
                    target TEXT NOT NULL CHECK (json_valid(target))
                );

                CREATE TABLE governance_facts (
                    \(resourceColumns(.onePerCity))
                    centralItUnit INTEGER CHECK (centralItUnit IN (0, 1)),
                    ictStrategyApprovedOn TEXT,
                    sectorItUnits INTEGER CHECK (sectorItUnits >= 0),
                    itSteeringGroup INTEGER CHECK (itSteeringGroup IN (0, 1)),
                    evidence TEXT NOT NULL CHECK (json_valid(evidence))
                );

                CREATE TABLE assessment (
                    \(resourceColumns(.city))
                    processId TEXT NOT NULL REFERENCES catalogue_process(id),
                    level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 5),
                    achievement TEXT NOT NULL CHECK (achievement IN ('fully','largely','partially','not')),
                    targetLevel INTEGER CHECK (targetLevel BETWEEN 0 AND 5),
                    assessedOn TEXT NOT NULL,
                    assessor TEXT NOT NULL CHECK (length(trim(assessor)) > 0),
                    method TEXT NOT NULL CHECK (method IN ('self-assessment','internal-audit','external-audit','caf')),
                    evidence TEXT
                );
                CREATE INDEX assessment_by_city ON assessment(cityId, id);
                CREATE INDEX assessment_by_process ON assessment(cityId, processId, assessedOn);

                CREATE TABLE maturity_snapshot (
                    \(resourceColumns(.city))
                    asOf TEXT NOT NULL,
                    stage INTEGER NOT NULL CHECK (stage BETWEEN 1 AND 3),
                    note TEXT,
                    maturity TEXT NOT NULL CHECK (json_valid(maturity))
                );
                CREATE INDEX maturity_snapshot_by_city ON maturity_snapshot(cityId, id);
                """)
        }
        migrator.registerMigration("v5-audit-chain") { db in
            try db.execute(sql: """
                ALTER TABLE change ADD COLUMN before TEXT CHECK (before IS NULL OR json_valid(before));
                ALTER TABLE change ADD COLUMN previousHash TEXT;
                ALTER TABLE change ADD COLUMN hash TEXT;
                CREATE INDEX change_by_time ON change(at, seq);
                CREATE INDEX change_by_type_city ON change(resourceType, cityId, seq);
                """)
            // Entries written before the chain existed get their before-state and hashes now, in order.
            var previous = AuditEntry.genesisHash
            var lastState: [String: String] = [:]
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM change ORDER BY seq")
            for row in rows {
                var entry = try AuditEntry(row: row)
                let key = "\(entry.resourceType) \(entry.resourceId)"
                entry.before = lastState[key]
                lastState[key] = entry.state
                let hash = entry.hash(previous: previous)
                try db.execute(sql: "UPDATE change SET before = ?, previousHash = ?, hash = ? WHERE seq = ?",
                               arguments: [entry.before, previous, hash, entry.seq])
                previous = hash
            }
        }
        migrator.registerMigration("v6-api-tokens") { db in
            try db.execute(sql: """
                CREATE TABLE api_token (
                    \(resourceColumns(.shared))
                    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
                    role TEXT NOT NULL CHECK (role IN ('admin','cio','integration','auditor')),
                    cityIds TEXT NOT NULL CHECK (json_valid(cityIds) AND json_type(cityIds) = 'array'),
                    -- SHA-256 of the secret in hex; the secret itself is never stored.
                    tokenHash TEXT NOT NULL UNIQUE CHECK (length(tokenHash) = 64),
                    expiresOn TEXT,
                    revokedAt TEXT
                );
                """)
        }
        migrator.registerMigration("v7-supplier-owners-and-audit-actors") { db in
            // A city's own production unit or municipal enterprise belongs to that city: only its CIO may change it.
            // The audit log is filtered by actor; without these indexes that read the whole log.
            try db.execute(sql: """
                ALTER TABLE supplier ADD COLUMN ownerCityId TEXT REFERENCES city(id) ON DELETE RESTRICT;
                CREATE INDEX supplier_by_owner ON supplier(ownerCityId, id);
                CREATE INDEX change_by_actor_id ON change(actorId, seq);
                CREATE INDEX change_by_actor_name ON change(actorName, seq);
                """)
        }
        migrator.registerMigration("v8-record-history") { db in
            try RecordHistory.createTables(db)
            try RecordHistory.build(db)
        }
        migrator.registerMigration("v9-service-credit-caps") { db in
            // Thousandths of a percent, like the SLAs' credit percentages; the history keeps it too.
            // The partial indexes stay empty until a fee changes or a cap is set, so finding the SLAs whose credits
            // need the history costs nothing in the common case.
            try db.execute(sql: """
                ALTER TABLE contract ADD COLUMN serviceCreditCapPercent INTEGER CHECK (serviceCreditCapPercent BETWEEN 0 AND 100000);
                ALTER TABLE contract_history ADD COLUMN serviceCreditCapPercent INTEGER;
                CREATE INDEX contract_capped ON contract(id) WHERE serviceCreditCapPercent IS NOT NULL;
                CREATE INDEX contract_history_capped ON contract_history(id) WHERE serviceCreditCapPercent IS NOT NULL;
                CREATE INDEX sla_history_superseded ON sla_history(id) WHERE recordedUntil IS NOT NULL;
                CREATE INDEX contract_history_superseded ON contract_history(id) WHERE recordedUntil IS NOT NULL;
                """)
        }
        migrator.registerMigration("v10-sla-external-ids") { db in
            // A city's own key for an SLA, as services, contracts and projects have: what imports match rows by.
            try db.execute(sql: """
                ALTER TABLE sla ADD COLUMN externalId TEXT;
                ALTER TABLE sla_history ADD COLUMN externalId TEXT;
                CREATE UNIQUE INDEX sla_by_external_id ON sla(cityId, externalId);
                """)
        }
        migrator.registerMigration("v12-supplier-owners-and-identifiers") { db in
            // In-house is a relation (hankintalaki 1397/2016 § 15): in-house companies and shared service centres
            // record their owner cities and shares. Own production and municipal enterprises carry their city's
            // business ID, so it is unique only among the other kinds (the write path lets one city's units share
            // it); a foreign supplier has a VAT number or a foreign registry id instead. A column's UNIQUE and NOT
            // NULL cannot be dropped in SQLite, so the table is rebuilt with its rows, ids and indexes as they were;
            // foreign keys are checked when the migration ends. `ownerCityId` keeps its values and meaning.
            try db.execute(sql: """
                CREATE TABLE supplier_v12 (
                    \(resourceColumns(.shared))
                    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
                    businessId TEXT CHECK (businessId GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9]'),
                    kind TEXT NOT NULL CHECK (kind IN ('own-production','in-house-company','municipal-enterprise','shared-service-centre','commercial')),
                    contact TEXT CHECK (contact IS NULL OR json_valid(contact)),
                    ownerCityId TEXT REFERENCES city(id) ON DELETE RESTRICT,
                    owners TEXT CHECK (owners IS NULL OR (json_valid(owners) AND json_type(owners) = 'array')),
                    vatNumber TEXT CHECK (vatNumber GLOB '[A-Z][A-Z]?*' AND vatNumber NOT GLOB '*[^0-9A-Z+*]*'),
                    foreignRegistryId TEXT CHECK (length(trim(foreignRegistryId)) > 0),
                    country TEXT CHECK (country GLOB '[A-Z][A-Z]'),
                    CHECK (businessId IS NOT NULL OR vatNumber IS NOT NULL OR (foreignRegistryId IS NOT NULL AND country IS NOT NULL))
                );
                INSERT INTO supplier_v12 (id, version, createdAt, updatedAt, name, businessId, kind, contact, ownerCityId)
                    SELECT id, version, createdAt, updatedAt, name, businessId, kind, contact, ownerCityId FROM supplier;
                DROP TABLE supplier;
                ALTER TABLE supplier_v12 RENAME TO supplier;
                CREATE INDEX supplier_by_kind ON supplier(kind, id);
                CREATE INDEX supplier_by_owner ON supplier(ownerCityId, id);
                CREATE UNIQUE INDEX supplier_by_business_id ON supplier(businessId)
                    WHERE kind NOT IN ('own-production','municipal-enterprise');
                CREATE INDEX supplier_by_shared_business_id ON supplier(businessId, ownerCityId);
                CREATE UNIQUE INDEX supplier_by_vat_number ON supplier(vatNumber);
                CREATE UNIQUE INDEX supplier_by_foreign_registry_id ON supplier(country, foreignRegistryId);
                ALTER TABLE supplier_history ADD COLUMN owners TEXT;
                ALTER TABLE supplier_history ADD COLUMN vatNumber TEXT;
                ALTER TABLE supplier_history ADD COLUMN foreignRegistryId TEXT;
                ALTER TABLE supplier_history ADD COLUMN country TEXT;
                """)
        }
        return migrator
    }

    /// Month numbers (year × 12 + month − 1) of a measurement period's first and last month, derived from its
    /// text so that range and scope conditions are integer comparisons on an index.
    enum MeasurementPeriodColumns {
        private static let year = "CAST(substr(period, 1, 4) AS INTEGER) * 12"
        private static let quarter = "CAST(substr(period, 7, 1) AS INTEGER)"
        private static let month = "CAST(substr(period, 6, 2) AS INTEGER)"
        static let firstMonth = "\(year) + CASE WHEN substr(period, 6, 1) = 'Q' THEN \(quarter) * 3 - 3 ELSE \(month) - 1 END"
        static let lastMonth = "\(year) + CASE WHEN substr(period, 6, 1) = 'Q' THEN \(quarter) * 3 - 1 ELSE \(month) - 1 END"
    }

    /// The reference catalogue, loaded from `GovernanceCatalogue`; read-only over the API.
    static func createCatalogue(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE catalogue_capability (
                id TEXT PRIMARY KEY NOT NULL,
                position INTEGER NOT NULL,
                parentId TEXT REFERENCES catalogue_capability(id),
                name TEXT NOT NULL CHECK (json_valid(name)),
                description TEXT NOT NULL CHECK (json_valid(description))
            );
            CREATE TABLE catalogue_process (
                id TEXT PRIMARY KEY NOT NULL,
                position INTEGER NOT NULL,
                framework TEXT NOT NULL CHECK (framework IN ('cobit-2019','itil-4','public-it-governance')),
                code TEXT NOT NULL,
                name TEXT NOT NULL CHECK (json_valid(name)),
                "group" TEXT NOT NULL,
                "references" TEXT NOT NULL CHECK (json_valid("references"))
            );
            CREATE INDEX catalogue_process_by_framework ON catalogue_process(framework, position);
            CREATE TABLE focus_area (
                id TEXT PRIMARY KEY NOT NULL,
                position INTEGER NOT NULL,
                name TEXT NOT NULL CHECK (json_valid(name)),
                description TEXT NOT NULL CHECK (json_valid(description)),
                processIds TEXT NOT NULL CHECK (json_valid(processIds))
            );
            """)
        func json(_ value: some Encodable) throws -> String { String(decoding: try CompactJSONEncoder.encode(value), as: UTF8.self) }
        for (position, capability) in GovernanceCatalogue.capabilities.enumerated() {
            try db.execute(sql: "INSERT INTO catalogue_capability VALUES (?, ?, ?, ?, ?)",
                           arguments: [capability.id, position, capability.parentId, try json(capability.name), try json(capability.description)])
        }
        for (position, process) in GovernanceCatalogue.processes.enumerated() {
            try db.execute(sql: "INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [process.id, position, process.framework.rawValue, process.code, try json(process.name),
                                       process.group, try json(process.references)])
        }
        for (position, area) in GovernanceCatalogue.focusAreas.enumerated() {
            try db.execute(sql: "INSERT INTO focus_area VALUES (?, ?, ?, ?, ?)",
                           arguments: [area.id, position, try json(area.name), try json(area.description), try json(area.processIds)])
        }
    }
}
