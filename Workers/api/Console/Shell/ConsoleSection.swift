/// The console's sections, in the order the navigation lists them; each is one domain's pages.
enum ConsoleSection: String, CaseIterable, Sendable {
    case contacts

    var title: String {
        switch self {
        case .contacts: "Contacts"
        }
    }

    var path: String { "/console/" + rawValue }
}
