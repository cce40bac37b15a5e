import OzziRuntime

/// The workflow's `add_to_group` actions: all in the database, so one transaction claims the run, adds
/// the member and settles the run (where an action with effects outside, a send, needs a claim committed
/// before it acts), and the jobs of a flood share their transactions (`GatheredTransactions`). A run
/// another delivery of the job already took is left alone; a group since deleted fails the run for good.
struct FormGroupAdds: Sendable {
    struct Add: Sendable {
        let scope: TenantScope
        let submissionID: String
        let formID: String
        let position: Int
        let groupID: String
        let contactID: String
        let now: String
    }

    private let adding: GatheredTransactions<Add, Void>

    init(database: any SQLDatabase) {
        adding = GatheredTransactions(database: database, each: { tx, add in try Self.apply(tx, add) })
    }

    func run(_ add: Add) async throws {
        try await adding.run(add)
    }

    private static func apply(_ tx: SQLTransaction, _ a: Add) throws {
        let run = "WHERE submission_id = ? AND position = ?"
        // Whether the group exists, not the group (reading it counts its members, a cost that grows with it).
        guard try !tx.all("SELECT 1 FROM groups WHERE workspace_id = ? AND id = ?", a.scope.workspaceID, a.groupID).isEmpty else {
            let why = "group \(a.groupID) not found"
            guard try tx.run("UPDATE form_action_runs SET status = 'failed', attempts = attempts + 1, error = ?, updated_at = ? \(run) AND status = 'pending'",
                             why, a.now, a.submissionID, a.position).changes == 1 else { return }
            try WorkspaceEvents.record(tx, [(a.scope, "form.action_failed", ["form_id": .string(a.formID), "submission_id": .string(a.submissionID),
                                                                             "position": .number(Double(a.position)), "error": .string(why)])], at: a.now)
            return
        }
        guard try tx.run("UPDATE form_action_runs SET status = 'done', attempts = attempts + 1, error = NULL, updated_at = ? \(run) AND status = 'pending'",
                         a.now, a.submissionID, a.position).changes == 1 else { return }
        let added = try GroupStore.add(tx, a.scope, groupID: a.groupID, contactIDs: [a.contactID], now: a.now)
        try tx.run("UPDATE form_action_runs SET result = ? \(run)",
                   JSONValue.object(["group_id": .string(a.groupID), "added": .bool(added == 1)]).jsonText, a.submissionID, a.position)
        try WorkspaceEvents.record(tx, [(a.scope, "group.members_added", ["group_id": .string(a.groupID), "count": .number(Double(added))])], at: a.now)
    }
}
