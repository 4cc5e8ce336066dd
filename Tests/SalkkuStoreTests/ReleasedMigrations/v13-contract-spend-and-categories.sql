CREATE TABLE contract_rebuilt (
    id TEXT PRIMARY KEY NOT NULL, cityId TEXT NOT NULL REFERENCES city(id) ON DELETE RESTRICT, version INTEGER NOT NULL CHECK (version >= 1), createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL,
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    supplierId TEXT NOT NULL REFERENCES supplier(id) ON DELETE RESTRICT,
    externalId TEXT,
    category TEXT NOT NULL CHECK (category IN ('services','supplies','social-health-services','other-specific-services','works','concessions')),
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
    terminatedOn TEXT, capabilityIds TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(capabilityIds) AND json_type(capabilityIds) = 'array'), processIds TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(processIds) AND json_type(processIds) = 'array'), serviceCreditCapPercent INTEGER CHECK (serviceCreditCapPercent BETWEEN 0 AND 100000),
    CHECK (renewal <> 'tacit' OR renewalPeriodMonths IS NOT NULL),
    CHECK (managedBy <> 'sector' OR sector IS NOT NULL),
    UNIQUE (cityId, externalId)
);
INSERT INTO contract_rebuilt ("id", "cityId", "version", "createdAt", "updatedAt", "title", "supplierId", "externalId", "category", "procedure", "procuredOn", "totalValueCents", "annualValueCents", "startDate", "initialEndDate", "options", "renewal", "renewalPeriodMonths", "noticePeriodMonths", "managedBy", "sector", "serviceIds", "terminatedOn", "capabilityIds", "processIds", "serviceCreditCapPercent") SELECT "id", "cityId", "version", "createdAt", "updatedAt", "title", "supplierId", "externalId", "category", "procedure", "procuredOn", "totalValueCents", "annualValueCents", "startDate", "initialEndDate", "options", "renewal", "renewalPeriodMonths", "noticePeriodMonths", "managedBy", "sector", "serviceIds", "terminatedOn", "capabilityIds", "processIds", "serviceCreditCapPercent" FROM contract;
DROP TABLE contract;
ALTER TABLE contract_rebuilt RENAME TO contract;
CREATE INDEX contract_by_city ON contract(cityId, id);
CREATE INDEX contract_by_city_supplier ON contract(cityId, supplierId, id);
CREATE INDEX contract_by_managed_by ON contract(cityId, managedBy, id);
CREATE INDEX contract_by_procedure ON contract(cityId, procedure, id);
CREATE INDEX contract_by_supplier ON contract(supplierId, id);
CREATE INDEX contract_capped ON contract(id) WHERE serviceCreditCapPercent IS NOT NULL;
CREATE TRIGGER contract_service_on_insert AFTER INSERT ON contract BEGIN
    INSERT INTO contract_service SELECT NEW.id, value FROM json_each(NEW.serviceIds);
END;
CREATE TRIGGER contract_service_on_update AFTER UPDATE OF serviceIds ON contract BEGIN
    DELETE FROM contract_service WHERE contractId = NEW.id;
    INSERT INTO contract_service SELECT NEW.id, value FROM json_each(NEW.serviceIds);
END;
CREATE TABLE contract_spend (
    id TEXT PRIMARY KEY NOT NULL, cityId TEXT NOT NULL REFERENCES city(id) ON DELETE RESTRICT, version INTEGER NOT NULL CHECK (version >= 1), createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL,
    contractId TEXT NOT NULL REFERENCES contract(id) ON DELETE RESTRICT,
    year INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    amountCents INTEGER NOT NULL CHECK (amountCents >= 0),
    evidenceReference TEXT NOT NULL CHECK (length(trim(evidenceReference)) > 0),
    evidenceDocument TEXT,
    note TEXT,
    UNIQUE (contractId, year)
);
CREATE INDEX contract_spend_by_city ON contract_spend(cityId, contractId, year);
CREATE TABLE contract_spend_history AS SELECT "id", "cityId", "version", "createdAt", "updatedAt", "contractId", "year", "amountCents", "evidenceReference", "evidenceDocument", "note",
    '' AS recordedFrom, NULL AS recordedUntil FROM contract_spend WHERE 0;
-- At most one current version of a record; the write path closes it before opening the next.
CREATE UNIQUE INDEX contract_spend_history_current ON contract_spend_history(id) WHERE recordedUntil IS NULL;
CREATE INDEX contract_spend_history_by_id ON contract_spend_history(id, recordedFrom, recordedUntil);
CREATE INDEX contract_spend_history_0 ON contract_spend_history("cityId", "contractId", "year", "recordedFrom", "recordedUntil");
CREATE INDEX contract_spend_history_1 ON contract_spend_history("contractId", "year", "recordedFrom", "recordedUntil")
