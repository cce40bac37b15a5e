import OzziRuntime

/// An email's sender, subject and body (or template), as one `email_contents` row. A transactional email
/// has its own; a campaign's or a series' recipients share one, rendered for each at send time.
struct EmailContent: Sendable, Equatable {
    let id: String
    let from: String
    let replyTo: String?
    let templateID: String?
    let subject: String?
    let html: String?
    let text: String?
    let tags: [EmailTag]
    var trackOpens = false
    var trackClicks = false
    /// Campaign mail: `List-Unsubscribe` with one-click (RFC 8058).
    var listUnsubscribe = false
}

extension EmailContent: SQLRecord {
    enum Columns: String, SQLColumn {
        case id, from_address, reply_to, template_id, subject, html, text, tags, track_opens, track_clicks, list_unsubscribe
    }

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        from = try row.decode(String.self, forKey: .from_address)
        replyTo = try row.decodeIfPresent(String.self, forKey: .reply_to)
        templateID = try row.decodeIfPresent(String.self, forKey: .template_id)
        subject = try row.decodeIfPresent(String.self, forKey: .subject)
        html = try row.decodeIfPresent(String.self, forKey: .html)
        text = try row.decodeIfPresent(String.self, forKey: .text)
        tags = Self.tags(try row.decode(String.self, forKey: .tags))
        trackOpens = try row.decode(Int.self, forKey: .track_opens) != 0
        trackClicks = try row.decode(Int.self, forKey: .track_clicks) != 0
        listUnsubscribe = try row.decode(Int.self, forKey: .list_unsubscribe) != 0
    }

    static func tags(_ json: String) -> [EmailTag] {
        guard let items = try? JSONValue(jsonBytes: Array(json.utf8)).arrayValue else { return [] }
        return items.compactMap { item in
            guard let name = item.objectValue?["name"]?.stringValue, let value = item.objectValue?["value"]?.stringValue else { return nil }
            return EmailTag(name: name, value: value)
        }
    }

    var tagsJSON: String {
        String(decoding: JSONValue.array(tags.map { ["name": .string($0.name), "value": .string($0.value)] }).jsonBytes, as: UTF8.self)
    }
}
