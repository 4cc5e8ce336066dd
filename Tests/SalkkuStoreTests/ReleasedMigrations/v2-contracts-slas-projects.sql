CREATE TABLE contract (
    id TEXT PRIMARY KEY NOT NULL, cityId TEXT NOT NULL REFERENCES city(id) ON DELETE RESTRICT, version INTEGER NOT NULL CHECK (version >= 1), createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL,
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
    id TEXT PRIMARY KEY NOT NULL, cityId TEXT NOT NULL REFERENCES city(id) ON DELETE RESTRICT, version INTEGER NOT NULL CHECK (version >= 1), createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL,
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
    id TEXT PRIMARY KEY NOT NULL, cityId TEXT NOT NULL REFERENCES city(id) ON DELETE RESTRICT, version INTEGER NOT NULL CHECK (version >= 1), createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL,
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
CREATE TABLE contract_service (
    contractId TEXT NOT NULL REFERENCES contract(id) ON DELETE CASCADE,
    serviceId TEXT NOT NULL REFERENCES service(id) ON DELETE RESTRICT,
    PRIMARY KEY (contractId, serviceId)
) WITHOUT ROWID;
CREATE INDEX contract_service_by_service ON contract_service(serviceId, contractId);
CREATE TRIGGER contract_service_on_insert AFTER INSERT ON contract BEGIN
    INSERT INTO contract_service SELECT NEW.id, value FROM json_each(NEW.serviceIds);
END;
CREATE TRIGGER contract_service_on_update AFTER UPDATE OF serviceIds ON contract BEGIN
    DELETE FROM contract_service WHERE contractId = NEW.id;
    INSERT INTO contract_service SELECT NEW.id, value FROM json_each(NEW.serviceIds);
END;
CREATE TABLE project_service (
    projectId TEXT NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    serviceId TEXT NOT NULL REFERENCES service(id) ON DELETE RESTRICT,
    PRIMARY KEY (projectId, serviceId)
) WITHOUT ROWID;
CREATE INDEX project_service_by_service ON project_service(serviceId, projectId);
CREATE TRIGGER project_service_on_insert AFTER INSERT ON project BEGIN
    INSERT INTO project_service SELECT NEW.id, value FROM json_each(NEW.serviceIds);
END;
CREATE TRIGGER project_service_on_update AFTER UPDATE OF serviceIds ON project BEGIN
    DELETE FROM project_service WHERE projectId = NEW.id;
    INSERT INTO project_service SELECT NEW.id, value FROM json_each(NEW.serviceIds);
END;
CREATE TABLE project_supplier (
    projectId TEXT NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    supplierId TEXT NOT NULL REFERENCES supplier(id) ON DELETE RESTRICT,
    PRIMARY KEY (projectId, supplierId)
) WITHOUT ROWID;
CREATE INDEX project_supplier_by_supplier ON project_supplier(supplierId, projectId);
CREATE TRIGGER project_supplier_on_insert AFTER INSERT ON project BEGIN
    INSERT INTO project_supplier SELECT NEW.id, value FROM json_each(NEW.supplierIds);
END;
CREATE TRIGGER project_supplier_on_update AFTER UPDATE OF supplierIds ON project BEGIN
    DELETE FROM project_supplier WHERE projectId = NEW.id;
    INSERT INTO project_supplier SELECT NEW.id, value FROM json_each(NEW.supplierIds);
END
