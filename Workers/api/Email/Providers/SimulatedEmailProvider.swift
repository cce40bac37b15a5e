import OzziRuntime

/// The offline default email provider. Every email it accepts is kept as a real RFC 5322 message (the
/// `MIMEMessage` an SMTP server would receive) in the `FILES` bucket, written before it answers, as a
/// provider commits before its 200; its events come back as Resend's Svix-signed webhooks, through the
/// route a real Resend account calls.
///
/// Storage: the emails of one call and workspace are one mbox object, `emails/<workspace id>/<pack>.mbox`
/// (one object per email would cost a file, an fsync and an index row each: 250 µs where the whole send
/// has 200). Each email's provider id, `<pack>-<offset>-<length>`, locates its `.eml` inside it, which
/// `eml(workspaceID:providerID:)` reads back with a ranged get. Each accepted send is also a line of
/// `simulated-email.log` (`<message id> <provider id> <to>`), so a test can count sends per message
/// after a kill -9.
///
/// Test addresses (at `simulator.ozzi.test`, each may carry a `+label`, e.g. `bounced+7@simulator.ozzi.test`):
/// - `bounced@` accepted, then `email.bounced` (hard bounce, type `Permanent`)
/// - `complained@` delivered, then `email.complained`
/// - `delayed@` `email.delivery_delayed`, then delivered
/// - `rejected@` refused: permanent failure (422 `validation_error`)
/// - `flaky@` 500 `application_error` on the first two attempts, then accepted
/// - `throttled@` 429 `rate_limit_exceeded` with `retry-after: 1` on the first attempt, then accepted
/// - `engaged@` delivered, then `email.opened` and `email.clicked` (the email's first link)
/// - anything else: `email.delivered` after `deliveryMs`
/// Events come `deliveryMs` apart, only those of `ResendEvent.subscribed` (no `email.sent`); the system's
/// account email, `SystemEmailSender.workspaceID`, reports none.
final class SimulatedEmailProvider: EmailProvider {
    let name = "simulated"
    let maxBatch = 100
    /// Signs the webhooks (`whsec_...`); the Resend route checks them.
    let webhookSecret: String
    private let bucket: any Bucket
    private let outbox: SimulatedOutbox
    private let webhookURL: String
    private let clock: any WallClock
    private let deliveryMs: Int

    init(bucket: any Bucket, logPath: String, webhookSecret: String, webhookURL: String, callbacks: any QueueProducer,
         clock: any WallClock, deliveryMs: Int, haltAfter: Int? = nil) throws {
        self.bucket = bucket
        outbox = try SimulatedOutbox(logPath: logPath, callbacks: callbacks, haltAfter: haltAfter)
        self.webhookSecret = webhookSecret
        self.webhookURL = webhookURL
        self.clock = clock
        self.deliveryMs = deliveryMs
    }

    /// The bucket key of a pack of emails.
    static func packKey(workspaceID: String, pack: String) -> String {
        "emails/\(workspaceID)/\(pack).mbox"
    }

    func send(_ emails: [OutgoingEmail]) async -> [SendResult] {
        let now = clock.milliseconds
        var results = [SendResult](repeating: .permanent(code: "internal", message: "not sent"), count: emails.count)
        var packs: [String: EmailPack] = [:]
        for (index, email) in emails.enumerated() {
            let recipient = SimulatedRecipient(address: MailAddress(parsing: email.to).address)
            if let failure = recipient.failure(attempt: recipient.countsAttempts ? outbox.attempt(email.messageID) : 1) {
                results[index] = failure
                continue
            }
            packs[email.workspaceID, default: EmailPack()].add(index, email, date: now)
        }
        for (workspaceID, pack) in packs {
            await outbox.admit(pack.emails.count)
            do {
                try await bucket.put(Self.packKey(workspaceID: workspaceID, pack: pack.id), pack.bytes, options: BucketPutOptions(contentType: "application/mbox"))
            } catch {
                for (index, _) in pack.emails { results[index] = .transient(code: "application_error", message: "The simulated store failed: \(error)", retryAfterSeconds: nil) }
                continue
            }
            outbox.record(pack.emails.map { (emails[$0.index].messageID, $0.providerID, emails[$0.index].to) })
            // The system's account email has no message for an event to move: its webhooks would only be
            // refused (404) and retried, holding up the deliveries that share their batch.
            guard workspaceID != SystemEmailSender.workspaceID else {
                for (index, providerID) in pack.emails { results[index] = .accepted(providerID: providerID) }
                continue
            }
            var callbacks: [(job: SimulatedEmailCallbackJob, delayMs: Int)] = []
            callbacks.reserveCapacity(pack.emails.count)
            for (index, providerID) in pack.emails {
                results[index] = .accepted(providerID: providerID)
                callbacks += events(emails[index], providerID: providerID, sentAt: now)
            }
            outbox.queue(SimulatedEmailCallbackGroupJob.messages(callbacks))
        }
        return results
    }

    /// The `.eml` of an email this provider accepted for `workspaceID`, by its provider id; nil if none.
    func eml(workspaceID: String, providerID: String) async throws -> [UInt8]? {
        let parts = providerID.split(separator: "-")
        guard parts.count == 3, parts[0].utf8.count == 24, parts[0].utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }),
              let offset = Int(parts[1]), let length = Int(parts[2]), offset >= 0, length > 0 else { return nil }
        return try await bucket.get(Self.packKey(workspaceID: workspaceID, pack: String(parts[0])), range: .offset(offset, length: length))?.1
    }

    /// The queued webhooks for an accepted email, as Resend reports them.
    private func events(_ email: OutgoingEmail, providerID: String, sentAt: Int64) -> [(job: SimulatedEmailCallbackJob, delayMs: Int)] {
        var data: [String: JSONValue] = [
            "email_id": .string(providerID), "from": .string(email.from), "to": .array([.string(email.to)]),
            "subject": .string(email.subject), "created_at": .string(Timestamp.at(milliseconds: sentAt)),
        ]
        if !email.tags.isEmpty { data["tags"] = .object(Dictionary(email.tags.map { ($0.name, .string($0.value)) }, uniquingKeysWith: { _, last in last })) }
        let link = Self.firstLink(email)
        return SimulatedRecipient(address: MailAddress(parsing: email.to).address).events(deliveryMs: deliveryMs).compactMap { type, delay in
            var data = data
            switch type {
            case "email.bounced":
                data["bounce"] = ["type": "Permanent", "subType": "General",
                                  "message": "The recipient's mail server permanently rejected the email (simulated)."]
            case "email.clicked":
                guard let link else { return nil }
                data["click"] = ["link": .string(link), "ipAddress": "192.0.2.1", "userAgent": "Mozilla/5.0 (simulated)",
                                 "timestamp": .string(Timestamp.at(milliseconds: sentAt + Int64(delay)))]
            default:
                break
            }
            return (SimulatedEmailCallbackJob(url: webhookURL, id: "msg_" + Crypto.hex(Crypto.randomBytes(12)), type: type, data: data,
                                              at: sentAt + Int64(delay)), delay)
        }
    }

    /// The first `http(s)` link of the email (its HTML's, else its text's): what the simulated reader clicks.
    private static func firstLink(_ email: OutgoingEmail) -> String? {
        for source in [email.html ?? "", email.text] {
            let bytes = Array(source.utf8)
            guard let start = find(Array("https://".utf8), in: bytes) ?? find(Array("http://".utf8), in: bytes) else { continue }
            let end = bytes[start...].firstIndex { byte in
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: "\""), UInt8(ascii: "'"),
                     UInt8(ascii: "<"), UInt8(ascii: ">"): true
                default: false
                }
            } ?? bytes.count
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
        return nil
    }

    /// Where `needle` first starts in `bytes` (a byte search: Foundation's `range(of:)` compared Characters).
    private static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        return (0...(bytes.count - needle.count)).first { at in bytes[at] == needle[0] && bytes[at..<(at + needle.count)].elementsEqual(needle) }
    }

    /// The Svix-signed POST a webhook job becomes, for the api worker's own router, signed now.
    func callbackRequest(_ job: SimulatedEmailCallbackJob) -> Request {
        let body = Array(job.body.utf8)
        let timestamp = clock.seconds
        return SimulatedOutbox.request(url: job.url, headers: [
            "content-type": "application/json",
            "svix-id": job.id,
            "svix-timestamp": "\(timestamp)",
            "svix-signature": WebhookSignature.sign(secret: webhookSecret, id: job.id, timestamp: timestamp, body: body) ?? "",
        ], body: body)
    }

    /// Posts a webhook job through the router; a refusal throws so the queue tries again later, as Svix
    /// retries an endpoint that did not answer 2xx (an event can overtake the engine's record of the send).
    func deliver(_ job: SimulatedEmailCallbackJob, fetch: @Sendable (Request) async throws -> Response) async throws {
        let response = try await fetch(callbackRequest(job))
        guard (200..<300).contains(response.status) else { throw CallbackRefused(status: response.status, type: job.type) }
    }

    /// A queue batch's groups of webhooks: the events posted together (their writes share transactions), each
    /// email's in order. A group whose events were all taken is acknowledged; one with a refusal is tried again
    /// whole, as the queue tries a single event again.
    func deliver(_ groups: [(job: SimulatedEmailCallbackGroupJob, message: QueueMessage)], context: JobContext) async {
        let byEmail = groups.enumerated().flatMap { index, group in group.job.events.map { (group: index, job: $0) } }
            .groupedInOrder(by: \.job.emailID)
        let refused = await withTaskGroup(of: [(group: Int, error: String)].self) { tasks in
            var refused: [Int: String] = [:]
            func collect(_ failures: [(group: Int, error: String)]) {
                for failure in failures where refused[failure.group] == nil { refused[failure.group] = failure.error }
            }
            for (started, (_, sequence)) in byEmail.enumerated() {
                // At most `concurrentPosts` emails' events in flight: a batch of full groups is 2,500 requests,
                // whose bodies held at once grew a 20,000-email campaign's RSS past 50 MB.
                if started >= Self.concurrentPosts, let failures = await tasks.next() { collect(failures) }
                tasks.addTask {
                    var failures: [(group: Int, error: String)] = []
                    for (group, job) in sequence {
                        do {
                            try await self.deliver(job, fetch: context.fetch)
                        } catch {
                            failures.append((group, "\(error)"))
                        }
                    }
                    return failures
                }
            }
            for await failures in tasks { collect(failures) }
            return refused
        }
        for (index, group) in groups.enumerated() {
            guard let error = refused[index] else {
                group.message.ack()
                continue
            }
            context.request.logger.warning("queue job failed; it will be retried", metadata: [
                "kind": "\(SimulatedEmailCallbackGroupJob.kind)", "message_id": "\(group.message.id)", "error": "\(error)",
            ])
            group.message.retry()
        }
    }

    /// At most this many emails' webhooks in flight at once, per queue batch.
    static let concurrentPosts = 500

    struct CallbackRefused: Error, CustomStringConvertible {
        let status: Int
        let type: String
        var description: String { "the simulated \(type) webhook was answered \(status)" }
    }
}
