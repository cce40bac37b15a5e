/// A `list` call checked and ready for an engine: the keys it wants are those after `after` that start
/// with `prefix`, in byte order (the order of UTF-8 text in every engine: SQLite's BINARY collation,
/// PostgreSQL's "C", Redis's lexicographic ranges), unexpired, at most `limit`.
struct KVListQuery {
    let prefix: String
    /// The last key of the previous page; "" before the first.
    let after: String
    let limit: Int

    init(_ options: KVListOptions) throws {
        guard (1...1000).contains(options.limit) else { throw KVError.limitOutOfRange(options.limit) }
        var after = ""
        if let cursor = options.cursor {
            guard let key = ListCursor.decode(cursor) else { throw KVError.invalidCursor }
            after = key
        }
        prefix = options.prefix ?? ""
        self.after = after
        limit = options.limit
    }

    /// The page from up to `limit + 1` keys an engine found: one more than the page means there are more.
    func page(_ found: [KVListResult.Key]) -> KVListResult {
        let keys = Array(found.prefix(limit))
        let complete = found.count <= limit
        return KVListResult(keys: keys, listComplete: complete,
                            cursor: complete ? nil : keys.last.map { ListCursor.encode(after: $0.name) })
    }
}
