import OzziRuntime

/// `/api/v1/forms`: forms customers embed on their sites (versioned fields, settings and workflow), their
/// submissions and counts; and, for the form-embed worker through its service binding, forms by key,
/// views, starts and submissions. A submission makes or updates a contact and starts the form's workflow
/// (`FormWorkflow`) as a queued job.
struct FormsDomain: APIDomain {
    let forms: FormStore
    let submissions: FormSubmissionStore
    let workflow: FormWorkflow
    let tokens: FormTokens
    let limiter: RateLimiter
    let clock: any WallClock
    let events: WorkspaceEvents
    let defaultCountry: String
    /// Keys the hash of a submitter's network: the same network hashes alike, and the table holds no address.
    let networkKey: [UInt8]
    /// Where the form-embed worker is mounted, for snippets (`FORMS_URL`, default PUBLIC_URL/forms).
    let formsURL: String

    init(_ api: APIEnvironment) throws {
        clock = api.clock
        events = api.events
        limiter = api.limiter
        defaultCountry = api.defaultCountry
        forms = FormStore(database: api.database, clock: api.clock, defaultCountry: api.defaultCountry)
        let jobs = try api.env.queue("FORMS")
        submissions = FormSubmissionStore(database: api.database, clock: api.clock, jobs: jobs)
        tokens = FormTokens(key: CredentialKey.derive(api.sealingKey, for: "form-submission-tokens"))
        networkKey = CredentialKey.derive(api.sealingKey, for: "form-submitter-networks")
        formsURL = BaseURL.withoutTrailingSlashes(api.env.var("FORMS_URL", default: api.publicURL + "/forms"))
        let books = BookStore(database: api.database, clock: api.clock)
        workflow = FormWorkflow(
            database: api.database, clock: api.clock, forms: forms, submissions: submissions,
            sms: api.messaging.scheduler,
            email: EmailScheduler(senders: api.sendingDomains, database: api.database, queue: api.messaging.deliveryQueue, clock: api.clock),
            books: books, participants: ParticipantStore(database: api.database, clock: api.clock),
            study: StudyScheduler(books: books, messages: api.messaging.messages, queue: api.messaging.deliveryQueue, events: api.events),
            events: api.events, queue: jobs, groupAdds: FormGroupAdds(database: api.database))
    }

    func routes(_ v1: RouteGroup) {
        let forms = v1.group("/forms").announcing(events)
        forms.addFormRoutes(self)
        forms.group("/:id/submissions").addFormSubmissionRoutes(self)
        v1.group("/internal/forms").announcing(events).addFormServiceRoutes(self)
    }

    func jobs(_ jobs: inout JobHandlers) {
        jobs.batch(FormWorkflowJob.self, settling: { [workflow] batch, _ in await workflow.run(batch) })
    }

    /// Workflows whose job was lost after their submission committed are started again; actions a crash
    /// left running are failed (they may have happened), for a person to re-run.
    func maintain() async throws {
        try await workflow.start(try await submissions.stalled(olderThan: Timestamp.at(milliseconds: clock.milliseconds - 10 * 60_000)))
    }

    var publishes: [String] {
        ["form.created", "form.updated", "form.deleted", "form.submitted", "form.submission_deleted", "form.action_failed"]
    }
}
