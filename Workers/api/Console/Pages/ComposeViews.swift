import OzziRuntime

/// What composing a message and a campaign share: the SMS's template or text, the variables it may use,
/// the preview that follows the typing (`ComposePages`), and when to send it in which zone.
enum ComposeViews {
    static let previewPath = "/console/compose/preview"

    static func smsFields(prefix: String, templates: [Template], templateID: String, body: String) -> HTML {
        let options = templates.filter { $0.channel == "sms" }.map { template -> HTML in
            "<option value=\"\(template.id)\"\(HTML.when(template.id == templateID, " selected"))>\(template.name)</option>"
        }
        return """
            <label for="\(prefix)-template">Template</label>
            <select id="\(prefix)-template" name="template_id"><option value="">None: write the message below</option>\(options)</select>
            <label for="\(prefix)-body">Message</label>
            <textarea id="\(prefix)-body" name="body" rows="5" maxlength="1600" aria-describedby="variables-hint">\(body)</textarea>
            """
    }

    static let variablesHint: HTML = """
        <p class="hint" id="variables-hint">Variables: {{first_name}}, {{last_name}}, {{name}}, {{phone}}, {{email}}, {{custom.<em>field</em>}};
        a fallback after a bar: {{first_name|there}}.</p>
        """

    static func previewPanel(_ preview: HTML) -> HTML {
        """
        <section class="panel" aria-labelledby="preview-heading"><h2 id="preview-heading">Preview</h2>
        <div id="compose-preview" aria-live="polite">\(preview)</div>
        <noscript><p class="hint">The preview follows what you type when JavaScript is on.</p></noscript>
        </section>
        """
    }

    static func scheduleFields(prefix: String, sendAt: String, timeZone: String) -> HTML {
        """
        <div class="grid2">
        <div><label for="\(prefix)-send-at">Send at</label>
        <input id="\(prefix)-send-at" name="send_at" type="datetime-local" step="1" value="\(sendAt)"></div>
        <div><label for="\(prefix)-zone">Time zone</label>
        <input id="\(prefix)-zone" name="time_zone" type="text" value="\(timeZone)" placeholder="UTC" data-browser-zone autocomplete="off"></div>
        </div>
        """
    }

    /// What the message looks like for a contact of the workspace: the SMS text with its encoding and
    /// segments, or the email's subject and text; the variables that would have no value.
    static func preview(channel: String, for contact: Contact?, rendered: Result<(text: String, subject: String?, missing: [String]), APIError>) -> HTML {
        let who: HTML = contact.map { "<p class=\"hint\">For \($0.name.isEmpty ? ($0.phone ?? $0.email ?? $0.id) : $0.name)</p>" } ?? "<p class=\"hint\">No contact yet: variables show their fallbacks.</p>"
        switch rendered {
        case .failure(let error):
            return "<p class=\"error\">\(error.message)</p>"
        case .success(let message) where message.text.isEmpty && message.subject?.isEmpty != false:
            return "<p class=\"hint\">Write the message to see it here.</p>"
        case .success(let message):
            let missing: HTML = message.missing.isEmpty ? .empty
                : "<p class=\"error\">No value for \(message.missing.map { "{{\($0)}}" }.joined(separator: ", ")): give the variable a fallback.</p>"
            if channel == "email" {
                return """
                    \(who)<dl class="facts"><dt>Subject</dt><dd>\(message.subject ?? "")</dd></dl>
                    <div class="bubble mail">\(message.text)</div>\(missing)
                    """
            }
            let length = SMSLength(message.text)
            return """
                \(who)<div class="bubble">\(message.text)</div>
                <p id="sms-length" class="count">\(length.encoding) · \(length.characters) characters · \(length.segments) \(length.segments == 1 ? "segment" : "segments")</p>\(missing)
                """
        }
    }

}
