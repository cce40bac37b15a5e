import FoundationEssentials
import Logging
import Synchronization

/// Delivers one queue's messages to one worker's `queue` hook, a batch at a time.
///
/// It sleeps until the earliest message is due (a timer, not a polling interval) or a send wakes it,
/// gives a partial batch `maxBatchTimeout` to fill, then leases, delivers and settles the batch. On a store
/// that cannot tell it of another process's sends, an idle wait is bounded by the store's recheck interval.
final class QueueConsumer: Service, CustomStringConvertible {
    let settings: QueueConsumerSettings
    let waker = WallClockWaker()
    private let store: any QueueStorage
    private let deadLetter: (any QueueStorage)?
    private let worker: any Worker
    private let workerName: String
    private let loop: EventLoop
    private let clock: any WallClock
    private let logger: Logger
    private let retryPolicy: RetryPolicy
    private let stopped = Atomic<Bool>(false)

    init(settings: QueueConsumerSettings, store: any QueueStorage, deadLetter: (any QueueStorage)?, worker: any Worker, workerName: String,
         loop: EventLoop, clock: any WallClock, logger: Logger) {
        self.settings = settings
        self.store = store
        self.deadLetter = deadLetter
        self.worker = worker
        self.workerName = workerName
        self.loop = loop
        self.clock = clock
        self.logger = logger
        retryPolicy = RetryPolicy(baseSeconds: settings.retryDelay)
        // A test's clock jumping ahead makes delayed messages due: look again.
        waker.wakeOnChange(of: clock)
    }

    var description: String { "queue consumer of '\(settings.queue)'" }

    /// Consumes until asked to stop, then returns once the batch in flight settles. When cancelled (the
    /// shutdown deadline passed), so is the batch's hook, and what it did not acknowledge is retried later.
    func run() async {
        let stop: @Sendable () -> Void = { [self] in
            stopped.store(true, ordering: .relaxed)
            waker.wake()
        }
        await withTaskExecutorPreference(loop) {
            await withTaskCancellationHandler(operation: {
                await withGracefulShutdownHandler(operation: { await consume() }, onGracefulShutdown: stop)
            }, onCancel: stop)
        }
    }

    private func consume() async {
        var dueSince: Int64?
        var fullBatch = false
        while !stopped.load(ordering: .relaxed) {
            do {
                // After a full batch more are likely due: lease again without asking first.
                if fullBatch {
                    let leased = try await store.lease(limit: settings.maxBatchSize)
                    fullBatch = leased.count == settings.maxBatchSize
                    if !leased.isEmpty { try await deliver(leased) }
                    continue
                }
                let (due, next) = try await store.pending()
                let now = clock.milliseconds
                if due == 0 {
                    dueSince = nil
                    if let recheck = store.idleRecheckMilliseconds {
                        await waker.wait(until: min(next ?? .max, now + recheck), clock: clock)
                    } else {
                        await waker.wait(until: next, clock: clock)
                    }
                    continue
                }
                if due < settings.maxBatchSize, settings.maxBatchTimeout > 0 {
                    let since = dueSince ?? now
                    dueSince = since
                    let deadline = since + Int64(settings.maxBatchTimeout * 1000)
                    if now < deadline {
                        await waker.wait(until: deadline, clock: clock)
                        continue
                    }
                }
                dueSince = nil
                let leased = try await store.lease(limit: settings.maxBatchSize)
                fullBatch = leased.count == settings.maxBatchSize
                if !leased.isEmpty { try await deliver(leased) }
            } catch {
                logger.error("queue consumer failed; retrying", metadata: ["queue": "\(settings.queue)", "error": "\(error)"])
                await waker.wait(until: clock.milliseconds + 1000, clock: clock)
            }
        }
    }

    /// On a store whose leases run out, renews the batch's leases every third of a lease while the hook
    /// runs (a render may take longer than a lease), so another host does not take the batch meanwhile.
    /// The interval is real time: renewing more often than needed costs one statement.
    private func renewLeases(of leased: [QueueLease]) -> Task<Void, Never>? {
        guard let store = store as? any ExpiringQueueLeases else { return nil }
        let ids = leased.map(\.id)
        let interval = Duration.milliseconds(max(store.leaseMilliseconds / 3, 1))
        return Task { [logger, settings] in
            while (try? await Task.sleep(for: interval)) != nil {
                do {
                    try await store.renew(ids)
                } catch {
                    logger.warning("cannot renew a batch's leases", metadata: ["queue": "\(settings.queue)", "error": "\(error)"])
                }
            }
        }
    }

    private func deliver(_ leased: [QueueLease]) async throws {
        let outcome = BatchOutcome()
        let messages = leased.map { message in
            QueueMessage(
                id: String(message.id), timestamp: Date(timeIntervalSince1970: Double(message.createdAt) / 1000),
                body: (try? JSONValue(jsonBytes: message.body)) ?? .null,
                attempts: message.attempts, outcome: outcome)
        }
        let batch = MessageBatch(queue: settings.queue, messages: messages, outcome: outcome)
        let context = RequestContext(requestID: RequestID.next(), worker: workerName, loop: loop, logger: logger)
        var hookFailed = false
        // Renewing while the batch settles does no harm: a renewal matches only leases still this host's.
        let renewing = renewLeases(of: leased)
        defer { renewing?.cancel() }
        do {
            try await worker.queue(batch, context: context)
        } catch {
            hookFailed = true
            logger.warning("queue hook failed; its messages will be retried",
                           metadata: ["queue": "\(settings.queue)", "error": "\(error)", "messages": "\(leased.count)"])
        }
        let decisions = outcome.all
        var ack: [Int64] = [], retry: [(Int64, Int64)] = [], dead: [Int64] = []
        var refused = 0
        let now = clock.milliseconds
        for message in leased {
            let decision = decisions[String(message.id)] ?? (hookFailed ? .retry(delaySeconds: nil) : .ack)
            switch decision {
            case .ack:
                ack.append(message.id)
            case .deadLetter:
                dead.append(message.id)
                refused += 1
            case .retry(let delay):
                if message.attempts > settings.maxRetries {
                    dead.append(message.id)
                } else {
                    let seconds = delay ?? retryPolicy.delaySeconds(afterAttempt: message.attempts, unit: Double.random(in: 0..<1))
                    retry.append((message.id, now + Int64(seconds * 1000)))
                }
            }
        }
        if dead.count > refused {
            logger.warning("messages exhausted their retries", metadata: [
                "queue": "\(settings.queue)", "count": "\(dead.count - refused)", "dead_letter_queue": "\(settings.deadLetterQueue ?? "none (dropped)")",
            ])
        }
        try await store.settle(ack: ack, retry: retry, deadLetter: dead, into: deadLetter)
    }
}
