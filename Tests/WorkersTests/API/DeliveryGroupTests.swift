import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// Delivery jobs due within the same window go as one queue message: a group reads back as its jobs,
/// and a bulk send queues a message per group of 25, not per recipient, each of them still sent once.
@Suite struct DeliveryGroupTests {
    @Test func aGroupReadsBackAsItsJobs() throws {
        let group = DeliveryGroupJob(jobs: [DeliveryJob(messageID: "msg_a", version: 1), DeliveryJob(messageID: "msg_b", version: 3)])
        var fields = try #require(group.json.objectValue)
        #expect(fields.removeValue(forKey: "kind") == .string("deliver_group"))
        #expect(try DeliveryGroupJob(JobPayload(kind: DeliveryGroupJob.kind, fields: fields)) == group)
        let reserved = DeliveryGroupJob(jobs: [DeliveryJob(messageID: "msg_a", version: 1, reserved: true), DeliveryJob(messageID: "msg_b", version: 3)])
        #expect(reserved.fields["messages"] == [["msg_a", 1, true], ["msg_b", 3]], "a job with its rate slot taken says so")
        #expect(try DeliveryGroupJob(JobPayload(kind: DeliveryGroupJob.kind, fields: reserved.fields)) == reserved)
        for bad: JSONValue in [[], [["msg_a"]], [["msg_a", 1.5]], [["", 1]], "msg_a", [["msg_a", 1, false]], [["msg_a", 1, "yes"]], [["msg_a", 1, true, 4]]] {
            #expect(throws: JobPayloadError.self, "\(bad)") { try DeliveryGroupJob(JobPayload(kind: DeliveryGroupJob.kind, fields: ["messages": bad])) }
        }
    }

    /// Jobs sent back for later go as groups too, each due when its last job is, the rate slots they took
    /// kept: 60 jobs of a batch held back 250 ms (their account far behind) are three queue messages.
    @Test func jobsSentBackForLaterGoAsGroups() async throws {
        let folder = NSTemporaryDirectory() + "ozzi-later-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clock = ManualClock(milliseconds: 1_800_000_000_000)
        let sent = SentMessages()
        let queue = DeliveryQueue(queue: sent, messages: MessageStore(database: try SQLiteDatabase(path: folder + "/api.sqlite"), clock: clock), clock: clock)
        let held = (0..<60).map { (job: DeliveryJob(messageID: "msg_\($0)", version: 1, reserved: $0 % 2 == 0), byMs: Int64(250)) }
        try await queue.later(held)
        #expect(sent.all.map(\.delaySeconds) == [0.25, 0.25, 0.25])
        let jobs = try sent.all.flatMap { try DeliveryGroupJob(JobPayload(kind: DeliveryGroupJob.kind, fields: try #require($0.body.objectValue))).jobs }
        #expect(jobs == held.map(\.job), "every job once, in order, its reservation kept")

        // Rate slots a few ms apart: a group per 10 ms window, due at its last slot; a lone job goes as itself.
        sent.clear()
        try await queue.later([2, 6, 10, 14, 22].enumerated().map { (DeliveryJob(messageID: "msg_r\($0.offset)", version: 2, reserved: true), Int64($0.element)) })
        #expect(sent.all.map(\.delaySeconds) == [0.006, 0.014, 0.022], "\(sent.all.map(\.body))")
        #expect(sent.all.last?.body["kind"] == "deliver" && sent.all.last?.body["reserved"] == true)
    }

    /// A queue producer that keeps what it is given.
    final class SentMessages: QueueProducer, @unchecked Sendable {
        private let lock = NSLock()
        private var messages: [OutgoingMessage] = []
        var all: [OutgoingMessage] { lock.withLock { messages } }
        func clear() { lock.withLock { messages = [] } }
        func sendBatch(_ batch: [OutgoingMessage]) async throws { lock.withLock { messages += batch } }
    }

    @Test func aBulkSendQueuesAMessagePerGroup() async throws {
        let campaigns = CampaignTests()
        let w = try await campaigns.world()
        defer { Task { await w.api.stop() } }
        let ids = try await campaigns.importContacts(w, 250)
        let before = try await w.api.host.queues.depth("api-delivery")
        let later = SQLDate.format(Date().addingTimeInterval(86_400))
        let scheduled = try await w.api.call("POST", "/api/v1/messages", json: [
            "contact_ids": .array(ids.map(JSONValue.string)), "body": "Hi {{first_name}}", "scheduled_at": .string(later),
        ], token: w.token)
        #expect(scheduled["scheduled"] == 250, "\(scheduled.body)")
        #expect(try await w.api.host.queues.depth("api-delivery") - before == 10, "250 jobs due at once: groups of \(DeliveryQueue.groupSize)")
        let database = try await w.api.database("api")
        #expect(try await database.prepare("SELECT count(*) AS n FROM messages WHERE enqueued = 1").first()?.integer("n") == 250)

        // Due now, each recipient gets one message.
        let now = try await w.api.call("POST", "/api/v1/messages", json: ["contact_ids": .array(ids.map(JSONValue.string)), "body": "Now"], token: w.token)
        let sentNow = (now["ids"]?.arrayValue ?? []).compactMap { $0.stringValue }
        #expect(sentNow.count == 250, "\(now.body)")
        #expect(try await Poll.until(timeout: .seconds(120)) {
            try await database.prepare("SELECT count(*) AS n FROM messages WHERE status IN ('sent', 'delivered') AND body = 'Now'").first()?.integer("n") == 250
        })
        let logged = campaigns.sends(w.api).map { String($0[0]) }.filter(Set(sentNow).contains)
        #expect(logged.count == 250 && Set(logged).count == 250)
    }
}
