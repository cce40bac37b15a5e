/// An SMS provider behind one call: hand over a message, learn whether it was taken.
protocol SMSProvider: Sendable {
    /// Recorded on each attempt (`simulated`, `twilio`).
    var name: String { get }
    func send(_ sms: OutgoingSMS) async -> SendResult
}

struct OutgoingSMS: Sendable, Equatable {
    let messageID: String
    let to: String
    /// A sender number, or nil when a messaging service picks one.
    let from: String?
    let messagingServiceSid: String?
    let body: String
    /// Where the provider reports status changes (our `/api/v1/webhooks/twilio/status`).
    let statusCallback: String
}
