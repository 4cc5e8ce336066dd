import Foundation

/// An instant in UTC with millisecond precision, written `2026-11-22T10:00:00.000Z` so that
/// text order is time order.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) { self.millisecondsSinceEpoch = millisecondsSinceEpoch }

    public init(_ date: Date) {
        self.millisecondsSinceEpoch = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    public var date: LocalDate {
        LocalDate(daysSinceEpoch: Int((Double(millisecondsSinceEpoch) / 86_400_000).rounded(.down)))
    }

    /// The UTC calendar date and time of day, as `description` writes them.
    public var utcParts: (date: LocalDate, hours: Int, minutes: Int, seconds: Int, milliseconds: Int) {
        let ms = millisecondsSinceEpoch
        let dayMs = Int64(86_400_000)
        let days = ms >= 0 ? ms / dayMs : (ms - dayMs + 1) / dayMs
        let rest = Int(ms - days * dayMs)
        return (LocalDate(daysSinceEpoch: Int(days)), rest / 3_600_000, rest / 60_000 % 60, rest / 1000 % 60, rest % 1000)
    }

    public var description: String {
        let (date, hours, minutes, seconds, millis) = utcParts
        func pad(_ v: Int, _ w: Int) -> String {
            let t = String(v)
            return String(repeating: "0", count: max(0, w - t.count)) + t
        }
        return "\(date)T\(pad(hours, 2)):\(pad(minutes, 2)):\(pad(seconds, 2)).\(pad(millis, 3))Z"
    }

    /// Parses RFC 3339: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
    public init?(rfc3339 text: String) {
        var text = text
        guard let instant = text.withUTF8({ Timestamp(rfc3339UTF8: $0) }) else { return nil }
        self = instant
    }

    /// The same from UTF-8 bytes, such as a column of a stored row, without making a string.
    public init?(rfc3339UTF8 bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count >= 20, let date = LocalDate(utf8: UnsafeBufferPointer(rebasing: bytes[0..<10])),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let hour = LocalDate.digits(bytes[11..<13]), let minute = LocalDate.digits(bytes[14..<16]),
              let second = LocalDate.digits(bytes[17..<19]), hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var millis = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 100
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                millis += Int(bytes[index] - UInt8(ascii: "0")) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offsetMinutes = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard bytes.count == index + 6, bytes[index + 3] == UInt8(ascii: ":"),
                  let oh = LocalDate.digits(bytes[(index + 1)..<(index + 3)]),
                  let om = LocalDate.digits(bytes[(index + 4)..<(index + 6)]), oh < 24, om < 60 else { return nil }
            offsetMinutes = (oh * 60 + om) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return nil
        }
        let seconds = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
            - Int64(offsetMinutes * 60)
        self.init(millisecondsSinceEpoch: seconds * 1000 + Int64(millis))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Timestamp(rfc3339: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 instant: \(text)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
