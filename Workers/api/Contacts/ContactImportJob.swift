import OzziRuntime

/// Runs (or resumes) one CSV import, on the `JOBS` queue.
struct ContactImportJob: QueueJob {
    static let kind = "contact_import"
    let importID: String
    let workspaceID: String

    init(importID: String, workspaceID: String) {
        self.importID = importID
        self.workspaceID = workspaceID
    }

    init(_ payload: JobPayload) throws(JobPayloadError) {
        self.init(importID: try payload.string("import_id"), workspaceID: try payload.string("workspace_id"))
    }

    var fields: [String: JSONValue] { ["import_id": .string(importID), "workspace_id": .string(workspaceID)] }
}
