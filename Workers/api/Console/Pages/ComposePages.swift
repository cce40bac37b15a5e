import OzziRuntime

/// The preview a compose form shows as it is typed (a campaign's, a message's): the text for the
/// workspace's newest contact, with an SMS's encoding and segments or an email's subject, and the variables
/// that would have no value. Rendered by the same template code a send uses.
extension ConsolePages {
    func addComposePages(_ console: ConsoleDomain) {
        get(ComposeViews.previewPath) { request, _, viewer in
            .html(try await console.preview(viewer.principal.scope, CampaignDraft { request.queryParameter($0).flatMap { $0.isEmpty ? nil : $0 } }).text)
        }
    }
}

extension ConsoleDomain {
    /// The draft's message for the workspace's newest contact.
    func preview(_ scope: TenantScope, _ draft: CampaignDraft) async throws -> HTML {
        let contact = try await domains.contacts.contacts.list(scope, ContactQuery(), limit: 1, after: nil).rows.first
        var template: Template?
        if draft.channel == "sms", !draft.templateID.isEmpty {
            guard let found = try await domains.campaigns.templates.get(scope, id: draft.templateID) else { throw APIError.notFound("template") }
            template = found
        }
        let rendered = Result { () throws(APIError) -> (text: String, subject: String?, missing: [String]) in
            var missing: [String] = []
            if draft.channel == "email" {
                guard !draft.subject.isEmpty || !draft.text.isEmpty || !draft.html.isEmpty else { return ("", nil, []) }
                let email = try EmailRenderer(subject: draft.subject, html: draft.html, text: draft.text.isEmpty && draft.html.isEmpty ? " " : draft.text)
                    .preview(contact: contact, variables: [:])
                return (email.email.text, email.email.subject, email.missing)
            }
            let text: TemplateText
            do throws(TemplateText.Invalid) { text = try TemplateText(template?.body ?? draft.body) } catch { throw APIError.invalidField("body", error.message) }
            return (text.render(contact, variables: [:], escapingHTML: false, missing: &missing), nil, missing)
        }
        return ComposeViews.preview(channel: draft.channel, for: contact, rendered: rendered)
    }
}
