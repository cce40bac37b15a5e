import OzziRuntime

/// `POST /browser`: the voice URL of the workspace's TwiML app, which Twilio asks when a member calls from
/// the browser (Voice SDK): signed like every webhook, answered with a `<Dial>` from one of the workspace's
/// numbers, or a refusal spoken.
extension Router {
    mutating func addBrowserDialRoute(_ voice: VoiceAgent) {
        post("/browser") { request, _ in
            let answer = try await voice.directory.signed("/browser", url: voice.config.url(of: request), request: request)
            guard answer.status == 200, let dial = try? JSONValue(jsonBytes: answer.bodyBytes) else { return answer }
            guard let to = dial["to"]?.stringValue, let callerID = dial["caller_id"]?.stringValue else {
                return TwiML.response(TwiML.say(dial["refused"]?.stringValue ?? "This number cannot be called.", language: "en-US"))
            }
            return TwiML.response(TwiML.dial(to, callerID: callerID))
        }
    }
}
