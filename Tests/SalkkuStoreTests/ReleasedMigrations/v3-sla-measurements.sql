CREATE TABLE measurement (
    id TEXT PRIMARY KEY NOT NULL, cityId TEXT NOT NULL REFERENCES city(id) ON DELETE RESTRICT, version INTEGER NOT NULL CHECK (version >= 1), createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL,
    slaId TEXT NOT NULL REFERENCES sla(id) ON DELETE RESTRICT,
    period TEXT NOT NULL CHECK (period GLOB '[12][0-9][0-9][0-9]-[01][0-9]' OR period GLOB '[12][0-9][0-9][0-9]-Q[1-4]'),
    value INTEGER NOT NULL CHECK (value >= 0),
    source TEXT NOT NULL CHECK (source IN ('supplier-report','monitoring','survey','manual')),
    evidence TEXT,
    reportedAt TEXT NOT NULL,
    note TEXT,
    dispute TEXT CHECK (dispute IS NULL OR (json_valid(dispute) AND json_extract(dispute, '$.status') IN ('open','accepted','rejected'))),
    firstMonth INTEGER GENERATED ALWAYS AS (CAST(substr(period, 1, 4) AS INTEGER) * 12 + CASE WHEN substr(period, 6, 1) = 'Q' THEN CAST(substr(period, 7, 1) AS INTEGER) * 3 - 3 ELSE CAST(substr(period, 6, 2) AS INTEGER) - 1 END) STORED,
    lastMonth INTEGER GENERATED ALWAYS AS (CAST(substr(period, 1, 4) AS INTEGER) * 12 + CASE WHEN substr(period, 6, 1) = 'Q' THEN CAST(substr(period, 7, 1) AS INTEGER) * 3 - 1 ELSE CAST(substr(period, 6, 2) AS INTEGER) - 1 END) STORED,
    disputeStatus TEXT GENERATED ALWAYS AS (json_extract(dispute, '$.status')) STORED,
    CHECK (source <> 'supplier-report' OR length(trim(evidence)) > 0),
    UNIQUE (slaId, period)
);
-- The roll-ups read only this index: per SLA, by the month a period ends.
CREATE INDEX measurement_rollup ON measurement(slaId, lastMonth, firstMonth, value, disputeStatus);
CREATE INDEX measurement_by_city ON measurement(cityId, lastMonth, slaId)
