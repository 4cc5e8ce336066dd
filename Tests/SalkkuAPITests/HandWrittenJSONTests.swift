import Foundation
import SalkkuCore
import SalkkuDemo
import SalkkuJSON
import SalkkuStore
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SalkkuAPI

/// The contract writer is written by hand for speed; it must write exactly what the derived encoding writes, for
/// a contract with every field set, so that a field added to the fields type and not to the writer fails here.
@Suite struct HandWrittenJSONTests {
    /// A JSON value a member of this type accepts.
    static func sample(of type: Any.Type) -> JSONValue? {
        if let optional = type as? any OptionalType.Type { return sample(of: optional.wrappedType) }
        switch type {
        case is String.Type: return .string("näyte / \"x\"")
        case is Int.Type, is Int64.Type: return .integer(7)
        case is Bool.Type: return .bool(true)
        case is LocalDate.Type: return .string("2026-02-28")
        case is Timestamp.Type: return .string("2026-02-28T10:00:00.000Z")
        case is ExactDecimal.Type: return .real(12.5)
        case is [String].Type: return .array([.string("a"), .string("b")])
        case let enumeration as any APIEnum.Type: return firstCase(enumeration)
        default: return nil
        }
    }

    private static func firstCase<E: APIEnum>(_ type: E.Type) -> JSONValue? { E.allCases.first.map { .string($0.rawValue) } }

    @Test func theContractWriterWritesEveryFieldAsTheDerivedEncodingDoes() throws {
        let database = try AppDatabase.temporary()
        try DemoData.seedIfEmpty(database)
        let contracts = try database.allIds(ContractFields.self).compactMap { try database.fetch(ContractFields.self, id: $0) }
        // Every member that some demo contract has, each from the first contract that has it.
        var members: [String: JSONValue] = [:]
        for contract in contracts {
            guard case .object(let object) = try JSONValue.of(contract) else { continue }
            for (key, value) in object where value != .null && members[key] == nil { members[key] = value }
        }
        // A member no demo contract sets (a new field, the credit cap) gets a value made from its type.
        let fields = Mirror(reflecting: contracts[0].fields).children.compactMap { child in child.label.map { ($0, type(of: child.value)) } }
        for (name, type) in fields where members[name] == nil {
            members[name] = try #require(Self.sample(of: type), "no sample value for \(name) of type \(type); teach sample(of:) the type")
        }
        let fieldNames = fields.map(\.0)

        let full = try JSONValue.object(members).decoded(as: Resource<ContractFields>.self)
        let evaluated = Evaluated(record: full, computed: ContractTerms(full.fields, on: LocalDate("2026-12-01")!, supplierKind: .commercial))
        let byHand = String(decoding: try CompactJSONEncoder.writtenByHand(evaluated), as: UTF8.self)
        let derived = String(decoding: try CompactJSONEncoder.foundationEncoding(of: evaluated), as: UTF8.self)
        #expect(byHand == derived)
        for name in fieldNames { #expect(byHand.contains("\"\(name)\":"), "the writer writes \(name)") }
    }
}

protocol OptionalType { static var wrappedType: Any.Type { get } }
extension Optional: OptionalType { static var wrappedType: Any.Type { Wrapped.self } }

/// A value a handler returns is written by the one JSON writer, the request context's response encoder.
@Suite struct ResponseEncoderTests {
    struct Unsorted: ResponseEncodable {
        var zeta = 1
        var alpha = "a/b"
        var when = LocalDate("2026-12-01")!
    }

    @Test func returnedValuesAreWrittenByTheOneJSONWriter() async throws {
        let router = Router(context: AppRequestContext.self)
        router.get("/value") { _, _ in Unsorted() }
        let app = Application(router: router)
        try await app.test(.router) { client in
            try await client.execute(uri: "/value", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == MediaType.json)
                #expect(String(buffer: response.body) == #"{"alpha":"a/b","when":"2026-12-01","zeta":1}"#)
            }
        }
    }
}
