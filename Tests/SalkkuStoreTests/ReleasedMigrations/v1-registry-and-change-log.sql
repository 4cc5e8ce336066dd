CREATE TABLE city (
    id TEXT PRIMARY KEY NOT NULL,  version INTEGER NOT NULL CHECK (version >= 1), createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL,
    municipalityCode TEXT NOT NULL UNIQUE
        CHECK (length(municipalityCode) = 3 AND municipalityCode NOT GLOB '*[^0-9]*'),
    name TEXT NOT NULL CHECK (json_valid(name)),
    population INTEGER CHECK (population >= 0),
    itOrganisation TEXT
);
CREATE TABLE supplier (
    id TEXT PRIMARY KEY NOT NULL,  version INTEGER NOT NULL CHECK (version >= 1), createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    businessId TEXT NOT NULL UNIQUE CHECK (businessId GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9]'),
    kind TEXT NOT NULL CHECK (kind IN ('own-production','in-house-company','municipal-enterprise','shared-service-centre','commercial')),
    contact TEXT CHECK (contact IS NULL OR json_valid(contact))
);
CREATE INDEX supplier_by_kind ON supplier(kind, id);
CREATE TABLE service (
    id TEXT PRIMARY KEY NOT NULL, cityId TEXT NOT NULL REFERENCES city(id) ON DELETE RESTRICT, version INTEGER NOT NULL CHECK (version >= 1), createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL,
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
CREATE INDEX change_by_city ON change(cityId, seq)
