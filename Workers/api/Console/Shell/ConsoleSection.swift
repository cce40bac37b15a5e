/// The console's sections, in the order the navigation lists them; each is one domain's pages.
enum ConsoleSection: String, CaseIterable, Sendable {
    case contacts, inbox, messages, campaigns, forms, calls, communities

    var title: String {
        switch self {
        case .contacts: "Contacts"
        case .inbox: "Inbox"
        case .messages: "Messages"
        case .campaigns: "Campaigns"
        case .forms: "Forms"
        case .calls: "Calls"
        case .communities: "Communities"
        }
    }

    var path: String { "/console/" + rawValue }
}
