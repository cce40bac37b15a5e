import OzziRuntime

/// The api worker's queue jobs by kind: each domain registers the `QueueJob` types it runs, and a batch
/// from any of the worker's queues is dispatched through here. A body whose kind nobody registered, or
/// whose fields do not read as its kind's type, goes to the dead-letter queue with a log line naming it:
/// it would fail the same way on every retry, and running it with empty ids would do harm.
struct JobHandlers: Sendable {
    typealias Run = @Sendable (_ messages: [QueueMessage], _ payloads: [JobPayload], _ context: JobContext) async throws -> Void
    private var runs: [String: Run] = [:]

    /// Jobs of `type` run one at a time, each acknowledged when it returns.
    mutating func each<Job: QueueJob>(_ type: Job.Type, _ run: @escaping @Sendable (Job, JobContext) async throws -> Void) {
        register(type) { messages, jobs, context in
            for (message, job) in zip(messages, jobs) {
                try await run(job, context)
                message.ack()
            }
        }
    }

    /// Jobs of `type` run one at a time, each settling its own message (`ack`, `retry` after a delay of its
    /// choosing, `deadLetter`) from what happened and `QueueMessage.attempts`.
    mutating func each<Job: QueueJob>(_ type: Job.Type, settling run: @escaping @Sendable (Job, QueueMessage, JobContext) async -> Void) {
        register(type) { messages, jobs, context in
            for (message, job) in zip(messages, jobs) { await run(job, message, context) }
        }
    }

    /// Jobs of `type` in a batch go to `run` together, which settles each one's message (see
    /// `each(_:settling:)`): for jobs that read together and whose writes gather into shared transactions.
    mutating func batch<Job: QueueJob>(_ type: Job.Type, settling run: @escaping @Sendable ([(job: Job, message: QueueMessage)], JobContext) async -> Void) {
        register(type) { messages, jobs, context in await run(zip(jobs, messages).map { (job: $0, message: $1) }, context) }
    }

    /// Jobs of `type` in a batch run at once, those with the same `key` one after another in batch order;
    /// each is acknowledged when it succeeds and retried when it throws, whatever the others do. For jobs
    /// whose writes gather into shared transactions (`GatheredTransactions`), which run one at a time
    /// would make one transaction each.
    mutating func concurrently<Job: QueueJob>(_ type: Job.Type, key: @escaping @Sendable (Job) -> String,
                                              _ run: @escaping @Sendable (Job, JobContext) async throws -> Void) {
        register(type) { messages, jobs, context in
            let sequences = zip(messages, jobs).groupedInOrder { key($0.1) }
            await withTaskGroup(of: Void.self) { group in
                for (_, sequence) in sequences {
                    group.addTask {
                        for (message, job) in sequence {
                            do {
                                try await run(job, context)
                                message.ack()
                            } catch {
                                context.request.logger.warning("queue job failed; it will be retried", metadata: [
                                    "kind": "\(Job.kind)", "message_id": "\(message.id)", "error": "\(error)",
                                ])
                                message.retry()
                            }
                        }
                    }
                }
            }
        }
    }

    /// Jobs of `type` in a batch go to `run` together (one read, one claim, one record for the lot).
    mutating func batch<Job: QueueJob>(_ type: Job.Type, _ run: @escaping @Sendable ([Job], JobContext) async throws -> Void) {
        register(type) { messages, jobs, context in
            try await run(jobs, context)
            for message in messages { message.ack() }
        }
    }

    private mutating func register<Job: QueueJob>(_ type: Job.Type, _ run: @escaping @Sendable ([QueueMessage], [Job], JobContext) async throws -> Void) {
        precondition(runs[Job.kind] == nil, "two handlers for \(Job.kind) jobs")
        runs[Job.kind] = { messages, payloads, context in
            var decoded: [Job] = [], kept: [QueueMessage] = []
            for (message, payload) in zip(messages, payloads) {
                do throws(JobPayloadError) {
                    decoded.append(try Job(payload))
                    kept.append(message)
                } catch {
                    Self.refuse(message, because: error.description, context: context)
                }
            }
            if !decoded.isEmpty { try await run(kept, decoded, context) }
        }
    }

    var kinds: Set<String> { Set(runs.keys) }

    /// Runs a batch: kinds in the order they first appear, a kind's messages together.
    func dispatch(_ batch: MessageBatch, context: JobContext) async throws {
        let runnable = batch.messages.compactMap { message -> (message: QueueMessage, payload: JobPayload)? in
            guard let object = message.body.objectValue, let kind = object["kind"]?.stringValue else {
                Self.refuse(message, because: "the body is not an object with a kind", context: context)
                return nil
            }
            guard runs[kind] != nil else {
                Self.refuse(message, because: "no handler for \(kind) jobs", context: context)
                return nil
            }
            return (message, JobPayload(kind: kind, fields: object))
        }
        for (kind, group) in runnable.groupedInOrder(by: \.payload.kind) {
            try await runs[kind]!(group.map(\.message), group.map(\.payload), context)
        }
    }

    private static func refuse(_ message: QueueMessage, because reason: String, context: JobContext) {
        context.request.logger.error("queue job dead-lettered: \(reason)", metadata: [
            "message_id": "\(message.id)", "body": "\(String(decoding: message.body.jsonBytes.prefix(512), as: UTF8.self))",
        ])
        message.deadLetter()
    }
}

/// What a running job may use besides its domain's own services.
struct JobContext: Sendable {
    let request: RequestContext
    /// The worker's own router, for jobs that replay a request through a route (and its checks).
    let fetch: @Sendable (Request) async throws -> Response
}
