import Logging
import OzziRuntime

/// What each ended call cost. Twilio's status callbacks carry no price, and the call resource has one only
/// some time after the end: the job asks, and asks again later while Twilio has none, up to `maxAttempts`.
/// The simulated provider charges Twilio's US rate by the started minute of an answered call.
struct CallPricing: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let calls: CallStore
    let settings: SMSSettingsStore
    let providers: SMSProviders
    let logger: Logger

    static let maxAttempts = 8
    /// Between asks while Twilio has not priced the call: a minute, doubling.
    static let retryBaseSeconds = 60.0
    /// The simulated provider's price per started minute, in millionths of a dollar ($0.014).
    static let simulatedMicrosPerMinute: Int64 = 14_000

    private struct Unpriceable: Error {}

    func run(_ job: CallPriceJob, _ message: QueueMessage) async {
        do {
            guard let call = try await calls.byID(job.callID), call.ended_at != nil, call.price_micros == nil else { return message.ack() }
            guard let price = try await price(call) else {
                guard message.attempts < Self.maxAttempts else {
                    logger.warning("Twilio never priced the call", metadata: ["call_id": "\(call.id)"])
                    return message.ack()
                }
                return message.retry(delaySeconds: Self.retryBaseSeconds * Double(1 << min(message.attempts - 1, 6)))
            }
            try await store(call, price)
            message.ack()
        } catch is Unpriceable {
            logger.info("the call's Twilio account is no longer the workspace's: its price stays unknown", metadata: ["call_id": "\(job.callID)"])
            message.ack()
        } catch {
            logger.warning("call price lookup failed", metadata: ["call_id": "\(job.callID)", "attempt": "\(message.attempts)", "error": "\(error)"])
            if message.attempts < Self.maxAttempts { message.retry(delaySeconds: Self.retryBaseSeconds) } else { message.ack() }
        }
    }

    private func price(_ call: Call) async throws -> (micros: Int64, unit: String)? {
        if call.account_sid == SimulatedSMSProvider.accountSid {
            let minutes = call.answered_at == nil ? 0 : (Int64(call.duration_seconds ?? 0) + 59) / 60
            return (minutes * Self.simulatedMicrosPerMinute, "USD")
        }
        // The account the call was made on, while the workspace still sends with it (its token is needed).
        guard let account = providers.twilioAccount(try await settings.get(call.scope)), account.accountSid == call.account_sid else {
            throw Unpriceable()
        }
        return try await TwilioCallsClient(account: account).price(callSid: call.call_sid)
    }

    private func store(_ call: Call, _ price: (micros: Int64, unit: String)) async throws {
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            _ = try CallStore.changing(tx, call.id) {
                try tx.run("UPDATE calls SET price_micros = ?, price_unit = ?, updated_at = ? WHERE id = ? AND price_micros IS NULL",
                           price.micros, price.unit, now, call.id)
            }
            try WorkspaceEvents.record(tx, [(call.scope, "call.priced", CallStore.event(call.id, [
                "price": .number(Double(price.micros) / 1_000_000), "price_unit": .string(price.unit),
            ]))], at: now)
        }
    }
}
