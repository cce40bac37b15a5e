import OzziRuntime

/// Runs the pending workflow actions of one submission (`FormWorkflow`).
struct FormWorkflowJob: QueueJob, Equatable {
    static let kind = "form_workflow"
    let submissionID: String

    init(submissionID: String) {
        self.submissionID = submissionID
    }

    init(_ payload: JobPayload) throws(JobPayloadError) {
        self.init(submissionID: try payload.string("submission_id"))
    }

    var fields: [String: JSONValue] { ["submission_id": .string(submissionID)] }
}
