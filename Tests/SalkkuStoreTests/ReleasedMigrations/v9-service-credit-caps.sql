ALTER TABLE contract ADD COLUMN serviceCreditCapPercent INTEGER CHECK (serviceCreditCapPercent BETWEEN 0 AND 100000);
-- PRAGMA 'main'.quick_check='contract';
ALTER TABLE contract_history ADD COLUMN serviceCreditCapPercent INTEGER;
CREATE INDEX contract_capped ON contract(id) WHERE serviceCreditCapPercent IS NOT NULL;
CREATE INDEX contract_history_capped ON contract_history(id) WHERE serviceCreditCapPercent IS NOT NULL;
CREATE INDEX sla_history_superseded ON sla_history(id) WHERE recordedUntil IS NOT NULL;
CREATE INDEX contract_history_superseded ON contract_history(id) WHERE recordedUntil IS NOT NULL
