import OzziRuntime

/// One claim of a message: a settle moves the message to a new version, so a later claim of it (by any
/// host, this one included) is another. Batched statements answer the claims they moved with
/// `RETURNING id, version`.
struct MessageClaim: Hashable, Sendable {
    let id: String
    let version: Int

    init(_ message: MessageStore.Due) { self.init(id: message.id, version: message.version) }
    init(id: String, version: Int) {
        self.id = id
        self.version = version
    }

    /// The claims in rows of `id` and `version`.
    static func returned(_ rows: [SQLRow]) -> Set<MessageClaim> {
        Set(rows.compactMap { row in
            guard let id = row.text("id"), let version = row.integer("version") else { return nil }
            return MessageClaim(id: id, version: Int(version))
        })
    }
}
