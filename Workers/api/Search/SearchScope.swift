/// What a search may look at for this caller: the communities they are in (or run as the workspace's
/// admins) and the channels of those they may see — a private channel only if listed in it or managing
/// channels. Everything else is never searched, so it can show neither as a hit nor as a count.
struct SearchScope: Sendable {
    let communities: [String]
    let channels: [String]

    static func of(_ principal: Principal, communities: CommunityStore, channels: ChannelStore, communityID: String?, channelID: String?) async throws -> SearchScope {
        var accesses = try await communities.accessible(principal)
        if let communityID { accesses = accesses.filter { $0.community.id == communityID } }
        var visible = try await channels.visible(accesses).map(\.id)
        if let channelID { visible = visible.filter { $0 == channelID } }
        return SearchScope(communities: accesses.map(\.community.id), channels: visible)
    }
}
