CREATE TABLE caf_assessment (
    id TEXT PRIMARY KEY NOT NULL, cityId TEXT NOT NULL REFERENCES city(id) ON DELETE RESTRICT, version INTEGER NOT NULL CHECK (version >= 1), createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL,
    assessedOn TEXT NOT NULL,
    assessor TEXT NOT NULL CHECK (length(trim(assessor)) > 0),
    criteria TEXT NOT NULL CHECK (json_valid(criteria) AND json_type(criteria) = 'array' AND json_array_length(criteria) = 9),
    note TEXT
);
CREATE INDEX caf_assessment_by_city ON caf_assessment(cityId, id);
CREATE INDEX caf_assessment_by_date ON caf_assessment(cityId, assessedOn);
CREATE TABLE caf_assessment_history AS SELECT "id", "cityId", "version", "createdAt", "updatedAt", "assessedOn", "assessor", "criteria", "note",
    '' AS recordedFrom, NULL AS recordedUntil FROM caf_assessment WHERE 0;
-- At most one current version of a record; the write path closes it before opening the next.
CREATE UNIQUE INDEX caf_assessment_history_current ON caf_assessment_history(id) WHERE recordedUntil IS NULL;
CREATE INDEX caf_assessment_history_by_id ON caf_assessment_history(id, recordedFrom, recordedUntil);
CREATE INDEX caf_assessment_history_0 ON caf_assessment_history("cityId", "assessedOn", "recordedFrom", "recordedUntil");
CREATE INDEX caf_assessment_history_1 ON caf_assessment_history("cityId", "id", "recordedFrom", "recordedUntil")
