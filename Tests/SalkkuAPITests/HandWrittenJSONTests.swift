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
        // The demo caps no contract's credits; a value for the one member no demo contract sets.
        members["serviceCreditCapPercent"] = members["serviceCreditCapPercent"] ?? .real(12.5)
        let fieldNames = Mirror(reflecting: contracts[0].fields).children.compactMap(\.label)
        let missing = Set(fieldNames).subtracting(members.keys)
        #expect(missing.isEmpty, "no demo contract sets \(missing.sorted()); give one a value so that the writer is checked on it")

        let full = try JSONValue.object(members).decoded(as: Resource<ContractFields>.self)
        let evaluated = Evaluated(record: full, computed: ContractTerms(full.fields, on: LocalDate("2026-12-01")!, supplierKind: .commercial))
        let byHand = String(decoding: try CompactJSONEncoder.writtenByHand(evaluated), as: UTF8.self)
        let derived = String(decoding: try CompactJSONEncoder.foundationEncoding(of: evaluated), as: UTF8.self)
        #expect(byHand == derived)
        for name in fieldNames { #expect(byHand.contains("\"\(name)\":"), "the writer writes \(name)") }
    }
}

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
