import Foundation
import HTTPTypes
import Hummingbird
import SalkkuCore
import SalkkuJSON
import SalkkuStore

enum MediaType {
    static let json = "application/json"
    static let mergePatch = "application/merge-patch+json"
}

extension Request {
    static let maxBodyBytes = 1 << 20

    /// The body as strict JSON, after checking that it was sent as `mediaType` and is at most 1 MiB.
    mutating func jsonBody(as mediaType: String, maxBytes: Int = Request.maxBodyBytes) async throws -> JSONValue {
        let declared = headers[.contentType]?.split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased()
        guard declared == mediaType else { throw Problem.unsupportedMediaType(expected: mediaType) }
        if let length = headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw Problem.tooLarge
        }
        let buffer = try await collectBody(upTo: maxBytes)
        return try StrictJSONParser.parseBody(buffer.readableBytesView)
    }

    /// The version numbers an `If-Match` header accepts: nil when absent or `*`.
    var ifMatchVersions: Set<Int>? {
        headers[.ifMatch].flatMap { ETag.versions(in: $0, weak: false) }
    }

    /// `If-Match` (compared strongly) and `If-None-Match` (weakly) as the store checks them, `*` included: on a
    /// record that does not exist `If-Match: *` fails and `If-None-Match: *` holds (RFC 9110 § 13.1.1–2).
    var writeConditions: WriteConditions {
        func tags(_ header: String?, weak: Bool) -> WriteConditions.Tags? {
            header.map { ETag.versions(in: $0, weak: weak).map(WriteConditions.Tags.versions) ?? .any }
        }
        return WriteConditions(ifMatch: tags(headers[.ifMatch], weak: false), ifNoneMatch: tags(headers[.ifNoneMatch], weak: true))
    }
}

extension Parameters {
    /// A path parameter as the client meant it: percent-decoded, so `%32%30%32%34` is `2024`; text that does not
    /// decode stays as sent (and names nothing).
    func decoded(_ name: String) throws -> String {
        let raw = try require(name)
        return raw.contains("%") ? raw.removingPercentEncoding ?? raw : raw
    }
}

extension FieldError {
    /// An empty id, type or actor would name nothing and quietly match nothing, so it is refused.
    static func emptyName(parameter: String) -> FieldError {
        FieldError(parameter: parameter, "must not be empty")
    }
}

/// Reads query parameters strictly: each may appear once, and any left unread is refused.
struct QueryReader {
    private(set) var values: [String: String] = [:]
    private var repeated: Set<String> = []
    private var known: Set<String> = []
    private(set) var errors: [FieldError] = []

    init(_ request: Request) {
        for (key, value) in request.uri.queryParameters {
            let name = String(key)
            if values[name] != nil { repeated.insert(name) }
            values[name] = String(value)
        }
    }

    mutating func string(_ name: String) -> String? {
        known.insert(name)
        if repeated.contains(name) {
            errors.append(FieldError(parameter: name, "must be given once"))
            return nil
        }
        // SQLite reads text only up to a NUL, so `q=%00` would match as if empty: control characters are refused.
        if let value = values[name], value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            errors.append(FieldError(parameter: name, "must not contain control characters"))
            return nil
        }
        return values[name]
    }

    /// A parameter that names something (an id, a type, an actor); given empty it is refused.
    mutating func naming(_ name: String) -> String? {
        guard let text = string(name) else { return nil }
        if text.isEmpty {
            errors.append(.emptyName(parameter: name))
            return nil
        }
        return text
    }

    mutating func integer(_ name: String, in range: ClosedRange<Int>, default defaultValue: Int) -> Int {
        guard let text = string(name) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            errors.append(FieldError(parameter: name, "must be an integer from \(range.lowerBound) to \(range.upperBound)"))
            return defaultValue
        }
        return value
    }

    mutating func fail(_ name: String, _ detail: String) {
        errors.append(FieldError(parameter: name, detail))
    }

    /// An inclusive month range from the required `from` and `to` (`YYYY-MM`), at most 120 months long.
    mutating func monthRange() -> MonthRange? {
        var bounds: [YearMonth?] = []
        for name in ["from", "to"] {
            guard let text = string(name) else {
                fail(name, "is required: a month YYYY-MM")
                bounds.append(nil)
                continue
            }
            let month = YearMonth(text)
            if month == nil { fail(name, "must be a month YYYY-MM") }
            bounds.append(month)
        }
        guard let from = bounds[0], let to = bounds[1] else { return nil }
        if to < from {
            fail("to", "must not be before from")
            return nil
        }
        if to.index - from.index + 1 > MonthRange.maxMonths {
            fail("to", "must be at most \(MonthRange.maxMonths) months from from, inclusive")
            return nil
        }
        return MonthRange(from: from, to: to)
    }

    /// An instant parameter: RFC 3339, or a date meaning the start (or, with `endOfDay`, the end) of that day in Helsinki.
    mutating func instant(_ name: String, endOfDay: Bool) -> (instant: Timestamp, date: LocalDate?)? {
        guard let text = string(name) else { return nil }
        switch RequestDates.instant(text, endOfDay: endOfDay) {
        case .success(let value): return value
        case .failure(let reason):
            fail(name, reason.detail)
            return nil
        }
    }

    /// A date parameter, bounded to the supported dates.
    mutating func date(_ name: String) -> LocalDate? {
        guard let text = string(name) else { return nil }
        switch RequestDates.date(text) {
        case .success(let value): return value
        case .failure(let reason):
            fail(name, reason.detail)
            return nil
        }
    }

    mutating func bool(_ name: String) -> Bool? {
        guard let text = string(name) else { return nil }
        guard let value = Bool(text) else {
            fail(name, "must be true or false")
            return nil
        }
        return value
    }

    /// Throws a 422 naming every bad and every unknown parameter.
    func finish() throws {
        var all = errors
        for name in values.keys.sorted() where !known.contains(name) {
            all.append(FieldError(parameter: name, "is not a known query parameter"))
        }
        if !all.isEmpty { throw Problem.validation(all) }
    }
}

/// Dates and instants as requests carry them, checked against the supported span before anything is computed.
enum RequestDates {
    struct Refusal: Error {
        let detail: String
    }

    static func date(_ text: String) -> Result<LocalDate, Refusal> {
        guard let date = LocalDate(text) else { return .failure(Refusal(detail: "must be a date YYYY-MM-DD")) }
        guard SupportedDates.range.contains(date) else { return .failure(Refusal(detail: "must be a date \(SupportedDates.phrase)")) }
        return .success(date)
    }

    /// An RFC 3339 instant, or a date meaning the first (or last) millisecond of that day in Helsinki; the date is
    /// returned too when one was given.
    static func instant(_ text: String, endOfDay: Bool) -> Result<(instant: Timestamp, date: LocalDate?), Refusal> {
        if let date = LocalDate(text) {
            guard SupportedDates.range.contains(date) else {
                return .failure(Refusal(detail: "must be a date or instant \(SupportedDates.phrase)"))
            }
            let instant = endOfDay ? HelsinkiCalendar.endOfDay(date)
                : Timestamp(millisecondsSinceEpoch: HelsinkiCalendar.endOfDay(date.adding(days: -1)).millisecondsSinceEpoch + 1)
            return .success((instant, date))
        }
        guard let instant = Timestamp(rfc3339: text) else {
            return .failure(Refusal(detail: "must be a date YYYY-MM-DD or an RFC 3339 instant"))
        }
        guard SupportedDates.contains(instant) else {
            return .failure(Refusal(detail: "must be a date or instant \(SupportedDates.phrase)"))
        }
        return .success((instant, nil))
    }
}

/// Opaque page cursors. A cursor carries a fingerprint of the request's filters, so one made for
/// another filter set is refused instead of silently skipping rows.
enum PageCursor {
    static func make(lastId: String, fingerprint: String) -> String {
        // base64url without padding, mapped byte by byte: Foundation's string replacement cost more than the page query.
        let base64 = Data("\(fingerprint):\(lastId)".utf8).base64EncodedData()
        return String(decoding: base64.compactMap { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "+"): UInt8(ascii: "-")
            case UInt8(ascii: "/"): UInt8(ascii: "_")
            case UInt8(ascii: "="): nil
            default: byte
            }
        }, as: UTF8.self)
    }

    /// The id to continue after, or nil with a reason when the cursor is not one of ours for this filter set.
    static func lastId(from cursor: String, fingerprint: String) -> Result<String, Problem> {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":") else {
            return .failure(.invalidParameter("cursor", "is not a cursor this API issued"))
        }
        guard text[..<colon] == fingerprint else {
            return .failure(.invalidParameter("cursor", "was issued for other filters; start again without a cursor"))
        }
        return .success(String(text[text.index(after: colon)...]))
    }

    /// FNV-1a over the path and the sorted filter parameters.
    static func fingerprint(path: String, filters: [(String, String)]) -> String {
        let canonical = path + "?" + filters.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in canonical.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

/// JSON Merge Patch removes a member the patch sets to `null`, so reading the merged record never sees a
/// `null` for a member the resource does not have, or may not be written: `{"bogus": null}` or
/// `{"id": null}` would pass. Each `null` of the patch is put back as a placeholder and the merged record read
/// once more; an unknown or read-only member at one of those places is refused like any other value.
enum MergePatchNulls {
    static func check(_ patch: JSONValue, original: JSONValue, read: (JSONValue, InputErrors) -> Void) throws {
        var places: Set<String> = []
        let probe = placeholders(patch, at: .root, places: &places)
        guard !places.isEmpty else { return }
        let errors = InputErrors()
        read(original.mergePatched(with: probe), errors)
        let refused = errors.list.filter { error in
            error.pointer.map(places.contains) == true && (error.detail.hasPrefix("is not a") || error.detail == "is read-only")
        }
        if !refused.isEmpty { throw ValidationFailure(refused) }
    }

    private static func placeholders(_ value: JSONValue, at pointer: JSONPointer, places: inout Set<String>) -> JSONValue {
        guard case .object(let members) = value else { return value }
        var result: [String: JSONValue] = [:]
        for (key, member) in members {
            let at = pointer.appending(key)
            if member == .null {
                places.insert(at.description)
                result[key] = .object([:])
            } else {
                result[key] = placeholders(member, at: at, places: &places)
            }
        }
        return .object(result)
    }
}
