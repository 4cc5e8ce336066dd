INSERT INTO catalogue_capability (id, position, parentId, name, description)
    SELECT json_extract(value, '$.id'), key, json_extract(value, '$.parentId'), json_extract(value, '$.name'),
        json_extract(value, '$.description')
    FROM json_each(?) WHERE true
ON CONFLICT (id) DO UPDATE SET position = excluded.position, parentId = excluded.parentId, name = excluded.name,
    description = excluded.description;
UPDATE catalogue_process SET name = json_extract(p.value, '$.name'), "references" = json_extract(p.value, '$.references')
FROM json_each(?) AS p WHERE catalogue_process.id = json_extract(p.value, '$.id');
CREATE TABLE capability_sourcing_v14 (
    id TEXT PRIMARY KEY NOT NULL, cityId TEXT NOT NULL REFERENCES city(id) ON DELETE RESTRICT, version INTEGER NOT NULL CHECK (version >= 1), createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL,
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
    sourcing = CASE sourcing WHEN 'national-centre-supports' THEN 'shared-centre-supports' ELSE sourcing END
