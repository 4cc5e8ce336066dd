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
            try createCatalogue(db, capabilities: capabilitiesReleasedInV4)
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
            // The kinds whose tables existed when this migration was released; later kinds get their history with
            // their tables.
            let existing = try RecordHistory.kinds.filter { try db.tableExists($0.table) }
            try RecordHistory.createTables(db, kinds: existing)
            try RecordHistory.build(db, kinds: existing)
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
        migrator.registerMigration("v11-maturity-models-and-transition-plans") { db in
            // The thresholds become a published record, one for all cities; a snapshot names the version it used.
            // A city's own transition plan, one per city; its measures (with their project ids) are one JSON list.
            try db.execute(sql: """
                CREATE TABLE maturity_model (
                    \(resourceColumns(.shared))
                    thresholds TEXT NOT NULL CHECK (json_valid(thresholds) AND json_type(thresholds) = 'object'),
                    note TEXT,
                    publishedBy TEXT
                );

                CREATE TABLE transition_plan (
                    \(resourceColumns(.onePerCity))
                    targetStage INTEGER NOT NULL CHECK (targetStage BETWEEN 2 AND 3),
                    targetDate TEXT NOT NULL,
                    option TEXT NOT NULL CHECK (option IN ('own-development-model','cooperation-model')),
                    measures TEXT NOT NULL CHECK (json_valid(measures) AND json_type(measures) = 'array'),
                    decision TEXT CHECK (decision IS NULL OR json_valid(decision)),
                    note TEXT
                );

                ALTER TABLE maturity_snapshot ADD COLUMN modelVersion INTEGER CHECK (modelVersion >= 1);
                ALTER TABLE maturity_snapshot_history ADD COLUMN modelVersion INTEGER;
                """)
            let kinds = RecordHistory.kinds.filter { [MaturityModelFields.databaseTableName, TransitionPlanFields.databaseTableName].contains($0.table) }
            try RecordHistory.createTables(db, kinds: kinds)
            // The first version, today's thresholds, is there without a publication: in force from before any record
            // (the rules used these values as constants until now), so a read at any past record time finds it. Its
            // instants are constants, so that every database, a change log's replay included, holds the same record.
            let now = modelFirstPublished
            let thresholds = String(decoding: try CompactJSONEncoder.encode(MaturityModelFields.defaults.thresholds), as: UTF8.self)
            let first = MaturityModelFields.defaults
            try db.execute(sql: """
                INSERT INTO maturity_model (id, version, createdAt, updatedAt, thresholds, note, publishedBy) VALUES (?, 1, ?, ?, ?, ?, ?);
                INSERT INTO maturity_model_history (id, version, createdAt, updatedAt, thresholds, note, publishedBy, recordedFrom)
                SELECT id, version, createdAt, updatedAt, thresholds, note, publishedBy, ? FROM maturity_model;
                """, arguments: [MaturityModelFields.recordId, now, now, thresholds, first.note, first.publishedBy, modelEpoch])
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
        migrator.registerMigration("v13-contract-spend-and-categories") { db in
            // Works, concessions and other specific services join the categories. SQLite changes a CHECK only by
            // rebuilding the table, so the contract table is made again from its own text with the new list.
            try rebuild(db, table: "contract",
                        replacing: "category IN ('services','supplies','social-health-services')",
                        with: "category IN ('services','supplies','social-health-services','other-specific-services','works','concessions')")
            // What the city paid under a contract per year: one row per contract and year, with its evidence.
            try db.execute(sql: """
                CREATE TABLE contract_spend (
                    \(resourceColumns(.city))
                    contractId TEXT NOT NULL REFERENCES contract(id) ON DELETE RESTRICT,
                    year INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
                    amountCents INTEGER NOT NULL CHECK (amountCents >= 0),
                    evidenceReference TEXT NOT NULL CHECK (length(trim(evidenceReference)) > 0),
                    evidenceDocument TEXT,
                    note TEXT,
                    UNIQUE (contractId, year)
                );
                CREATE INDEX contract_spend_by_city ON contract_spend(cityId, contractId, year);
                """)
            try RecordHistory.createTables(db, kinds: RecordHistory.kinds.filter { $0.table == "contract_spend" })
        }
        migrator.registerMigration("v14-capability-sourcing-legend") { db in
            // Figure 1.4's legend draws the national centre's support in addition to the other values, so it leaves
            // the enumeration for a flag of its own, and the market joins it. A row that said the national centre
            // supports becomes the shared centre supporting with the national centre's support: the legend has
            // the national centre ("JIP") support the shared centre ("KPK ICT"), which supports the city. SQLite
            // cannot change a CHECK, so the table is rebuilt; ids, versions and times stay as they were. The change
            // log keeps the states as written; `CapabilitySourcingFields` reads the old value the same way.
            try refreshCatalogue(db)
            try db.execute(sql: """
                CREATE TABLE capability_sourcing_v14 (
                    \(resourceColumns(.city))
                    capabilityId TEXT NOT NULL REFERENCES catalogue_capability(id),
                    sourcing TEXT NOT NULL CHECK (sourcing IN ('own','shared-centre-supports','shared-centre-provides','market')),
                    nationalCentreSupports INTEGER NOT NULL DEFAULT 0 CHECK (nationalCentreSupports IN (0, 1)),
                    providerId TEXT REFERENCES supplier(id) ON DELETE RESTRICT,
                    expertSupportNeed TEXT CHECK (expertSupportNeed IN ('none','low','medium','high')),
                    note TEXT,
                    UNIQUE (cityId, capabilityId)
                );
                INSERT INTO capability_sourcing_v14 (id, cityId, version, createdAt, updatedAt, capabilityId, sourcing, nationalCentreSupports, note)
                    SELECT id, cityId, version, createdAt, updatedAt, capabilityId,
                        CASE sourcing WHEN 'national-centre-supports' THEN 'shared-centre-supports' ELSE sourcing END,
                        sourcing = 'national-centre-supports', note
                    FROM capability_sourcing;
                DROP TABLE capability_sourcing;
                ALTER TABLE capability_sourcing_v14 RENAME TO capability_sourcing;
                -- A supplier's deletion asks whether a city's sourcing names it.
                CREATE INDEX capability_sourcing_by_provider ON capability_sourcing(providerId) WHERE providerId IS NOT NULL;

                ALTER TABLE capability_sourcing_history ADD COLUMN nationalCentreSupports INTEGER;
                ALTER TABLE capability_sourcing_history ADD COLUMN providerId TEXT;
                ALTER TABLE capability_sourcing_history ADD COLUMN expertSupportNeed TEXT;
                UPDATE capability_sourcing_history SET nationalCentreSupports = (sourcing = 'national-centre-supports'),
                    sourcing = CASE sourcing WHEN 'national-centre-supports' THEN 'shared-centre-supports' ELSE sourcing END;
                """)
        }
        migrator.registerMigration("v15-separated-own-production") { db in
            // Own production separated from IT management counts as a provider; existing suppliers are not separated.
            // Only own production can be separated, so the flag cannot say something of a supplier that is a provider anyway.
            try db.execute(sql: """
                ALTER TABLE supplier ADD COLUMN separatedFromItManagement INTEGER NOT NULL DEFAULT 0
                    CHECK (separatedFromItManagement IN (0, 1) AND (separatedFromItManagement = 0 OR kind = 'own-production'));
                ALTER TABLE supplier_history ADD COLUMN separatedFromItManagement INTEGER NOT NULL DEFAULT 0;
                """)
        }
        migrator.registerMigration("v16-caf-self-assessments") { db in
            // A CAF self-assessment of the IT organisation: the nine criteria's scores, with their evidence, as one JSON
            // array; a new assessment supersedes, none is changed. `caf` as a process assessment method stays in the
            // assessment table's CHECK list: stored ones remain readable, and the API refuses new ones.
            try db.execute(sql: """
                CREATE TABLE caf_assessment (
                    \(resourceColumns(.city))
                    assessedOn TEXT NOT NULL,
                    assessor TEXT NOT NULL CHECK (length(trim(assessor)) > 0),
                    criteria TEXT NOT NULL CHECK (json_valid(criteria) AND json_type(criteria) = 'array' AND json_array_length(criteria) = 9),
                    note TEXT
                );
                CREATE INDEX caf_assessment_by_city ON caf_assessment(cityId, id);
                CREATE INDEX caf_assessment_by_date ON caf_assessment(cityId, assessedOn);
                """)
            try RecordHistory.createTables(db, kinds: RecordHistory.kinds.filter { $0.table == "caf_assessment" })
        }
        return migrator
    }

    /// Makes `table` again from its own stored text with `old` replaced by `new` (SQLite's way to change a CHECK):
    /// a copy under a new name, the rows, then the copy under the old name with the old table's indexes and
    /// triggers. The migrator runs with foreign keys off, so the tables that reference it keep their references.
    static func rebuild(_ db: Database, table: String, replacing old: String, with new: String) throws {
        let definition = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table])
        guard let definition, definition.contains(old), let head = definition.range(of: "CREATE TABLE \(table) (") else {
            throw DatabaseError(message: "table \(table) does not have the text the migration replaces")
        }
        let copy = "\(table)_rebuilt"
        let dependents = try String.fetchAll(db, sql: """
            SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name
            """, arguments: [table])
        // Only the columns a row is written with: generated columns follow from them.
        let columns = try Row.fetchAll(db, sql: "PRAGMA table_xinfo(\(table.quotedDatabaseIdentifier))")
            .filter { ($0["hidden"] as Int? ?? 0) == 0 }
            .map { ($0["name"] as String).quotedDatabaseIdentifier }.joined(separator: ", ")
        let created = definition.replacingCharacters(in: head, with: "CREATE TABLE \(copy) (").replacingOccurrences(of: old, with: new)
        try db.execute(sql: created)
        try db.execute(sql: "INSERT INTO \(copy) (\(columns)) SELECT \(columns) FROM \(table)")
        try db.execute(sql: "DROP TABLE \(table)")
        try db.execute(sql: "ALTER TABLE \(copy) RENAME TO \(table)")
        for statement in dependents { try db.execute(sql: statement) }
    }

    /// The capabilities v4 released, with the parents they had then. v4 loads exactly these, so that its statements
    /// stay as released; later migrations bring the catalogue up to date (`refreshCatalogue`).
    static let capabilitiesReleasedInV4: [Capability] = {
        let released: [(id: String, parentId: String?)] = [
            ("strategic-ict-planning", nil), ("sector-expertise", nil), ("sector-expertise/social-health", "sector-expertise"),
            ("sector-expertise/education-culture", "sector-expertise"), ("sector-expertise/housing-environment", "sector-expertise"),
            ("sector-expertise/administration", "sector-expertise"), ("sector-expertise/e-services", "sector-expertise"),
            ("it-management-expertise", nil), ("solution-management", "it-management-expertise"),
            ("operational-it-management", "it-management-expertise"), ("information-security", "it-management-expertise"),
            ("architectures", "it-management-expertise"), ("procurement-and-supplier-management", "it-management-expertise"),
            ("project-management-and-methods", "it-management-expertise"), ("process-development", "it-management-expertise"),
            ("public-sector-standards", "it-management-expertise"), ("it-service-production", nil),
            ("it-service-production/municipal", "it-service-production"), ("it-service-production/producer-units", "it-service-production"),
            ("it-service-production/commercial", "it-service-production"),
        ]
        let current = Dictionary(uniqueKeysWithValues: GovernanceCatalogue.capabilities.map { ($0.id, $0) })
        return released.map { release in
            var capability = current[release.id]!
            capability.parentId = release.parentId
            return capability
        }
    }()

    /// Brings the stored catalogue to `GovernanceCatalogue`: new capabilities, moved parents, names and references.
    /// One statement per table whatever the catalogue holds, so the migration's text does not follow the lists.
    static func refreshCatalogue(_ db: Database) throws {
        func json(_ value: some Encodable) throws -> String { String(decoding: try CompactJSONEncoder.encode(value), as: UTF8.self) }
        try db.execute(sql: """
            INSERT INTO catalogue_capability (id, position, parentId, name, description)
                SELECT json_extract(value, '$.id'), key, json_extract(value, '$.parentId'), json_extract(value, '$.name'),
                    json_extract(value, '$.description')
                FROM json_each(?) WHERE true
            ON CONFLICT (id) DO UPDATE SET position = excluded.position, parentId = excluded.parentId, name = excluded.name,
                description = excluded.description
            """, arguments: [try json(GovernanceCatalogue.capabilities)])
        try db.execute(sql: """
            UPDATE catalogue_process SET name = json_extract(p.value, '$.name'), "references" = json_extract(p.value, '$.references')
            FROM json_each(?) AS p WHERE catalogue_process.id = json_extract(p.value, '$.id')
            """, arguments: [try json(GovernanceCatalogue.processes)])
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
    static func createCatalogue(_ db: Database, capabilities: [Capability]) throws {
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
        for (position, capability) in capabilities.enumerated() {
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
