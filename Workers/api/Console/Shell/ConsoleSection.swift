/// The console's sections, in the order the navigation lists them; each is one domain's pages.
enum ConsoleSection: String, CaseIterable, Sendable {
    case contacts, inbox, messages, campaigns, forms, calls, communities, calendars, seo, video, admin

    var title: String {
        switch self {
        case .contacts: "Contacts"
        case .inbox: "Inbox"
        case .messages: "Messages"
        case .campaigns: "Campaigns"
        case .forms: "Forms"
        case .calls: "Calls"
        case .communities: "Communities"
        case .calendars: "Calendars"
        case .seo: "Local SEO"
        case .video: "Video"
        case .admin: "Platform"
        }
    }

    var path: String { "/console/" + rawValue }

    /// What the navigation shows the viewer: the platform's page only to platform admins.
    static func shown(to viewer: ConsoleViewer) -> [ConsoleSection] {
        allCases.filter { $0 != .admin || viewer.principal.user.is_platform_admin }
    }
}
