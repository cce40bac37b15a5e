import OzziRuntime

/// A record and the workspace it belongs to, read from the row's `workspace_id` beside the record's own
/// columns: for a query over many workspaces, or one that learns the workspace from the row it finds.
struct Scoped<Record: SQLRecord>: SQLRecord {
    let scope: TenantScope
    let record: Record

    enum Columns: String, SQLColumn { case workspace_id }

    init(row: SQLRecordRow<Columns>) throws {
        scope = TenantScope(workspaceID: try row.decode(String.self, forKey: .workspace_id))
        record = try row.record(Record.self)
    }
}
