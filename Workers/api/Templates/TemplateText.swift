import OzziRuntime

/// Message template text: `{{first_name}}`, `{{custom.plan}}`, with defaults `{{first_name|there}}`, and
/// where the text allows them, variables given with each send (`{{order_id}}`). Parsing names every
/// unknown variable; rendering fills a contact and the send's variables in.
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

    /// - Parameter variables: whether names besides the contact's (`{{order_id}}`: letters, digits and
    ///   `_`) are variables the send gives; else they are refused as unknown.
    init(_ body: String, variables: Bool = false) throws(Invalid) {
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
                || (variables && Self.isVariableName(name))
            if !known { unknown.append(String(name)) }
            parts.append(.variable(name: String(name), fallback: fallback))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        guard unknown.isEmpty else {
            let own = variables ? ", custom.<field>, or a variable of letters, digits and _" : " or custom.<field>"
            throw Invalid(message: "unknown variables: \(unknown.map { "{{\($0)}}" }.joined(separator: ", ")); use \(Self.contactVariables.sorted().joined(separator: ", "))\(own)")
        }
        self.parts = parts
    }

    /// A name the send's variables fill: ASCII letters, digits and `_`, not starting with a digit.
    private static func isVariableName(_ name: Substring) -> Bool {
        guard let first = name.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return name.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x5F }
    }

    /// Spaces and tabs around a variable's name or fallback (the grammar `pattern` states).
    private static func trimmed(_ text: Substring) -> Substring {
        let start = text.firstIndex { $0 != " " && $0 != "\t" } ?? text.endIndex
        let end = text.lastIndex { $0 != " " && $0 != "\t" }.map { text.index(after: $0) } ?? start
        return text[start..<end]
    }

    /// The grammar `init` accepts, as a regular expression for the document: literal text without `{{`, and
    /// variables `{{ name }}` / `{{ custom.<field> | fallback }}` whose name is known.
    static let pattern = Pattern(grammar(variables: false)) { text in
        do throws(Invalid) { _ = try TemplateText(text) } catch { return error.message }
        return nil
    }

    /// The grammar of text that may also use the send's variables (`init(_:variables: true)`).
    static let variablesPattern = Pattern(grammar(variables: true)) { text in
        do throws(Invalid) { _ = try TemplateText(text, variables: true) } catch { return error.message }
        return nil
    }

    private static func grammar(variables: Bool) -> String {
        grammar(names: contactVariables.sorted() + (variables ? ["[A-Za-z_][A-Za-z0-9_]*"] : []))
    }

    /// The grammar of text whose variables are `names` (regular expressions) or `custom.<field>`.
    static func grammar(names alternatives: [String]) -> String {
        let names = alternatives.joined(separator: "|")
        let notClose = #"(?!\}\})"#
        let custom = #"custom\."# + "(?:\(notClose)[^|])*?\(notClose)[^| \\t](?:\(notClose)[^|])*?"
        let variable = #"\{\{[ \t]*(?:"# + names + "|" + custom + #")[ \t]*(?:\|(?:"# + notClose + #"[\s\S])*)?\}\}"#
        return #"^(?:(?!\{\{)[\s\S]|"# + variable + ")*$"
    }

    /// The text for `contact`; a variable with no value takes its fallback, else nothing.
    func render(_ contact: Contact) -> String {
        var missing: [String] = []
        return render(contact, variables: [:], escapingHTML: false, missing: &missing)
    }

    /// The text for `contact` (if any) and the send's `variables`, which take precedence over the contact's
    /// fields of the same name. A contact field with no value takes its fallback, else nothing; a send
    /// variable with neither is added to `missing`. With `escapingHTML`, values (not the template's own
    /// text and fallbacks) are escaped, so a contact named `<script>` stays text.
    func render(_ contact: Contact?, variables: [String: String], escapingHTML: Bool, missing: inout [String]) -> String {
        var out = ""
        out.reserveCapacity(parts.reduce(0) { total, part in if case .literal(let text) = part { total + text.utf8.count } else { total + 16 } })
        for part in parts {
            switch part {
            case .literal(let text):
                out += text
            case .variable(let name, let fallback):
                let value = variables[name] ?? contact.flatMap { Self.field(name, of: $0) }
                guard let value, !value.isEmpty else {
                    if let fallback {
                        out += fallback
                    } else if !Self.contactVariables.contains(name), !name.hasPrefix("custom."), variables[name] == nil {
                        missing.append(name)
                    }
                    continue
                }
                if escapingHTML { HTMLEscape.append(value, to: &out) } else { out += value }
            }
        }
        return out
    }

    private static func field(_ name: String, of contact: Contact) -> String? {
        switch name {
        case "name": contact.name
        case "first_name": contact.first_name
        case "last_name": contact.last_name
        case "phone": contact.phone
        case "email": contact.email
        default: name.hasPrefix("custom.") ? contact.custom_fields[String(name.dropFirst(7))].flatMap(value) : nil
        }
    }

    /// A JSON scalar as text (`5`, not `5.0`); nil for anything else.
    static func value(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): s
        case .number(let n): n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }
}
