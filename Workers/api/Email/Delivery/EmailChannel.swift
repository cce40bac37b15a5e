import OzziRuntime

/// The email side of the delivery engine: for a batch of due emails, their contents (read once per
/// distinct content), each workspace's provider, and the suppressed addresses; then, per email, the
/// rendered `OutgoingEmail` or why it cannot be sent.
struct EmailChannel: Sendable {
    let contents: EmailContentStore
    let simulated: SimulatedEmailProvider

    /// What the engine needs to plan a batch's emails.
    struct Batch: Sendable {
        let contents: [String: EmailContent]
        let providers: [String: (provider: any EmailProvider, account: String)]
        let suppressed: Set<String>
    }

    func batch(_ messages: [MessageStore.Due]) async throws -> Batch {
        guard !messages.isEmpty else { return Batch(contents: [:], providers: [:], suppressed: []) }
        let contents = try await contents.contents(Set(messages.compactMap(\.contentID)))
        var providers: [String: (provider: any EmailProvider, account: String)] = [:]
        for workspace in Set(messages.map(\.scope.workspaceID)) {
            providers[workspace] = (simulated, "\(simulated.name):\(workspace)")
        }
        return Batch(contents: contents, providers: providers, suppressed: [])
    }

    /// The secret that signs `provider`'s webhooks for the workspace: the simulated provider's own, or
    /// the one the workspace copied from its Resend account.
    func webhookSecret(_ scope: TenantScope, provider: String) async throws -> String? {
        provider == simulated.name ? simulated.webhookSecret : nil
    }

    /// The email to hand over, or why not: a missing content, a suppressed address, a text that cannot be
    /// rendered fail this email alone.
    func prepare(_ message: MessageStore.Due, in batch: Batch) -> Result<(email: OutgoingEmail, provider: any EmailProvider, account: String), APIError> {
        guard let contentID = message.contentID, let content = batch.contents[contentID] else {
            return .failure(APIError(status: 422, code: "content_missing", message: "the email's content was deleted"))
        }
        if batch.suppressed.contains(message.to) {
            return .failure(APIError(status: 422, code: "suppressed", message: "\(message.to) is on the workspace's suppression list"))
        }
        guard let (provider, account) = batch.providers[message.scope.workspaceID] else {
            return .failure(APIError(status: 422, code: "email_not_configured", message: "the workspace's email provider is not set up"))
        }
        func render(_ source: String?) -> Result<String?, APIError> {
            guard let source else { return .success(nil) }
            guard let text = try? TemplateText(source) else {
                return .failure(APIError(status: 422, code: "template_invalid", message: "the email has variables that cannot be filled"))
            }
            return .success(message.contact.map(text.render) ?? text.parts.map { if case .literal(let s) = $0 { s } else { "" } }.joined())
        }
        let subject: String?, html: String?, text: String?
        do {
            subject = try render(content.subject).get()
            html = try render(content.html).get()
            text = try render(content.text).get()
        } catch {
            return .failure(error)
        }
        guard let subject, !subject.isEmpty else { return .failure(APIError(status: 422, code: "empty_subject", message: "the rendered subject is empty")) }
        let email = OutgoingEmail(messageID: message.id, workspaceID: message.scope.workspaceID, from: content.from, to: message.to,
                                  replyTo: content.replyTo, subject: subject, html: html, text: text ?? "", headers: [], tags: content.tags)
        return .success((email, provider, account))
    }
}
