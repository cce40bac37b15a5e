import OzziRuntime

/// All SQL about submissions: taking one (stored, its contact written and its workflow's runs laid out in
/// one transaction, before any action runs), reading, deleting, and the counts per form and day.
///
/// Submissions arriving together are taken together: each is applied in arrival order, but they share a
/// transaction and its commit (`GatheredTransactions`), their rows (submissions, new contacts, action runs,
/// events) go in one multi-row insert per table, and the workflow jobs of those that committed go to the
/// queue as one send. A flood of sign-ups then costs one commit and a few statements per batch, not per
/// visitor; a quiet form's submission still commits alone, at once.
struct FormSubmissionStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    private let taking: GatheredTransactions<Taking, Outcome>

    init(database: any SQLDatabase, clock: any WallClock, jobs: any QueueProducer) {
        self.database = database
        self.clock = clock
        // A submission's own commit, with the contact's full-text index segment, cost more than the rest of it
        // (`bench/forms.sh`: batches of 3 under a flood, 220 µs a commit); 5 ms of gathering makes them tens.
        taking = GatheredTransactions(database: database, gather: .milliseconds(5), committed: { outcomes in
            // Stored first: a send lost here is found by the sweep (`FormsDomain.maintain`), not lost.
            // One message for the lot (a flood's hundreds of submissions: one queue write).
            try? await jobs.sendAll(FormWorkflowJob.messages(outcomes.compactMap { if case .stored(let id, true) = $0 { id } else { nil } }))
        }, apply: { tx, takings in try Self.store(tx, takings) })
    }

    /// What a submission carries besides its answers.
    struct Arrival: Sendable {
        let tokenHash: String
        let referrer: String
        let utm: [String: JSONValue]
        let ipHash: String
    }

    enum Outcome: Equatable, Sendable {
        /// Stored; `pending` actions wait for the workflow job, which has been queued.
        case stored(id: String, pending: Bool)
        /// The token was spent already: nothing was created.
        case repeated
    }

    /// One submission on its way into the shared transaction.
    private struct Taking: Sendable {
        let form: Form
        let id: String
        let now: String
        let answers: [String: JSONValue]
        let mapped: FormContact.Mapped
        let arrival: Arrival
    }

    /// Stores an accepted submission of `form` at its current version, and queues its workflow.
    func submit(_ form: Form, answers: [String: JSONValue], _ arrival: Arrival) async throws -> Outcome {
        let taking = Taking(form: form, id: ResourceID.make("fsb"), now: Timestamp.now(clock), answers: answers,
                            mapped: FormContact.Mapped(form.definition, answers), arrival: arrival)
        // Two first submissions of one address on two hosts at once: the second's contact insert meets the
        // first's (a unique violation, which aborts a PostgreSQL transaction); run again, it finds that contact.
        // Likewise a token spent on another host between this one's check and its insert: run again, the
        // check finds it.
        do {
            return try await self.taking.run(taking)
        } catch let error as SQLError where error.isUniqueViolation {
            return try await self.taking.run(taking)
        } catch is SpentMeanwhile {
            return try await self.taking.run(taking)
        }
    }

    /// A form's counts for one UTC day (`YYYY-MM-DD`).
    private struct FormDay: Hashable {
        let formID: String
        let day: String
    }

    /// A submission's token was spent by another transaction after this one checked it.
    private struct SpentMeanwhile: Error {}

    private static func store(_ tx: SQLTransaction, _ takings: [Taking]) throws -> [Outcome] {
        var outcomes: [Outcome] = []
        var submissions: [[SQLValue]] = [], actionRuns: [[SQLValue]] = [], counts: [FormDay: Int] = [:]
        var contacts = FormContact.Pending(), events: [(TenantScope, String, JSONValue)] = []
        // The batch's tokens spent already, and the contacts its addresses name: one read each for the lot.
        var spent = Set(try tx.all("SELECT token_hash FROM form_submissions WHERE token_hash IN (SELECT value FROM \(tx.dialect.elements()))",
                                   SQLList.json(takings.map { .string($0.arrival.tokenHash) })).compactMap { $0.text("token_hash") })
        var known = try FormContact.Known(tx, takings.map { ($0.form.scope, $0.mapped) })
        for taking in takings {
            let (form, id, now, answers, arrival) = (taking.form, taking.id, taking.now, taking.answers, taking.arrival)
            guard !spent.contains(arrival.tokenHash) else {
                outcomes.append(.repeated)
                continue
            }
            spent.insert(arrival.tokenHash)
            let scope = form.scope
            let contactID = try FormContact.upsert(tx, scope, taking.mapped, method: "form \(form.id) v\(form.version)", now: now, known: &known,
                                                   pending: &contacts, events: &events)
            let consents = JSONValue.array(taking.mapped.consents.map { ["channel": .string($0.channel), "wording": .string($0.wording), "given_at": .string(now)] })
            submissions.append([.text(id), .text(scope.workspaceID), .text(form.id), .integer(Int64(form.version)), .text(arrival.tokenHash),
                                .text(JSONValue.object(answers).jsonText), contactID.map(SQLValue.text) ?? .null, .text(consents.jsonText),
                                .text(arrival.referrer), .text(JSONValue.object(arrival.utm).jsonText), .text(arrival.ipHash), .text(now)])
            var pending = false
            for (position, action) in form.definition.workflow.enumerated() {
                let runs = action.when?.holds(answers) ?? true
                pending = pending || runs
                actionRuns.append([.text(id), .integer(Int64(position)), .text(scope.workspaceID), .text(action.json.jsonText),
                             .text(runs ? "pending" : "skipped"), .text(now)])
            }
            counts[FormDay(formID: form.id, day: String(now.prefix(10))), default: 0] += 1
            events.append((scope, "form.submitted", ["form_id": .string(form.id), "submission_id": .string(id),
                                                     "version": .number(Double(form.version)), "answers": .object(answers)]))
            outcomes.append(.stored(id: id, pending: pending))
        }
        guard let now = takings.last?.now, !submissions.isEmpty else { return outcomes }
        try contacts.write(tx, now: now)
        // A token another transaction spent since the check above (PostgreSQL, several hosts): this
        // transaction must not keep the contact it wrote for it.
        guard try tx.insert(into: "form_submissions", columns: ["id", "workspace_id", "form_id", "version", "token_hash", "answers", "contact_id",
                                                              "consents", "referrer", "utm", "ip_hash", "created_at"],
                            rows: submissions, suffix: "ON CONFLICT (token_hash) DO NOTHING") == submissions.count else { throw SpentMeanwhile() }
        try tx.insert(into: "form_action_runs", columns: ["submission_id", "position", "workspace_id", "action", "status", "updated_at"], rows: actionRuns)
        for (key, submitted) in counts.sorted(by: { ($0.key.formID, $0.key.day) < ($1.key.formID, $1.key.day) }) {
            try count(tx, formID: key.formID, day: key.day, submissions: submitted)
        }
        try WorkspaceEvents.record(tx, events, at: now)
        return outcomes
    }

    /// Adds to a form's counts for `day` (`YYYY-MM-DD`, UTC).
    static func count(_ tx: SQLTransaction, formID: String, day: String, views: Int = 0, starts: Int = 0, submissions: Int = 0, spam: Int = 0) throws {
        try tx.run("""
            INSERT INTO form_daily_stats (form_id, day, views, starts, submissions, spam) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (form_id, day) DO UPDATE SET views = form_daily_stats.views + excluded.views, starts = form_daily_stats.starts + excluded.starts,
              submissions = form_daily_stats.submissions + excluded.submissions, spam = form_daily_stats.spam + excluded.spam
            """, formID, day, views, starts, submissions, spam)
    }

    func count(formID: String, views: Int = 0, starts: Int = 0, spam: Int = 0) async throws {
        let day = String(Timestamp.now(clock).prefix(10))
        try await database.transaction { tx in try Self.count(tx, formID: formID, day: day, views: views, starts: starts, spam: spam) }
    }

    /// Views, starts, submissions and spam per day from `since` (inclusive), oldest first: the latest 400 days.
    func stats(formID: String, since: String) async throws -> [JSONValue] {
        try await database.prepare("""
            SELECT day, views, starts, submissions, spam FROM form_daily_stats WHERE form_id = ? AND day >= ? ORDER BY day DESC LIMIT 400
            """).bind(formID, since).all().reversed().map { row in
            ["day": .string(row.text("day") ?? ""), "views": .number(Double(row.integer("views") ?? 0)), "starts": .number(Double(row.integer("starts") ?? 0)),
             "submissions": .number(Double(row.integer("submissions") ?? 0)), "spam": .number(Double(row.integer("spam") ?? 0))]
        }
    }

    private static let select = "SELECT \(FormSubmission.selection) FROM form_submissions"

    /// A page of a form's submissions, newest first, optionally of one contact and within [since, until).
    func list(_ scope: TenantScope, formID: String, contactID: String?, since: String?, until: String?, page: PageRequest) async throws -> [FormSubmission] {
        var conditions = ["workspace_id = ?", "form_id = ?"], values: [any SQLBindable] = [scope.workspaceID, formID]
        if let contactID { conditions.append("contact_id = ?"); values.append(contactID) }
        if let since { conditions.append("created_at >= ?"); values.append(since) }
        if let until { conditions.append("created_at < ?"); values.append(until) }
        if page.after != nil {
            // Newest first: the next page is older than the last row's (created_at, id).
            let (at, id) = page.afterKeyAndID
            conditions.append("(created_at < ? OR (created_at = ? AND id < ?))"); values += [at, at, id]
        }
        return try await database.prepare(Self.select + " WHERE \(conditions.joined(separator: " AND ")) ORDER BY created_at DESC, id DESC LIMIT ?")
            .bind(values + [page.limit + 1]).all(FormSubmission.self)
    }

    func get(_ scope: TenantScope, formID: String, id: String) async throws -> FormSubmission? {
        guard var submission = try await database.prepare(Self.select + " WHERE workspace_id = ? AND form_id = ? AND id = ?")
            .bind(scope.workspaceID, formID, id).first(FormSubmission.self) else { return nil }
        submission.actions = try await runs(submissionID: id)
        return submission
    }

    func runs(submissionID: String) async throws -> [FormSubmission.ActionRun] {
        try await database.prepare("SELECT \(FormSubmission.ActionRun.selection) FROM form_action_runs WHERE submission_id = ? ORDER BY position")
            .bind(submissionID).all(FormSubmission.ActionRun.self)
    }

    /// What waits in a submission for the workflow job: its pending runs, in order.
    struct Pending: Sendable {
        let workspaceID: String
        let formID: String
        let version: Int
        let contactID: String?
        var runs: [(position: Int, action: JSONValue)]
    }

    /// The pending runs of many submissions in one read (a queue batch of workflow jobs), by submission;
    /// a submission with nothing pending, gone, or with a run under way, is absent.
    func pending(submissionIDs: [String]) async throws -> [String: Pending] {
        let rows = try await database.prepare("""
            SELECT r.submission_id, s.workspace_id, s.form_id, s.version, s.contact_id, r.position, r.action, r.status
            FROM form_action_runs r JOIN form_submissions s ON s.id = r.submission_id
            WHERE r.submission_id IN (SELECT value FROM \(database.dialect.elements()))
            ORDER BY r.submission_id, r.position
            """).bind(SQLList.json(submissionIDs)).all()
        var found: [String: Pending] = [:]
        // The status is not asked of the database: under a flood SQLite would find the pending runs by their
        // index on status, all of them (1.3 ms a batch at 10,000 waiting), not a few by submission.
        // A submission with a run that another delivery of its workflow holds (`running`) is absent: that one
        // goes on in order from there.
        var held: Set<String> = []
        for row in rows {
            guard let id = row.text("submission_id"), !held.contains(id) else { continue }
            if row.text("status") == "running" {
                held.insert(id)
                found[id] = nil
                continue
            }
            guard row.text("status") == "pending", let workspaceID = row.text("workspace_id"), let formID = row.text("form_id") else { continue }
            let run = (position: Int(row.integer("position") ?? 0), action: (try? JSONValue(jsonBytes: Array((row.text("action") ?? "null").utf8))) ?? .null)
            found[id, default: Pending(workspaceID: workspaceID, formID: formID, version: Int(row.integer("version") ?? 0),
                                       contactID: row.text("contact_id"), runs: [])].runs.append(run)
        }
        return found
    }

    /// Puts a failed action back to pending for the workflow job: nil when there is no such action, false
    /// when it has not failed (a pending or running one is on its way; a done one happened).
    func rerun(_ scope: TenantScope, submissionID: String, position: Int) async throws -> Bool? {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx -> Bool? in
            guard let status = try tx.all("SELECT status FROM form_action_runs WHERE workspace_id = ? AND submission_id = ? AND position = ?",
                                          scope.workspaceID, submissionID, position).first?.text("status") else { return nil }
            guard status == "failed" else { return false }
            try tx.run("UPDATE form_action_runs SET status = 'pending', attempts = 0, error = NULL, updated_at = ? WHERE submission_id = ? AND position = ?",
                       now, submissionID, position)
            return true
        }
    }

    /// Submissions whose pending actions have waited since before `cutoff` (a queue send lost after the
    /// commit); actions a crash left running since then are failed first, rather than run twice.
    func stalled(olderThan cutoff: String) async throws -> [String] {
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            for row in try tx.all("SELECT submission_id, position, workspace_id FROM form_action_runs WHERE status = 'running' AND updated_at < ? LIMIT 500", cutoff) {
                try tx.run("""
                    UPDATE form_action_runs SET status = 'failed', error = 'interrupted while running: it may or may not have happened; re-run it if not', updated_at = ?
                    WHERE submission_id = ? AND position = ? AND status = 'running'
                    """, now, row.text("submission_id") ?? "", Int(row.integer("position") ?? 0))
            }
        }
        return try await database.prepare("SELECT DISTINCT submission_id FROM form_action_runs WHERE status = 'pending' AND updated_at < ? LIMIT 500")
            .bind(cutoff).all().compactMap { $0.text("submission_id") }
    }

    func delete(_ scope: TenantScope, formID: String, id: String) async throws -> Bool {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            guard try tx.run("DELETE FROM form_submissions WHERE workspace_id = ? AND form_id = ? AND id = ?", scope.workspaceID, formID, id).changes == 1 else {
                return false
            }
            try WorkspaceEvents.record(tx, [(scope, "form.submission_deleted", ["form_id": .string(formID), "submission_id": .string(id)])], at: now)
            return true
        }
    }
}
