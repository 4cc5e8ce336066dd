import Foundation

/// One reason a request was refused, located by a JSON Pointer into the body
/// or by the name of a query parameter.
public struct FieldError: Error, Sendable, Equatable, Hashable, Codable {
    public var pointer: String?
    public var parameter: String?
    public var detail: String

    public init(pointer: String, _ detail: String) {
        self.pointer = pointer
        self.parameter = nil
        self.detail = detail
    }

    public init(parameter: String, _ detail: String) {
        self.pointer = nil
        self.parameter = parameter
        self.detail = detail
    }
}

/// All the field errors of one request; thrown only when there is at least one.
public struct ValidationFailure: Error, Sendable, Equatable {
    /// How many field errors an answer lists at most.
    public static let reportedLimit = 100
    public var errors: [FieldError]
    /// How many errors were found, listed or not.
    public var total: Int
    public init(_ errors: [FieldError], total: Int? = nil) {
        self.errors = errors
        self.total = total ?? errors.count
    }
}

/// Builds JSON Pointers (RFC 6901), escaping `~` and `/` in member names.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    public let description: String
    public static let root = JSONPointer(description: "")

    private init(description: String) { self.description = description }

    public func appending(_ member: String) -> JSONPointer {
        let escaped = member.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
        return JSONPointer(description: description + "/" + escaped)
    }

    public func appending(_ index: Int) -> JSONPointer {
        JSONPointer(description: description + "/\(index)")
    }
}
