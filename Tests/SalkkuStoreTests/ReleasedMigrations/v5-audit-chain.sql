ALTER TABLE change ADD COLUMN before TEXT CHECK (before IS NULL OR json_valid(before));
-- PRAGMA 'main'.quick_check='change';
ALTER TABLE change ADD COLUMN previousHash TEXT;
ALTER TABLE change ADD COLUMN hash TEXT;
CREATE INDEX change_by_time ON change(at, seq);
CREATE INDEX change_by_type_city ON change(resourceType, cityId, seq);
SELECT * FROM change ORDER BY seq
