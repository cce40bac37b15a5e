/// The dotenv-style `.dev.vars` file that holds local secrets (git-ignored), as Wrangler reads it.
enum DevVars {
    /// `KEY=value` lines; `#` comments, blank lines, `export ` prefixes and matching quotes are allowed.
    static func parse(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for rawLine in text.split(whereSeparator: \.isNewline) {
            var line = rawLine.trimmingASCIISpaces()
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = line.dropFirst(7).trimmingASCIISpaces() }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<eq].trimmingASCIISpaces())
            var value = line[line.index(after: eq)...].trimmingASCIISpaces()
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = value.dropFirst().dropLast()
            }
            if !key.isEmpty { result[key] = String(value) }
        }
        return result
    }
}
