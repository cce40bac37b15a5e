/// Text made safe inside HTML (and XML), in element content and in quoted attribute values alike.
public enum HTMLEscape {
    @inlinable public static func append(_ text: String, to out: inout String) {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            out += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
    }

    @inlinable public static func escape(_ text: String) -> String {
        var out = ""
        append(text, to: &out)
        return out
    }
}
