import SalkkuCore

/// Who may make a change, beyond what the route table decides by role: rules that depend on the record and
/// on the change. Checked on creation (no current record) and on every update, before anything is stored.
struct WriteRule<Fields: ResourceFields>: Sendable {
    let check: @Sendable (_ scope: AccessScope, _ current: Resource<Fields>?, _ proposed: Fields) throws -> Void

    static var none: WriteRule { WriteRule { _, _, _ in } }
}

extension WriteRule where Fields == CityFields {
    /// The municipality code identifies the city to Statistics Finland and to every other city: only an admin changes it.
    static let city = WriteRule { scope, current, proposed in
        guard !scope.isGlobalAdmin, let current, current.fields.municipalityCode != proposed.municipalityCode else { return }
        throw Problem.forbidden("only an admin may change a city's municipalityCode")
    }
}

extension WriteRule where Fields == SupplierFields {
    /// A city's own production unit or enterprise belongs to that city: only its CIO (or an admin) changes it. The
    /// kind and owner of any supplier move other cities' maturity, so only an admin of every city changes those.
    /// An admin token limited to some cities is held to the same rules as a CIO of those cities.
    /// Own production or a municipal enterprise with no recorded owner (from before owners were recorded, or
    /// required) waits for an admin to name one. A CIO may create an in-house company with its owners; after
    /// that only an admin changes them.
    static let supplier = WriteRule { scope, current, proposed in
        guard !scope.isGlobalAdmin else { return }
        guard let current else {
            if let owner = proposed.ownerCityId, !scope.covers(cityId: owner) {
                throw Problem.forbidden("ownerCityId \(owner) is not one of this token's cities", member: "ownerCityId")
            }
            // Owners decide other cities' in-house awards: a CIO names only its own cities, by id; a municipality
            // code could be any city's, so owners named by code wait for an admin of every city.
            for owner in proposed.owners ?? [] {
                if let city = owner.cityId, !scope.covers(cityId: city) {
                    throw Problem.forbidden("owners names city \(city), which is not one of this token's cities", member: "owners")
                }
                if owner.cityId == nil, let code = owner.municipalityCode {
                    throw Problem.forbidden("owners names municipality \(code) by code; only an admin of every city records owners by code",
                                            member: "owners")
                }
            }
            return
        }
        let id = current.meta.id
        if let owner = current.fields.ownerCityId, !scope.covers(cityId: owner) {
            throw Problem.forbidden("supplier \(id) belongs to city \(owner); only that city's CIO or an admin may change it")
        }
        if current.fields.ownerCityId == nil, SupplierFields.ownableKinds.contains(current.fields.kind) {
            throw Problem.forbidden("supplier \(id) is \(current.fields.kind.rawValue) with no owning city recorded; an admin must name its ownerCityId first")
        }
        // Other cities' services and contracts may name any supplier: its kind and owner move their maturity too, and
        // its owners decide whose awards to it are in-house.
        guard proposed.kind == current.fields.kind, proposed.ownerCityId == current.fields.ownerCityId,
              proposed.owners ?? [] == current.fields.owners ?? [] else {
            throw Problem.forbidden("only an admin of every city may change the kind, owner or owners of supplier \(id)")
        }
    }
}
