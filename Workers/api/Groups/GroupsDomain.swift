/// `/api/v1/groups`: named sets of contacts, static or by membership changes.
struct GroupsDomain: APIDomain {
    let groups: GroupStore
    let contacts: ContactStore
    let events: WorkspaceEvents

    init(_ api: APIEnvironment) {
        groups = GroupStore(database: api.database, clock: api.clock)
        contacts = ContactStore(database: api.database, clock: api.clock)
        events = api.events
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/groups").announcing(events).addGroupRoutes(self)
    }

    var publishes: [String] { ["group.created", "group.updated", "group.deleted", "group.members_added", "group.members_removed"] }
}
