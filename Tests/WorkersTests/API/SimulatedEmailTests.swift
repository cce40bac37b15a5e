import Foundation
import OzziTestSupport
import Synchronization
import Logging
import Testing
@testable import APIWorker
@testable import OzziRuntime

/// The simulated email provider: real `.eml` in a real bucket, the test addresses' answers and events,
/// and webhooks signed as Resend (Svix) signs them.
@Suite struct SimulatedEmailTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let webhookURL = "https://ozzi.example/api/v1/webhooks/resend"

    /// A queue that keeps what it is given.
    final class RecordingQueue: QueueProducer {
        let sent = Mutex<[OutgoingMessage]>([])
        func sendBatch(_ messages: [OutgoingMessage]) async throws {
            sent.withLock { $0 += messages }
        }

        /// The events queued so far (a group's each), once there are `count`: the provider's flush is a task of
        /// its own, which a busy machine may start late (given up to a minute).
        func jobs(count: Int) async throws -> [(job: SimulatedEmailCallbackJob, delay: Double)] {
            let deadline = ContinuousClock.now + .seconds(60)
            while try queued().count < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(2)) }
            return try queued()
        }

        private func queued() throws -> [(job: SimulatedEmailCallbackJob, delay: Double)] {
            try sent.withLock { $0 }.flatMap { message in
                var fields = message.body.objectValue!
                let kind = fields.removeValue(forKey: "kind")?.stringValue ?? ""
                let events = kind == SimulatedEmailCallbackGroupJob.kind
                    ? try SimulatedEmailCallbackGroupJob(JobPayload(kind: kind, fields: fields)).events
                    : [try SimulatedEmailCallbackJob(JobPayload(kind: kind, fields: fields))]
                return events.map { ($0, message.delaySeconds) }
            }
        }
    }

    struct BrokenBucket: Bucket {
        struct Broken: Error {}
        func put<Chunks: AsyncSequence & Sendable>(_ key: String, chunks: Chunks, options: BucketPutOptions) async throws -> BucketObject
            where Chunks.Element == [UInt8] { throw Broken() }
        func get(_ key: String, range: BucketRange?) async throws -> (BucketObject, [UInt8])? { nil }
        func head(_ key: String) async throws -> BucketObject? { nil }
        func list(_ options: BucketListOptions) async throws -> BucketListResult { throw Broken() }
        func delete(_ keys: [String]) async throws {}
    }

    struct Setup {
        let folder = NSTemporaryDirectory() + "sim-email-\(UUID().uuidString)"
        let queue = RecordingQueue()
        let clock = ManualClock(milliseconds: 1_796_118_564_000)
        let bucket: any Bucket
        let provider: SimulatedEmailProvider

        init(bucket: (any Bucket)? = nil) throws {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            self.bucket = try bucket ?? FileBucket(directory: folder + "/files")
            provider = try SimulatedEmailProvider(bucket: self.bucket, logPath: folder + "/simulated-email.log", webhookSecret: SimulatedEmailTests.secret,
                                                  webhookURL: SimulatedEmailTests.webhookURL, callbacks: queue, clock: clock, deliveryMs: 500)
        }

        var log: [String] {
            ((try? String(contentsOfFile: folder + "/simulated-email.log", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
    }

    static func email(_ id: String, to: String, workspace: String = "ws_a", html: String? = "<p>Hi <a href=\"https://example.com/a?b=1\">there</a></p>") -> OutgoingEmail {
        OutgoingEmail(messageID: id, workspaceID: workspace, from: "Ozzi <news@mail.example.com>", to: to, replyTo: nil, subject: "Hello \(id)",
                      html: html, text: "Hi there", headers: [], tags: [EmailTag(name: "campaign", value: "cmp_1")])
    }

    static func providerID(_ result: SendResult) -> String? {
        if case .accepted(let id) = result { id } else { nil }
    }

    @Test func acceptedEmailsAreKeptAsEmlAndLogged() async throws {
        let setup = try Setup()
        let emails = (0..<3).map { Self.email("msg_\($0)", to: "reader\($0)@example.org", workspace: $0 == 2 ? "ws_b" : "ws_a") }
        let results = await setup.provider.send(emails)
        let ids = results.compactMap(Self.providerID)
        #expect(ids.count == 3 && Set(ids).count == 3)
        #expect(setup.log.sorted() == (0..<3).map { "msg_\($0) \(ids[$0]) reader\($0)@example.org" }.sorted())

        for (index, id) in ids.enumerated() {
            let eml = try #require(try await setup.provider.eml(workspaceID: index == 2 ? "ws_b" : "ws_a", providerID: id))
            #expect(eml == MIMEMessage(email: emails[index], messageIDDomain: "mail.example.com", date: setup.clock.milliseconds,
                                       boundary: Self.boundary(eml)).bytes)
            let json = try await MIMEMessageTests.parsed(eml)
            #expect(json["subject"] as? String == "Hello msg_\(index)")
            #expect(json["message_id"] as? String == "<msg_\(index)@mail.example.com>")
            #expect(MIMEMessageTests.mailbox(json, "to") == ["", "reader\(index)@example.org"])
        }
        // Another workspace's id does not read, nor a made-up one.
        #expect(try await setup.provider.eml(workspaceID: "ws_b", providerID: ids[0]) == nil)
        #expect(try await setup.provider.eml(workspaceID: "ws_a", providerID: "../x-0-1") == nil)

        // The pack is an mbox any mail tool reads: ws_a's holds its two emails.
        let listed = try await setup.bucket.list(BucketListOptions(prefix: "emails/ws_a/"))
        #expect(listed.objects.count == 1 && listed.objects[0].contentType == "application/mbox")
        let script = "import mailbox, sys; print('|'.join(m['Subject'] for m in mailbox.mbox(sys.argv[1])))"
        let path = setup.folder + "/pack.mbox"
        try Data(try #require(try await setup.bucket.get(listed.objects[0].key)).1).write(to: URL(fileURLWithPath: path))
        let output = try await Subprocess.run("/usr/bin/python3", ["-c", script, path])
        #expect(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").sorted() == ["Hello msg_0", "Hello msg_1"])
    }

    static func boundary(_ eml: [UInt8]) -> String {
        let text = String(decoding: eml, as: UTF8.self)
        guard let range = text.range(of: "boundary=\"") else { return "" }
        return String(text[range.upperBound...].prefix { $0 != "\"" })
    }

    @Test func testAddressesAnswerAsDocumented() async throws {
        let setup = try Setup()
        let domain = SimulatedRecipient.domain
        let emails = [Self.email("m_rejected", to: "rejected@\(domain)"), Self.email("m_flaky", to: "Flaky+1@\(domain)"),
                      Self.email("m_throttled", to: "Reader <throttled@\(domain)>"), Self.email("m_ok", to: "ada@example.org")]
        let first = await setup.provider.send(emails)
        #expect(first[0] == .permanent(code: "validation_error", message: "The recipient was rejected (simulated)"))
        #expect(first[1] == .transient(code: "application_error", message: "Internal server error (simulated)", retryAfterSeconds: nil))
        #expect(first[2] == .transient(code: "rate_limit_exceeded", message: "Too many requests (simulated)", retryAfterSeconds: 1))
        #expect(Self.providerID(first[3]) != nil)
        let second = await setup.provider.send(Array(emails[1...2]))
        #expect(Self.providerID(second[0]) == nil && Self.providerID(second[1]) != nil)
        let third = await setup.provider.send([emails[1]])
        #expect(Self.providerID(third[0]) != nil)
        #expect(await setup.provider.send([emails[0]])[0] == first[0], "a rejected address never passes")
        #expect(setup.log.map { $0.split(separator: " ")[0] }.sorted() == ["m_flaky", "m_ok", "m_throttled"])
    }

    @Test func eventsFollowEachAddress() async throws {
        let setup = try Setup()
        let domain = SimulatedRecipient.domain
        let cases: [(String, [String], [Double])] = [
            ("ada@example.org", ["email.delivered"], [0.5]),
            ("bounced@\(domain)", ["email.bounced"], [0.5]),
            ("complained@\(domain)", ["email.delivered", "email.complained"], [0.5, 1]),
            ("delayed@\(domain)", ["email.delivery_delayed", "email.delivered"], [0.5, 1.5]),
            ("engaged@\(domain)", ["email.delivered", "email.opened", "email.clicked"], [0.5, 1, 1.5]),
        ]
        let results = await setup.provider.send(cases.enumerated().map { Self.email("m\($0.offset)", to: $0.element.0) })
        let jobs = try await setup.queue.jobs(count: cases.reduce(0) { $0 + $1.1.count })
        for (index, (address, types, delays)) in cases.enumerated() {
            let id = try #require(Self.providerID(results[index]))
            let mine = jobs.filter { $0.job.data["email_id"]?.stringValue == id }
            #expect(mine.map(\.job.type) == types, "\(address)")
            #expect(mine.map(\.delay) == delays, "\(address)")
            #expect(mine.allSatisfy { $0.job.url == Self.webhookURL && $0.job.data["to"] == .array([.string(address)]) })
            #expect(mine.allSatisfy { $0.job.data["tags"] == .object(["campaign": "cmp_1"]) && $0.job.data["subject"] == .string("Hello m\(index)") })
        }
        #expect(Set(jobs.map(\.job.id)).count == jobs.count, "each event has its own Svix id")
        let bounce = try #require(jobs.first { $0.job.type == "email.bounced" }?.job.data["bounce"]?.objectValue)
        #expect(bounce["type"] == "Permanent")
        let click = try #require(jobs.first { $0.job.type == "email.clicked" }?.job.data["click"]?.objectValue)
        #expect(click["link"] == "https://example.com/a?b=1")
    }

    @Test func noLinkNoClick() async throws {
        let setup = try Setup()
        _ = await setup.provider.send([Self.email("m", to: "engaged@\(SimulatedRecipient.domain)", html: nil)])
        let jobs = try await setup.queue.jobs(count: 2)
        #expect(jobs.map(\.job.type) == ["email.delivered", "email.opened"])
    }

    @Test func webhooksAreSignedWhenSent() async throws {
        let setup = try Setup()
        _ = await setup.provider.send([Self.email("m", to: "ada@example.org")])
        let job = try await setup.queue.jobs(count: 1)[0].job
        setup.clock.advance(byMilliseconds: 500)
        let request = setup.provider.callbackRequest(job)
        #expect(request.method == "POST" && request.path == "/api/v1/webhooks/resend")
        #expect(request.headers["content-type"] == "application/json")
        let id = try #require(request.headers["svix-id"])
        let timestamp = try #require(request.headers["svix-timestamp"].flatMap { Int64($0) })
        #expect(id == job.id && timestamp == setup.clock.seconds)
        let signature = try #require(request.headers["svix-signature"])
        #expect(WebhookSignature.verify(secret: Self.secret, id: id, timestamp: timestamp, body: request.body, header: signature, now: setup.clock.seconds))
        #expect(!WebhookSignature.verify(secret: WebhookSignature.newSecret(), id: id, timestamp: timestamp, body: request.body, header: signature, now: setup.clock.seconds))
        let body = try JSONValue(jsonBytes: request.body)
        #expect(body["type"] == "email.delivered")
        #expect(body["created_at"] == .string(Timestamp.now(setup.clock)))
        #expect(body["data"]?["email_id"] == job.data["email_id"])
        #expect(body["data"]?["from"] == "Ozzi <news@mail.example.com>")

        // A refused webhook throws, so the queue tries it again; a 2xx does not.
        try await setup.provider.deliver(job) { _ in Response(status: 200) }
        await #expect(throws: SimulatedEmailProvider.CallbackRefused.self) {
            try await setup.provider.deliver(job) { _ in Response(status: 404) }
        }
    }

    /// Events due together are one queue message, each still posted on its own; the message is taken when
    /// every event was, and tried again whole when one was refused.
    @Test func eventsDueTogetherAreOneQueueMessage() async throws {
        let setup = try Setup()
        let domain = SimulatedRecipient.domain
        _ = await setup.provider.send((0..<30).map { Self.email("m\($0)", to: "reader\($0)@example.org") } + [Self.email("e", to: "engaged@\(domain)")])
        _ = try await setup.queue.jobs(count: 33)
        let messages = setup.queue.sent.withLock { $0 }
        // 31 delivered events at 0.5 s (groups of 25 and 6), then the engaged reader's opened and clicked alone.
        #expect(messages.map(\.delaySeconds) == [0.5, 0.5, 1, 1.5])
        #expect(messages.map { $0.body["kind"]?.stringValue } == ["sim_email_callbacks", "sim_email_callbacks", "sim_email_callback", "sim_email_callback"])
        let groups = try messages.prefix(2).map { message in
            var fields = try #require(message.body.objectValue)
            fields["kind"] = nil
            return try SimulatedEmailCallbackGroupJob(JobPayload(kind: SimulatedEmailCallbackGroupJob.kind, fields: fields))
        }
        #expect(groups.map(\.events.count) == [25, 6])
        #expect(try SimulatedEmailCallbackGroupJob(JobPayload(kind: SimulatedEmailCallbackGroupJob.kind, fields: groups[1].fields)).events.map(\.body)
                == groups[1].events.map(\.body))
        for bad: JSONValue in [[], ["x"], [["u", "i", "e"]], [["u", "i", "e", ""]], [["u", "i", "e", 1]]] {
            #expect(throws: JobPayloadError.self, "\(bad)") {
                try SimulatedEmailCallbackGroupJob(JobPayload(kind: SimulatedEmailCallbackGroupJob.kind, fields: ["events": bad]))
            }
        }

        let loops = try EventLoopGroup(count: 1)
        loops.start()
        defer { loops.shutdown() }
        let refusing = groups[1].events[2].id
        let posted = Mutex<[String]>([])
        let context = JobContext(request: RequestContext(requestID: "sim", worker: "api", loop: loops.loops[0], logger: Logger(label: "sim"))) { request in
            let id = request.headers["svix-id"] ?? ""
            posted.withLock { $0.append(id) }
            return Response(status: id == refusing ? 404 : 204)
        }
        let outcome = BatchOutcome()
        let batch = groups.enumerated().map { index, group in
            (job: group, message: QueueMessage(id: "q\(index)", timestamp: Date(), body: group.json, attempts: 1, outcome: outcome))
        }
        await setup.provider.deliver(batch, context: context)
        #expect(Set(posted.withLock { $0 }) == Set(groups.flatMap(\.events).map(\.id)), "every event posted, each once")
        #expect(posted.withLock { $0 }.count == 31)
        #expect(outcome.all == ["q0": .ack, "q1": .retry(delaySeconds: nil)])
    }

    @Test func aFailedStoreIsATransientFailure() async throws {
        let setup = try Setup(bucket: BrokenBucket())
        let results = await setup.provider.send([Self.email("m", to: "ada@example.org")])
        guard case .transient(let code, _, _) = results[0] else {
            Issue.record("expected a transient failure, got \(results[0])")
            return
        }
        #expect(code == "application_error")
        #expect(setup.log.isEmpty)
        #expect(setup.queue.sent.withLock { $0.isEmpty })
    }

    @Test func recipientsParse() {
        #expect(SimulatedRecipient(address: "BOUNCED@Simulator.Ozzi.Test") == .bounced)
        #expect(SimulatedRecipient(address: "bounced+a+b@simulator.ozzi.test") == .bounced)
        #expect(SimulatedRecipient(address: "bounced@example.com") == .delivered)
        #expect(SimulatedRecipient(address: "unknown@simulator.ozzi.test") == .delivered)
    }

    @Test func mboxDatesAreAsctime() {
        #expect(MailDate.asctime(milliseconds: MIMEMessageTests.date) == "Tue Dec  1 09:49:24 2026")
        #expect(MailDate.asctime(milliseconds: 951_782_400_000) == "Tue Feb 29 00:00:00 2000")
    }
}
