/// Text from the spec or the problem catalogue made into HTML. Everything is escaped first; only the markup made
/// here afterwards (paragraphs, lists, `code`, links to schemas) is HTML, so no text of the spec can inject any.
enum HTMLText {
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// The CommonMark the spec's descriptions use: paragraphs split by blank lines, `- ` lists and `code` spans.
    static func markdown(_ text: String) -> String {
        var blocks: [String] = []
        var lines: [Substring] = []
        func flush() {
            defer { lines = [] }
            guard !lines.isEmpty else { return }
            if lines[0].hasPrefix("- ") {
                var items: [String] = []
                for line in lines {
                    if line.hasPrefix("- ") {
                        items.append(String(line.dropFirst(2)))
                    } else if !items.isEmpty {
                        items[items.count - 1] += " " + line.trimmingPrefix(while: \.isWhitespace)
                    }
                }
                blocks.append("<ul>" + items.map { "<li>\(inline($0))</li>" }.joined() + "</ul>")
            } else {
                blocks.append("<p>\(inline(lines.map { String($0.trimmingPrefix(while: \.isWhitespace)) }.joined(separator: " ")))</p>")
            }
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy(\.isWhitespace) {
                flush()
            } else if line.hasPrefix("- "), let first = lines.first, !first.hasPrefix("- ") {
                // A list right after a paragraph line, without a blank line between, still starts a list.
                flush()
                lines.append(line)
            } else {
                lines.append(line)
            }
        }
        flush()
        return blocks.joined(separator: "\n")
    }

    /// One line of text: escaped, with `code` spans.
    static func inline(_ text: String) -> String {
        let parts = escaped(text).split(separator: "`", omittingEmptySubsequences: false)
        // An unpaired backtick stays a backtick.
        guard parts.count >= 3 else { return parts.joined(separator: "`") }
        var result = ""
        for (index, part) in parts.enumerated() {
            let isCode = index % 2 == 1
            if isCode, index == parts.count - 1 {
                result += "`" + part
            } else {
                result += isCode ? "<code>\(part)</code>" : String(part)
            }
        }
        return result
    }
}
