import OzziRuntime

/// One result of the search box, whatever its type.
struct SearchHit: Encodable, Sendable {
    let type: String
    let id: String
    let title: String
    /// The matching text around the words, HTML-escaped, the words in `<mark>`.
    let snippet: String
    let community_id: String?
    let channel_id: String?
    let created_at: String?
    /// Its reciprocal-rank-fusion score: higher is better; compares across types.
    let score: Double

    static let types = ["messages", "channels", "files", "communities", "members", "contacts"]
}

extension SearchHit: APIModel {
    static let schema = Schema.object([
        .required("type", Schema.oneOf(["message", "channel", "file", "community", "member", "contact"])),
        .required("id", Schema.string().described("A message's id (its community seq, with community_id), or the object's id")),
        .required("title", Schema.string().described("A message's author, or the object's name (a file's name)")),
        .required("snippet", Schema.string().example("Who is in for the <mark>trail</mark> run on Saturday?")
            .described("The text around the words, HTML-escaped, the matched words in <mark>")),
        .optional("community_id", .string()),
        .optional("channel_id", .string()),
        .optional("created_at", .timestamp),
        .required("score", Schema.number(0...1).described("Reciprocal rank fusion over the types' own rankings: higher is better")),
    ], closed: true)
}
