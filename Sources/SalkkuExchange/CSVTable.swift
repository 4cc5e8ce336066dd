import CSV
import Foundation

/// A CSV file as spreadsheets write it, read strictly: UTF-8 with or without a byte order mark, comma or semicolon
/// (whichever the header row uses), RFC 4180 quoting with separators, quotes and line breaks inside quoted fields.
/// What cannot be read without guessing (another encoding, text after a closing quote, an unclosed quote, a row
/// with more or fewer cells than the header) is an error naming the row, never a guess.
public struct CSVTable: Sendable {
    public struct Row: Sendable {
        /// The row's number as a spreadsheet shows it: the header is row 1.
        public var number: Int
        public var cells: [String]
    }

    public struct ReadError: Error, Sendable, Equatable {
        public var row: Int
        public var column: String?
        public var detail: String
    }

    public var header: [String]
    public var rows: [Row]
    /// Rows whose cell count is not the header's: reported, not read.
    public var raggedRows: [ReadError]
    public var separator: Character

    /// Reads `bytes`; a problem with the file as a whole (encoding, quoting, no header) is thrown.
    public static func read(_ bytes: [UInt8]) throws(ReadError) -> CSVTable {
        var bytes = bytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw ReadError(row: 1, column: nil, detail: "is UTF-16; save the file as CSV UTF-8")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ReadError(row: Self.recordNumber(at: Self.firstInvalidUTF8(bytes), in: bytes), column: nil,
                            detail: "is not UTF-8 text (save the file as CSV UTF-8, not in a legacy encoding such as Windows-1252)")
        }
        let separator = Self.separator(ofHeaderIn: text)
        try Self.checkQuoting(text, separator: separator)
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false, trimFields: false, delimiter: separator.unicodeScalars.first!)
        } catch {
            throw ReadError(row: 1, column: nil, detail: "cannot be read as CSV")
        }
        var table = CSVTable(header: [], rows: [], raggedRows: [], separator: separator)
        var number = 0
        while let cells = reader.next() {
            number += 1
            if number == 1 {
                table.header = cells.map { $0.trimmingCharacters(in: .whitespaces) }
                continue
            }
            // Spreadsheets leave rows of empty cells below the data; they hold nothing to import.
            if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            if cells.count != table.header.count {
                // A short row names the first column it lacks; a long one has cells under no column.
                let missing = cells.count < table.header.count ? table.header[cells.count] : nil
                table.raggedRows.append(ReadError(row: number, column: missing,
                                                  detail: "has \(cells.count) cells where the header has \(table.header.count)"))
                continue
            }
            table.rows.append(Row(number: number, cells: cells))
        }
        if let error = reader.error {
            throw ReadError(row: number + 1, column: nil, detail: "cannot be read: \(error)")
        }
        if table.header.isEmpty || table.header == [""] {
            throw ReadError(row: 1, column: nil, detail: "must be a header row naming the columns")
        }
        return table
    }

    /// A semicolon when the header row has more semicolons than commas outside quotes (Finnish Excel), else a comma.
    static func separator(ofHeaderIn text: String) -> Character {
        var commas = 0, semicolons = 0, quoted = false
        for scalar in text.unicodeScalars {
            if scalar == "\"" { quoted.toggle() }
            else if !quoted && (scalar == "\n" || scalar == "\r") { break }
            else if !quoted && scalar == "," { commas += 1 }
            else if !quoted && scalar == ";" { semicolons += 1 }
        }
        return semicolons > commas ? ";" : ","
    }

    /// Refuses what the CSV reader would otherwise take a guess at: text after a closing quote, which it drops,
    /// and a quoted field that never closes, which swallows the rest of the file.
    static func checkQuoting(_ text: String, separator: Character) throws(ReadError) {
        enum State { case fieldStart, unquoted, quoted, quoteInQuoted }
        let separator = separator.unicodeScalars.first!
        var state = State.fieldStart
        var record = 1
        var quotedFrom = 1
        var previous: Unicode.Scalar = " "
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            let newline = scalar == "\n" || scalar == "\r"
            // CR LF ends one record, not two.
            let newRecord = newline && !(scalar == "\n" && previous == "\r")
            switch state {
            case .quoted:
                if scalar == "\"" { state = .quoteInQuoted }
            case .quoteInQuoted where scalar == "\"":
                state = .quoted
            case .quoteInQuoted where scalar != separator && !newline:
                throw ReadError(row: record, column: nil,
                                detail: "has text after a closing quote; a quote inside a quoted field is written twice (\"\")")
            case .fieldStart, .unquoted, .quoteInQuoted:
                // A closed quoted field ends here as an unquoted one does: at a separator or a line break.
                if scalar == "\"" && state == .fieldStart {
                    state = .quoted
                    quotedFrom = record
                } else if scalar == separator {
                    state = .fieldStart
                } else if newline {
                    if newRecord { record += 1 }
                    state = .fieldStart
                } else {
                    state = .unquoted
                }
            }
        }
        if state == .quoted {
            throw ReadError(row: quotedFrom, column: nil, detail: "opens a quoted field that is never closed")
        }
    }

    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = bytes.startIndex
        var consumed = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                consumed += UTF8.width(scalar)
            case .emptyInput:
                return offset + consumed
            case .error:
                offset += consumed
                return offset
            }
        }
    }

    /// The record (counting line breaks outside quotes) that byte `offset` falls in, for naming where a bad byte is.
    static func recordNumber(at offset: Int, in bytes: ArraySlice<UInt8>) -> Int {
        var record = 1, quoted = false
        var index = bytes.startIndex
        while index < min(offset, bytes.endIndex) {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            else if !quoted && byte == UInt8(ascii: "\n") { record += 1 }
            index += 1
        }
        return record
    }

    /// A cell as it was before Salkku's exports neutralised it: an apostrophe in front of what begins like a formula.
    public static func unneutralised(_ cell: String) -> String {
        guard cell.hasPrefix("'"), let second = cell.unicodeScalars.dropFirst().first, CSV.formulaStarts.contains(second) else { return cell }
        return String(cell.dropFirst())
    }
}
