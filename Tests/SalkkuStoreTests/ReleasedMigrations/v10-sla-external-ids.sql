ALTER TABLE sla ADD COLUMN externalId TEXT;
ALTER TABLE sla_history ADD COLUMN externalId TEXT;
CREATE UNIQUE INDEX sla_by_external_id ON sla(cityId, externalId)
