import OzziRuntime

/// Starts outbound calls from a workspace's voice number: on Twilio's Calls API when the workspace sends
/// with Twilio, or as a simulated call (the default) that the voice-agent worker plays against its own
/// routes as Twilio would. Either way the call's record exists first, with the context and variables the
/// agent is given.
struct OutboundCalls: Sendable {
    let numbers: VoiceNumberStore
    let calls: CallStore
    let contacts: ContactStore
    let renderer: ContextRenderer
    let settings: SMSSettingsStore
    let providers: SMSProviders
    let simulated: SimulatedCalls
    /// Where the voice-agent worker is mounted (`VOICE_URL`, default PUBLIC_URL/voice).
    let voiceURL: String
    let defaultCountry: String

    static let bodySchema = Schema.object([
        .required("number_id", Schema.string(min: 1, max: 64).example("vnum_01jd3k5v7n0000000000000000").described("The voice number that calls")),
        .required("to", Schema.string(min: 1, max: 40, format: "phone").example("+12025550143").described("Who is called: E.164 or national in DEFAULT_COUNTRY")),
        .optional("context", Schema.string(max: 4_000).example("Remind Ada of her cleaning on Friday at 10:00 and offer to move it.")
            .described("What the call is for, told to the agent")),
        .optional("context_id", Schema.string(min: 1, max: 64).example("cctx_01jd3k5v7n0000000000000000")
            .described("A call context, rendered for the callee's contact and the call it follows up (instead of `context`)")),
        .optional("auto_context", Schema.boolean.described("Use the context whose rules apply to the follow-up (instead of `context`)")),
        .optional("follow_up_call_id", Schema.string(min: 1, max: 64).described("The call this one follows up; default: the contact's last ended call")),
        .optional("variables", Schema.dictionary(Schema.string(max: 500), max: 30).example(["first_name": "Ada", "appointment": "Friday 10:00"])
            .described("Facts the agent may use")),
        .optional("script", Schema.array(Schema.text(max: 500), max: 20).example(["Hello?", "Yes, Friday is fine.", "Goodbye"])
            .described("Simulated provider only: what the simulated callee says, turn by turn")),
    ], atMostOne: [["context", "context_id"], ["context", "auto_context"]], closed: true)

    func place(_ scope: TenantScope, _ body: JSONBody) async throws -> Call {
        let to = try ContactInput.phone(try body.requiredString("to", max: 40), defaultCountry: defaultCountry, field: "to")
        var context: [String: JSONValue] = [:]
        if let text = try body.string("context", max: 4_000) { context["context"] = .string(text) }
        if let variables = body.fields["variables"], variables != .null {
            guard case .object(let given) = variables, given.count <= 30, given.values.allSatisfy({ $0.stringValue.map { $0.count <= 500 } ?? false }) else {
                throw APIError.invalidField("variables", "must be an object of at most 30 names -> strings of at most 500 characters")
            }
            context["variables"] = variables
        }
        let script = try SimulatedCalls.script(body)
        let numberID = try body.requiredString("number_id", max: 64)
        guard let number = try await numbers.get(scope, id: numberID) else { throw APIError.notFound("voice number") }
        guard number.enabled else { throw APIError.conflict("voice number \(numberID) is disabled", details: ["field": "number_id"]) }
        if body.fields["context_id"] != nil || body.fields["auto_context"] != nil {
            guard context["context"] == nil else { throw APIError.invalidField("context", "give context, or context_id / auto_context, not both") }
            let contact = try await contacts.byPhone(scope, to)
            if let rendered = try await renderer.chosen(scope, body, contact: contact, number: number) {
                context["context"] = .string(rendered.text)
                context["context_id"] = .string(rendered.context.id)
                context["follow_up_call_id"] = rendered.followedUp.map { .string($0.id) } ?? .null
            }
        }
        // On Twilio the call exists once the Calls API took it; the simulated one gets a sid of our making.
        let twilio = providers.twilioAccount(try await settings.get(scope))
        let sid = try await twilio.asyncMap {
            try await TwilioCallsClient(account: $0).place(from: number.phoneNumber, to: to, url: voiceURL + "/incoming",
                                                           statusCallback: voiceURL + "/status-callback")
        } ?? SimulatedCalls.callSid()
        let call = try await calls.begin(scope, number: number, CallStore.Start(
            callSid: sid, accountSid: twilio?.accountSid ?? SimulatedSMSProvider.accountSid, direction: "outbound", from: number.phoneNumber, to: to,
            status: "queued", context: .object(context), afterHours: false))
        if twilio == nil { try await simulated.play(call, script: script) }
        return call
    }
}
