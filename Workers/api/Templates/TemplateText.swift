import OzziRuntime

/// Message template text: `{{first_name}}`, `{{custom.plan}}`, with defaults `{{first_name|there}}`.
/// Parsing names every unknown variable; rendering fills a contact in.
struct TemplateText: Sendable, Equatable {
    enum Part: Sendable, Equatable {
        case literal(String)
        case variable(name: String, fallback: String?)
    }

    static let contactVariables: Set<String> = ["name", "first_name", "last_name", "phone", "email"]

    let parts: [Part]

    struct Invalid: Error, Equatable {
        let message: String
    }

    init(_ body: String) throws(Invalid) {
        var parts: [Part] = []
        var unknown: [String] = []
        var rest = Substring(body)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { parts.append(.literal(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw Invalid(message: "a '{{' has no closing '}}'")
            }
            let inner = rest[open.upperBound..<close.lowerBound]
            let pieces = inner.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            let name = pieces[0].trimmingPrefixAndSuffixSpaces()
            let fallback = pieces.count > 1 ? String(pieces[1].trimmingPrefixAndSuffixSpaces()) : nil
            let known = Self.contactVariables.contains(String(name)) || (name.hasPrefix("custom.") && name.count > 7)
            if !known { unknown.append(String(name)) }
            parts.append(.variable(name: String(name), fallback: fallback))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        guard unknown.isEmpty else {
            throw Invalid(message: "unknown variables: \(unknown.map { "{{\($0)}}" }.joined(separator: ", ")); use \(Self.contactVariables.sorted().joined(separator: ", ")) or custom.<field>")
        }
        self.parts = parts
    }

    /// The text for `contact`; a variable with no value takes its fallback, else nothing.
    func render(_ contact: Contact) -> String {
        parts.map { part in
            switch part {
            case .literal(let text):
                return text
            case .variable(let name, let fallback):
                let value: String? = switch name {
                case "name": contact.name
                case "first_name": contact.first_name
                case "last_name": contact.last_name
                case "phone": contact.phone
                case "email": contact.email
                default: contact.custom_fields[String(name.dropFirst(7))].flatMap(Self.text)
                }
                guard let value, !value.isEmpty else { return fallback ?? "" }
                return value
            }
        }.joined()
    }

    private static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): s
        case .number(let n): n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }
}
