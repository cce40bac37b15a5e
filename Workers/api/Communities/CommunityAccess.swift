import OzziRuntime

/// The caller's standing in one community, read once per request; every store call about the community
/// takes it, so no route can forget whose community it is or what the caller may do there.
struct CommunityAccess: Sendable {
    let community: Community
    let userID: String
    /// Their membership's role; nil when they are not a member.
    let memberRole: CommunityRole?
    /// The role they act with: their membership's, raised to admin for the owning workspace's owners and
    /// admins (who run the workspace's communities whether or not they joined).
    let role: CommunityRole?
    /// Until when they may read but not post or react (milliseconds), if timed out.
    let timedOutUntilMs: Int64?
    /// Their reputation here (0 when not a member).
    let points: Int
    /// When the request was read, by the api's clock: a timeout ends exactly at its time.
    let nowMs: Int64

    var scope: TenantScope { community.scope }
    var isMember: Bool { memberRole != nil }
    var isTimedOut: Bool { (timedOutUntilMs ?? 0) > nowMs }
    /// Their reputation level: 0 below the first threshold (a new member).
    var level: Int { isMember ? community.levelTable.level(for: points) : 0 }

    /// The caller's permissions, community-wide or in `channel`: their role's, with what their level unlocks,
    /// then the channel's overrides (an override that takes a permission away wins over a level); a timeout
    /// takes away posting, reacting and attaching.
    func permissions(in channel: CommunityChannel? = nil) -> Set<CommunityPermission> {
        guard let role else { return [] }
        var granted = community.roles.permissions(of: role).union(community.levelTable.grants(upTo: level))
        if let channel, role != .owner {
            for (permission, allowed) in channel.overrides(for: role) {
                if allowed { granted.insert(permission) } else { granted.remove(permission) }
            }
        }
        if isTimedOut { granted.subtract([.post, .react, .attach]) }
        return granted
    }

    func can(_ permission: CommunityPermission, in channel: CommunityChannel? = nil) -> Bool {
        permissions(in: channel).contains(permission)
    }

    /// 403 naming what the caller lacks (they can see the community, so 404 would be a lie).
    func require(_ permission: CommunityPermission, in channel: CommunityChannel? = nil, to action: String) throws {
        guard can(permission, in: channel) else {
            if isTimedOut, [.post, .react, .attach].contains(permission) {
                throw APIError.forbidden("you are timed out in this community until \(Timestamp.at(milliseconds: timedOutUntilMs ?? 0)) and cannot \(action)")
            }
            throw APIError.forbidden("your role in this community cannot \(action) (it needs the \(permission.rawValue) permission)")
        }
    }

    /// Whether the caller's posts in `channel` wait for a moderator's approval: those who moderate it never
    /// do; others by the channel's `review` (everyone, or only new members, still at level 0).
    func postsReviewed(in channel: CommunityChannel) -> Bool {
        guard !can(.moderate, in: channel) else { return false }
        switch channel.review {
        case "everyone": return true
        case "new_members": return level == 0
        default: return false
        }
    }

    /// Whether the caller may see `channel` at all: a private one only its listed members and those who
    /// manage channels see; to anyone else it does not exist.
    func canSee(_ channel: CommunityChannel, listed: Bool) -> Bool {
        guard can(.view, in: channel) || can(.manage_channels) else { return false }
        return !channel.isPrivate || listed || can(.manage_channels)
    }

    /// Whether the caller outranks `target` (nobody acts on their equal or better; the owner outranks all).
    func outranks(_ target: CommunityRole) -> Bool {
        guard let role else { return false }
        return role > target
    }

    /// 403 unless the caller outranks `target`.
    func requireOutranks(_ target: CommunityRole, to action: String) throws {
        guard outranks(target) else { throw APIError.forbidden("you cannot \(action) a member whose role (\(target.rawValue)) is not below yours") }
    }
}
