import OzziRuntime

/// The email side of the delivery engine: for a batch of due emails, their contents (read once per
/// distinct content), each workspace's provider, and the suppressed addresses; then, per email, the
/// rendered `OutgoingEmail` or why it cannot be sent.
struct EmailChannel: Sendable {
    let contents: EmailContentStore
    let suppressions: SuppressionStore
    let providers: EmailProviders
    /// The DKIM keys of the workspaces' sending domains: we sign what goes out through a relay of theirs.
    let sendingDomains: SendingDomainStore
    let unsubscribeLinks: UnsubscribeLinks
    let trackingLinks: TrackingLinks
    /// Whether a From may still be used when the email is due.
    let senders: SenderRule

    var simulated: SimulatedEmailProvider { providers.simulated }

    /// What the engine needs to plan a batch's emails.
    struct Batch: Sendable {
        let contents: [String: EmailContent]
        /// Each content's sources parsed once for the batch (a campaign's hundreds of emails share one).
        let renderers: [String: Result<EmailRenderer, APIError>]
        /// Each workspace's provider, and the account its sends are grouped and rate-limited by; or why the
        /// workspace cannot send (its settings are incomplete).
        let providers: [String: Result<(provider: any EmailProvider, account: String), APIError>]
        /// `workspace address` of each suppressed recipient.
        let suppressed: Set<String>
        /// Why a content's From may not send for its workspace (`workspace content` → the refusal), checked
        /// once for the batch: a campaign's emails share one From.
        var senderRefusals: [String: APIError] = [:]
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
        var providers: [String: Result<(provider: any EmailProvider, account: String), APIError>] = [:]
        // Checked at send time, whatever was true when the email was queued: one query per workspace.
        var suppressed = Set<String>()
        var senders: [String: Senders] = [:]
        for (workspace, emails) in Dictionary(grouping: messages, by: \.scope.workspaceID) {
            let scope = TenantScope(workspaceID: workspace)
            let settings = try await self.providers.settings.get(scope)
            // Resend signs with its own keys; a relay gets ours, one per From domain.
            let dkim = settings.provider == "smtp" ? try await sendingDomains.dkimSigners(scope) : []
            senders[workspace] = try await self.senders.senders(scope, provider: settings.provider)
            providers[workspace] = Result { () throws(APIError) in
                do {
                    let provider = try self.providers.provider(for: settings, dkim: dkim)
                    // A workspace's own account (its API key, its relay) is its own rate-limit and batch group.
                    return (provider, "\(provider.name):\(workspace)")
                } catch let error as APIError {
                    throw error
                } catch {
                    throw APIError(status: 422, code: "email_not_configured", message: "\(error)")
                }
            }
            for address in try await suppressions.suppressed(scope, addresses: emails.map(\.to)) {
                suppressed.insert(workspace + " " + address)
            }
        }
        var senderRefusals: [String: APIError] = [:]
        var checked = Set<String>()
        for message in messages {
            guard let contentID = message.contentID, let content = contents[contentID] else { continue }
            let key = message.scope.workspaceID + " " + contentID
            guard checked.insert(key).inserted else { continue }
            if let refused = senders[message.scope.workspaceID]?.sendFailure(content.from) { senderRefusals[key] = refused }
        }
        return Batch(contents: contents, renderers: renderers, providers: providers, suppressed: suppressed, senderRefusals: senderRefusals)
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
        if let refused = batch.senderRefusals[message.scope.workspaceID + " " + contentID] { return .failure(refused) }
        let provider: any EmailProvider, account: String, rendered: RenderedEmail
        do throws(APIError) {
            guard let chosen = batch.providers[message.scope.workspaceID] else {
                throw APIError(status: 422, code: "email_not_configured", message: "the workspace's email provider is not set up")
            }
            (provider, account) = try chosen.get()
            rendered = try batch.renderers[contentID]!.get().render(contact: message.contact, variables: message.variables)
        } catch {
            return .failure(error)
        }
        // Campaign mail: the recipient's own unsubscribe link in the headers, and its tracking links in the
        // HTML (the text part, derived before, keeps the plain links).
        let headers = content.listUnsubscribe ? unsubscribeLinks.headers(for: message.id, scope: message.scope, address: message.to) : []
        let html = rendered.html.map {
            trackingLinks.rewrite(html: $0, messageID: message.id, scope: message.scope, opens: content.trackOpens, clicks: content.trackClicks)
        }
        let email = OutgoingEmail(messageID: message.id, workspaceID: message.scope.workspaceID, from: content.from, to: message.to,
                                  replyTo: content.replyTo, subject: rendered.subject, html: html, text: rendered.text, headers: headers, tags: content.tags)
        return .success((email, provider, account))
    }
}
