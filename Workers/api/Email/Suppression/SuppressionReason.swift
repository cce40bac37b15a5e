/// Why an address is on a workspace's suppression list.
enum SuppressionReason: String, Codable, Sendable, CaseIterable {
    case hardBounce = "hard_bounce"
    case complaint
    case unsubscribe
    case manual
    /// `SoftBounces.threshold` soft bounces within `SoftBounces.windowMs` of the first.
    case softBounceThreshold = "soft_bounce_threshold"

    /// How the contact's email consent changed (`email_consent.method`).
    var consentMethod: String {
        switch self {
        case .hardBounce: "hard bounce"
        case .complaint: "spam complaint"
        case .unsubscribe: "unsubscribe link"
        case .manual: "suppression list"
        case .softBounceThreshold: "repeated soft bounces"
        }
    }
}
