import OzziRuntime

extension ContactStore {
    /// One page of `GET /contacts` (or a group's members, with `groupID`): the query's search, filters and
    /// sort from the request, `?limit=&cursor=` paging.
    func page(_ scope: TenantScope, _ request: Request, groupID: String? = nil) async throws -> Page<Contact> {
        let page = try PageRequest(request)
        var query = try ContactQuery(request)
        if let groupID { query.groupID = groupID }
        let result = try await list(scope, query, limit: page.limit, after: page.after)
        return Page(data: result.rows, next: result.next.map(Cursor.init(key:)))
    }
}
