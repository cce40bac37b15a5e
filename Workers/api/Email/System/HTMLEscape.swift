/// Text put into HTML: `&`, `<`, `>`, `"` and `'` as entities, so a value (a name like `<script>`, an
/// address, a link) is shown as written and can neither open a tag nor leave an attribute.
enum HTMLEscape {
    static func text(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count + 16)
        for character in value {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
