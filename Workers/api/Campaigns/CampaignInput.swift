import OzziRuntime

/// A campaign's fields as a create or change request gives them (nil: not given). `content` is replaced
/// as a whole; the channel is fixed at creation.
struct CampaignInput: Sendable {
    var name: String?
    var channel: MessageChannel?
    var audience: CampaignAudience?
    var content: CampaignContent?
    /// `.some(nil)`: cleared.
    var sendAt: (text: String, ms: Int64)??
    var throttlePerSecond: Int?
    var errorThreshold: Int?

    static let defaultThrottle = 50
    static let defaultErrorThreshold = 100

    init(_ body: JSONBody, creating: Bool, channel fixed: MessageChannel?, now: Int64) throws {
        name = creating ? try body.requiredString("name", max: 200) : try body.string("name", max: 200)
        if name?.isEmpty == true { throw APIError.invalidField("name", "must not be empty") }
        if let text = try body.choice("channel", MessageChannel.allCases.map(\.rawValue)) {
            guard fixed == nil || fixed?.rawValue == text else {
                throw APIError.conflict("this is an \(fixed!.rawValue) campaign: the channel cannot change; create another campaign", details: ["field": "channel"])
            }
            channel = MessageChannel(rawValue: text)
        } else if creating {
            throw APIError.invalidField("channel", "is required")
        }
        let channel = self.channel ?? fixed ?? .sms
        if let audience = body.fields["audience"], audience != .null { self.audience = try CampaignAudience(json: audience) }
        else if creating { throw APIError.invalidField("audience", "is required") }
        if let content = body.fields["content"], content != .null { self.content = try Self.content(content, channel) }
        else if creating { throw APIError.invalidField("content", "is required") }
        if body.fields["send_at"] != nil {
            if let text = try body.string("send_at", max: 40), !text.isEmpty {
                let ms: Int64
                do {
                    ms = try ScheduleTime.resolve(text, timeZone: try body.string("time_zone", max: 64), now: now)
                } catch let error as APIError where error.message.hasPrefix("scheduled_at: ") {
                    throw APIError.invalidField("send_at", String(error.message.dropFirst("scheduled_at: ".count)))
                }
                sendAt = .some((Timestamp.at(milliseconds: ms), ms))
            } else {
                sendAt = .some(nil)
            }
        }
        throttlePerSecond = try body.int("throttle_per_second", 1...10_000)
        errorThreshold = try body.int("error_threshold", 1...1_000_000)
    }

    /// The channel's content (its schema checked the shape): SMS a `template_id` or a `body`; email a
    /// `subject`, `html` and/or `text`, and a `from` (without one, the workspace's `default_from`). Content of the other channel is a 409 (a change to a
    /// campaign of the other channel).
    static func content(_ json: JSONValue, _ channel: MessageChannel) throws -> CampaignContent {
        guard let object = json.objectValue else { throw APIError.invalidField("content", "must be an object") }
        let body = JSONBody(fields: object)
        let emailShaped = ["from", "subject", "html", "text", "reply_to"].contains { object[$0] != nil }
        guard emailShaped == (channel == .email) else {
            throw APIError.conflict(channel == .email ? "an email campaign's content has subject, html and/or text"
                                                      : "an SMS campaign's content has body or template_id", details: ["field": "content"])
        }
        var content = CampaignContent()
        switch channel {
        case .sms:
            content.templateID = try body.string("template_id", max: 64)
            content.body = try body.string("body", max: 1600)
            guard (content.body == nil) != (content.templateID == nil) else { throw APIError.invalidField("content", "give exactly one of body, template_id") }
            if let text = content.body { try validate(text, "content.body") }
        case .email:
            content.from = try body.string("from", max: 320).map { try MailAddress.input($0, field: "content.from").formatted }
            content.replyTo = try body.string("reply_to", max: 320).map { try MailAddress.input($0, field: "content.reply_to").formatted }
            content.subject = try body.requiredString("subject", max: 998)
            content.html = try body.string("html", max: 1_000_000)
            content.text = try body.string("text", max: 1_000_000)
            content.trackOpens = try body.bool("track_opens") ?? false
            content.trackClicks = try body.bool("track_clicks") ?? false
            guard content.html?.isEmpty == false || content.text?.isEmpty == false else { throw APIError.invalidField("content.html", "give html and/or text") }
            for (key, value) in [("content.subject", content.subject), ("content.html", content.html), ("content.text", content.text)] {
                if let value { try validate(value, key) }
            }
        }
        return content
    }

    private static func validate(_ text: String, _ field: String) throws {
        do { _ = try TemplateText(text) } catch { throw APIError.invalidField(field, error.message) }
    }
}
