import Foundation

/// How a CSV that Salkku writes is laid out: RFC 4180 by default, or what Finnish Excel opens as it is.
public enum CSVDialect: String, Sendable, CaseIterable {
    /// Commas, decimal points, no byte order mark.
    case standard
    /// Semicolons, decimal commas and a UTF-8 byte order mark, which Excel needs to read UTF-8.
    case excelFi = "excel-fi"

    public var separator: String { self == .excelFi ? ";" : "," }
    public var byteOrderMark: String { self == .excelFi ? "\u{FEFF}" : "" }
}

/// RFC 4180: fields with a separator, quote or line break are quoted, quotes doubled; lines end with CRLF.
/// A cell a spreadsheet would run as a formula is neutralised first (OWASP's CSV injection advice).
public enum CSV {
    public static func field(_ text: String, dialect: CSVDialect = .standard) -> String {
        var text = neutralised(text)
        if dialect == .excelFi, isPlainNumber(text) { text = text.replacingOccurrences(of: ".", with: ",") }
        let separator: Character = dialect == .excelFi ? ";" : ","
        guard text.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// Text that begins like a formula gets a leading apostrophe, which spreadsheets show as text; a plain
    /// number (`-0.5`) is left as it is, so that numeric columns stay numbers. Imports take the apostrophe off
    /// again (`CSVTable.unneutralised`), so that an exported file imports as it was.
    public static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, formulaStarts.contains(first), !isPlainNumber(text) else { return text }
        return "'" + text
    }

    public static func isPlainNumber(_ text: String) -> Bool {
        let body = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        return !parts.isEmpty && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    public static func line(_ fields: [String], dialect: CSVDialect = .standard) -> String {
        fields.map { field($0, dialect: dialect) }.joined(separator: dialect.separator) + "\r\n"
    }
}
