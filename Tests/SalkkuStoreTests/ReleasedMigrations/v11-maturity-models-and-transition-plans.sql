CREATE TABLE maturity_model (
    id TEXT PRIMARY KEY NOT NULL,  version INTEGER NOT NULL CHECK (version >= 1), createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL,
    thresholds TEXT NOT NULL CHECK (json_valid(thresholds) AND json_type(thresholds) = 'object'),
    note TEXT,
    publishedBy TEXT
);
CREATE TABLE transition_plan (
    id TEXT PRIMARY KEY NOT NULL, cityId TEXT NOT NULL UNIQUE REFERENCES city(id) ON DELETE RESTRICT, version INTEGER NOT NULL CHECK (version >= 1), createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL,
    targetStage INTEGER NOT NULL CHECK (targetStage BETWEEN 2 AND 3),
    targetDate TEXT NOT NULL,
    option TEXT NOT NULL CHECK (option IN ('own-development-model','cooperation-model')),
    measures TEXT NOT NULL CHECK (json_valid(measures) AND json_type(measures) = 'array'),
    decision TEXT CHECK (decision IS NULL OR json_valid(decision)),
    note TEXT
);
ALTER TABLE maturity_snapshot ADD COLUMN modelVersion INTEGER CHECK (modelVersion >= 1);
-- PRAGMA 'main'.quick_check='maturity_snapshot';
ALTER TABLE maturity_snapshot_history ADD COLUMN modelVersion INTEGER;
CREATE TABLE maturity_model_history AS SELECT "id", "version", "createdAt", "updatedAt", "thresholds", "note", "publishedBy",
    '' AS recordedFrom, NULL AS recordedUntil FROM maturity_model WHERE 0;
-- At most one current version of a record; the write path closes it before opening the next.
CREATE UNIQUE INDEX maturity_model_history_current ON maturity_model_history(id) WHERE recordedUntil IS NULL;
CREATE INDEX maturity_model_history_by_id ON maturity_model_history(id, recordedFrom, recordedUntil);
CREATE TABLE transition_plan_history AS SELECT "id", "cityId", "version", "createdAt", "updatedAt", "targetStage", "targetDate", "option", "measures", "decision", "note",
    '' AS recordedFrom, NULL AS recordedUntil FROM transition_plan WHERE 0;
-- At most one current version of a record; the write path closes it before opening the next.
CREATE UNIQUE INDEX transition_plan_history_current ON transition_plan_history(id) WHERE recordedUntil IS NULL;
CREATE INDEX transition_plan_history_by_id ON transition_plan_history(id, recordedFrom, recordedUntil);
CREATE INDEX transition_plan_history_0 ON transition_plan_history("cityId", "recordedFrom", "recordedUntil");
INSERT INTO maturity_model (id, version, createdAt, updatedAt, thresholds, note, publishedBy) VALUES (?, 1, ?, ?, ?, ?, ?);
INSERT INTO maturity_model_history (id, version, createdAt, updatedAt, thresholds, note, publishedBy, recordedFrom)
SELECT id, version, createdAt, updatedAt, thresholds, note, publishedBy, ? FROM maturity_model
