/// Where a campaign is: `draft -> scheduled -> running <-> paused -> finished`, `cancelled` from scheduled,
/// running or paused. The delivery engine sends a campaign's messages only while it is `running`.
enum CampaignState: String, Codable, Sendable, CaseIterable {
    case draft, scheduled, running, paused, finished, cancelled

    /// Its content, audience and pace may change: nothing is being sent.
    var isEditable: Bool {
        switch self {
        case .draft, .scheduled, .paused: true
        case .running, .finished, .cancelled: false
        }
    }

    /// Nothing more happens to it; it may be deleted.
    var isFinal: Bool { self == .finished || self == .cancelled }
}
