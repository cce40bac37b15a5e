/// How values are written into an ffmpeg filter graph. A graph is parsed twice: the graph parser splits it
/// at `[ ] , ;` (and strips one level of quotes and backslashes), then each filter's option parser splits its
/// arguments at `:` (and strips another). Only numbers and expressions this module builds go in unquoted;
/// every path goes through `quoted`, and user text never enters a graph at all (drawtext reads it from a file).
enum FilterSyntax {
    /// A number as ffmpeg's parsers read it everywhere (expressions, durations, sizes): plain decimal, at most
    /// six places, no exponent (`av_parse_time` reads none).
    static func number(_ value: Double) -> String {
        let micro = (value * 1_000_000).rounded()
        guard micro.isFinite, abs(micro) < 9e18 else { return "0" }
        let scaled = Int64(micro)
        if scaled == 0 { return "0" }
        let magnitude = scaled.magnitude
        var text = String(magnitude / 1_000_000)
        var fraction = String(magnitude % 1_000_000)
        if fraction != "0" {
            fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return scaled < 0 ? "-" + text : text
    }

    /// A number as an operand inside an expression: negatives in parentheses, so `a+b` never reads `a+-5`.
    static func operand(_ value: Double) -> String {
        let text = number(value)
        return text.hasPrefix("-") ? "(" + text + ")" : text
    }

    /// Any string (a file's path) as one option value: backslash-escaped for the option parser, then
    /// single-quoted for the graph parser (a quote inside closes, escapes and reopens, as in a shell).
    static func quoted(_ text: String) -> String {
        var quoted = "'"
        for character in text {
            switch character {
            case "\\", ":": quoted += "\\" + String(character)
            // Escaped for the options (`\'`), its quote then written outside the graph's quotes (`'\''`).
            case "'": quoted += "\\'\\''"
            default: quoted.append(character)
            }
        }
        return quoted + "'"
    }
}
