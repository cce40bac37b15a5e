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

    /// Queues the jobs of `submissionIDs` (after their transaction committed), a hundred to a send.
    static func queue(_ submissionIDs: [String], on queue: any QueueProducer) async throws {
        for start in stride(from: 0, to: submissionIDs.count, by: 100) {
            try await queue.sendBatch(submissionIDs[start..<min(start + 100, submissionIDs.count)].map { Self(submissionID: $0).message })
        }
    }
}
