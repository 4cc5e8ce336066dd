import Foundation
import GRDB
import SalkkuCore

/// A member of a body that names another record by id. The write path checks references once the body reads
/// (`referenceErrors`); a body with errors of its own never gets there, so its unknown references are looked up
/// here from the raw JSON and named beside its other errors ("validation collects all field errors").
public struct ReferenceMember: Sendable {
    public enum Step: Sendable { case key(String), each }
    let path: [Step]
    let table: String
    /// Whether the record must be the body's city's (services, contracts, projects) or may be anyone's (suppliers).
    let cityScoped: Bool
    /// As the write path names it: "no \(label) has id …".
    let label: String

    init(_ path: [Step], table: String, cityScoped: Bool, label: String) {
        self.path = path
        self.table = table
        self.cityScoped = cityScoped
        self.label = label
    }

    static func supplier(_ path: Step...) -> ReferenceMember { ReferenceMember(path, table: "supplier", cityScoped: false, label: "supplier") }
    static func city(_ path: Step...) -> ReferenceMember { ReferenceMember(path, table: "city", cityScoped: false, label: "city") }
    static func service(_ path: Step...) -> ReferenceMember {
        ReferenceMember(path, table: "service", cityScoped: true, label: "service of this city")
    }
    static func project(_ path: Step...) -> ReferenceMember {
        ReferenceMember(path, table: "project", cityScoped: true, label: "project of this city")
    }
    static func contract(_ path: Step...) -> ReferenceMember {
        ReferenceMember(path, table: "contract", cityScoped: true, label: "contract of this city")
    }

    /// The ids the body names at this member, with their pointers; ids that are not strings are the reader's errors.
    func ids(in body: JSONValue) -> [(pointer: JSONPointer, id: String)] {
        var found: [(JSONPointer, String)] = []
        func walk(_ value: JSONValue, _ steps: ArraySlice<Step>, _ pointer: JSONPointer) {
            guard found.count < ReferenceMember.lookedUpPerMember else { return }
            guard let step = steps.first else {
                // Only what could be an id is looked up; anything else is the reader's error, named once and not echoed.
                if case .string(let id) = value, (1...ReferenceMember.longestId).contains(id.utf8.count),
                   case .success(let clean) = TextRules.cleaned(id, singleLine: true), clean == id, !id.contains(" ") {
                    found.append((pointer, id))
                }
                return
            }
            switch (step, value) {
            case (.key(let key), .object(let members)):
                if let member = members[key] { walk(member, steps.dropFirst(), pointer.appending(key)) }
            case (.each, .array(let items)):
                for (index, item) in items.enumerated() { walk(item, steps.dropFirst(), pointer.appending(index)) }
            default:
                return
            }
        }
        walk(body, path[...], .root)
        return found
    }

    /// A body carries at most a few hundred references; a body built to carry more is still answered quickly.
    static let lookedUpPerMember = 200
    static let longestId = 64
}

extension StoredResource {
    /// The members of this kind's bodies that reference other records by id; none unless declared.
    public static var referenceMembers: [ReferenceMember] { [] }
}

extension ContractFields { public static var referenceMembers: [ReferenceMember] { [.supplier(.key("supplierId")), .service(.key("serviceIds"), .each)] } }
extension SLAFields { public static var referenceMembers: [ReferenceMember] { [.contract(.key("contractId"))] } }
extension ProjectFields {
    public static var referenceMembers: [ReferenceMember] { [.service(.key("serviceIds"), .each), .supplier(.key("supplierIds"), .each)] }
}
extension ServiceFields { public static var referenceMembers: [ReferenceMember] { [.supplier(.key("providerId")), .supplier(.key("arrangerId"))] } }
extension SupplierFields {
    public static var referenceMembers: [ReferenceMember] { [.city(.key("ownerCityId")), .city(.key("owners"), .each, .key("cityId"))] }
}
extension CapabilitySourcingFields { public static var referenceMembers: [ReferenceMember] { [.supplier(.key("providerId"))] } }
extension TransitionPlanFields {
    public static var referenceMembers: [ReferenceMember] { [.project(.key("measures"), .each, .key("projectIds"), .each)] }
}

extension AppDatabase {
    /// The failure to answer for a body that did not read: its own errors, and beside them (when there is room in
    /// the answer) the records it references that do not exist, in this city where the reference must be local.
    public func failure<F: StoredResource>(_ errors: InputErrors, body: JSONValue, _ type: F.Type, cityId: String?) -> ValidationFailure {
        guard !F.referenceMembers.isEmpty, errors.total < ValidationFailure.reportedLimit else { return errors.failure }
        // Looking up is a courtesy to the caller: if the database cannot answer, the body's own errors still do.
        let unknown = (try? read { db in try F.unknownReferences(in: body, cityId: cityId, db: db) }) ?? []
        // A member the body's own reading already refused is named once.
        let named = Set(errors.list.compactMap(\.pointer))
        for error in unknown where !named.contains(error.pointer.description) { errors.add(error.pointer, error.detail) }
        return errors.failure
    }
}

extension StoredResource {
    static func unknownReferences(in body: JSONValue, cityId: String?, db: Database) throws -> [(pointer: JSONPointer, detail: String)] {
        var errors: [(pointer: JSONPointer, detail: String)] = []
        for member in referenceMembers {
            let scope = member.cityScoped ? cityId : nil
            let statement = try db.cachedStatement(sql: scope == nil ? "SELECT EXISTS (SELECT 1 FROM \(member.table) WHERE id = ?)"
                                                       : "SELECT EXISTS (SELECT 1 FROM \(member.table) WHERE id = ? AND cityId = ?)")
            let arguments: (String) -> StatementArguments = { id in scope.map { [id, $0] } ?? [id] }
            for (pointer, id) in member.ids(in: body) where try !Bool.fetchOne(statement, arguments: arguments(id))! {
                errors.append((pointer, "no \(member.label) has id \(id)"))
            }
        }
        return errors
    }
}
