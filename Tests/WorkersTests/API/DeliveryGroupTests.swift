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
        for bad: JSONValue in [[], [["msg_a"]], [["msg_a", 1.5]], [["", 1]], "msg_a"] {
            #expect(throws: JobPayloadError.self, "\(bad)") { try DeliveryGroupJob(JobPayload(kind: DeliveryGroupJob.kind, fields: ["messages": bad])) }
        }
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
