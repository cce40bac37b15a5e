import OzziRuntime

/// `?limit=&cursor=` of a list route; `after` is the key of the `Cursor` given.
struct PageRequest {
    let limit: Int
    let after: String?

    init(_ request: Request, defaultLimit: Int = 20) throws {
        if let text = request.queryParameter("limit") {
            guard let limit = Int(text), (1...100).contains(limit) else { throw APIError.invalidField("limit", "must be 1...100") }
            self.limit = limit
        } else {
            limit = defaultLimit
        }
        after = try request.queryParameter("cursor").map { try Cursor(token: $0).key }
    }

    /// The page's answer: fetch `limit + 1` rows; the extra one says whether there is more.
    func page<Row, Item: Encodable>(_ rows: [Row], key: (Row) -> String, item: (Row) -> Item) -> Page<Item> {
        let shown = Array(rows.prefix(limit))
        let next = rows.count > limit ? shown.last.map { Cursor(key: key($0)) } : nil
        return Page(data: shown.map(item), next: next)
    }
}

/// `{"data": [...], "next_cursor": ...}`.
struct Page<Item: Encodable>: Encodable {
    let data: [Item]
    let next_cursor: String?

    init(data: [Item], next: Cursor?) {
        self.data = data
        next_cursor = next?.token
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(data, forKey: .data)
        try container.encode(next_cursor, forKey: .next_cursor)  // null rather than absent
    }

    enum CodingKeys: String, CodingKey { case data, next_cursor }
}
