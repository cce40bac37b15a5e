import OzziRuntime

extension WebhookSignature {
    /// A signed request's signature headers: Svix's (`svix-id`, `svix-timestamp`, `svix-signature`) or the
    /// Standard Webhooks names for the same (`webhook-id`, ...). Nil when one is missing.
    struct Headers: Sendable, Equatable {
        let id: String
        let timestamp: Int64
        let signature: String

        init?(_ request: Request) {
            func header(_ name: String) -> String? { request.headers["svix-" + name] ?? request.headers["webhook-" + name] }
            guard let id = header("id"), let timestamp = header("timestamp").flatMap({ Int64($0) }), let signature = header("signature") else { return nil }
            self.id = id
            self.timestamp = timestamp
            self.signature = signature
        }

        /// Whether they sign `body` with `secret`, at most five minutes from `now` (seconds).
        func verify(secret: String, body: [UInt8], now: Int64) -> Bool {
            WebhookSignature.verify(secret: secret, id: id, timestamp: timestamp, body: body, header: signature, now: now)
        }
    }
}
