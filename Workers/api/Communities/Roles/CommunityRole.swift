/// A member's place in a community, highest first: owner > admin > moderator > member. Nobody acts on,
/// or grants, a role at or above their own (the owner aside, who is above everyone).
enum CommunityRole: String, Codable, Sendable, Comparable, CaseIterable {
    case member, moderator, admin, owner

    static func < (a: CommunityRole, b: CommunityRole) -> Bool { a.rank < b.rank }

    private var rank: Int {
        switch self {
        case .member: 0
        case .moderator: 1
        case .admin: 2
        case .owner: 3
        }
    }

    /// The roles whose permission sets a community may change (the owner always has every permission).
    static let editable: [CommunityRole] = [.admin, .moderator, .member]
    /// Roles a member can be given (ownership is not handed out by a role change).
    static let assignable: [String] = ["admin", "moderator", "member"]
}
