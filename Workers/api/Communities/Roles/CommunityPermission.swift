/// What a role may do in a community; private channels may override them per role.
enum CommunityPermission: String, Codable, Sendable, CaseIterable {
    case view, post, react, attach, moderate, manage_channels, manage_roles, view_audit_log

    static let names = allCases.map(\.rawValue)
}
