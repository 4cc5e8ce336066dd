import Foundation
import GRDB
import SalkkuCore
import SalkkuJSON

/// What the store needs to know of a kind of resource beyond its fields.
public protocol StoredResource: ResourceFields {
    static var databaseTableName: String { get }
    /// Whether records live under a city (`cityId` column) rather than at the top.
    static var isCityOwned: Bool { get }
    /// Field errors that only the database can tell: references to records that do not exist.
    static func referenceErrors(in fields: Self, id: String?, cityId: String?, db: Database) throws -> [FieldError]
    /// The members of a body that reference other records by id, looked up for a body that does not read.
    static var referenceMembers: [ReferenceMember] { get }
    /// A sentence naming a record that already holds a value meant to be unique, or nil.
    static func uniquenessConflict(for fields: Self, id: String?, cityId: String?, db: Database) throws -> String?
    /// A sentence naming a record that still references this one, or nil when it may be deleted.
    static func deletionBlocker(id: String, db: Database) throws -> String?
    /// The city a record belongs to for the change log, as-of reads and city scopes.
    static func owningCityId(id: String, cityId: String?) -> String?
    /// A reader written column by column, for the tables read often enough that the derived decoder shows;
    /// nil (the default) reads through `RowDecoder`, derived from the fields' `Decodable` conformance.
    static var rowReader: (@Sendable (StatementColumns) throws -> Self)? { get }
}

extension StoredResource {
    public static func referenceErrors(in fields: Self, id: String?, cityId: String?, db: Database) throws -> [FieldError] { [] }
    public static func uniquenessConflict(for fields: Self, id: String?, cityId: String?, db: Database) throws -> String? { nil }
    public static func deletionBlocker(id: String, db: Database) throws -> String? { nil }
    public static func owningCityId(id: String, cityId: String?) -> String? { cityId }
    public static var rowReader: (@Sendable (StatementColumns) throws -> Self)? { nil }
}

extension Resource: TableRecord, EncodableRecord, MutablePersistableRecord, PersistableRecord where Fields: StoredResource {
    public static var databaseTableName: String { Fields.databaseTableName }

    /// The metadata columns, then the fields through the one row encoder; `cityId` only where the table has it.
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = meta.id
        if Fields.isCityOwned { container["cityId"] = meta.cityId }
        container["version"] = meta.version
        container["createdAt"] = meta.createdAt
        container["updatedAt"] = meta.updatedAt
        let columns = RowEncoder.Columns()
        try fields.encode(to: RowEncoder(columns: columns))
        for (column, value) in columns.values { container[column] = value }
    }
}

extension LocalDate: SQLExpressible, StatementBinding, DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { description.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> LocalDate? {
        String.fromDatabaseValue(dbValue).flatMap { LocalDate($0) }
    }
}

extension Timestamp: SQLExpressible, StatementBinding, DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { description.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Timestamp? {
        String.fromDatabaseValue(dbValue).flatMap { Timestamp(rfc3339: $0) }
    }
}

/// Why the store refused a request.
public enum StoreError: Error, Equatable, Sendable {
    case notFound(resourceType: String, id: String)
    /// A unique value taken, or a record still referenced; the text names the other record.
    case conflict(String)
    case versionMismatch(current: Int)
    case invalid([FieldError])
}

/// SQL: whether the text bound to its `?`, lower-cased, occurs, ignoring case, in the value of a trusted SQL expression.
func foldedContains(_ expression: String) -> String {
    "instr(salkku_fold(\(expression)), ?) > 0"
}

extension ExactDecimal: SQLExpressible, StatementBinding, DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { thousandths.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> ExactDecimal? {
        Int64.fromDatabaseValue(dbValue).map(ExactDecimal.init(thousandths:))
    }
}

extension MeasurementPeriod: SQLExpressible, StatementBinding, DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { description.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> MeasurementPeriod? {
        String.fromDatabaseValue(dbValue).flatMap { MeasurementPeriod($0) }
    }
}

/// Free-form JSON members are stored as JSON text; without this GRDB would try to read the text as a scalar.
extension JSONValue: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue {
        ((try? CompactJSONEncoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "null").databaseValue
    }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> JSONValue? {
        String.fromDatabaseValue(dbValue).flatMap { try? StrictJSONParser.parse(Array($0.utf8)) }
    }
}
