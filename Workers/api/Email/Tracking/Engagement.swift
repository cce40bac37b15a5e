import OzziRuntime

/// What the recipient of one email did with it: opens (people's, and mail privacy proxies' apart), clicks,
/// an unsubscribe, with first and last times.
struct Engagement: Codable, SQLRecord, Sendable, Equatable {
    let message_id: String
    let campaign_id: String?
    let opens: Int
    let machine_opens: Int
    let clicks: Int
    let first_opened_at: String?
    let last_opened_at: String?
    let first_machine_open_at: String?
    let first_clicked_at: String?
    let last_clicked_at: String?
    let unsubscribed_at: String?

    enum CodingKeys: String, SQLColumn {
        case message_id, campaign_id, opens, machine_opens, clicks, first_opened_at, last_opened_at, first_machine_open_at
        case first_clicked_at, last_clicked_at, unsubscribed_at
    }
    typealias Columns = CodingKeys
}

/// A campaign's engagement, counted in recipients (`opened`: people opened or clicked; `machine_opened`:
/// only a privacy proxy fetched the pixel) and in events (`opens`, `machine_opens`, `clicks`).
struct CampaignEngagement: Codable, Sendable, Equatable {
    var opened = 0
    var machine_opened = 0
    var clicked = 0
    var unsubscribed = 0
    var opens = 0
    var machine_opens = 0
    var clicks = 0
}

extension Engagement: APIModel {
    static let schema = Schema.object([
        .required("message_id", Schema.string().example("msg_01jd3k5v7n0000000000000000")),
        .optional("campaign_id", .string()),
        .required("opens", Schema.integer(min: 0).described("Opens by people")),
        .required("machine_opens", Schema.integer(min: 0).described("Fetches of the pixel by mail privacy proxies, counted apart")),
        .required("clicks", .integer(min: 0)),
        .optional("first_opened_at", .timestamp),
        .optional("last_opened_at", .timestamp),
        .optional("first_machine_open_at", .timestamp),
        .optional("first_clicked_at", .timestamp),
        .optional("last_clicked_at", .timestamp),
        .optional("unsubscribed_at", .timestamp),
    ], closed: true)
}
