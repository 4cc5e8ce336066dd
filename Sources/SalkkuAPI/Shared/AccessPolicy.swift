import SalkkuCore

/// Who may call which route: one explicit decision per route, so that a new route cannot go live
/// without one (a test compares this table with the router). Paths with `{cityId}` are further
/// limited to the token's cities.
enum RouteAccess: Sendable, Equatable {
    /// No token needed: liveness, readiness, the contract and its documentation.
    case open
    case roles(Set<Role>)
    /// An admin token for every city: the route's effect reaches every city, so an admin limited to some may
    /// not use it (else it could make itself an unlimited token, or a city it does not administer).
    case everyCityAdmin
}

extension Role {
    static let all: Set<Role> = Set(Role.allCases)
}

enum AccessPolicy {
    static let routes: [String: RouteAccess] = [
        "GET /docs": .open,
        "GET /healthz": .open,
        "GET /openapi.yaml": .open,
        "GET /problems": .open,
        "GET /problems/{type}": .open,
        "GET /readyz": .open,
        "GET /v1/audit-log": .roles([.admin, .auditor]),
        "GET /v1/audit-log/verify": .roles([.admin, .auditor]),
        "GET /v1/benchmark": .roles([.admin, .cio, .auditor]),
        "GET /v1/catalogue/caf-criteria": .roles(Role.all),
        "GET /v1/catalogue/capabilities": .roles(Role.all),
        "GET /v1/catalogue/focus-areas": .roles(Role.all),
        "GET /v1/catalogue/processes": .roles(Role.all),
        "GET /v1/changes": .roles([.admin, .integration]),
        "GET /v1/cities": .roles(Role.all),
        "POST /v1/cities": .everyCityAdmin,
        "DELETE /v1/cities/{cityId}": .everyCityAdmin,
        "GET /v1/cities/{cityId}": .roles(Role.all),
        "PATCH /v1/cities/{cityId}": .roles([.admin, .cio]),
        "GET /v1/cities/{cityId}/assessments": .roles(Role.all),
        "POST /v1/cities/{cityId}/assessments": .roles([.admin, .cio]),
        "GET /v1/cities/{cityId}/assessments/{assessmentId}": .roles(Role.all),
        "GET /v1/cities/{cityId}/assessments/{assessmentId}/history": .roles([.admin, .auditor]),
        "GET /v1/cities/{cityId}/caf-assessments": .roles(Role.all),
        "POST /v1/cities/{cityId}/caf-assessments": .roles([.admin, .cio]),
        "GET /v1/cities/{cityId}/caf-assessments/{cafAssessmentId}": .roles(Role.all),
        "GET /v1/cities/{cityId}/caf-assessments/{cafAssessmentId}/history": .roles([.admin, .auditor]),
        "GET /v1/cities/{cityId}/capabilities": .roles(Role.all),
        "PUT /v1/cities/{cityId}/capabilities/{capabilityId}": .roles([.admin, .cio]),
        "GET /v1/cities/{cityId}/capabilities/{capabilityId}/history": .roles([.admin, .auditor]),
        "GET /v1/cities/{cityId}/capabilities/{capabilityId}/portfolio": .roles(Role.all),
        "GET /v1/cities/{cityId}/contract-deadlines": .roles(Role.all),
        "GET /v1/cities/{cityId}/contracts": .roles(Role.all),
        "POST /v1/cities/{cityId}/contracts": .roles([.admin, .cio]),
        "DELETE /v1/cities/{cityId}/contracts/{contractId}": .roles([.admin, .cio]),
        "GET /v1/cities/{cityId}/contracts/{contractId}": .roles(Role.all),
        "PATCH /v1/cities/{cityId}/contracts/{contractId}": .roles([.admin, .cio]),
        "GET /v1/cities/{cityId}/contracts/{contractId}/history": .roles([.admin, .auditor]),
        "GET /v1/cities/{cityId}/contracts/{contractId}/spend": .roles(Role.all),
        "GET /v1/cities/{cityId}/contracts/{contractId}/spend/{year}": .roles(Role.all),
        "PUT /v1/cities/{cityId}/contracts/{contractId}/spend/{year}": .roles([.admin, .cio]),
        "DELETE /v1/cities/{cityId}/contracts/{contractId}/spend/{year}": .roles([.admin, .cio]),
        "GET /v1/cities/{cityId}/effort-profile": .roles(Role.all),
        "PUT /v1/cities/{cityId}/effort-profile": .roles([.admin, .cio]),
        "GET /v1/cities/{cityId}/effort-profile/history": .roles([.admin, .auditor]),
        // Every role that reads the city.
        "GET /v1/cities/{cityId}/export": .roles([.admin, .cio, .integration, .auditor]),
        "GET /v1/cities/{cityId}/governance": .roles(Role.all),
        "PUT /v1/cities/{cityId}/governance": .roles([.admin, .cio]),
        "GET /v1/cities/{cityId}/governance/history": .roles([.admin, .auditor]),
        "GET /v1/cities/{cityId}/history": .roles([.admin, .auditor]),
        "POST /v1/cities/{cityId}/imports/{type}": .roles([.admin, .cio]),
        "GET /v1/cities/{cityId}/maturity": .roles(Role.all),
        "GET /v1/cities/{cityId}/maturity-snapshots": .roles(Role.all),
        "GET /v1/cities/{cityId}/transition-plan": .roles(Role.all),
        "PUT /v1/cities/{cityId}/transition-plan": .roles([.admin, .cio]),
        "GET /v1/cities/{cityId}/transition-plan/history": .roles([.admin, .auditor]),
        "GET /v1/maturity-model": .roles(Role.all),
        // The model judges every city: only an admin of every city publishes a new version.
        "PUT /v1/maturity-model": .everyCityAdmin,
        "GET /v1/maturity-model/versions": .roles(Role.all),
        "POST /v1/cities/{cityId}/maturity-snapshots": .roles([.admin, .cio]),
        "GET /v1/cities/{cityId}/portfolio-summary": .roles(Role.all),
        "GET /v1/cities/{cityId}/process-profile": .roles(Role.all),
        // The auditor's first question; integrations read the contracts themselves.
        "GET /v1/cities/{cityId}/procurement-warnings": .roles([.admin, .cio, .auditor]),
        "GET /v1/cities/{cityId}/projects": .roles(Role.all),
        "POST /v1/cities/{cityId}/projects": .roles([.admin, .cio]),
        "DELETE /v1/cities/{cityId}/projects/{projectId}": .roles([.admin, .cio]),
        "GET /v1/cities/{cityId}/projects/{projectId}": .roles(Role.all),
        "PATCH /v1/cities/{cityId}/projects/{projectId}": .roles([.admin, .cio]),
        "GET /v1/cities/{cityId}/projects/{projectId}/history": .roles([.admin, .auditor]),
        "GET /v1/cities/{cityId}/services": .roles(Role.all),
        "POST /v1/cities/{cityId}/services": .roles([.admin, .cio]),
        "DELETE /v1/cities/{cityId}/services/{serviceId}": .roles([.admin, .cio]),
        "GET /v1/cities/{cityId}/services/{serviceId}": .roles(Role.all),
        "PATCH /v1/cities/{cityId}/services/{serviceId}": .roles([.admin, .cio]),
        "GET /v1/cities/{cityId}/services/{serviceId}/history": .roles([.admin, .auditor]),
        "GET /v1/cities/{cityId}/sla-breaches": .roles(Role.all),
        "GET /v1/cities/{cityId}/sla-compliance": .roles(Role.all),
        "GET /v1/cities/{cityId}/sla-compliance/trend": .roles(Role.all),
        "GET /v1/cities/{cityId}/sla-measurements": .roles(Role.all),
        "POST /v1/cities/{cityId}/sla-measurements": .roles([.admin, .cio]),
        "GET /v1/cities/{cityId}/sla-missing-reports": .roles(Role.all),
        "GET /v1/cities/{cityId}/slas": .roles(Role.all),
        "POST /v1/cities/{cityId}/slas": .roles([.admin, .cio]),
        "DELETE /v1/cities/{cityId}/slas/{slaId}": .roles([.admin, .cio]),
        "GET /v1/cities/{cityId}/slas/{slaId}": .roles(Role.all),
        "PATCH /v1/cities/{cityId}/slas/{slaId}": .roles([.admin, .cio]),
        "GET /v1/cities/{cityId}/slas/{slaId}/history": .roles([.admin, .auditor]),
        "GET /v1/cities/{cityId}/slas/{slaId}/measurements": .roles(Role.all),
        "DELETE /v1/cities/{cityId}/slas/{slaId}/measurements/{period}": .roles([.admin, .cio]),
        "GET /v1/cities/{cityId}/slas/{slaId}/measurements/{period}": .roles(Role.all),
        "PATCH /v1/cities/{cityId}/slas/{slaId}/measurements/{period}": .roles([.admin, .cio]),
        "PUT /v1/cities/{cityId}/slas/{slaId}/measurements/{period}": .roles([.admin, .cio]),
        "GET /v1/cities/{cityId}/slas/{slaId}/measurements/{period}/history": .roles([.admin, .auditor]),
        // Every city of the admin's scope: an admin limited to some cities gets those.
        "GET /v1/export": .roles([.admin]),
        "GET /v1/procurement-thresholds": .roles(Role.all),
        "GET /v1/supplier-scorecards": .roles([.admin, .cio, .auditor]),
        "GET /v1/import-templates/{type}.csv": .roles(Role.all),
        "POST /v1/imports/suppliers": .roles([.admin, .cio]),
        "GET /v1/suppliers": .roles(Role.all),
        "POST /v1/suppliers": .roles([.admin, .cio]),
        "DELETE /v1/suppliers/{supplierId}": .everyCityAdmin,
        "GET /v1/suppliers/{supplierId}": .roles(Role.all),
        "PATCH /v1/suppliers/{supplierId}": .roles([.admin, .cio]),
        "GET /v1/suppliers/{supplierId}/history": .roles([.admin, .auditor]),
        "GET /v1/suppliers/{supplierId}/scorecard": .roles([.admin, .cio, .auditor]),
        "GET /v1/tokens": .everyCityAdmin,
        "POST /v1/tokens": .everyCityAdmin,
        "DELETE /v1/tokens/{tokenId}": .everyCityAdmin,
        "GET /v1/tokens/{tokenId}": .everyCityAdmin,
    ]

    static func decision(method: String, template: String) -> RouteAccess? {
        routes["\(method) \(template)"]
    }
}
