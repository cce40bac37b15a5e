import OzziRuntime

/// The TwiML the voice agent answers Twilio with.
enum TwiML {
    /// Connects the call to our ConversationRelay socket with the number's voice settings; Twilio calls
    /// `action` when the session ends. With `recordingCallback`, the whole call is recorded first (both
    /// parties, a channel each), and Twilio reports the recording there once it is ready, or absent.
    static func connect(relayURL: String, action: String, callID: String, settings: VoiceCallSettings, recordingCallback: String? = nil) -> String {
        var attributes: [(String, String)] = [("url", relayURL)]
        if !settings.greeting.isEmpty { attributes.append(("welcomeGreeting", settings.greeting)) }
        attributes += [("language", settings.language), ("ttsProvider", settings.ttsProvider)]
        if !settings.voice.isEmpty { attributes.append(("voice", settings.voice)) }
        attributes += [("transcriptionProvider", settings.transcriptionProvider), ("interruptible", settings.interruptible),
                       ("dtmfDetection", settings.dtmfDetection ? "true" : "false")]
        let relay = attributes.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: " ")
        let recording = recordingCallback.map {
            "<Start><Recording channels=\"dual\" recordingStatusCallback=\"\(escape($0))\" recordingStatusCallbackMethod=\"POST\" "
                + "recordingStatusCallbackEvent=\"completed absent\"/></Start>"
        } ?? ""
        return document(recording + "<Connect action=\"\(escape(action))\"><ConversationRelay \(relay)><Parameter name=\"callId\" value=\"\(escape(callID))\"/>"
            + "</ConversationRelay></Connect>")
    }

    static func say(_ text: String, language: String) -> String {
        document("<Say language=\"\(escape(language))\">\(escape(text))</Say><Hangup/>")
    }

    static func dial(_ number: String) -> String {
        document("<Dial>\(escape(number))</Dial>")
    }

    /// A call to `number` showing `callerID` (one of the workspace's numbers).
    static func dial(_ number: String, callerID: String) -> String {
        document("<Dial callerId=\"\(escape(callerID))\"><Number>\(escape(number))</Number></Dial>")
    }

    static let hangup = document("<Hangup/>")

    static func response(_ xml: String) -> Response {
        .bytes(Array(xml.utf8), contentType: "text/xml")
    }

    private static func document(_ body: String) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\(body)</Response>"
    }

    private static func escape(_ text: String) -> String {
        HTMLEscape.escape(text)
    }
}
