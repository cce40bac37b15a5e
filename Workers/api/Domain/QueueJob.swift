import OzziRuntime

/// A queue payload as a type: its kind and its fields, written and read in one place. The body on the
/// queue is `{"kind": kind, ...fields}`; `JobHandlers` finds a job's type by its kind.
protocol QueueJob: Sendable {
    static var kind: String { get }
    /// The payload's fields, `kind` aside.
    var fields: [String: JSONValue] { get }
    /// Reads the fields back; a missing or mistyped one throws `JobPayloadError` naming it.
    init(_ payload: JobPayload) throws(JobPayloadError)
}

extension QueueJob {
    /// The body to send.
    var json: JSONValue {
        var object = fields
        object["kind"] = .string(Self.kind)
        return .object(object)
    }

    var message: OutgoingMessage { OutgoingMessage(body: json) }
}
