ALTER TABLE contract ADD COLUMN serviceCreditCapPercent INTEGER CHECK (serviceCreditCapPercent BETWEEN 0 AND 100000);
-- PRAGMA 'main'.quick_check='contract';
ALTER TABLE contract_history ADD COLUMN serviceCreditCapPercent INTEGER
