import OzziRuntime

/// `?limit=&cursor=` of a list route; `after` is the key of the `Cursor` given.
struct PageRequest {
    let limit: Int
    let after: String?

    /// Reads what `parameters` already checked: every route that pages declares them, and its operation
    /// checks them before the handler runs.
    init(limit: Int, after: String?) {
        self.limit = limit
        self.after = after
    }

    init(_ request: Request, defaultLimit: Int = 20) throws {
        // Checked here too: the console's pages are not API operations, and a limit of -1 or Int.max would trap.
        let asked = request.queryParameter("limit")
        guard let limit = asked.map({ Int($0) }) ?? defaultLimit, (1...100).contains(limit) else {
            throw APIError.invalidField("limit", "must be a whole number from 1 to 100")
        }
        self.limit = limit
        after = try request.queryParameter("cursor").map { try Cursor(token: $0).key }
    }

    /// The parameters every list takes.
    static let parameters: [Parameter] = [
        .query("limit", .integer(1...100).example(20), "How many items to answer (default 20)"),
        .query("cursor", .string(min: 1, max: 1024, pattern: Cursor.pattern).example("MjAyNi0xMi0wMVQwOTozMDowMC4wMDBa"),
               "The next_cursor of the page before, to go on from where it left off"),
    ]

    /// Where a list sorted by (key, id) goes on from, for `key > ? OR (key = ? AND id > ?)`: the cursor's
    /// two parts (`Cursor(key, id)`), or two empty strings on the first page, which come before every row.
    var afterKeyAndID: (key: String, id: String) {
        guard let after else { return ("", "") }
        let parts = Cursor(key: after).parts
        return (parts[0], parts.count > 1 ? parts[1] : "")
    }

    /// The page's answer: fetch `limit + 1` rows; the extra one says whether there is more.
    func page<Row, Item>(_ rows: [Row], key: (Row) -> String, item: (Row) -> Item) -> Page<Item> {
        let shown = Array(rows.prefix(limit))
        let next = rows.count > limit ? shown.last.map { Cursor(key: key($0)) } : nil
        return Page(data: shown.map(item), next: next)
    }
}

/// `{"data": [...], "next_cursor": ...}` (a page the console renders holds rows that are not answered as JSON).
struct Page<Item> {
    let data: [Item]
    let next_cursor: String?

    init(data: [Item], next: Cursor?) {
        self.data = data
        next_cursor = next?.token
    }
}

extension Page: Encodable where Item: Encodable {
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(data, forKey: .data)
        try container.encode(next_cursor, forKey: .next_cursor)  // null rather than absent
    }

    enum CodingKeys: String, CodingKey { case data, next_cursor }

    /// `{"data": [item], "next_cursor": string | null}`.
    static func schema(of item: Schema) -> Schema {
        .object([.required("data", .array(item)),
                 .required("next_cursor", Schema.string().nullable.described("Pass as ?cursor= for the next page; null on the last"))],
                closed: true)
    }
}
