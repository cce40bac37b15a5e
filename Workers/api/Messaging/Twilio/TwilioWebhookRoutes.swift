import OzziRuntime

/// `/api/v1/webhooks/twilio/status` (delivery reports) and `/sms` (inbound messages): signed by Twilio,
/// idempotent when Twilio repeats itself.
extension RouteGroup {
    func addTwilioWebhookRoutes(_ s: MessagingDomain) {
        open("POST", "/status", "Twilio status callback (form POST, X-Twilio-Signature)", tag: "webhooks",
             body: .form(TwilioWebhook.statusForm), answers: .text(mediaType: "text/xml"), signedWith: "X-Twilio-Signature") { request, _ in
            let hook = try await TwilioWebhook(request, publicURL: s.publicURL, providers: s.providers)
            let sid = try hook.required("MessageSid")
            let reported = try hook.required("MessageStatus")
            if let status = MessageStatus(providerStatus: reported),
               try await s.messages.applyProviderStatus(providerID: sid, status: status, errorCode: hook.value("ErrorCode")) != nil {
                s.events.flushSoon()
            }
            return Self.twiml("<Response/>")
        }

        open("POST", "/sms", "Twilio inbound SMS (form POST, X-Twilio-Signature); STOP/START/HELP handled", tag: "webhooks",
             body: .form(TwilioWebhook.messageForm), answers: .text(mediaType: "text/xml"), signedWith: "X-Twilio-Signature") { request, _ in
            let hook = try await TwilioWebhook(request, publicURL: s.publicURL, providers: s.providers)
            let inbound = try await s.inbox.receive(sid: try hook.required("MessageSid"), from: try hook.required("From"),
                                                    to: try hook.required("To"), body: hook.value("Body") ?? "")
            guard let reply = inbound.reply else { return Self.twiml("<Response/>") }
            return Self.twiml("<Response><Message>\(XMLText.escape(reply))</Message></Response>")
        }
    }

    static func twiml(_ xml: String) -> Response {
        .bytes(Array(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + xml).utf8), contentType: "text/xml")
    }
}

/// Text for XML content and attributes: the escaping HTML takes serves XML too (`&#39;` is `'` in both).
enum XMLText {
    static func escape(_ text: String) -> String {
        HTMLEscape.escape(text)
    }
}
