import OzziRuntime

/// The offline default: a provider with deterministic outcomes chosen by the number, a durable record of
/// every message it accepted (`simulated-sms.log` in the worker's data folder, one line per send, so a
/// test can count sends per message after a crash), and delivery callbacks that come back, signed like
/// Twilio's, through the status-callback route a real provider uses.
///
/// Test numbers (documented in the README):
/// - `+15005550001` invalid number: permanent failure 21211
/// - `+15005550004` unsubscribed: permanent failure 21610
/// - `+15005550002` transient failure (503) on its first two attempts, then accepted
/// - `+15005550003` always transient (503): fails once retries are exhausted
/// - `+15005550006` 429 with `Retry-After: 1` on its first attempt, then accepted
/// - `+15005550008` slow delivery: `delivered` after `slowDeliveryMs`
/// - `+15005550009` accepted, then `undelivered` (30003)
/// - anything else: accepted, `delivered` after `deliveryMs`
final class SimulatedSMSProvider: SMSProvider {
    static let accountSid = "AC00000000000000000000000000000000"
    let name = "simulated"
    /// Signs the simulated callbacks; the status route checks them like Twilio's.
    let authToken: String
    private let outbox: SimulatedOutbox
    private let deliveryMs: Int
    private let slowDeliveryMs: Int
    /// How long the simulated API takes to answer (half before it records a send, half after), as a
    /// real provider's round trip does; 0 by default.
    private let latencyMs: Int

    init(logPath: String, authToken: String, callbacks: any QueueProducer, deliveryMs: Int, slowDeliveryMs: Int, latencyMs: Int = 0,
         haltAfter: Int? = nil) throws {
        outbox = try SimulatedOutbox(logPath: logPath, callbacks: callbacks, haltAfter: haltAfter)
        self.authToken = authToken
        self.deliveryMs = deliveryMs
        self.slowDeliveryMs = slowDeliveryMs
        self.latencyMs = latencyMs
    }

    func send(_ sms: OutgoingSMS) async -> SendResult {
        let attempt = outbox.attempt(sms.messageID)
        switch sms.to {
        case "+15005550001": return .permanent(code: "21211", message: "The 'To' number \(sms.to) is not a valid phone number.")
        case "+15005550004": return .permanent(code: "21610", message: "Attempt to send to unsubscribed recipient")
        case "+15005550002" where attempt <= 2, "+15005550003":
            return .transient(code: "503", message: "Service Unavailable (simulated)", retryAfterSeconds: nil)
        case "+15005550006" where attempt == 1:
            return .transient(code: "20429", message: "Too Many Requests (simulated)", retryAfterSeconds: 1)
        default:
            break
        }
        if latencyMs > 0 { try? await Task.sleep(for: .milliseconds(latencyMs / 2)) }
        await outbox.admit(1)
        let providerID = "SM" + Crypto.hex(Crypto.randomBytes(16))
        // The record is written before answering, as a provider commits before its 201: a send the host
        // never heard about (killed mid-call) is still counted.
        outbox.record([(sms.messageID, providerID, sms.to)])
        let (status, delay, errorCode): (String, Int, String?) = switch sms.to {
        case "+15005550008": ("delivered", slowDeliveryMs, nil)
        case "+15005550009": ("undelivered", deliveryMs, "30003")
        default: ("delivered", deliveryMs, nil)
        }
        var form = ["MessageSid": providerID, "MessageStatus": status, "AccountSid": Self.accountSid, "To": sms.to, "From": sms.from ?? ""]
        if let errorCode { form["ErrorCode"] = errorCode }
        outbox.queue([OutgoingMessage(body: SimulatedCallbackJob(url: sms.statusCallback, form: form).json, delaySeconds: Double(delay) / 1000)])
        if latencyMs > 0 { try? await Task.sleep(for: .milliseconds(latencyMs - latencyMs / 2)) }
        return .accepted(providerID: providerID)
    }

    /// The signed form POST a simulated callback job becomes, for the api worker's own router.
    func callbackRequest(_ job: SimulatedCallbackJob) -> Request {
        let pairs = job.form.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 }
        return SimulatedOutbox.request(url: job.url, headers: [
            "content-type": "application/x-www-form-urlencoded",
            "x-twilio-signature": TwilioSignature.sign(url: job.url, parameters: pairs, authToken: authToken),
        ], body: Array(FormEncoding.encode(pairs).utf8))
    }
}
