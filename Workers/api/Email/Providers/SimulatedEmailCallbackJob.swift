import OzziRuntime

/// One of the simulated email provider's webhook events, due when the simulated mailbox would have
/// answered: the consumer turns it into the Svix-signed POST Resend would send, through the same route
/// and check (signed when it is sent, so its timestamp is fresh however long it waited).
struct SimulatedEmailCallbackJob: QueueJob {
    static let kind = "sim_email_callback"
    /// Our Resend webhook URL.
    let url: String
    /// The Svix message id: the same on every retry of this event, as Svix keeps it.
    let id: String
    /// `email.sent`, `email.delivered`, ...
    let type: String
    /// Resend's `data` object (`email_id`, `from`, `to`, `subject`, `tags`, `bounce`, `click`).
    let data: [String: JSONValue]

    init(url: String, id: String, type: String, data: [String: JSONValue]) {
        self.url = url
        self.id = id
        self.type = type
        self.data = data
    }

    init(_ payload: JobPayload) throws(JobPayloadError) {
        self.init(url: try payload.string("url"), id: try payload.string("id"), type: try payload.string("type"), data: try payload.object("data"))
    }

    var fields: [String: JSONValue] { ["url": .string(url), "id": .string(id), "type": .string(type), "data": .object(data)] }
}
