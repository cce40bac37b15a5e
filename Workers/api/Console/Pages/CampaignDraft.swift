import OzziRuntime

/// The compose form's values as typed (kept when the form is refused, so nothing is lost), and the request
/// body `CampaignInput` reads from them. The audience select holds `all` or `group:<id>`.
struct CampaignDraft: Sendable {
    var name = ""
    var channel = "sms"
    var audience = "all"
    var optedInOnly = false
    var templateID = ""
    var body = ""
    var from = ""
    var subject = ""
    var text = ""
    var html = ""
    var trackOpens = false
    var trackClicks = false
    var sendAt = ""
    var timeZone = ""
    var throttle = String(CampaignInput.defaultThrottle)
    var error: String?

    static let blank = CampaignDraft()

    init() {}

    /// From the form, or from a preview's query (the same names).
    init(_ field: (String) -> String?) {
        name = field("name") ?? ""
        channel = field("channel") == "email" ? "email" : "sms"
        audience = field("audience") ?? "all"
        optedInOnly = field("opted_in_only") != nil
        templateID = field("template_id") ?? ""
        body = field("body") ?? ""
        from = field("from") ?? ""
        subject = field("subject") ?? ""
        text = field("text") ?? ""
        html = field("html") ?? ""
        trackOpens = field("track_opens") != nil
        trackClicks = field("track_clicks") != nil
        sendAt = field("send_at") ?? ""
        timeZone = field("time_zone") ?? ""
        throttle = field("throttle_per_second") ?? String(CampaignInput.defaultThrottle)
    }

    /// The create request's body: what `POST /api/v1/campaigns` would be given.
    var json: [String: JSONValue] {
        var audience: [String: JSONValue] = ["opted_in_only": .bool(optedInOnly)]
        if self.audience.hasPrefix("group:") {
            audience["type"] = "groups"
            audience["group_ids"] = [.string(String(self.audience.dropFirst("group:".count)))]
        } else {
            audience["type"] = "all"
        }
        var content: [String: JSONValue] = [:]
        func put(_ key: String, _ value: String) { if !value.isEmpty { content[key] = .string(value) } }
        if channel == "sms" {
            if templateID.isEmpty { content["body"] = .string(body) } else { content["template_id"] = .string(templateID) }
        } else {
            put("from", from)
            content["subject"] = .string(subject)
            put("text", text)
            put("html", html)
            content["track_opens"] = .bool(trackOpens)
            content["track_clicks"] = .bool(trackClicks)
        }
        var fields: [String: JSONValue] = ["name": .string(name), "channel": .string(channel), "audience": .object(audience), "content": .object(content)]
        if !sendAt.isEmpty { fields["send_at"] = .string(sendAt) }
        if !timeZone.isEmpty { fields["time_zone"] = .string(timeZone) }
        if let pace = Int(throttle) { fields["throttle_per_second"] = .number(Double(pace)) } else { fields["throttle_per_second"] = .string(throttle) }
        return fields
    }

    func failed(_ error: APIError) -> CampaignDraft {
        var copy = self
        copy.error = error.message
        return copy
    }
}
