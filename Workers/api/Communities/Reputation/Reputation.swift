import OzziRuntime

/// Members' points in a community, kept up to date in each action's own transaction (`award`) so a list or
/// a permission check reads them as they are; `recompute` derives them from what counts, for a member who
/// joins again and for a check that the running totals hold.
///
/// What counts: each live message one wrote, each reaction someone else left on one, and each submission of
/// theirs a moderator approved (a held post let through, a flag upheld). A deleted message takes its points
/// (the post's and its reactions') with it.
enum Reputation {
    static let post = 1
    static let reactionReceived = 1
    static let approvedSubmission = 5

    /// Adds `points` (negative to take away) to a member's total; nobody who left is counted.
    static func award(_ tx: SQLTransaction, communityID: String, userID: String, _ points: Int) throws {
        guard points != 0 else { return }
        try tx.run("UPDATE community_members SET points = points + ? WHERE community_id = ? AND user_id = ?", points, communityID, userID)
    }

    /// What a message is worth to its author now: the post and the reactions others left on it.
    static func worth(_ tx: SQLTransaction, communityID: String, seq: Int64, author: String) throws -> Int {
        let reactions = try tx.all("SELECT count(*) AS n FROM community_reactions WHERE community_id = ? AND seq = ? AND user_id <> ?",
                                   communityID, seq, author).first?.integer("n") ?? 0
        return post + Int(reactions) * reactionReceived
    }

    /// Sets members' points from what counts: one member's, or (`userID` nil) everyone's in the community.
    /// Returns how many members' totals it changed.
    @discardableResult
    static func recompute(_ tx: SQLTransaction, communityID: String, userID: String? = nil) throws -> Int {
        try tx.run("""
            UPDATE community_members SET points = \(derived) WHERE community_id = ? AND user_id = coalesce(?, user_id) AND points <> \(derived)
            """, communityID, userID).changes
    }

    /// A member's points from the tables, as an expression over `community_members`' row.
    private static let derived = """
        ((SELECT count(*) FROM community_messages m WHERE m.community_id = community_members.community_id
            AND m.author_id = community_members.user_id AND m.deleted_at IS NULL) * \(post)
         + (SELECT count(*) FROM community_reactions r JOIN community_messages m ON m.community_id = r.community_id AND m.seq = r.seq
            WHERE r.community_id = community_members.community_id AND m.author_id = community_members.user_id AND r.user_id <> m.author_id) * \(reactionReceived)
         + (SELECT count(*) FROM community_submissions s WHERE s.community_id = community_members.community_id
            AND s.submitted_by = community_members.user_id AND s.status = 'approved') * \(approvedSubmission))
        """
}
