/// Builds the Prometheus text exposition format (version 0.0.4): per family one `# HELP` and one `# TYPE`
/// line, then its samples, label values escaped as the format says (`\\`, `\"`, `\n`).
public struct PrometheusText: Sendable {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    public private(set) var text = ""
    /// Families written so far: a second family of one name would make the output invalid.
    private var written: Set<String> = []

    public init() {}

    /// Starts a family; its samples follow. A name begun twice is a programming error.
    public mutating func family(_ name: String, _ kind: Kind, help: String) {
        precondition(PrometheusText.isValidName(name), "'\(name)' is not a Prometheus metric name")
        precondition(written.insert(name).inserted, "metric family '\(name)' exported twice")
        text += "# HELP \(name) \(PrometheusText.escapeHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
    }

    /// One sample line: `name{label="value",...} value`.
    public mutating func sample(_ name: String, _ labels: [(String, String)], _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{"
            for (index, (label, labelValue)) in labels.enumerated() {
                if index > 0 { text += "," }
                text += label + "=\"" + PrometheusText.escapeLabelValue(labelValue) + "\""
            }
            text += "}"
        }
        text += " " + PrometheusText.format(value) + "\n"
    }

    public mutating func sample(_ name: String, _ labels: [(String, String)], _ value: UInt64) {
        sample(name, labels, Double(value))
    }

    /// A histogram's `_bucket` lines (cumulative, ending with `le="+Inf"`), `_sum` and `_count`.
    public mutating func histogram(_ name: String, _ labels: [(String, String)], _ histogram: MetricHistogram) {
        let cumulative = histogram.cumulative
        for (bound, count) in zip(histogram.bounds, cumulative) {
            sample(name + "_bucket", labels + [("le", PrometheusText.format(bound))], count)
        }
        sample(name + "_bucket", labels + [("le", "+Inf")], cumulative.last!)
        sample(name + "_sum", labels, histogram.sum)
        sample(name + "_count", labels, cumulative.last!)
    }

    /// Integers without a fraction (Prometheus reads either; people read these better).
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func escapeLabelValue(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }) else {
            return value
        }
        var out = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// HELP text escapes only backslash and newline.
    static func escapeHelp(_ help: String) -> String {
        help.replacing("\\", with: "\\\\").replacing("\n", with: "\\n")
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    public static func isValidName(_ name: String) -> Bool {
        isValid(name, allowColon: true)
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`, and not the reserved `__` prefix.
    public static func isValidLabelName(_ name: String) -> Bool {
        isValid(name, allowColon: false) && !name.hasPrefix("__")
    }

    private static func isValid(_ name: String, allowColon: Bool) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
                || (allowColon && byte == UInt8(ascii: ":"))
        }
    }
}
