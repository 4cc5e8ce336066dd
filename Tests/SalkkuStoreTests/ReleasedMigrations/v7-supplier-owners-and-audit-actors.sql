ALTER TABLE supplier ADD COLUMN ownerCityId TEXT REFERENCES city(id) ON DELETE RESTRICT;
CREATE INDEX supplier_by_owner ON supplier(ownerCityId, id);
CREATE INDEX change_by_actor_id ON change(actorId, seq);
CREATE INDEX change_by_actor_name ON change(actorName, seq)
