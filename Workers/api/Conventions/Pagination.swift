import OzziRuntime

/// `?limit=&cursor=` of a list route; the cursor is the last row's sort key, opaque to clients.
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
        if let cursor = request.queryParameter("cursor") {
            guard let bytes = Base64URL.decode(cursor), let key = String(validating: bytes, as: UTF8.self) else {
                throw APIError.invalidField("cursor", "is not a cursor this API issued")
            }
            after = key
        } else {
            after = nil
        }
    }

    /// The page's answer: fetch `limit + 1` rows; the extra one says whether there is more.
    func page<Row, Item: Encodable>(_ rows: [Row], key: (Row) -> String, item: (Row) -> Item) -> Page<Item> {
        let shown = Array(rows.prefix(limit))
        let next = rows.count > limit ? shown.last.map { Base64URL.encode(Array(key($0).utf8)) } : nil
        return Page(data: shown.map(item), next_cursor: next)
    }
}

/// `{"data": [...], "next_cursor": ...}`.
struct Page<Item: Encodable>: Encodable {
    let data: [Item]
    let next_cursor: String?

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(data, forKey: .data)
        try container.encode(next_cursor, forKey: .next_cursor)  // null rather than absent
    }

    enum CodingKeys: String, CodingKey { case data, next_cursor }
}
