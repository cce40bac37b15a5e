import OzziRuntime

/// An email's subject, HTML and text as `{{variable}}` templates, parsed once and rendered per recipient:
/// values are HTML-escaped in the HTML (a contact named `<script>` stays text) and left as they are in
/// the subject and text. Without a text source, the text is derived from the HTML source once, here, so
/// each recipient costs three renders and no HTML parsing.
struct EmailRenderer: Sendable {
    private let subject: TemplateText
    private let html: TemplateText?
    /// nil when the text is derived from each rendered HTML: the HTML's markup swallowed part of a
    /// variable (`<b {{name}}`), so its text could not be derived once from the source.
    private let text: TemplateText?

    /// Parses the sources; names the field (`subject`, `html`, `text`) whose variables are not known.
    /// `html` or `text` must be given.
    init(subject: String, html: String?, text: String?) throws(APIError) {
        func parse(_ source: String, _ field: String) throws(APIError) -> TemplateText {
            do {
                return try TemplateText(source, variables: true)
            } catch {
                throw APIError.invalidField(field, error.message)
            }
        }
        let html = html.flatMap { $0.isEmpty ? nil : $0 }
        let text = text.flatMap { $0.isEmpty ? nil : $0 }
        guard html != nil || text != nil else { throw APIError.invalidField("html", "an email needs html or text") }
        self.subject = try parse(subject, "subject")
        self.html = try html.map { source throws(APIError) in try parse(source, "html") }
        if let text {
            self.text = try parse(text, "text")
        } else {
            self.text = try? TemplateText(HTMLText.plain(html ?? ""), variables: true)
        }
    }

    /// The email for `contact` (if any) with the send's `variables`; a 422 `variables_missing` names each
    /// variable that has neither a value nor a fallback.
    func render(contact: Contact?, variables: [String: String]) throws(APIError) -> RenderedEmail {
        let (rendered, names) = preview(contact: contact, variables: variables)
        guard names.isEmpty else {
            throw APIError(status: 422, code: "variables_missing",
                           message: "no value for \(names.map { "{{\($0)}}" }.joined(separator: ", ")): give it in variables or a fallback in the template",
                           details: .object(["field": "variables", "missing": .array(names.map(JSONValue.string))]))
        }
        guard !rendered.subject.isEmpty else { throw APIError(status: 422, code: "empty_subject", message: "the rendered subject is empty") }
        return rendered
    }

    /// The email as far as it renders, and the variables (once each, in order) that have neither a value
    /// nor a fallback: what a preview shows and a send refuses.
    func preview(contact: Contact?, variables: [String: String]) -> (email: RenderedEmail, missing: [String]) {
        var missing: [String] = []
        let html = html?.render(contact, variables: variables, escapingHTML: true, missing: &missing)
        let rendered = RenderedEmail(
            subject: subject.render(contact, variables: variables, escapingHTML: false, missing: &missing), html: html,
            text: text?.render(contact, variables: variables, escapingHTML: false, missing: &missing) ?? HTMLText.plain(html ?? ""))
        var seen = Set<String>()
        return (rendered, missing.filter { seen.insert($0).inserted })
    }
}

/// An email as its recipient reads it.
struct RenderedEmail: Sendable, Equatable {
    let subject: String
    let html: String?
    /// Given, or derived from the HTML.
    let text: String
}
