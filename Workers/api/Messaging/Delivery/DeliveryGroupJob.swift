import OzziRuntime

/// Delivery jobs due within the same few milliseconds as one queue message: one write, lease and
/// delete for the lot where each job alone cost all three (a campaign at 10,000 a second fills four
/// groups a window; a bulk send, all due at once, a group per 25 recipients). The engine takes them as
/// the jobs they hold. `DeliveryQueue` makes them, of new jobs and of jobs sent back for later.
struct DeliveryGroupJob: QueueJob, Equatable {
    static let kind = "deliver_group"
    let jobs: [DeliveryJob]

    init(jobs: [DeliveryJob]) {
        self.jobs = jobs
    }

    init(_ payload: JobPayload) throws(JobPayloadError) {
        guard let pairs = payload.fields["messages"]?.arrayValue, !pairs.isEmpty else {
            throw JobPayloadError(kind: payload.kind, field: "messages", expected: "a non-empty list of [message id, version]")
        }
        var jobs: [DeliveryJob] = []
        jobs.reserveCapacity(pairs.count)
        for pair in pairs {
            guard let items = pair.arrayValue, items.count == 2 || items.count == 3, let id = items[0].stringValue, !id.isEmpty,
                  let number = items[1].numberValue, let version = Int(exactly: number),
                  items.count == 2 || items[2] == .bool(true) else {
                throw JobPayloadError(kind: payload.kind, field: "messages", expected: "a non-empty list of [message id, version] or [message id, version, true]")
            }
            jobs.append(DeliveryJob(messageID: id, version: version, reserved: items.count == 3))
        }
        self.init(jobs: jobs)
    }

    var fields: [String: JSONValue] {
        // A job whose rate-limit slot is taken already (sent back for it) carries a third item, `true`.
        ["messages": .array(jobs.map { .array([.string($0.messageID), .number(Double($0.version))] + ($0.reserved ? [.bool(true)] : [])) })]
    }
}
