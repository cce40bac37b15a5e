import OzziRuntime

/// One attempt at one webhook delivery, on the `WEBHOOKS` queue.
struct WebhookDeliveryJob: QueueJob {
    static let kind = "webhook"
    let deliveryID: String

    init(deliveryID: String) {
        self.deliveryID = deliveryID
    }

    init(_ payload: JobPayload) throws(JobPayloadError) {
        self.init(deliveryID: try payload.string("delivery_id"))
    }

    var fields: [String: JSONValue] { ["delivery_id": .string(deliveryID)] }
}
