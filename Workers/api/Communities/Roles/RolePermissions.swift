import OzziRuntime

/// Each role's permission set in one community. The owner has every permission whatever is stored; the
/// defaults are what a new community starts with (members talk, moderators moderate, admins run it).
struct RolePermissions: Sendable, Equatable {
    private var sets: [CommunityRole: Set<CommunityPermission>]

    static let defaults = RolePermissions(sets: [
        .member: [.view, .post, .react, .attach],
        .moderator: [.view, .post, .react, .attach, .moderate, .view_audit_log],
        .admin: Set(CommunityPermission.allCases),
    ])

    private init(sets: [CommunityRole: Set<CommunityPermission>]) {
        self.sets = sets
    }

    func permissions(of role: CommunityRole) -> Set<CommunityPermission> {
        role == .owner ? Set(CommunityPermission.allCases) : sets[role] ?? []
    }

    mutating func set(_ role: CommunityRole, _ permissions: Set<CommunityPermission>) {
        precondition(role != .owner, "the owner's permissions are fixed")
        sets[role] = permissions
    }

    /// As stored: `{"admin": [...], ...}` with names in a stable order.
    var json: JSONValue {
        .object(Dictionary(uniqueKeysWithValues: CommunityRole.editable.map { role in
            (role.rawValue, JSONValue.array(CommunityPermission.allCases.filter { permissions(of: role).contains($0) }.map { .string($0.rawValue) }))
        }))
    }

    /// Every role's set, the owner's included, as an answer shows them.
    var described: JSONValue {
        .object(Dictionary(uniqueKeysWithValues: CommunityRole.allCases.map { role in
            (role.rawValue, JSONValue.array(CommunityPermission.allCases.filter { permissions(of: role).contains($0) }.map { .string($0.rawValue) }))
        }))
    }

    /// Reads what `json` wrote; unknown names are dropped (a permission retired later), missing roles get nothing.
    init(stored text: String) {
        let value = (try? JSONValue(jsonBytes: Array(text.utf8))) ?? .object([:])
        var sets: [CommunityRole: Set<CommunityPermission>] = [:]
        for role in CommunityRole.editable {
            sets[role] = Set((value[role.rawValue]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(CommunityPermission.init(rawValue:)) })
        }
        self.sets = sets
    }
}
