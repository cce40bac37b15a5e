import OzziRuntime

/// `POST /api/v1/webhooks/resend`: Resend's email events (and the simulated provider's, sent the same
/// way), Svix-signed with the secret of the email's workspace: a missing or bad signature, or a
/// timestamp more than five minutes off, is refused; a repeated event changes nothing.
extension RouteGroup {
    static let resendEvent = Schema.object([
        .required("type", Schema.string().example("email.delivered")),
        .optional("created_at", .string()),
        .required("data", .object([.required("email_id", Schema.text(max: 256))])),
    ]).described("A Resend webhook event")

    func addResendWebhookRoute(_ s: EmailsDomain) {
        open("POST", "", "Resend webhook (Svix-signed: svix-id, svix-timestamp, svix-signature): email events", tag: "webhooks",
             body: .json(Self.resendEvent), answers: .json(.object([.required("received", .boolean)], closed: true)),
             signedWith: "svix-signature") { request, _ in
            let event = try ResendEvent(try JSONBody.validated ?? JSONBody.parse(request.body))
            // Not known (yet): an event can overtake our record of the send it reports, so the provider is
            // asked to try again later (Svix retries with backoff for about a day, then gives up, which
            // is also the end of an email another system sent through the same account).
            guard let owner = try await s.providerEvents.owner(providerID: event.emailID) else {
                throw APIError(status: 404, code: "unknown_email", message: "no email with this provider id (yet); try again later")
            }
            let secret = try await s.messaging.email.webhookSecret(owner.scope, provider: owner.provider)
            guard let secret, Self.svixSigned(request, secret: secret, now: s.clock.milliseconds / 1000) else {
                throw APIError(status: 403, code: "bad_signature", message: "the svix-signature does not match this body, or its timestamp is more than 5 minutes off")
            }
            if try await s.providerEvents.apply(event) != nil { s.events.flushSoon() }
            return .json(["received": true] as JSONValue)
        }
    }

    /// Svix's headers, or the Standard Webhooks names for the same (`webhook-id`, ...).
    private static func svixSigned(_ request: Request, secret: String, now: Int64) -> Bool {
        func header(_ name: String) -> String? { request.headers["svix-" + name] ?? request.headers["webhook-" + name] }
        guard let id = header("id"), let timestamp = header("timestamp").flatMap({ Int64($0) }), let signature = header("signature") else { return false }
        return WebhookSignature.verify(secret: secret, id: id, timestamp: timestamp, body: request.body, header: signature, now: now)
    }
}
