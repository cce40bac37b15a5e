/// Mentions in a message's text: `<@usr_...>` names a user, as Discord's syntax does (a display name
/// can change or repeat; an id cannot). Only members who can see the channel are kept.
enum MessageMentions {
    static let limit = 50

    /// The user ids written as `<@id>`, each once, in order of first appearance.
    static func ids(in text: String) -> [String] {
        var ids: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "<@") {
            rest = rest[open.upperBound...]
            guard let close = rest.firstIndex(of: ">") else { break }
            let id = String(rest[..<close])
            if !id.isEmpty, id.count <= 64, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !ids.contains(id) { ids.append(id) }
            if ids.count == limit { break }
            rest = rest[close...]
        }
        return ids
    }
}
