CREATE TABLE city_history AS SELECT "id", "version", "createdAt", "updatedAt", "municipalityCode", "name", "population", "itOrganisation",
    '' AS recordedFrom, NULL AS recordedUntil FROM city WHERE 0;
-- At most one current version of a record; the write path closes it before opening the next.
CREATE UNIQUE INDEX city_history_current ON city_history(id) WHERE recordedUntil IS NULL;
CREATE INDEX city_history_by_id ON city_history(id, recordedFrom, recordedUntil);
CREATE INDEX city_history_0 ON city_history("municipalityCode", "recordedFrom", "recordedUntil");
CREATE TABLE supplier_history AS SELECT "id", "version", "createdAt", "updatedAt", "name", "businessId", "kind", "contact", "ownerCityId",
    '' AS recordedFrom, NULL AS recordedUntil FROM supplier WHERE 0;
-- At most one current version of a record; the write path closes it before opening the next.
CREATE UNIQUE INDEX supplier_history_current ON supplier_history(id) WHERE recordedUntil IS NULL;
CREATE INDEX supplier_history_by_id ON supplier_history(id, recordedFrom, recordedUntil);
CREATE INDEX supplier_history_0 ON supplier_history("ownerCityId", "id", "recordedFrom", "recordedUntil");
CREATE INDEX supplier_history_1 ON supplier_history("kind", "id", "recordedFrom", "recordedUntil");
CREATE INDEX supplier_history_2 ON supplier_history("businessId", "recordedFrom", "recordedUntil");
CREATE TABLE service_history AS SELECT "id", "cityId", "version", "createdAt", "updatedAt", "name", "description", "sector", "owner", "lifecycle", "lifecycleDates", "providerId", "annualCostCents", "criticality", "externalId", "capabilityIds", "processIds", "arrangerId",
    '' AS recordedFrom, NULL AS recordedUntil FROM service WHERE 0;
-- At most one current version of a record; the write path closes it before opening the next.
CREATE UNIQUE INDEX service_history_current ON service_history(id) WHERE recordedUntil IS NULL;
CREATE INDEX service_history_by_id ON service_history(id, recordedFrom, recordedUntil);
CREATE INDEX service_history_0 ON service_history("arrangerId", "id", "recordedFrom", "recordedUntil");
CREATE INDEX service_history_1 ON service_history("providerId", "id", "recordedFrom", "recordedUntil");
CREATE INDEX service_history_2 ON service_history("cityId", "criticality", "id", "recordedFrom", "recordedUntil");
CREATE INDEX service_history_3 ON service_history("cityId", "lifecycle", "id", "recordedFrom", "recordedUntil");
CREATE INDEX service_history_4 ON service_history("cityId", "sector", "id", "recordedFrom", "recordedUntil");
CREATE INDEX service_history_5 ON service_history("cityId", "id", "recordedFrom", "recordedUntil");
CREATE INDEX service_history_6 ON service_history("cityId", "externalId", "recordedFrom", "recordedUntil");
CREATE TABLE contract_history AS SELECT "id", "cityId", "version", "createdAt", "updatedAt", "title", "supplierId", "externalId", "category", "procedure", "procuredOn", "totalValueCents", "annualValueCents", "startDate", "initialEndDate", "options", "renewal", "renewalPeriodMonths", "noticePeriodMonths", "managedBy", "sector", "serviceIds", "terminatedOn", "capabilityIds", "processIds",
    '' AS recordedFrom, NULL AS recordedUntil FROM contract WHERE 0;
-- At most one current version of a record; the write path closes it before opening the next.
CREATE UNIQUE INDEX contract_history_current ON contract_history(id) WHERE recordedUntil IS NULL;
CREATE INDEX contract_history_by_id ON contract_history(id, recordedFrom, recordedUntil);
CREATE INDEX contract_history_0 ON contract_history("cityId", "procedure", "id", "recordedFrom", "recordedUntil");
CREATE INDEX contract_history_1 ON contract_history("cityId", "managedBy", "id", "recordedFrom", "recordedUntil");
CREATE INDEX contract_history_2 ON contract_history("cityId", "supplierId", "id", "recordedFrom", "recordedUntil");
CREATE INDEX contract_history_3 ON contract_history("supplierId", "id", "recordedFrom", "recordedUntil");
CREATE INDEX contract_history_4 ON contract_history("cityId", "id", "recordedFrom", "recordedUntil");
CREATE INDEX contract_history_5 ON contract_history("cityId", "externalId", "recordedFrom", "recordedUntil");
CREATE TABLE sla_history AS SELECT "id", "cityId", "version", "createdAt", "updatedAt", "contractId", "serviceId", "name", "metric", "priority", "unit", "comparator", "target", "period", "serviceCreditPercent", "periodFeeCents", "validFrom", "validTo", "capabilityIds", "processIds",
    '' AS recordedFrom, NULL AS recordedUntil FROM sla WHERE 0;
-- At most one current version of a record; the write path closes it before opening the next.
CREATE UNIQUE INDEX sla_history_current ON sla_history(id) WHERE recordedUntil IS NULL;
CREATE INDEX sla_history_by_id ON sla_history(id, recordedFrom, recordedUntil);
CREATE INDEX sla_history_0 ON sla_history("cityId", "metric", "id", "recordedFrom", "recordedUntil");
CREATE INDEX sla_history_1 ON sla_history("serviceId", "id", "recordedFrom", "recordedUntil");
CREATE INDEX sla_history_2 ON sla_history("contractId", "id", "recordedFrom", "recordedUntil");
CREATE INDEX sla_history_3 ON sla_history("cityId", "id", "recordedFrom", "recordedUntil");
CREATE TABLE measurement_history AS SELECT "id", "cityId", "version", "createdAt", "updatedAt", "slaId", "period", "value", "source", "evidence", "reportedAt", "note", "dispute", "firstMonth", "lastMonth", "disputeStatus",
    '' AS recordedFrom, NULL AS recordedUntil FROM measurement WHERE 0;
-- At most one current version of a record; the write path closes it before opening the next.
CREATE UNIQUE INDEX measurement_history_current ON measurement_history(id) WHERE recordedUntil IS NULL;
CREATE INDEX measurement_history_by_id ON measurement_history(id, recordedFrom, recordedUntil);
CREATE INDEX measurement_history_0 ON measurement_history("cityId", "lastMonth", "slaId", "recordedFrom", "recordedUntil");
CREATE INDEX measurement_history_1 ON measurement_history("slaId", "lastMonth", "firstMonth", "value", "disputeStatus", "recordedFrom", "recordedUntil");
CREATE INDEX measurement_history_2 ON measurement_history("slaId", "period", "recordedFrom", "recordedUntil");
CREATE TABLE project_history AS SELECT "id", "cityId", "version", "createdAt", "updatedAt", "name", "description", "sector", "owner", "phase", "health", "budgetCents", "actualCostCents", "startDate", "plannedEndDate", "actualEndDate", "expectedAnnualSavingsCents", "serviceIds", "supplierIds", "portfolioDecision", "priority", "externalId", "capabilityIds", "processIds",
    '' AS recordedFrom, NULL AS recordedUntil FROM project WHERE 0;
-- At most one current version of a record; the write path closes it before opening the next.
CREATE UNIQUE INDEX project_history_current ON project_history(id) WHERE recordedUntil IS NULL;
CREATE INDEX project_history_by_id ON project_history(id, recordedFrom, recordedUntil);
CREATE INDEX project_history_0 ON project_history("cityId", "sector", "id", "recordedFrom", "recordedUntil");
CREATE INDEX project_history_1 ON project_history("cityId", "health", "id", "recordedFrom", "recordedUntil");
CREATE INDEX project_history_2 ON project_history("cityId", "phase", "id", "recordedFrom", "recordedUntil");
CREATE INDEX project_history_3 ON project_history("cityId", "id", "recordedFrom", "recordedUntil");
CREATE INDEX project_history_4 ON project_history("cityId", "externalId", "recordedFrom", "recordedUntil");
CREATE TABLE capability_sourcing_history AS SELECT "id", "cityId", "version", "createdAt", "updatedAt", "capabilityId", "sourcing", "note",
    '' AS recordedFrom, NULL AS recordedUntil FROM capability_sourcing WHERE 0;
-- At most one current version of a record; the write path closes it before opening the next.
CREATE UNIQUE INDEX capability_sourcing_history_current ON capability_sourcing_history(id) WHERE recordedUntil IS NULL;
CREATE INDEX capability_sourcing_history_by_id ON capability_sourcing_history(id, recordedFrom, recordedUntil);
CREATE INDEX capability_sourcing_history_0 ON capability_sourcing_history("cityId", "capabilityId", "recordedFrom", "recordedUntil");
CREATE TABLE effort_profile_history AS SELECT "id", "cityId", "version", "createdAt", "updatedAt", "current", "target",
    '' AS recordedFrom, NULL AS recordedUntil FROM effort_profile WHERE 0;
-- At most one current version of a record; the write path closes it before opening the next.
CREATE UNIQUE INDEX effort_profile_history_current ON effort_profile_history(id) WHERE recordedUntil IS NULL;
CREATE INDEX effort_profile_history_by_id ON effort_profile_history(id, recordedFrom, recordedUntil);
CREATE INDEX effort_profile_history_0 ON effort_profile_history("cityId", "recordedFrom", "recordedUntil");
CREATE TABLE governance_facts_history AS SELECT "id", "cityId", "version", "createdAt", "updatedAt", "centralItUnit", "ictStrategyApprovedOn", "sectorItUnits", "itSteeringGroup", "evidence",
    '' AS recordedFrom, NULL AS recordedUntil FROM governance_facts WHERE 0;
-- At most one current version of a record; the write path closes it before opening the next.
CREATE UNIQUE INDEX governance_facts_history_current ON governance_facts_history(id) WHERE recordedUntil IS NULL;
CREATE INDEX governance_facts_history_by_id ON governance_facts_history(id, recordedFrom, recordedUntil);
CREATE INDEX governance_facts_history_0 ON governance_facts_history("cityId", "recordedFrom", "recordedUntil");
CREATE TABLE assessment_history AS SELECT "id", "cityId", "version", "createdAt", "updatedAt", "processId", "level", "achievement", "targetLevel", "assessedOn", "assessor", "method", "evidence",
    '' AS recordedFrom, NULL AS recordedUntil FROM assessment WHERE 0;
-- At most one current version of a record; the write path closes it before opening the next.
CREATE UNIQUE INDEX assessment_history_current ON assessment_history(id) WHERE recordedUntil IS NULL;
CREATE INDEX assessment_history_by_id ON assessment_history(id, recordedFrom, recordedUntil);
CREATE INDEX assessment_history_0 ON assessment_history("cityId", "processId", "assessedOn", "recordedFrom", "recordedUntil");
CREATE INDEX assessment_history_1 ON assessment_history("cityId", "id", "recordedFrom", "recordedUntil");
CREATE TABLE maturity_snapshot_history AS SELECT "id", "cityId", "version", "createdAt", "updatedAt", "asOf", "stage", "note", "maturity",
    '' AS recordedFrom, NULL AS recordedUntil FROM maturity_snapshot WHERE 0;
-- At most one current version of a record; the write path closes it before opening the next.
CREATE UNIQUE INDEX maturity_snapshot_history_current ON maturity_snapshot_history(id) WHERE recordedUntil IS NULL;
CREATE INDEX maturity_snapshot_history_by_id ON maturity_snapshot_history(id, recordedFrom, recordedUntil);
CREATE INDEX maturity_snapshot_history_0 ON maturity_snapshot_history("cityId", "id", "recordedFrom", "recordedUntil");
INSERT INTO city_history ("id", "version", "createdAt", "updatedAt", "municipalityCode", "name", "population", "itOrganisation", recordedFrom)
SELECT "id", "version", "createdAt", "updatedAt", "municipalityCode", "name", "population", "itOrganisation", (SELECT max(at) FROM change c WHERE c.resourceType = ? AND c.resourceId = r.id)
FROM city r;
SELECT c.state, c.at, (SELECT n.at FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId
                         AND n.seq > c.seq ORDER BY n.seq LIMIT 1) AS until
FROM change c
WHERE c.resourceType = ? AND c.state IS NOT NULL
  AND EXISTS (SELECT 1 FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId AND n.seq > c.seq);
INSERT INTO supplier_history ("id", "version", "createdAt", "updatedAt", "name", "businessId", "kind", "contact", "ownerCityId", recordedFrom)
SELECT "id", "version", "createdAt", "updatedAt", "name", "businessId", "kind", "contact", "ownerCityId", (SELECT max(at) FROM change c WHERE c.resourceType = ? AND c.resourceId = r.id)
FROM supplier r;
SELECT c.state, c.at, (SELECT n.at FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId
                         AND n.seq > c.seq ORDER BY n.seq LIMIT 1) AS until
FROM change c
WHERE c.resourceType = ? AND c.state IS NOT NULL
  AND EXISTS (SELECT 1 FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId AND n.seq > c.seq);
INSERT INTO service_history ("id", "cityId", "version", "createdAt", "updatedAt", "name", "description", "sector", "owner", "lifecycle", "lifecycleDates", "providerId", "annualCostCents", "criticality", "externalId", "capabilityIds", "processIds", "arrangerId", recordedFrom)
SELECT "id", "cityId", "version", "createdAt", "updatedAt", "name", "description", "sector", "owner", "lifecycle", "lifecycleDates", "providerId", "annualCostCents", "criticality", "externalId", "capabilityIds", "processIds", "arrangerId", (SELECT max(at) FROM change c WHERE c.resourceType = ? AND c.resourceId = r.id)
FROM service r;
SELECT c.state, c.at, (SELECT n.at FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId
                         AND n.seq > c.seq ORDER BY n.seq LIMIT 1) AS until
FROM change c
WHERE c.resourceType = ? AND c.state IS NOT NULL
  AND EXISTS (SELECT 1 FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId AND n.seq > c.seq);
INSERT INTO contract_history ("id", "cityId", "version", "createdAt", "updatedAt", "title", "supplierId", "externalId", "category", "procedure", "procuredOn", "totalValueCents", "annualValueCents", "startDate", "initialEndDate", "options", "renewal", "renewalPeriodMonths", "noticePeriodMonths", "managedBy", "sector", "serviceIds", "terminatedOn", "capabilityIds", "processIds", recordedFrom)
SELECT "id", "cityId", "version", "createdAt", "updatedAt", "title", "supplierId", "externalId", "category", "procedure", "procuredOn", "totalValueCents", "annualValueCents", "startDate", "initialEndDate", "options", "renewal", "renewalPeriodMonths", "noticePeriodMonths", "managedBy", "sector", "serviceIds", "terminatedOn", "capabilityIds", "processIds", (SELECT max(at) FROM change c WHERE c.resourceType = ? AND c.resourceId = r.id)
FROM contract r;
SELECT c.state, c.at, (SELECT n.at FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId
                         AND n.seq > c.seq ORDER BY n.seq LIMIT 1) AS until
FROM change c
WHERE c.resourceType = ? AND c.state IS NOT NULL
  AND EXISTS (SELECT 1 FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId AND n.seq > c.seq);
INSERT INTO sla_history ("id", "cityId", "version", "createdAt", "updatedAt", "contractId", "serviceId", "name", "metric", "priority", "unit", "comparator", "target", "period", "serviceCreditPercent", "periodFeeCents", "validFrom", "validTo", "capabilityIds", "processIds", recordedFrom)
SELECT "id", "cityId", "version", "createdAt", "updatedAt", "contractId", "serviceId", "name", "metric", "priority", "unit", "comparator", "target", "period", "serviceCreditPercent", "periodFeeCents", "validFrom", "validTo", "capabilityIds", "processIds", (SELECT max(at) FROM change c WHERE c.resourceType = ? AND c.resourceId = r.id)
FROM sla r;
SELECT c.state, c.at, (SELECT n.at FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId
                         AND n.seq > c.seq ORDER BY n.seq LIMIT 1) AS until
FROM change c
WHERE c.resourceType = ? AND c.state IS NOT NULL
  AND EXISTS (SELECT 1 FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId AND n.seq > c.seq);
INSERT INTO measurement_history ("id", "cityId", "version", "createdAt", "updatedAt", "slaId", "period", "value", "source", "evidence", "reportedAt", "note", "dispute", "firstMonth", "lastMonth", "disputeStatus", recordedFrom)
SELECT "id", "cityId", "version", "createdAt", "updatedAt", "slaId", "period", "value", "source", "evidence", "reportedAt", "note", "dispute", "firstMonth", "lastMonth", "disputeStatus", (SELECT max(at) FROM change c WHERE c.resourceType = ? AND c.resourceId = r.id)
FROM measurement r;
SELECT c.state, c.at, (SELECT n.at FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId
                         AND n.seq > c.seq ORDER BY n.seq LIMIT 1) AS until
FROM change c
WHERE c.resourceType = ? AND c.state IS NOT NULL
  AND EXISTS (SELECT 1 FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId AND n.seq > c.seq);
UPDATE measurement_history SET firstMonth = CAST(substr(period, 1, 4) AS INTEGER) * 12 + CASE WHEN substr(period, 6, 1) = 'Q' THEN CAST(substr(period, 7, 1) AS INTEGER) * 3 - 3 ELSE CAST(substr(period, 6, 2) AS INTEGER) - 1 END,
    lastMonth = CAST(substr(period, 1, 4) AS INTEGER) * 12 + CASE WHEN substr(period, 6, 1) = 'Q' THEN CAST(substr(period, 7, 1) AS INTEGER) * 3 - 1 ELSE CAST(substr(period, 6, 2) AS INTEGER) - 1 END, disputeStatus = json_extract(dispute, '$.status')
WHERE firstMonth IS NULL;
INSERT INTO project_history ("id", "cityId", "version", "createdAt", "updatedAt", "name", "description", "sector", "owner", "phase", "health", "budgetCents", "actualCostCents", "startDate", "plannedEndDate", "actualEndDate", "expectedAnnualSavingsCents", "serviceIds", "supplierIds", "portfolioDecision", "priority", "externalId", "capabilityIds", "processIds", recordedFrom)
SELECT "id", "cityId", "version", "createdAt", "updatedAt", "name", "description", "sector", "owner", "phase", "health", "budgetCents", "actualCostCents", "startDate", "plannedEndDate", "actualEndDate", "expectedAnnualSavingsCents", "serviceIds", "supplierIds", "portfolioDecision", "priority", "externalId", "capabilityIds", "processIds", (SELECT max(at) FROM change c WHERE c.resourceType = ? AND c.resourceId = r.id)
FROM project r;
SELECT c.state, c.at, (SELECT n.at FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId
                         AND n.seq > c.seq ORDER BY n.seq LIMIT 1) AS until
FROM change c
WHERE c.resourceType = ? AND c.state IS NOT NULL
  AND EXISTS (SELECT 1 FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId AND n.seq > c.seq);
INSERT INTO capability_sourcing_history ("id", "cityId", "version", "createdAt", "updatedAt", "capabilityId", "sourcing", "note", recordedFrom)
SELECT "id", "cityId", "version", "createdAt", "updatedAt", "capabilityId", "sourcing", "note", (SELECT max(at) FROM change c WHERE c.resourceType = ? AND c.resourceId = r.id)
FROM capability_sourcing r;
SELECT c.state, c.at, (SELECT n.at FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId
                         AND n.seq > c.seq ORDER BY n.seq LIMIT 1) AS until
FROM change c
WHERE c.resourceType = ? AND c.state IS NOT NULL
  AND EXISTS (SELECT 1 FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId AND n.seq > c.seq);
INSERT INTO effort_profile_history ("id", "cityId", "version", "createdAt", "updatedAt", "current", "target", recordedFrom)
SELECT "id", "cityId", "version", "createdAt", "updatedAt", "current", "target", (SELECT max(at) FROM change c WHERE c.resourceType = ? AND c.resourceId = r.id)
FROM effort_profile r;
SELECT c.state, c.at, (SELECT n.at FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId
                         AND n.seq > c.seq ORDER BY n.seq LIMIT 1) AS until
FROM change c
WHERE c.resourceType = ? AND c.state IS NOT NULL
  AND EXISTS (SELECT 1 FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId AND n.seq > c.seq);
INSERT INTO governance_facts_history ("id", "cityId", "version", "createdAt", "updatedAt", "centralItUnit", "ictStrategyApprovedOn", "sectorItUnits", "itSteeringGroup", "evidence", recordedFrom)
SELECT "id", "cityId", "version", "createdAt", "updatedAt", "centralItUnit", "ictStrategyApprovedOn", "sectorItUnits", "itSteeringGroup", "evidence", (SELECT max(at) FROM change c WHERE c.resourceType = ? AND c.resourceId = r.id)
FROM governance_facts r;
SELECT c.state, c.at, (SELECT n.at FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId
                         AND n.seq > c.seq ORDER BY n.seq LIMIT 1) AS until
FROM change c
WHERE c.resourceType = ? AND c.state IS NOT NULL
  AND EXISTS (SELECT 1 FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId AND n.seq > c.seq);
INSERT INTO assessment_history ("id", "cityId", "version", "createdAt", "updatedAt", "processId", "level", "achievement", "targetLevel", "assessedOn", "assessor", "method", "evidence", recordedFrom)
SELECT "id", "cityId", "version", "createdAt", "updatedAt", "processId", "level", "achievement", "targetLevel", "assessedOn", "assessor", "method", "evidence", (SELECT max(at) FROM change c WHERE c.resourceType = ? AND c.resourceId = r.id)
FROM assessment r;
SELECT c.state, c.at, (SELECT n.at FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId
                         AND n.seq > c.seq ORDER BY n.seq LIMIT 1) AS until
FROM change c
WHERE c.resourceType = ? AND c.state IS NOT NULL
  AND EXISTS (SELECT 1 FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId AND n.seq > c.seq);
INSERT INTO maturity_snapshot_history ("id", "cityId", "version", "createdAt", "updatedAt", "asOf", "stage", "note", "maturity", recordedFrom)
SELECT "id", "cityId", "version", "createdAt", "updatedAt", "asOf", "stage", "note", "maturity", (SELECT max(at) FROM change c WHERE c.resourceType = ? AND c.resourceId = r.id)
FROM maturity_snapshot r;
SELECT c.state, c.at, (SELECT n.at FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId
                         AND n.seq > c.seq ORDER BY n.seq LIMIT 1) AS until
FROM change c
WHERE c.resourceType = ? AND c.state IS NOT NULL
  AND EXISTS (SELECT 1 FROM change n WHERE n.resourceType = c.resourceType AND n.resourceId = c.resourceId AND n.seq > c.seq)
