"""A CIO's short workflow through the client that openapi-python-client generates from openapi/openapi.yaml
(tests/client/run.sh): only the generated typed functions and models, no hand-written requests.

    python cio_workflow.py BASE_URL

Exits non-zero, naming the step, when an answer is not the type or the content the workflow expects.
"""
import datetime
import sys

from salkku_client import AuthenticatedClient
from salkku_client.api.audit import list_changes
from salkku_client.api.cities import list_cities
from salkku_client.api.compliance import get_sla_compliance, put_measurement
from salkku_client.api.contracts import get_contract, list_contract_deadlines, list_contracts
from salkku_client.api.governance import get_maturity
from salkku_client.api.services import create_service, get_service, update_service
from salkku_client.api.slas import list_slas
from salkku_client.models import (
    ChangeFeedPage,
    City,
    ComplianceReport,
    Contract,
    ContractDeadlines,
    ContractChange,
    ContractList,
    Criticality,
    GetSlaComplianceGroupBy,
    Lifecycle,
    Maturity,
    Measurement,
    MeasurementReport,
    MeasurementSource,
    Owner,
    Problem,
    Sector,
    Service,
    ServiceChange,
    ServiceInput,
    ServicePatch,
    SLAList,
    SLAMetric,
    SLAPeriod,
)
from salkku_client.types import UNSET

CIO_TOKEN = "salkku-demo-cio-helsinki"
# The change feed is for integrations: the demo's integration token reads Helsinki and Espoo.
INTEGRATION_TOKEN = "salkku-demo-integration"


def expect(answer, expected_type, step):
    """The generated functions return the parsed success model, or a Problem for a documented error."""
    if isinstance(answer, Problem):
        sys.exit(f"FAIL {step}: {answer.status} {answer.title}: {answer.detail} {answer.additional_properties}")
    if not isinstance(answer, expected_type):
        sys.exit(f"FAIL {step}: expected {expected_type.__name__}, got {answer!r}")
    return answer


def check(condition, step, detail=""):
    if not condition:
        sys.exit(f"FAIL {step}: {detail}")


def main(base_url):
    client = AuthenticatedClient(base_url=base_url, token=CIO_TOKEN, raise_on_unexpected_status=True)

    cities = list_cities.sync(client=client, q="Helsinki")
    helsinki = next((city for city in cities.items if city.municipality_code == "091"), None)
    check(isinstance(helsinki, City), "find Helsinki", f"no city 091 in {cities!r}")
    city_id = helsinki.id

    contracts = []
    cursor = UNSET
    while True:
        page = expect(list_contracts.sync(city_id, client=client, limit=20, cursor=cursor), ContractList, "list contracts")
        contracts.extend(page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    check(contracts, "list contracts", "Helsinki has no contracts")
    check(all(contract.city_id == city_id for contract in contracts), "list contracts", "another city's contract")
    check([c.id for c in contracts] == sorted(c.id for c in contracts), "list contracts", "not in id order")

    first = contracts[0]
    contract = expect(get_contract.sync(city_id, first.id, client=client), Contract, "read a contract")
    check(contract.title == first.title and contract.version == first.version, "read a contract", "differs from the list")
    check(contract.current_end_date >= contract.initial_end_date, "read a contract", "ends before its initial end")

    deadlines = expect(list_contract_deadlines.sync(city_id, client=client, within=730), ContractDeadlines, "list deadlines")
    check(deadlines.within_days == 730, "list deadlines", f"withinDays {deadlines.within_days}")
    contract_ids = {c.id for c in contracts}
    for deadline in deadlines.items:
        check(deadline.contract_id in contract_ids, "list deadlines", f"unknown contract {deadline.contract_id}")
        check(0 <= deadline.days_left <= 730, "list deadlines", f"{deadline.days_left} days left")
        check(deadline.deadline == deadlines.on + datetime.timedelta(days=deadline.days_left), "list deadlines",
              f"{deadline.deadline} is not {deadline.days_left} days after {deadlines.on}")

    new_service = ServiceInput(
        name="Asukaskyselyjen verkkolomake",
        sector=Sector.ADMINISTRATION,
        owner=Owner(name="Aino Virtanen", title="Palvelupäällikkö", email="aino.virtanen@example.fi"),
        lifecycle=Lifecycle.PLAN,
        criticality=Criticality.LOW,
        description="Kyselyt kaupunkilaisille.",
        annual_cost_cents=1_250_000,
        external_id="CLIENT-WORKFLOW-1",
    )
    service = expect(create_service.sync(city_id, client=client, body=new_service), Service, "create a service")
    check(service.version == 1 and service.city_id == city_id, "create a service", f"{service!r}")
    check(service.annual_cost_cents == 1_250_000 and service.capability_ids == [], "create a service", f"{service!r}")

    # Merge patch: a value changes a member, None (JSON null) removes an optional one, UNSET leaves it as it is.
    patch = ServicePatch(criticality=Criticality.MEDIUM, annual_cost_cents=None, external_id=None)
    updated = expect(update_service.sync(city_id, service.id, client=client, body=patch, if_match=f'"{service.version}"'),
                     Service, "update the service")
    check(updated.version == 2 and updated.criticality == Criticality.MEDIUM, "update the service", f"{updated!r}")
    check(updated.annual_cost_cents is UNSET and updated.external_id is UNSET, "update the service", "null did not remove")
    check(updated.description == "Kyselyt kaupunkilaisille.", "update the service", "an untouched member changed")
    reread = expect(get_service.sync(city_id, service.id, client=client), Service, "read the service")
    check(reread.version == 2 and reread.annual_cost_cents is UNSET, "read the service", f"{reread!r}")

    slas = expect(list_slas.sync(city_id, client=client, metric=SLAMetric.AVAILABILITY, limit=100), SLAList, "list SLAs")
    monthly = [sla for sla in slas.items if sla.period == SLAPeriod.MONTH]
    check(monthly, "list SLAs", "no monthly availability SLA")
    sla = monthly[0]
    # Two months that ended before today and lie inside the SLA's validity: one met, one breached.
    last_month_end = datetime.date.today().replace(day=1) - datetime.timedelta(days=1)
    months = []
    month_end = min(last_month_end, sla.effective_valid_to)
    while len(months) < 2:
        months.append(month_end.strftime("%Y-%m"))
        month_end = month_end.replace(day=1) - datetime.timedelta(days=1)
    check(month_end >= sla.effective_valid_from, "pick months", f"{sla.id} is valid for less than two months")
    met_month, breached_month = months
    # Availability is at least its target: 100 meets every target, 1.5 points below it misses.
    under = round(max(sla.target - 1.5, 0), 3)
    for month, value in ((met_month, 100.0), (breached_month, under)):
        report = MeasurementReport(value=value, source=MeasurementSource.MONITORING, note="Kirjattu asiakasohjelmalla.")
        measurement = expect(put_measurement.sync(city_id, sla.id, month, client=client, body=report), Measurement,
                             f"record {month}")
        check(measurement.value == value and measurement.period == month, f"record {month}", f"{measurement!r}")

    compliance = expect(get_sla_compliance.sync(city_id, client=client, from_=breached_month, to=met_month,
                                                group_by=GetSlaComplianceGroupBy.SLA), ComplianceReport, "compliance")
    group = next((g for g in compliance.groups if g.key.id == sla.id), None)
    check(group is not None, "compliance", f"no group for {sla.id}")
    check(group.met >= 1 and group.breached >= 1, "compliance", f"met {group.met}, breached {group.breached}")
    check(compliance.totals.breached >= group.breached, "compliance", "totals below one group")

    maturity = expect(get_maturity.sync(city_id, client=client), Maturity, "maturity")
    check(maturity.city_id == city_id and int(maturity.stage.level) in (1, 2, 3), "maturity", f"{maturity.stage!r}")
    check(maturity.criteria, "maturity", "no criteria")

    # An integration follows the change feed: each entry is the model of its kind, its state the record's model.
    integration = AuthenticatedClient(base_url=base_url, token=INTEGRATION_TOKEN, raise_on_unexpected_status=True)
    after, entries, service_states, contract_states = 0, 0, [], 0
    while True:
        page = expect(list_changes.sync(client=integration, after=after, limit=500, city_id=city_id), ChangeFeedPage, "read the change feed")
        for entry in page.items:
            kind = "".join(part.upper() if part == "sla" else part.capitalize() for part in str(entry.resource_type).split("-"))
            check(type(entry).__name__ == f"{kind}Change", "read the change feed",
                  f"entry {entry.seq} of {entry.resource_type} is a {type(entry).__name__}")
            if isinstance(entry, ContractChange) and entry.state is not None:
                check(isinstance(entry.state, Contract) and entry.state.current_end_date >= entry.state.initial_end_date,
                      "read the change feed", f"contract state {entry.state!r}")
                contract_states += 1
            if isinstance(entry, ServiceChange) and entry.resource_id == service.id:
                check(isinstance(entry.state, Service), "read the change feed", f"service state {entry.state!r}")
                service_states.append(entry.state.version)
        entries += len(page.items)
        if page.next_cursor == after:
            break
        after = page.next_cursor
    check(service_states == [1, 2], "read the change feed", f"the new service's versions {service_states}")
    check(contract_states >= len(contracts), "read the change feed", f"{contract_states} contract states")

    print(f"CIO workflow passed: {len(contracts)} contracts, {len(deadlines.items)} deadlines, service {service.id} "
          f"created and patched, {sla.id} measured for {breached_month} and {met_month}, stage {int(maturity.stage.level)}, "
          f"{entries} changes read")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080")
