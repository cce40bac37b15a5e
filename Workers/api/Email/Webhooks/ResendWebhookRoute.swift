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
            let event = try ResendEvent(try JSONBody.validated ?? JSONBody.parse(request))
            switch try await s.providerEvents.receive(.init(event: event, signature: WebhookSignature.Headers(request), body: request.body)) {
            case .unknownEmail:
                // Not known (yet): an event can overtake our record of the send it reports, so the provider
                // is asked to try again later (Svix retries with backoff for about a day, then gives up,
                // which is also the end of an email another system sent through the same account).
                throw APIError(status: 404, code: "unknown_email", message: "no email with this provider id (yet); try again later")
            case .badSignature:
                throw APIError(status: 403, code: "bad_signature", message: "the svix-signature does not match this body, or its timestamp is more than 5 minutes off")
            case .received(let change):
                if change != nil { s.events.flushSoon() }
                return .json(["received": true] as JSONValue)
            }
        }
    }
}
