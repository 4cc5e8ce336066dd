import SalkkuCore
import SalkkuJSON

// Contracts are the records integrations page through most; their JSON is written member by member in key
// order by a writer generated from the fields types (`Generated/ContractJSON.swift`), and a page of them by
// the list body's writer below. Debug builds compare every response with Foundation's encoding.

extension JSONStreamWriter {
    func writeOptional(_ string: String?) {
        if let string { writeString(string) } else { writeNull() }
    }
}

extension ListBody: JSONWritable where Item: JSONWritable {
    func writeJSON(to writer: JSONStreamWriter) throws {
        try writer.object { members in
            members.key("items"); try writer.array(items) { try $0.writeJSON(to: writer) }
            members.key("nextCursor"); writer.writeOptional(nextCursor)
        }
    }
}
