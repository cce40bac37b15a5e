/// The console's sections, in the order the navigation lists them; each is one domain's pages.
enum ConsoleSection: String, CaseIterable, Sendable {
    case contacts, messages

    var title: String {
        switch self {
        case .contacts: "Contacts"
        case .messages: "Messages"
        }
    }

    var path: String { "/console/" + rawValue }
}
