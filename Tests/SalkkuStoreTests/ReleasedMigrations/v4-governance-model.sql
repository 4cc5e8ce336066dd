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
INSERT INTO catalogue_capability VALUES (?, ?, ?, ?, ?);
INSERT INTO catalogue_capability VALUES (?, ?, ?, ?, ?);
INSERT INTO catalogue_capability VALUES (?, ?, ?, ?, ?);
INSERT INTO catalogue_capability VALUES (?, ?, ?, ?, ?);
INSERT INTO catalogue_capability VALUES (?, ?, ?, ?, ?);
INSERT INTO catalogue_capability VALUES (?, ?, ?, ?, ?);
INSERT INTO catalogue_capability VALUES (?, ?, ?, ?, ?);
INSERT INTO catalogue_capability VALUES (?, ?, ?, ?, ?);
INSERT INTO catalogue_capability VALUES (?, ?, ?, ?, ?);
INSERT INTO catalogue_capability VALUES (?, ?, ?, ?, ?);
INSERT INTO catalogue_capability VALUES (?, ?, ?, ?, ?);
INSERT INTO catalogue_capability VALUES (?, ?, ?, ?, ?);
INSERT INTO catalogue_capability VALUES (?, ?, ?, ?, ?);
INSERT INTO catalogue_capability VALUES (?, ?, ?, ?, ?);
INSERT INTO catalogue_capability VALUES (?, ?, ?, ?, ?);
INSERT INTO catalogue_capability VALUES (?, ?, ?, ?, ?);
INSERT INTO catalogue_capability VALUES (?, ?, ?, ?, ?);
INSERT INTO catalogue_capability VALUES (?, ?, ?, ?, ?);
INSERT INTO catalogue_capability VALUES (?, ?, ?, ?, ?);
INSERT INTO catalogue_capability VALUES (?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO catalogue_process VALUES (?, ?, ?, ?, ?, ?, ?);
INSERT INTO focus_area VALUES (?, ?, ?, ?, ?);
INSERT INTO focus_area VALUES (?, ?, ?, ?, ?);
INSERT INTO focus_area VALUES (?, ?, ?, ?, ?);
INSERT INTO focus_area VALUES (?, ?, ?, ?, ?);
INSERT INTO focus_area VALUES (?, ?, ?, ?, ?);
INSERT INTO focus_area VALUES (?, ?, ?, ?, ?);
ALTER TABLE service ADD COLUMN capabilityIds TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(capabilityIds) AND json_type(capabilityIds) = 'array');
-- PRAGMA 'main'.quick_check='service';
ALTER TABLE service ADD COLUMN processIds TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(processIds) AND json_type(processIds) = 'array');
-- PRAGMA 'main'.quick_check='service';
ALTER TABLE contract ADD COLUMN capabilityIds TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(capabilityIds) AND json_type(capabilityIds) = 'array');
-- PRAGMA 'main'.quick_check='contract';
ALTER TABLE contract ADD COLUMN processIds TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(processIds) AND json_type(processIds) = 'array');
-- PRAGMA 'main'.quick_check='contract';
ALTER TABLE sla ADD COLUMN capabilityIds TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(capabilityIds) AND json_type(capabilityIds) = 'array');
-- PRAGMA 'main'.quick_check='sla';
ALTER TABLE sla ADD COLUMN processIds TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(processIds) AND json_type(processIds) = 'array');
-- PRAGMA 'main'.quick_check='sla';
ALTER TABLE project ADD COLUMN capabilityIds TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(capabilityIds) AND json_type(capabilityIds) = 'array');
-- PRAGMA 'main'.quick_check='project';
ALTER TABLE project ADD COLUMN processIds TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(processIds) AND json_type(processIds) = 'array');
-- PRAGMA 'main'.quick_check='project';
ALTER TABLE service ADD COLUMN arrangerId TEXT REFERENCES supplier(id) ON DELETE RESTRICT;
CREATE INDEX service_by_arranger ON service(arrangerId, id);
CREATE TABLE capability_sourcing (
    id TEXT PRIMARY KEY NOT NULL, cityId TEXT NOT NULL REFERENCES city(id) ON DELETE RESTRICT, version INTEGER NOT NULL CHECK (version >= 1), createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL,
    capabilityId TEXT NOT NULL REFERENCES catalogue_capability(id),
    sourcing TEXT NOT NULL CHECK (sourcing IN ('own','shared-centre-supports','shared-centre-provides','national-centre-supports')),
    note TEXT,
    UNIQUE (cityId, capabilityId)
);
CREATE TABLE effort_profile (
    id TEXT PRIMARY KEY NOT NULL, cityId TEXT NOT NULL UNIQUE REFERENCES city(id) ON DELETE RESTRICT, version INTEGER NOT NULL CHECK (version >= 1), createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL,
    current TEXT NOT NULL CHECK (json_valid(current)),
    target TEXT NOT NULL CHECK (json_valid(target))
);
CREATE TABLE governance_facts (
    id TEXT PRIMARY KEY NOT NULL, cityId TEXT NOT NULL UNIQUE REFERENCES city(id) ON DELETE RESTRICT, version INTEGER NOT NULL CHECK (version >= 1), createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL,
    centralItUnit INTEGER CHECK (centralItUnit IN (0, 1)),
    ictStrategyApprovedOn TEXT,
    sectorItUnits INTEGER CHECK (sectorItUnits >= 0),
    itSteeringGroup INTEGER CHECK (itSteeringGroup IN (0, 1)),
    evidence TEXT NOT NULL CHECK (json_valid(evidence))
);
CREATE TABLE assessment (
    id TEXT PRIMARY KEY NOT NULL, cityId TEXT NOT NULL REFERENCES city(id) ON DELETE RESTRICT, version INTEGER NOT NULL CHECK (version >= 1), createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL,
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
    id TEXT PRIMARY KEY NOT NULL, cityId TEXT NOT NULL REFERENCES city(id) ON DELETE RESTRICT, version INTEGER NOT NULL CHECK (version >= 1), createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL,
    asOf TEXT NOT NULL,
    stage INTEGER NOT NULL CHECK (stage BETWEEN 1 AND 3),
    note TEXT,
    maturity TEXT NOT NULL CHECK (json_valid(maturity))
);
CREATE INDEX maturity_snapshot_by_city ON maturity_snapshot(cityId, id)
