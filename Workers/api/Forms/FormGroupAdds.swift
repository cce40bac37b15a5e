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
        adding = GatheredTransactions(database: database) { tx, adds in
            try Self.apply(tx, adds)
            return adds.map { _ in () }
        }
    }

    func run(_ add: Add) async throws {
        try await adding.run(add)
    }

    /// Many at once (a queue batch's): together in the next transaction; whether each was made.
    func run(_ adds: [Add]) async -> [Bool] {
        await adding.run(adds).map { if case .success = $0 { true } else { false } }
    }

    /// A batch in a few statements a group, not a few an add: whether the group exists and which of the
    /// contacts are in it already are asked once, so each run is claimed and settled, with what it made,
    /// in one update; the new members go in one insert and the group's event counts them all.
    private static func apply(_ tx: SQLTransaction, _ adds: [Add]) throws {
        let run = "WHERE submission_id = ? AND position = ?"
        // A run named twice is one run: the update below must meet each run once.
        var named: Set<RunKey> = []
        let byGroup = adds.filter { named.insert(RunKey(submissionID: $0.submissionID, position: $0.position)).inserted }
            .groupedInOrder { GroupKey(workspaceID: $0.scope.workspaceID, groupID: $0.groupID) }
        for (key, adds) in byGroup {
            let scope = adds[0].scope, now = adds[0].now
            // Whether the group exists, not the group (reading it counts its members, a cost that grows with it).
            guard try !tx.all("SELECT 1 FROM groups WHERE workspace_id = ? AND id = ?", key.workspaceID, key.groupID).isEmpty else {
                let why = "group \(key.groupID) not found"
                var failed: [(TenantScope, String, JSONValue)] = []
                for a in adds {
                    guard try tx.run("UPDATE form_action_runs SET status = 'failed', attempts = attempts + 1, error = ?, updated_at = ? \(run) AND status = 'pending'",
                                     why, a.now, a.submissionID, a.position).changes == 1 else { continue }
                    failed.append((a.scope, "form.action_failed", ["form_id": .string(a.formID), "submission_id": .string(a.submissionID),
                                                                   "position": .number(Double(a.position)), "error": .string(why)]))
                }
                try WorkspaceEvents.record(tx, failed, at: now)
                continue
            }
            // A contact of the workspace not yet in the group is added by the first run that names it; a
            // contact since deleted is not added.
            var joining: [String: Bool] = [:]
            for row in try tx.all("""
                SELECT c.id, (SELECT 1 FROM group_members m WHERE m.group_id = ? AND m.contact_id = c.id) AS member
                FROM contacts c WHERE c.workspace_id = ? AND c.id IN (SELECT value FROM \(tx.dialect.elements()))
                """, key.groupID, key.workspaceID, SQLList.json(adds.map(\.contactID))) {
                if let id = row.text("id") { joining[id] = row.integer("member") == nil }
            }
            // Each run claimed and settled by one update for the lot, its result written as if every run
            // were still pending: the first run naming a contact not yet in the group adds it. The runs it
            // answers are the ones this transaction took (another delivery of the job may have taken some).
            // (`status || ''`: on the status index SQLite would walk every pending run of every form, and look
            // each up in the list — 74 µs a run under a flood — rather than find the few runs by their key.)
            var planned: [(add: Add, joins: Bool)] = []
            var unclaimed = joining
            for a in adds {
                let joins = unclaimed[a.contactID] == true
                if joins { unclaimed[a.contactID] = false }
                planned.append((a, joins))
            }
            let won = Set(try tx.all("""
                UPDATE form_action_runs SET status = 'done', attempts = attempts + 1, error = NULL, result = r.result, updated_at = ?
                FROM (SELECT value ->> 0 AS submission_id, CAST(value ->> 1 AS INTEGER) AS position, value ->> 2 AS result FROM \(tx.dialect.records())) AS r
                WHERE form_action_runs.submission_id = r.submission_id AND form_action_runs.position = r.position AND form_action_runs.status || '' = 'pending'
                RETURNING form_action_runs.submission_id, form_action_runs.position
                """, now, SQLList.json(planned.map { a, joins in
                    JSONValue.array([.string(a.submissionID), .number(Double(a.position)), .string(Self.result(key.groupID, added: joins))])
                })).map { RunKey(submissionID: $0.text("submission_id") ?? "", position: Int($0.integer("position") ?? -1)) })
            var added: [String] = []
            for (a, joins) in planned where won.contains(RunKey(submissionID: a.submissionID, position: a.position)) {
                guard joining[a.contactID] == true else { continue }
                added.append(a.contactID)
                joining[a.contactID] = false
                // The run planned to add this contact was taken elsewhere: this one adds it, and says so.
                if !joins {
                    try tx.run("UPDATE form_action_runs SET result = ? \(run)", Self.result(key.groupID, added: true), a.submissionID, a.position)
                }
            }
            guard !added.isEmpty else { continue }
            let count = try GroupStore.add(tx, scope, groupID: key.groupID, contactIDs: added, now: now)
            try WorkspaceEvents.record(tx, [(scope, "group.members_added", ["group_id": .string(key.groupID), "count": .number(Double(count))])], at: now)
        }
    }

    /// A run's result: the group, and whether this run added the contact to it.
    private static func result(_ groupID: String, added: Bool) -> String {
        JSONValue.object(["group_id": .string(groupID), "added": .bool(added)]).jsonText
    }

    private struct RunKey: Hashable {
        let submissionID: String
        let position: Int
    }

    private struct GroupKey: Hashable {
        let workspaceID: String
        let groupID: String
    }
}
