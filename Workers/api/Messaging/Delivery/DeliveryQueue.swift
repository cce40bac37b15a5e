import OzziRuntime

/// Puts delivery jobs on the `DELIVERY` queue, each delayed to its message's due time (the queue's timer
/// fires it, to the millisecond). The queue holds delays up to 12 hours; messages due later wait in SQL
/// until the every-minute sweep brings them within reach.
struct DeliveryQueue: Sendable {
    let queue: any QueueProducer
    let messages: MessageStore
    let clock: any WallClock
    static let horizonMs: Int64 = 12 * 3_600_000 - 120_000

    func enqueue(_ jobs: [(job: DeliveryJob, dueMs: Int64)]) async throws {
        let now = clock.milliseconds
        let reachable = jobs.filter { $0.dueMs - now < Self.horizonMs }
        for start in stride(from: 0, to: reachable.count, by: 100) {
            let chunk = reachable[start..<min(start + 100, reachable.count)]
            try await queue.sendBatch(chunk.map { OutgoingMessage(body: $0.job.json, delaySeconds: Double(max(0, $0.dueMs - now)) / 1000) })
            try await messages.markEnqueued(chunk.map(\.job))
        }
    }

    /// A job sent back for later (a rate-limit slot, a retry's backoff); its message stays marked queued.
    func later(_ job: DeliveryJob, byMs delay: Int64) async throws {
        try await queue.send(job.json, delaySeconds: Double(min(delay, Self.horizonMs)) / 1000)
    }

    /// The sweep's part: queue what came within reach or lost its job.
    func sweep() async throws {
        let due = try await messages.unqueued(dueBefore: clock.milliseconds + Self.horizonMs, limit: 10_000)
        try await enqueue(due)
    }
}
