import OzziRuntime

/// Calls on the simulated provider: the voice-agent worker plays each against its own routes as Twilio
/// would, every request signed with the simulated account's token. An outbound call (the number calls
/// someone), or a test call into a number from a simulated phone, which a team uses to try its agent
/// before it has a Twilio account.
struct SimulatedCalls: Sendable {
    let numbers: VoiceNumberStore
    let calls: CallStore
    let settings: SMSSettingsStore
    let providers: SMSProviders
    let voice: ServiceBinding
    /// Where the voice-agent worker is mounted (`VOICE_URL`).
    let voiceURL: String
    let clock: any WallClock
    let defaultCountry: String

    static let testCallSchema = Schema.object([
        .optional("from", Schema.string(min: 1, max: 40, format: "phone").example("+12025550143").described("The simulated caller's number")),
        .optional("script", Schema.array(Schema.text(max: 500), max: 20).example(["Hello?", "What are your opening hours?", "Thank you, goodbye"])
            .described("What the caller says, turn by turn")),
    ], closed: true)

    static let defaultCaller = "+12025550111"

    /// A new simulated call's sid.
    static func callSid() -> String {
        "CA" + Crypto.hex(Crypto.randomBytes(16))
    }

    /// The simulated caller's (or callee's) lines from a body's `script`.
    static func script(_ body: JSONBody) throws -> [String] {
        guard let lines = body.fields["script"], lines != .null else { return [] }
        guard case .array(let items) = lines, items.count <= 20, items.allSatisfy({ ($0.stringValue?.count ?? 0) > 0 && ($0.stringValue?.count ?? 0) <= 500 }) else {
            throw APIError.invalidField("script", "must be an array of at most 20 lines of 1-500 characters")
        }
        return items.compactMap(\.stringValue)
    }

    /// Starts playing `call` (already recorded); a call the worker could not start is marked failed.
    func play(_ call: Call, script: [String]) async throws {
        let simulation: JSONValue = [
            "call_sid": .string(call.call_sid), "account_sid": .string(SimulatedSMSProvider.accountSid), "auth_token": .string(providers.simulated.authToken),
            "from": .string(call.from_number), "to": .string(call.to_number), "direction": .string(call.direction),
            "script": .array(script.map { .string($0) }), "voice_url": .string(voiceURL),
        ]
        let started = try await voice.fetch(Request(method: "POST", target: "/simulate", headers: ["content-type": "application/json"],
                                                    body: simulation.jsonBytes))
        guard started.status == 202 else {
            try await calls.report(call, status: "failed", sequenceNumber: nil, durationSeconds: nil)
            throw APIError(status: 503, code: "simulation_failed", message: "the voice agent could not start the simulated call (\(started.status))")
        }
    }

    /// A test call into number `id` from a simulated phone: the call's record, its conversation to follow.
    func testCall(_ scope: TenantScope, numberID: String, _ body: JSONBody) async throws -> Call? {
        guard let number = try await numbers.get(scope, id: numberID) else { return nil }
        guard providers.twilioAccount(try await settings.get(scope)) == nil else {
            throw APIError.conflict("test calls play on the simulated provider; with Twilio, call the number itself",
                                    details: ["field": "provider"])
        }
        guard number.enabled else { throw APIError.conflict("voice number \(numberID) is disabled", details: ["field": "enabled"]) }
        let from = try ContactInput.phone(try body.string("from", max: 40) ?? Self.defaultCaller, defaultCountry: defaultCountry, field: "from")
        let script = try Self.script(body)
        let call = try await calls.begin(scope, number: number, CallStore.Start(
            callSid: Self.callSid(), accountSid: SimulatedSMSProvider.accountSid, direction: "inbound", from: from, to: number.phoneNumber,
            status: "ringing", context: .object([:]), afterHours: number.settings.isClosed(atMilliseconds: clock.milliseconds)))
        try await play(call, script: script)
        return call
    }
}
