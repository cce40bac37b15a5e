import OzziRuntime

/// Twilio's webhooks for a call: `POST /incoming` (answered with TwiML that connects the call to our
/// ConversationRelay socket, or the after-hours message), `POST /action` (after the session: a transfer
/// to the number's human, or hang up) and `POST /status-callback` (call progress). Each is signed; the api
/// checks the signature with the account's token and keeps the call's record.
extension Router {
    mutating func addVoiceWebhookRoutes(_ voice: VoiceAgent) {
        post("/incoming") { request, _ in
            let answer = try await voice.directory.signed("/incoming", url: voice.config.url(of: request), request: request)
            if answer.status == 404 { return TwiML.response(TwiML.say("The number you called is not in service.", language: "en-US")) }
            guard answer.status == 200, let call = try? JSONValue(jsonBytes: answer.bodyBytes), let callID = call["call_id"]?.stringValue else { return answer }
            let settings = VoiceCallSettings(json: call["settings"] ?? [:])
            if call["enabled"]?.boolValue == false {
                return TwiML.response(TwiML.say("The number you called is not in service.", language: settings.language))
            }
            if call["after_hours"]?.boolValue == true { return TwiML.response(TwiML.say(settings.afterHoursMessage, language: settings.language)) }
            return TwiML.response(TwiML.connect(relayURL: voice.config.url("/ws/" + callID, for: request, socket: true),
                                                action: voice.config.url("/action", for: request), callID: callID, settings: settings,
                                                recordingCallback: settings.recordCalls ? voice.config.url("/recording-status", for: request) : nil))
        }

        post("/action") { request, _ in
            let answer = try await voice.directory.signed("/action", url: voice.config.url(of: request), request: request)
            guard answer.status == 200, let next = try? JSONValue(jsonBytes: answer.bodyBytes) else { return answer }
            if let number = next["transfer_to"]?.stringValue { return TwiML.response(TwiML.dial(number)) }
            return TwiML.response(TwiML.hangup)
        }

        post("/status-callback") { request, _ in
            let answer = try await voice.directory.signed("/status", url: voice.config.url(of: request), request: request)
            return answer.status == 204 ? Response(status: 204) : answer
        }
    }
}
