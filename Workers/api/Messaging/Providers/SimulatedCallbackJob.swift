import OzziRuntime

/// The simulated provider's delivery report, due when the simulated handset would have answered: the
/// consumer turns it into the signed form POST Twilio would send, through the same route and check.
struct SimulatedCallbackJob: QueueJob {
    static let kind = "sim_callback"
    /// The status callback URL the send named.
    let url: String
    /// Twilio's form fields (`MessageSid`, `MessageStatus`, ...).
    let form: [String: String]

    init(url: String, form: [String: String]) {
        self.url = url
        self.form = form
    }

    init(_ payload: JobPayload) throws(JobPayloadError) {
        var form: [String: String] = [:]
        for (name, value) in try payload.object("fields") {
            guard let text = value.stringValue else { throw JobPayloadError(kind: Self.kind, field: "fields.\(name)", expected: "a string") }
            form[name] = text
        }
        self.init(url: try payload.string("url"), form: form)
    }

    var fields: [String: JSONValue] { ["url": .string(url), "fields": .object(form.mapValues { .string($0) })] }
}
