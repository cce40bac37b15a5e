import OzziRuntime

/// The email side of the delivery engine: for a batch of due emails, their contents (read once per
/// distinct content), each workspace's provider, and the suppressed addresses; then, per email, the
/// rendered `OutgoingEmail` or why it cannot be sent.
struct EmailChannel: Sendable {
    let contents: EmailContentStore
    let suppressions: SuppressionStore
    let simulated: SimulatedEmailProvider

    /// What the engine needs to plan a batch's emails.
    struct Batch: Sendable {
        let contents: [String: EmailContent]
        /// Each content's sources parsed once for the batch (a campaign's hundreds of emails share one).
        let renderers: [String: Result<EmailRenderer, APIError>]
        let providers: [String: (provider: any EmailProvider, account: String)]
        /// `workspace address` of each suppressed recipient.
        let suppressed: Set<String>
    }

    func batch(_ messages: [MessageStore.Due]) async throws -> Batch {
        guard !messages.isEmpty else { return Batch(contents: [:], renderers: [:], providers: [:], suppressed: []) }
        let contents = try await contents.contents(Set(messages.compactMap(\.contentID)))
        let renderers = contents.mapValues { content in
            Result { () throws(APIError) -> EmailRenderer in
                guard let subject = content.subject else {
                    throw APIError(status: 422, code: "template_deleted", message: "the email's template \(content.templateID ?? "") was deleted")
                }
                return try EmailRenderer(subject: subject, html: content.html, text: content.text)
            }
        }
        var providers: [String: (provider: any EmailProvider, account: String)] = [:]
        // Checked at send time, whatever was true when the email was queued: one query per workspace.
        var suppressed = Set<String>()
        for (workspace, emails) in Dictionary(grouping: messages, by: \.scope.workspaceID) {
            providers[workspace] = (simulated, "\(simulated.name):\(workspace)")
            for address in try await suppressions.suppressed(TenantScope(workspaceID: workspace), addresses: emails.map(\.to)) {
                suppressed.insert(workspace + " " + address)
            }
        }
        return Batch(contents: contents, renderers: renderers, providers: providers, suppressed: suppressed)
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
        if batch.suppressed.contains(message.scope.workspaceID + " " + message.to.lowercased()) {
            return .failure(APIError(status: 422, code: "suppressed", message: "\(message.to) is on the workspace's suppression list"))
        }
        guard let (provider, account) = batch.providers[message.scope.workspaceID] else {
            return .failure(APIError(status: 422, code: "email_not_configured", message: "the workspace's email provider is not set up"))
        }
        let rendered: RenderedEmail
        do {
            rendered = try batch.renderers[contentID]!.get().render(contact: message.contact, variables: message.variables)
        } catch {
            return .failure(error)
        }
        let email = OutgoingEmail(messageID: message.id, workspaceID: message.scope.workspaceID, from: content.from, to: message.to,
                                  replyTo: content.replyTo, subject: rendered.subject, html: rendered.html, text: rendered.text, headers: [], tags: content.tags)
        return .success((email, provider, account))
    }
}
