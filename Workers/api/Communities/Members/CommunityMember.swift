import OzziRuntime

/// A member as other members see them: name and role, never their email.
struct CommunityMember: Codable, SQLRecord, Sendable, Equatable {
    let user_id: String
    let name: String?
    let role: String
    /// Until when they may read but not post, if timed out now.
    let timed_out_until: String?
    /// Reputation: points from activity, and the level they reach.
    let points: Int
    let level: Int
    let joined_at: String

    enum Columns: String, SQLColumn { case user_id, name, role, timed_out_until_ms, points, levels, joined_at }

    init(row: SQLRecordRow<Columns>) throws {
        user_id = try row.decode(String.self, forKey: .user_id)
        name = try row.decodeIfPresent(String.self, forKey: .name)
        role = try row.decode(String.self, forKey: .role)
        timed_out_until = try row.decodeIfPresent(Int64.self, forKey: .timed_out_until_ms).map { Timestamp.at(milliseconds: $0) }
        points = try row.decode(Int.self, forKey: .points)
        level = ReputationLevels(stored: try row.decode(String.self, forKey: .levels)).level(for: points)
        joined_at = try row.decode(String.self, forKey: .joined_at)
    }

    static let select = """
        SELECT m.user_id, u.name, m.role, m.timed_out_until_ms, m.points, c.levels, m.joined_at FROM community_members m
        JOIN users u ON u.id = m.user_id JOIN communities c ON c.id = m.community_id
        """
}
