import OzziRuntime

/// Runs the pending workflow actions of submissions (`FormWorkflow`): those a shared transaction stored
/// together travel in one message, so a flood of sign-ups costs a queue write per batch, not per visitor.
struct FormWorkflowJob: QueueJob, Equatable {
    static let kind = "form_workflow"
    /// At most this many submissions a message written (a queue batch then holds no more than a hundred
    /// times what a batch of single messages did); a message read may hold more (written by a build
    /// whose limit was higher), within the queue's 128 KiB.
    static let maxSubmissions = 100
    let submissionIDs: [String]

    init(submissionIDs: [String]) {
        self.submissionIDs = submissionIDs
    }

    /// Also reads a message of one submission (`submission_id`), as they were queued before.
    init(_ payload: JobPayload) throws(JobPayloadError) {
        if payload.fields["submission_ids"] == nil {
            self.init(submissionIDs: [try payload.string("submission_id")])
            return
        }
        guard case .array(let values)? = payload.fields["submission_ids"], !values.isEmpty else {
            throw JobPayloadError(kind: Self.kind, field: "submission_ids", expected: "a non-empty array of ids")
        }
        var ids: [String] = []
        for value in values {
            guard let id = value.stringValue, !id.isEmpty else {
                throw JobPayloadError(kind: Self.kind, field: "submission_ids", expected: "an array of non-empty strings")
            }
            ids.append(id)
        }
        self.init(submissionIDs: ids)
    }

    var fields: [String: JSONValue] { ["submission_ids": .array(submissionIDs.map { .string($0) })] }

    /// The messages for `ids`, `maxSubmissions` a message.
    static func messages(_ ids: [String], delaySeconds: Double = 0) -> [OutgoingMessage] {
        stride(from: 0, to: ids.count, by: maxSubmissions).map { start in
            OutgoingMessage(body: FormWorkflowJob(submissionIDs: Array(ids[start..<min(start + maxSubmissions, ids.count)])).json, delaySeconds: delaySeconds)
        }
    }
}
