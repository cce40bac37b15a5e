import OzziRuntime

/// One of the simulated email provider's webhook events, due when the simulated mailbox would have
/// answered: the consumer signs its body as Svix does and posts it through our Resend route (signed when
/// it is sent, so the signature's timestamp is fresh however long it waited).
///
/// The body is written once, when the event is made, as the JSON Resend posts (`created_at` is when the
/// event happened, as in Resend's): posting it is then a signature and a request, not a second encoding.
struct SimulatedEmailCallbackJob: QueueJob {
    static let kind = "sim_email_callback"
    /// Our Resend webhook URL.
    let url: String
    /// The Svix message id: the same on every retry of this event, as Svix keeps it.
    let id: String
    /// The email's id at the provider: one email's events go in order.
    let emailID: String
    /// `{"type":"email.delivered","created_at":...,"data":{"email_id":...,"from":...,"to":[...],...}}`
    let body: String

    /// `type`: `email.delivered`, ...; `data`: Resend's `data` object (`email_id`, `from`, `to`, `subject`,
    /// `tags`, `bounce`, `click`); `at`: when it happened (ms).
    init(url: String, id: String, type: String, data: [String: JSONValue], at: Int64) {
        self.url = url
        self.id = id
        emailID = data["email_id"]?.stringValue ?? ""
        body = String(decoding: JSONValue.object(["type": .string(type), "created_at": .string(Timestamp.at(milliseconds: at)),
                                                  "data": .object(data)]).jsonBytes, as: UTF8.self)
    }

    init(_ payload: JobPayload) throws(JobPayloadError) {
        guard payload.fields["body"] != nil else {
            // Queued by an earlier build, as type and data: dated when it is read.
            let data = try payload.object("data")
            self.init(url: try payload.string("url"), id: try payload.string("id"), type: try payload.string("type"), data: data,
                      at: SystemClock().milliseconds)
            return
        }
        self.init(url: try payload.string("url"), id: try payload.string("id"), emailID: try payload.string("email_id"), body: try payload.string("body"))
    }

    init(url: String, id: String, emailID: String, body: String) {
        self.url = url
        self.id = id
        self.emailID = emailID
        self.body = body
    }

    var fields: [String: JSONValue] { ["url": .string(url), "id": .string(id), "email_id": .string(emailID), "body": .string(body)] }

    /// The event's type and data, read back from the body (for tests and logs).
    var type: String { (try? JSONValue(jsonBytes: Array(body.utf8)))?["type"]?.stringValue ?? "" }
    var data: [String: JSONValue] { (try? JSONValue(jsonBytes: Array(body.utf8)))?["data"]?.objectValue ?? [:] }
}
