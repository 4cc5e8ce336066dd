/// The conditions of a conditional write (RFC 9110 § 13.1.1–2), checked in the write's own transaction against the
/// record it would replace or remove. A record that does not exist has no current representation: `If-Match: *`
/// is then false (and a listed version never matches, version 0 excepted, which names "absent"), and
/// `If-None-Match: *` true.
public struct WriteConditions: Sendable, Equatable {
    /// `If-Match`: nil when absent; `.any` for `*`.
    public var ifMatch: Tags?
    /// `If-None-Match`: nil when absent; `.any` for `*`.
    public var ifNoneMatch: Tags?

    public enum Tags: Sendable, Equatable {
        case any
        case versions(Set<Int>)
    }

    public init(ifMatch: Tags? = nil, ifNoneMatch: Tags? = nil) {
        self.ifMatch = ifMatch
        self.ifNoneMatch = ifNoneMatch
    }

    /// Throws when the conditions fail for the current version (nil: no record).
    public func check(current: Int?) throws {
        switch ifMatch {
        case nil: break
        case .any?:
            if current == nil { throw PreconditionFailure(header: "If-Match", currentVersion: nil) }
        case .versions(let versions)?:
            if !versions.contains(current ?? 0) { throw PreconditionFailure(header: "If-Match", currentVersion: current) }
        }
        switch ifNoneMatch {
        case nil: break
        case .any?:
            if let current { throw PreconditionFailure(header: "If-None-Match", currentVersion: current) }
        case .versions(let versions)?:
            if let current, versions.contains(current) { throw PreconditionFailure(header: "If-None-Match", currentVersion: current) }
        }
    }
}

/// A conditional write refused (412): which header failed, and the version the record has (nil when it has none).
public struct PreconditionFailure: Error, Equatable, Sendable {
    public var header: String
    public var currentVersion: Int?

    public init(header: String, currentVersion: Int?) {
        self.header = header
        self.currentVersion = currentVersion
    }

    public var detail: String {
        switch (header, currentVersion) {
        case ("If-Match", nil): "If-Match does not hold: there is no current record to match (RFC 9110 § 13.1.1)"
        case ("If-Match", let version?): "If-Match does not match the current version \(version)"
        case (_, let version?): "\(header) matches the current version \(version): the record exists"
        default: "\(header) does not hold"
        }
    }
}
