import OzziRuntime

/// The simulated provider's webhook events that fall due together (one send's emails, the same kind of
/// event), kept as one queue message: where each event was a message of its own, a campaign paid a queue
/// write, a lease and a delete per email for the simulator's timers alone. Each event is still posted on
/// its own, with its own Svix id, as Resend posts them; a group any of whose events was refused is tried
/// again whole, and the events already taken change nothing the second time (at least once, as Svix delivers).
struct SimulatedEmailCallbackGroupJob: QueueJob {
    static let kind = "sim_email_callbacks"
    /// At most this many events a group: a queue batch of 100 groups posts up to 2,500 events at once.
    static let size = 25
    let events: [SimulatedEmailCallbackJob]

    init(events: [SimulatedEmailCallbackJob]) {
        self.events = events
    }

    init(_ payload: JobPayload) throws(JobPayloadError) {
        let expected = "a non-empty list of [url, svix id, email id, body]"
        guard let items = payload.fields["events"]?.arrayValue, !items.isEmpty else {
            throw JobPayloadError(kind: payload.kind, field: "events", expected: expected)
        }
        var events: [SimulatedEmailCallbackJob] = []
        events.reserveCapacity(items.count)
        for item in items {
            guard let parts = item.arrayValue?.compactMap(\.stringValue), parts.count == 4, !parts.contains(where: \.isEmpty) else {
                throw JobPayloadError(kind: payload.kind, field: "events", expected: expected)
            }
            events.append(SimulatedEmailCallbackJob(url: parts[0], id: parts[1], emailID: parts[2], body: parts[3]))
        }
        self.init(events: events)
    }

    var fields: [String: JSONValue] {
        ["events": .array(events.map { .array([.string($0.url), .string($0.id), .string($0.emailID), .string($0.body)]) })]
    }

    /// The queue messages for `events`, each due after its delay: one event alone is a message of its own
    /// (`SimulatedEmailCallbackJob`), events due together go in groups of `size`.
    static func messages(_ events: [(job: SimulatedEmailCallbackJob, delayMs: Int)]) -> [OutgoingMessage] {
        events.groupedInOrder(by: \.delayMs).flatMap { delay, due in
            stride(from: 0, to: due.count, by: size).map { start in
                let group = due[start..<min(start + size, due.count)].map(\.job)
                let body = group.count == 1 ? group[0].json : SimulatedEmailCallbackGroupJob(events: group).json
                return OutgoingMessage(body: body, delaySeconds: Double(delay) / 1000)
            }
        }
    }
}
