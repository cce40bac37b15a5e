import OzziRuntime

/// A queue job about one call (`{"kind": ..., "call_id": ...}`): what follows a call's end, one kind per step.
protocol CallJob: QueueJob {
    var callID: String { get }
    init(callID: String)
}

extension CallJob {
    init(_ payload: JobPayload) throws(JobPayloadError) {
        self.init(callID: try payload.string("call_id"))
    }

    var fields: [String: JSONValue] { ["call_id": .string(callID)] }
}
