import Foundation
import GRDB
import SalkkuCore

// Rows of the tables that list pages and by-id reads serve most are read column by column here.
// GRDB's Codable decoding resolves every column through dynamic casts and decodes JSON columns with a
// new JSONDecoder each; on a page of contracts that was a third of the server's time. A test compares
// these readers with the Codable decoding on every demo record.

extension Row {
    func value<T: DatabaseValueConvertible>(_ column: String) throws -> T {
        try decode(T.self, forColumn: column)
    }

    func optional<T: DatabaseValueConvertible>(_ column: String) throws -> T? {
        try decode(T?.self, forColumn: column)
    }

    func enumeration<E: RawRepresentable>(_ column: String) throws -> E where E.RawValue == String {
        let text: String = try value(column)
        guard let value = E(rawValue: text) else { throw StoredValueError(column: column, text: text) }
        return value
    }

    func optionalEnumeration<E: RawRepresentable>(_ column: String) throws -> E? where E.RawValue == String {
        try optional(column).map { (text: String) in
            guard let value = E(rawValue: text) else { throw StoredValueError(column: column, text: text) }
            return value
        }
    }

    /// A JSON array of identifiers; the common empty list and lists without escapes are read without a decoder.
    func identifiers(_ column: String) throws -> [String] {
        let text: String = try value(column)
        if text == "[]" { return [] }
        if let ids = Self.plainStringArray(text) { return ids }
        return try json(column)
    }

    /// A value stored as JSON text.
    func json<T: Decodable>(_ column: String) throws -> T {
        let text: String = try value(column)
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw StoredValueError(column: column, text: text)
        }
    }

    func optionalJSON<T: Decodable>(_ column: String) throws -> T? {
        guard let text: String = try optional(column) else { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw StoredValueError(column: column, text: text)
        }
    }

    /// `["a","b"]` with no escapes and no spaces, as the store writes identifier lists; nil for anything else.
    static func plainStringArray(_ text: String) -> [String]? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 4, utf8.first == UInt8(ascii: "["), utf8.last == UInt8(ascii: "]") else { return nil }
        var result: [String] = []
        var index = 1
        while index < utf8.count - 1 {
            guard utf8[index] == UInt8(ascii: "\"") else { return nil }
            var end = index + 1
            while end < utf8.count, utf8[end] != UInt8(ascii: "\"") {
                if utf8[end] == UInt8(ascii: "\\") || utf8[end] < 0x20 { return nil }
                end += 1
            }
            guard end < utf8.count - 1 else { return nil }
            result.append(String(decoding: utf8[(index + 1)..<end], as: UTF8.self))
            index = end + 1
            if utf8[index] == UInt8(ascii: ",") {
                index += 1
                guard index < utf8.count - 1 else { return nil }
            } else if index != utf8.count - 1 {
                return nil
            }
        }
        return result
    }
}

/// A stored value the code cannot read: the file was edited behind the server's back.
struct StoredValueError: Error, CustomStringConvertible {
    let column: String
    let text: String
    var description: String { "column \(column) holds \(text.prefix(100)), which is not a valid value" }
}

extension ResourceMeta {
    init(row: Row, cityOwned: Bool) throws {
        self.init(id: try row.value("id"), cityId: cityOwned ? try row.optional("cityId") : nil,
                  version: try row.value("version"), createdAt: try row.value("createdAt"), updatedAt: try row.value("updatedAt"))
    }
}

extension ContractFields {
    static func read(row: Row) throws -> ContractFields {
        ContractFields(
            title: try row.value("title"), supplierId: try row.value("supplierId"), externalId: try row.optional("externalId"),
            category: try row.enumeration("category"), procedure: try row.enumeration("procedure"),
            procuredOn: try row.optional("procuredOn"), totalValueCents: try row.value("totalValueCents"),
            annualValueCents: try row.optional("annualValueCents"), startDate: try row.value("startDate"),
            initialEndDate: try row.value("initialEndDate"),
            options: try row.value("options") == "[]" ? [] : try row.json("options"),
            renewal: try row.enumeration("renewal"), renewalPeriodMonths: try row.optional("renewalPeriodMonths"),
            noticePeriodMonths: try row.value("noticePeriodMonths"), managedBy: try row.enumeration("managedBy"),
            sector: try row.optionalEnumeration("sector"), serviceIds: try row.identifiers("serviceIds"),
            terminatedOn: try row.optional("terminatedOn"), capabilityIds: try row.identifiers("capabilityIds"),
            processIds: try row.identifiers("processIds"))
    }
}

extension SLAFields {
    static func read(row: Row) throws -> SLAFields {
        SLAFields(
            contractId: try row.value("contractId"), serviceId: try row.value("serviceId"), name: try row.value("name"),
            metric: try row.enumeration("metric"), priority: try row.optional("priority"), unit: try row.enumeration("unit"),
            comparator: try row.enumeration("comparator"), target: try row.value("target"), period: try row.enumeration("period"),
            serviceCreditPercent: try row.value("serviceCreditPercent"), periodFeeCents: try row.optional("periodFeeCents"),
            validFrom: try row.optional("validFrom"), validTo: try row.optional("validTo"),
            capabilityIds: try row.identifiers("capabilityIds"), processIds: try row.identifiers("processIds"))
    }
}

extension SupplierFields {
    static func read(row: Row) throws -> SupplierFields {
        SupplierFields(name: try row.value("name"), businessId: try row.value("businessId"), kind: try row.enumeration("kind"),
                       contact: try row.optionalJSON("contact"))
    }
}
