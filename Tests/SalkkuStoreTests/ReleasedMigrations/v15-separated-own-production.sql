ALTER TABLE supplier ADD COLUMN separatedFromItManagement INTEGER NOT NULL DEFAULT 0
    CHECK (separatedFromItManagement IN (0, 1) AND (separatedFromItManagement = 0 OR kind = 'own-production'));
-- PRAGMA 'main'.quick_check='supplier';
ALTER TABLE supplier_history ADD COLUMN separatedFromItManagement INTEGER NOT NULL DEFAULT 0
