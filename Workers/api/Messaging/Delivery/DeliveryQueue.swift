import OzziRuntime

/// Puts delivery jobs on the `DELIVERY` queue, delayed to their messages' due times (the queue's timer
/// fires them, to the millisecond); jobs due within the same 10 ms go as one `DeliveryGroupJob`, when the
/// last of them is due. The queue holds delays up to 12 hours: a message due later is queued
/// 12 hours ahead and its job, finding it not yet due, queues itself again for the rest. The every-minute
/// sweep queues what lost its job (a crash between commit and queueing).
struct DeliveryQueue: Sendable {
    let queue: any QueueProducer
    let messages: MessageStore
    let clock: any WallClock
    static let horizonMs: Int64 = 12 * 3_600_000 - 120_000

    /// Jobs due in the same window of this many milliseconds go as one `DeliveryGroupJob`, due when the
    /// last of them is: a send may go up to this much after its due time, never into another second.
    static let windowMs: Int64 = 10
    /// At most this many jobs a group. A queue batch (100 messages) of full groups is one engine call:
    /// at 100 a group, 10,000 rendered emails were held at once by a consumer running behind (RSS +48 MB
    /// at 20,000 recipients); at 25, 2,500.
    static let groupSize = 25

    func enqueue(_ jobs: [(job: DeliveryJob, dueMs: Int64)]) async throws {
        var messages: [OutgoingMessage] = [], queued: [DeliveryJob] = []
        for group in Self.grouped(jobs, now: clock.milliseconds) {
            messages.append(group.message)
            queued += group.jobs
            if messages.count == 100 || queued.count >= 1000 {
                try await send(messages, marking: queued)
                messages = []
                queued = []
            }
        }
        if !messages.isEmpty { try await send(messages, marking: queued) }
    }

    private func send(_ batch: [OutgoingMessage], marking jobs: [DeliveryJob]) async throws {
        try await queue.sendBatch(batch)
        try await messages.markEnqueued(jobs)
    }

    /// Jobs sent back for later (a rate-limit slot, not yet due, an account far behind), grouped as new
    /// jobs are: a campaign running ahead of its provider sends back a batch's worth at a time, and one
    /// queue message each was a write, a lease and a delete an email. Their messages stay marked queued.
    func later(_ jobs: [(job: DeliveryJob, byMs: Int64)]) async throws {
        let now = clock.milliseconds
        try await queue.sendAll(Self.grouped(jobs.map { ($0.job, now + $0.byMs) }, now: now).map(\.message))
    }

    /// The queue messages for `jobs`: windows in the order their first job came, a window's jobs in groups
    /// of `groupSize`, each group due when its last job is (at most `horizonMs` ahead).
    private static func grouped(_ jobs: [(job: DeliveryJob, dueMs: Int64)], now: Int64) -> [(message: OutgoingMessage, jobs: [DeliveryJob])] {
        var groups: [(message: OutgoingMessage, jobs: [DeliveryJob])] = []
        for (_, inWindow) in jobs.groupedInOrder(by: { $0.dueMs >= 0 ? $0.dueMs / windowMs : -1 }) {
            for start in stride(from: 0, to: inWindow.count, by: groupSize) {
                let group = inWindow[start..<min(start + groupSize, inWindow.count)]
                let delay = Double(min(horizonMs, max(0, group.map(\.dueMs).max()! - now))) / 1000
                let body = group.count == 1 ? group.first!.job.json : DeliveryGroupJob(jobs: group.map(\.job)).json
                groups.append((OutgoingMessage(body: body, delaySeconds: delay), group.map(\.job)))
            }
        }
        return groups
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
