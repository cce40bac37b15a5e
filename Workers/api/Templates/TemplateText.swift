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
            let name = Self.trimmed(pieces[0])
            let fallback = pieces.count > 1 ? String(Self.trimmed(pieces[1])) : nil
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

    /// Spaces and tabs around a variable's name or fallback (the grammar `pattern` states).
    private static func trimmed(_ text: Substring) -> Substring {
        let start = text.firstIndex { $0 != " " && $0 != "\t" } ?? text.endIndex
        let end = text.lastIndex { $0 != " " && $0 != "\t" }.map { text.index(after: $0) } ?? start
        return text[start..<end]
    }

    /// The grammar `init` accepts, as a regular expression for the document: literal text without `{{`, and
    /// variables `{{ name }}` / `{{ custom.<field> | fallback }}` whose name is known.
    static let pattern = Pattern(grammar) { text in
        do throws(Invalid) { _ = try TemplateText(text) } catch { return error.message }
        return nil
    }

    private static let grammar: String = {
        let names = contactVariables.sorted().joined(separator: "|")
        let notClose = #"(?!\}\})"#
        let custom = #"custom\."# + "(?:\(notClose)[^|])*?\(notClose)[^| \\t](?:\(notClose)[^|])*?"
        let variable = #"\{\{[ \t]*(?:"# + names + "|" + custom + #")[ \t]*(?:\|(?:"# + notClose + #"[\s\S])*)?\}\}"#
        return #"^(?:(?!\{\{)[\s\S]|"# + variable + ")*$"
    }()

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
