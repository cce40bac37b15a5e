import OzziRuntime

/// Puts delivery jobs on the `DELIVERY` queue, each delayed to its message's due time (the queue's timer
/// fires it, to the millisecond). The queue holds delays up to 12 hours: a message due later is queued
/// 12 hours ahead and its job, finding it not yet due, queues itself again for the rest. The every-minute
/// sweep queues what lost its job (a crash between commit and queueing).
struct DeliveryQueue: Sendable {
    let queue: any QueueProducer
    let messages: MessageStore
    let clock: any WallClock
    static let horizonMs: Int64 = 12 * 3_600_000 - 120_000

    func enqueue(_ jobs: [(job: DeliveryJob, dueMs: Int64)]) async throws {
        let now = clock.milliseconds
        for start in stride(from: 0, to: jobs.count, by: 100) {
            let chunk = jobs[start..<min(start + 100, jobs.count)]
            try await queue.sendBatch(chunk.map { OutgoingMessage(body: $0.job.json, delaySeconds: Double(min(Self.horizonMs, max(0, $0.dueMs - now))) / 1000) })
            try await messages.markEnqueued(chunk.map(\.job))
        }
    }

    /// Jobs sent back for later (a rate-limit slot, not yet due); their messages stay marked queued.
    func later(_ jobs: [(job: DeliveryJob, byMs: Int64)]) async throws {
        for start in stride(from: 0, to: jobs.count, by: 100) {
            try await queue.sendBatch(jobs[start..<min(start + 100, jobs.count)].map {
                OutgoingMessage(body: $0.job.json, delaySeconds: Double(min($0.byMs, Self.horizonMs)) / 1000)
            })
        }
    }

    /// The sweep's part: queue what lost its job. Only messages created `olderThan` seconds ago or more are
    /// looked at, so the sweep does not race a scheduling call between its commit and its queueing (at
    /// start-up nothing is mid-call: 0; and should one be, its message gets two jobs, and the claim takes one).
    func sweep(olderThan seconds: Int = 60) async throws {
        while true {
            let lost = try await messages.unqueued(createdBefore: Timestamp.after(seconds: -Int64(seconds), clock), limit: 10_000)
            try await enqueue(lost)
            if lost.count < 10_000 { return }
        }
    }
}
