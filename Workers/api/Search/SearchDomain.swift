import OzziRuntime

/// `GET /api/v1/search`: one box over everything the caller may read — messages, channels, files and
/// communities they are in, fellow members, and their workspace's contacts — each type ranked by its own
/// full-text relevance and merged by reciprocal rank fusion.
struct SearchDomain: APIDomain {
    let database: any SQLDatabase
    let communities: CommunityStore
    let channels: ChannelStore

    init(_ api: APIEnvironment) throws {
        database = api.database
        let live = CommunityLive(database: api.database, pubsub: try api.env.pubsub("LIVE"))
        communities = CommunityStore(database: api.database, clock: api.clock, live: live)
        channels = ChannelStore(database: api.database, clock: api.clock, live: live)
    }

    func routes(_ v1: RouteGroup) {
        v1.authed("GET", "/search", "Search everything the caller may read: messages, channels, files, communities, members and contacts; the last word matches as a prefix",
                  tag: "search", query: Self.parameters, answers: .json(.object([.required("data", .array(.model(SearchHit.self)))], closed: true))) { request, _, principal in
            let terms = SearchTerms(request.queryParameter("q") ?? "")
            guard !terms.isEmpty else { return .json(["data": .array([])] as JSONValue) }
            let types = Set((request.queryParameter("types") ?? SearchHit.types.joined(separator: ",")).split(separator: ",").map(String.init))
            let limit = Int(request.queryParameter("limit") ?? "20") ?? 20
            let hits = try await search(principal, terms, types: types, communityID: request.queryParameter("community_id"),
                                        channelID: request.queryParameter("channel_id"), limit: limit)
            return .json(["data": try JSONValueEncoder.encode(hits)] as JSONValue)
        }
    }

    /// Each type's best `limit`, in the caller's scope, merged.
    func search(_ principal: Principal, _ terms: SearchTerms, types: Set<String>, communityID: String?, channelID: String?, limit: Int) async throws -> [SearchHit] {
        let scope = try await SearchScope.of(principal, communities: communities, channels: channels, communityID: communityID, channelID: channelID)
        let engine = database.dialect.search
        var queries: [(type: String, sql: String, values: [any SQLBindable])] = []
        if types.contains("channels"), !scope.channels.isEmpty {
            let q = engine.channels(terms, channels: scope.channels, limit: limit)
            queries.append(("channel", q.sql, q.values))
        }
        if types.contains("files"), !scope.channels.isEmpty {
            let q = engine.files(terms, channels: scope.channels, limit: limit)
            queries.append(("file", q.sql, q.values))
        }
        if types.contains("communities"), channelID == nil, !scope.communities.isEmpty {
            let q = engine.communities(terms, communities: scope.communities, limit: limit)
            queries.append(("community", q.sql, q.values))
        }
        if types.contains("members"), channelID == nil, !scope.communities.isEmpty {
            let q = engine.members(terms, communities: scope.communities, limit: limit)
            queries.append(("member", q.sql, q.values))
        }
        // Contacts are the workspace's, not a community's: only when the search is not narrowed to one.
        if types.contains("contacts"), communityID == nil, channelID == nil {
            let q = database.dialect.contactSearch.select("""
                c.id AS id, NULL AS community_id, NULL AS channel_id, c.name AS title, coalesce(c.email, c.phone, '') AS snippet, c.created_at AS created_at
                """, .words(terms.words, text: terms.words.joined(separator: " ")), where: ["c.workspace_id = ?"], [principal.scope.workspaceID],
                limit: limit, offset: 0)
            queries.append(("contact", q.sql, q.values))
        }
        let database = self.database
        let searchesMessages = types.contains("messages") && !scope.channels.isEmpty
        let lists = try await withThrowingTaskGroup(of: (Int, [SearchRow]).self) { group in
            if searchesMessages {
                group.addTask { (-1, try await engine.messages(database, terms, channels: scope.channels, limit: limit)) }
            }
            for (index, query) in queries.enumerated() {
                group.addTask { (index, try await database.prepare(query.sql).bind(query.values).all(SearchRow.self)) }
            }
            var lists = Array(repeating: [SearchRow](), count: queries.count + 1)
            for try await (index, rows) in group { lists[index + 1] = rows }
            return lists
        }
        let tagged = zip(["message"] + queries.map(\.type), lists).map { type, rows in rows.map { (type: type, row: $0) } }
        return RankFusion.merge(tagged) { $0.type + ":" + ($0.row.communityID ?? "") + ":" + $0.row.id }.prefix(limit).map { hit, score in
            SearchHit(type: hit.type, id: hit.row.id, title: hit.row.title, snippet: Snippet.html(hit.row.snippet), community_id: hit.row.communityID,
                      channel_id: hit.row.channelID, created_at: hit.row.createdAt, score: score)
        }
    }

    static let parameters: [Parameter] = [
        .query("q", Schema.string(min: 1, max: 200).example("trail sat"), required: true, "The words; every one must match, the last as a word's start"),
        .query("types", Schema.string(max: 100, pattern: "^(?:messages|channels|files|communities|members|contacts)(?:,(?:messages|channels|files|communities|members|contacts))*$")
            .example("messages,channels"), "Comma-separated types to search (default all)"),
        .query("community_id", Schema.string(min: 1, max: 64), "Only within this community (it and its channels, messages and members)"),
        .query("channel_id", Schema.string(min: 1, max: 64), "Only within this channel (its messages, and itself)"),
        .query("limit", Schema.string(max: 2, pattern: "^(?:[1-9]|[1-4][0-9]|50)$").example("20"), "At most this many results (1-50, default 20)"),
    ]
}
