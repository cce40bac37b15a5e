import OzziRuntime

/// A tenant: every tenant-owned row carries its id.
struct Workspace: Codable, SQLRecord, Sendable, Equatable {
    let id: String
    let name: String
    let is_personal: Bool
    let created_at: String
    /// The caller's role in it.
    let role: Role
    enum CodingKeys: String, SQLColumn { case id, name, is_personal, created_at, role }
    typealias Columns = CodingKeys
}

/// A member's role in a workspace.
enum Role: String, Codable, Sendable, Comparable, CaseIterable {
    case member, admin, owner

    static func < (a: Role, b: Role) -> Bool { a.rank < b.rank }

    private var rank: Int {
        switch self {
        case .member: 0
        case .admin: 1
        case .owner: 2
        }
    }
}

struct Member: Codable, SQLRecord, Sendable, Equatable {
    let user_id: String
    let email: String?
    let name: String?
    let role: Role
    let created_at: String
    enum CodingKeys: String, SQLColumn { case user_id, email, name, role, created_at }
    typealias Columns = CodingKeys
}

/// The caller's tenant: passed to every store method that touches tenant rows.
struct TenantScope: Sendable, Equatable {
    let workspaceID: String
}
