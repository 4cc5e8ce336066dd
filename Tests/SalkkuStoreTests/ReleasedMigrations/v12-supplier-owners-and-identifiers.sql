CREATE TABLE supplier_v12 (
    id TEXT PRIMARY KEY NOT NULL,  version INTEGER NOT NULL CHECK (version >= 1), createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL,
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
ALTER TABLE supplier_history ADD COLUMN country TEXT
