import OzziRuntime

/// Runs a submission's workflow actions, in order, each once: a run is claimed (`pending` -> `running`)
/// before it acts, so two deliveries of the same job cannot both send. What the action refuses for good (no
/// contact, a template of the other channel, a group since deleted) fails it at once; what may pass later
/// (the database, a provider) leaves it pending for the job's next attempt, with backoff, until
/// `maxAttempts`. Every send goes through the messaging engine in the name of the form's creator.
struct FormWorkflow: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let forms: FormStore
    let submissions: FormSubmissionStore
    let sms: MessageScheduler
    let email: EmailScheduler
    let books: BookStore
    let participants: ParticipantStore
    let study: StudyScheduler
    let events: WorkspaceEvents
    let queue: any QueueProducer
    let groupAdds: FormGroupAdds

    static let maxAttempts = 5
    /// How many submissions of a batch run their actions on their own at once.
    static let maxAlone = 100
    static let retryBaseSeconds = 10.0

    /// An action's end: done with what it made, refused for good, or worth another attempt.
    enum Outcome {
        case done(JSONValue)
        case refused(String)
        case transient(String)
    }

    /// Queues the workflows of `submissionIDs` (after their transactions committed), one message for many.
    func start(_ submissionIDs: [String]) async throws {
        try await queue.sendAll(FormWorkflowJob.messages(submissionIDs))
    }

    /// A queue batch of jobs: the pending runs of all their submissions read at once, and the group adds
    /// that lead each one's pending runs (the usual workflow of a sign-up form starts with one) made
    /// together in shared transactions (`FormGroupAdds`). A submission with more to do, or whose adds
    /// failed, goes on alone (`runPending`, which reads again and finds its adds done, or tries them again).
    func run(_ batch: [(job: FormWorkflowJob, message: QueueMessage)]) async {
        // A submission named twice (its workflow started again while a message for it waited) runs once,
        // under the first message naming it.
        var named: Set<String> = []
        let submissions = batch.enumerated().flatMap { index, entry in entry.job.submissionIDs.map { (id: $0, message: index) } }
            .filter { named.insert($0.id).inserted }
        guard let pending = try? await self.submissions.pending(submissionIDs: submissions.map(\.id)) else {
            return await settle(batch, alone: submissions)
        }
        let now = Timestamp.now(clock)
        var leading: [(submission: (id: String, message: Int), adds: [FormGroupAdds.Add], rest: Bool)] = []
        for submission in submissions {
            guard let waiting = pending[submission.id] else { continue }
            let scope = TenantScope(workspaceID: waiting.workspaceID)
            let form = try? await answered(scope, formID: waiting.formID, version: waiting.version)
            var adds: [FormGroupAdds.Add] = []
            for run in waiting.runs {
                guard let form, let contactID = waiting.contactID,
                      let action = try? FormAction.read(run.action, at: "action", fields: form.definition.fields), action.kind == .add_to_group else { break }
                adds.append(FormGroupAdds.Add(scope: scope, submissionID: submission.id, formID: waiting.formID, position: run.position,
                                              groupID: action.target ?? "", contactID: contactID, now: now))
            }
            leading.append((submission, adds, adds.count < waiting.runs.count))
        }
        let made = await groupAdds.run(leading.flatMap(\.adds))
        var next = made.makeIterator()
        var alone: [(id: String, message: Int)] = []
        for (submission, adds, rest) in leading {
            let failed = adds.map { _ in next.next() ?? false }.contains(false)
            if rest || failed { alone.append(submission) }
        }
        await settle(batch, alone: alone)
    }

    /// Runs each of `alone` on its own (at once, side by side), then settles every message of the batch:
    /// acknowledged when nothing of its submissions waits; one submission waiting for another attempt
    /// retries its message with backoff; several in a message of many go on in messages of their own, each
    /// with its own backoff.
    private func settle(_ batch: [(job: FormWorkflowJob, message: QueueMessage)], alone: [(id: String, message: Int)]) async {
        let again = await withTaskGroup(of: (message: Int, id: String, delay: Double?).self) { group in
            var again: [Int: [(id: String, delay: Double)]] = [:]
            func collect(_ done: (message: Int, id: String, delay: Double?)?) {
                if let done, let delay = done.delay { again[done.message, default: []].append((done.id, delay)) }
            }
            // At most `maxAlone` at once: a batch of many messages of many submissions must not start a
            // transaction and a send for each of them together.
            for (started, (id, index)) in alone.enumerated() {
                if started >= Self.maxAlone { collect(await group.next()) }
                let attempts = batch[index].message.attempts
                group.addTask {
                    do {
                        return (index, id, try await runPending(id).map(Self.backoff))
                    } catch {
                        return (index, id, Self.backoff(attempts))
                    }
                }
            }
            for await done in group { collect(done) }
            return again
        }
        for (index, (job, message)) in batch.enumerated() {
            guard let waiting = again[index] else {
                message.ack()
                continue
            }
            if job.submissionIDs.count == 1 {
                message.retry(delaySeconds: waiting[0].delay)
                continue
            }
            do {
                try await queue.sendAll(waiting.flatMap { FormWorkflowJob.messages([$0.id], delaySeconds: $0.delay) })
                message.ack()
            } catch {
                // Run again, the message finds what is done done and tries the rest.
                message.retry(delaySeconds: waiting.map(\.delay).min())
            }
        }
        // Not awaited per job: under a flood of jobs, one flush gathers many jobs' events (a flush per job was
        // a quarter of the job's statements).
        events.flushSoon()
    }

    /// The wait before the next attempt of an action tried `attempts` times.
    private static func backoff(_ attempts: Int) -> Double {
        retryBaseSeconds * Double(1 << min(max(attempts, 1) - 1, 6))
    }

    /// Runs what is pending; answers the attempts of the action to try again, or nil when none waits.
    func runPending(_ submissionID: String) async throws -> Int? {
        guard let row = try await database.prepare("SELECT workspace_id, form_id, version, answers, contact_id FROM form_submissions WHERE id = ?")
            .bind(submissionID).first(), let formID = row.text("form_id"), let workspaceID = row.text("workspace_id") else { return nil }
        let scope = TenantScope(workspaceID: workspaceID)
        guard let form = try await answered(scope, formID: formID, version: row.integer("version").map(Int.init)) else { return nil }
        let context = Context(scope: scope, form: form, submissionID: submissionID, contactID: row.text("contact_id"),
                              answers: (try? JSONValue(jsonBytes: Array((row.text("answers") ?? "{}").utf8)))?.objectValue ?? [:])
        for run in try await submissions.runs(submissionID: submissionID) {
            // A run another delivery of this workflow holds: it goes on in order from there.
            if run.status == "running" { return nil }
            guard run.status == "pending" else { continue }
            let now = Timestamp.now(clock)
            // Read once: a stored action that no longer reads (its fields changed) is refused below.
            let read = Result { try FormAction.read(run.action, at: "action", fields: form.definition.fields) }
            if case .success(let action) = read, action.kind == .add_to_group, let contactID = context.contactID {
                try await groupAdds.run(FormGroupAdds.Add(scope: scope, submissionID: submissionID, formID: formID, position: run.position,
                                                          groupID: action.target ?? "", contactID: contactID, now: now))
                continue
            }
            guard try await database.transaction({ tx in
                try tx.run("""
                    UPDATE form_action_runs SET status = 'running', attempts = attempts + 1, updated_at = ? WHERE submission_id = ? AND position = ? AND status = 'pending'
                    """, now, submissionID, run.position).changes == 1
            }) else {
                // Another delivery took the run since the read: likewise.
                return nil
            }
            let attempts = run.attempts + 1
            let outcome: Outcome
            do {
                outcome = try await perform(try read.get(), context)
            } catch let error as APIError where error.status < 500 {
                outcome = .refused(error.message)
            } catch {
                outcome = .transient("\(error)")
            }
            try await settle(scope, submissionID: submissionID, formID: formID, position: run.position, attempts: attempts, outcome)
            // In order: what follows an action waiting for another attempt waits with it.
            if case .transient = outcome, attempts < Self.maxAttempts { return attempts }
        }
        return nil
    }

    /// The form as it is (its name, its creator) with the version a submission answered (its fields).
    private func answered(_ scope: TenantScope, formID: String, version: Int?) async throws -> Form? {
        guard let form = try await forms.recent(scope, id: formID) else { return nil }
        if let version, version != form.version, let definition = try await forms.definition(formID: formID, version: version) {
            return form.with(definition: definition)
        }
        return form
    }

    private func settle(_ scope: TenantScope, submissionID: String, formID: String, position: Int, attempts: Int, _ outcome: Outcome) async throws {
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            switch outcome {
            case .done(let result):
                try tx.run("UPDATE form_action_runs SET status = 'done', result = ?, error = NULL, updated_at = ? WHERE submission_id = ? AND position = ?",
                           result.jsonText, now, submissionID, position)
            case .transient(let why) where attempts < Self.maxAttempts:
                try tx.run("UPDATE form_action_runs SET status = 'pending', error = ?, updated_at = ? WHERE submission_id = ? AND position = ?",
                           why, now, submissionID, position)
            case .refused(let why), .transient(let why):
                try tx.run("UPDATE form_action_runs SET status = 'failed', error = ?, updated_at = ? WHERE submission_id = ? AND position = ?",
                           why, now, submissionID, position)
                try WorkspaceEvents.record(tx, [(scope, "form.action_failed", ["form_id": .string(formID), "submission_id": .string(submissionID),
                                                                              "position": .number(Double(position)), "error": .string(why)])], at: now)
            }
        }
    }

    /// What an action acts on.
    struct Context {
        let scope: TenantScope
        let form: Form
        let submissionID: String
        let contactID: String?
        let answers: [String: JSONValue]
    }

    private func perform(_ action: FormAction, _ c: Context) async throws -> Outcome {
        // Every action but a notice to the team acts on the submission's contact.
        guard action.kind == .notify || c.contactID != nil else { return .refused("the submission gave no email or phone, so it has no contact") }
        let contactID = c.contactID ?? ""
        switch action.kind {
        case .notify:
            return try await notify(action, c)
        case .add_to_group:
            // Not reached: `runPending` runs it with its claim and settlement in one transaction (`FormGroupAdds`).
            return .transient("add_to_group runs through FormGroupAdds")
        case .send_sms, .send_email:
            var body: [String: JSONValue] = ["contact_id": .string(contactID), "template_id": .string(action.target ?? "")]
            if action.delayMinutes > 0 { body["scheduled_at"] = .string(Timestamp.at(milliseconds: clock.milliseconds + Int64(action.delayMinutes) * 60_000)) }
            if action.kind == .send_sms {
                let scheduled = try await sms.schedule(c.scope, createdBy: c.form.createdBy, JSONBody(fields: body))
                if let skipped = scheduled.skipped.first { return .refused("the contact was skipped: \(skipped.reason)") }
                return .done(["message_ids": .array(scheduled.ids.map { .string($0) }), "scheduled_at": .string(scheduled.scheduled_at)])
            }
            let id = try await email.schedule(c.scope, createdBy: c.form.createdBy, JSONBody(fields: body))
            return .done(["message_id": .string(id)])
        case .enroll_study_book:
            guard let bookID = action.target, let book = try await books.book(bookID), book.published, book.active else {
                return .refused("study book \(action.target ?? "") is not published")
            }
            let zone = action.timeZone ?? "UTC"
            let lessons = try await books.lessons(bookID: bookID, workspaceID: nil, activeOnly: true)
            let today = String(Timestamp.now(clock).prefix(10))
            let (ids, skipped) = try await participants.enroll(c.scope, bookID: bookID, contactIDs: [contactID], lessonIDs: lessons.map(\.id),
                                                               startDate: today, timeZone: zone, createdBy: c.form.createdBy)
            if let skip = skipped.first, skip.reason != "already_enrolled" { return .refused("the contact was not enrolled: \(skip.reason)") }
            try await study.replan(c.scope, participantIDs: ids)
            return .done(["participant_ids": .array(ids.map { .string($0) }), "already_enrolled": .bool(ids.isEmpty)])
        }
    }

    /// An email to each named member still in the workspace, from the workspace's own sender.
    private func notify(_ action: FormAction, _ c: Context) async throws -> Outcome {
        let members = try await database.prepare("""
            SELECT u.id, u.email FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.workspace_id = ? AND m.user_id IN (SELECT value FROM \(database.dialect.elements())) ORDER BY u.id
            """).bind(c.scope.workspaceID, SQLList.json(action.userIDs)).all()
        guard !members.isEmpty else { return .refused("none of the members to notify is in the workspace") }
        let lines = c.form.definition.fields.compactMap { field -> (String, String)? in
            guard let answer = c.answers[field.key], field.kind != .hidden else { return nil }
            return (field.label, FormSubmission.text(of: answer))
        }
        let subject = "New submission: \(c.form.name)"
        let text = "A new submission of \(c.form.name) (\(c.submissionID)):\n\n" + lines.map { "\($0): \($1)" }.joined(separator: "\n") + "\n"
        let html = "<p>A new submission of <strong>\(HTMLEscape.escape(c.form.name))</strong> (\(c.submissionID)):</p><table>"
            + lines.map { "<tr><th align=\"left\">\(HTMLEscape.escape($0))</th><td>\(HTMLEscape.escape($1))</td></tr>" }.joined() + "</table>"
        var sent: [JSONValue] = []
        for member in members {
            guard let address = member.text("email") else { continue }
            sent.append(.string(try await email.send(c.scope, createdBy: c.form.createdBy, contactID: nil, to: address, subject: subject, html: html, text: text)))
        }
        return .done(["message_ids": .array(sent)])
    }
}
