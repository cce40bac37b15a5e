import OzziRuntime

/// A snippet as the engines mark it (matches between U+0001 and U+0002) made safe to show: the text
/// HTML-escaped, then the marks as `<mark>` — a message that says `<script>` shows as text.
enum Snippet {
    static func html(_ marked: String) -> String {
        var out = ""
        out.reserveCapacity(marked.utf8.count + 16)
        for character in marked {
            switch character {
            case "\u{1}": out += "<mark>"
            case "\u{2}": out += "</mark>"
            case "\u{3}": out += "&lt;"  // `<` and `>` as PostgreSQL's headline is given them (TSVectorSearch.angles)
            case "\u{4}": out += "&gt;"
            default: HTMLEscape.append(String(character), to: &out)
            }
        }
        return out
    }
}
