import FoundationEssentials
import OzziRuntime

/// The voice testing lab: a member talks to a number's agent in text, through the same ConversationRelay
/// protocol Twilio speaks, from the browser. Each conversation is a call's record (transcript, tools, review
/// as any call's) flagged `lab`, on the simulated account: no phone and no provider take part, whatever
/// the workspace sends with. The browser opens the voice-agent worker's relay socket with a ticket in place of
/// Twilio's signature; the member hangs up, or the sweep ends a conversation left idle.
struct VoiceLab: Sendable {
    let numbers: VoiceNumberStore
    let calls: CallStore
    let tickets: VoiceLabTicket
    let jobs: any QueueProducer
    let clock: any WallClock
    let defaultCountry: String
    /// The voice-agent worker's path on this host (`VOICE_URL`'s, `/voice`): the socket is opened there, on
    /// the page's own origin.
    let voicePath: String
    /// A conversation with nothing said for this long is ended by the sweep.
    static let idleMs: Int64 = 15 * 60_000

    static let schema = Schema.object([
        .required("number_id", Schema.string(min: 1, max: 64).described("The number whose agent answers")),
        .optional("from", Schema.string(min: 1, max: 40, format: "phone").example("+12025550143")
            .described("Who the agent takes the member for (its caller lookup and texts use it); a simulated caller by default")),
    ], closed: true)

    /// An open conversation: the call and where its socket is.
    struct Opened: Sendable {
        let call: Call
        /// The relay socket's path and query, ticket included (`/voice/ws/<call>?ticket=...`).
        let socketPath: String
        let expiresMs: Int64

        var json: JSONValue {
            ["call": call.answer(), "socket_path": .string(socketPath), "expires_at": .string(Timestamp.at(milliseconds: expiresMs))]
        }

        static let schema = Schema.object([
            .required("call", .model(Call.self)),
            .required("socket_path", Schema.string().example("/voice/ws/call_01j...?ticket=1767225600000.x1y2")
                .described("Open a WebSocket to this path on this host and speak ConversationRelay as Twilio does (setup, prompt, interrupt, dtmf)")),
            .required("expires_at", Schema.timestamp.described("Until when the path opens the socket")),
        ], closed: true)
    }

    func open(_ scope: TenantScope, _ body: JSONBody, by userID: String) async throws -> Opened? {
        guard let number = try await numbers.get(scope, id: try body.requiredString("number_id", max: 64)) else { return nil }
        guard number.enabled else { throw APIError.conflict("voice number \(number.id) is disabled", details: ["field": "enabled"]) }
        let from = try ContactInput.phone(try body.string("from", max: 40) ?? SimulatedCalls.defaultCaller, defaultCountry: defaultCountry, field: "from")
        var start = CallStore.Start(callSid: SimulatedCalls.callSid(), accountSid: SimulatedSMSProvider.accountSid, direction: "inbound", from: from,
                                    to: number.phoneNumber, status: "ringing", context: .object([:]),
                                    afterHours: number.settings.isClosed(atMilliseconds: clock.milliseconds))
        start.placedBy = userID
        start.lab = true
        return relay(try await calls.begin(scope, number: number, start))
    }

    /// The socket of a lab call still going on, with a fresh ticket.
    func relay(_ call: Call) -> Opened {
        let (ticket, expires) = tickets.issue(callID: call.id, nowMs: clock.milliseconds)
        return Opened(call: call, socketPath: voicePath + "/ws/" + call.id + "?ticket=" + ticket, expiresMs: expires)
    }

    /// The relay socket's upgrade for a lab call: its ticket, in place of Twilio's signature.
    func check(ticket: String, for call: Call) throws {
        guard call.lab else { throw APIError.forbidden("a lab ticket opens only a voice lab conversation") }
        guard tickets.opens(ticket, callID: call.id, nowMs: clock.milliseconds) else {
            throw APIError.forbidden("the lab ticket is not this conversation's, or has expired: open the lab page again")
        }
    }

    /// Hangs up: the call is completed (its length from the answer) and reviewed, as a call is when Twilio
    /// reports its end. Nil when it is not the workspace's.
    func end(_ scope: TenantScope, id: String) async throws -> Call? {
        guard let call = try await calls.get(scope, id: id) else { return nil }
        guard call.lab else { throw APIError.conflict("only a voice lab conversation is ended here; a phone call ends when a party hangs up") }
        try await end(call)
        return try await calls.get(scope, id: id)
    }

    private func end(_ call: Call) async throws {
        // Hung up already (a second click, or the sweep): its end is not written twice.
        guard call.ended_at == nil else { return }
        let since = SQLDate.parse(call.answered_at ?? call.started_at).map { Int64($0.timeIntervalSince1970 * 1000) }
        let seconds = since.map { Int(max(0, clock.milliseconds - $0) / 1000) }
        if try await calls.report(call, status: "completed", sequenceNumber: nil, durationSeconds: seconds) {
            // Reviewed as any call; a lab conversation costs nothing, so no price is fetched.
            try await jobs.sendBatch([CallReviewJob(callID: call.id).message])
        }
    }

    /// Ends lab conversations whose browser went away: nothing said for `idleMs`.
    func sweep() async throws {
        let idle = Timestamp.at(milliseconds: clock.milliseconds - Self.idleMs)
        let open = try await calls.database.prepare(CallStore.select + " WHERE lab = 1 AND ended_at IS NULL AND updated_at < ? ORDER BY updated_at LIMIT 100")
            .bind(idle).all(Call.self)
        // One conversation's failure (a hang-up at the same moment) leaves the others to be ended; the next sweep tries it again.
        for call in open { try? await end(call) }
    }
}
