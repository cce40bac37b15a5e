@testable import APIWorker
import OzziRuntime
import Testing

/// Every queue payload is a type: what it writes reads back the same, and a body that does not read as
/// its kind names the field that is wrong.
@Suite struct QueueJobTests {
    func payload(_ job: some QueueJob) -> JobPayload {
        JobPayload(kind: type(of: job).kind, fields: job.json.objectValue ?? [:])
    }

    @Test func jobsReadBackWhatTheyWrite() throws {
        let delivery = DeliveryJob(messageID: "msg_1", version: 3, reserved: true)
        #expect(try DeliveryJob(payload(delivery)) == delivery)
        #expect(delivery.json["kind"] == "deliver")
        #expect(try DeliveryJob(payload(DeliveryJob(messageID: "msg_2", version: 1))).reserved == false)
        let imported = try ContactImportJob(payload(ContactImportJob(importID: "imp_1", workspaceID: "ws_1")))
        #expect(imported.importID == "imp_1" && imported.workspaceID == "ws_1")
        #expect(try WebhookDeliveryJob(payload(WebhookDeliveryJob(deliveryID: "whd_1"))).deliveryID == "whd_1")
        let callback = try SimulatedCallbackJob(payload(SimulatedCallbackJob(url: "http://x/cb", form: ["MessageSid": "SM1"])))
        #expect(callback.url == "http://x/cb" && callback.form == ["MessageSid": "SM1"])
    }

    /// The error reading `fields` as a `Job` gives, or nil when they read.
    func error<Job: QueueJob>(_ type: Job.Type, _ fields: [String: JSONValue]) -> String? {
        do throws(JobPayloadError) {
            _ = try Job(JobPayload(kind: Job.kind, fields: fields))
            return nil
        } catch {
            return error.description
        }
    }

    @Test func aBodyThatDoesNotReadNamesTheField() {
        #expect(error(ContactImportJob.self, ["workspace_id": "ws_1"]) == "contact_import job: import_id must be a non-empty string")
        #expect(error(DeliveryJob.self, ["message_id": "m", "version": "2"]) == "deliver job: version must be an integer")
        #expect(error(DeliveryJob.self, ["message_id": "m", "version": 1.5]) == "deliver job: version must be an integer")
        #expect(error(DeliveryJob.self, ["message_id": "", "version": 1]) == "deliver job: message_id must be a non-empty string")
        #expect(error(DeliveryJob.self, ["message_id": "m", "version": 1, "reserved": "yes"]) == "deliver job: reserved must be a boolean")
        #expect(error(DeliveryJob.self, ["message_id": "m", "version": 1]) == nil)
        #expect(error(SimulatedCallbackJob.self, ["url": "u", "fields": ["To": 5]]) == "sim_callback job: fields.To must be a string")
    }

    /// A form workflow message carries the submissions a transaction stored together; one queued before
    /// (one `submission_id`) still reads.
    @Test func formWorkflowMessagesCarryManySubmissions() throws {
        let job = FormWorkflowJob(submissionIDs: ["fsb_1", "fsb_2"])
        #expect(try FormWorkflowJob(payload(job)) == job)
        #expect(try FormWorkflowJob(JobPayload(kind: FormWorkflowJob.kind, fields: ["submission_id": "fsb_9"])).submissionIDs == ["fsb_9"])
        #expect(error(FormWorkflowJob.self, ["submission_ids": []]) == "form_workflow job: submission_ids must be a non-empty array of ids")
        #expect(error(FormWorkflowJob.self, ["submission_ids": ["fsb_1", 2]]) == "form_workflow job: submission_ids must be an array of non-empty strings")
        #expect(error(FormWorkflowJob.self, [:]) == "form_workflow job: submission_id must be a non-empty string")
        let ids = (0..<201).map { "fsb_\($0)" }
        let messages = FormWorkflowJob.messages(ids, delaySeconds: 20)
        #expect(messages.map { $0.body["submission_ids"]?.arrayValue?.count } == [100, 100, 1] && messages.allSatisfy { $0.delaySeconds == 20 })
        #expect(try FormWorkflowJob(JobPayload(kind: FormWorkflowJob.kind, fields: ["submission_ids": .array(ids.map { .string($0) })])).submissionIDs == ids,
                "a message holding more than this build writes still reads")
        #expect(messages.flatMap { $0.body["submission_ids"]?.arrayValue ?? [] }.compactMap(\.stringValue) == ids)
    }
}
