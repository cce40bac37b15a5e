import OzziRuntime

/// All about community files: the upload (bytes to the bucket first, then the row, so no row names bytes
/// that are not there), who may read one, attaching files to a message in the posting transaction, and the
/// sweeps (uploads never posted, and bucket objects whose rows are gone).
struct CommunityFileStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let bucket: any Bucket

    /// An upload never posted is swept after a day.
    static let unpostedMs: Int64 = 86_400_000

    func upload(_ access: CommunityAccess, _ channel: CommunityChannel, name: String, contentType: String, description: String,
                body: RequestBodyStream) async throws -> CommunityFile {
        let id = ResourceID.make("cfl")
        let key = CommunityFile.bucketKey(community: access.community.id, id: id)
        let object = try await bucket.put(key, chunks: body, options: BucketPutOptions(contentType: contentType, customMetadata: ["name": name]))
        guard object.size > 0 else {
            try? await bucket.delete(key)
            throw APIError.invalidField("body", "the file is empty")
        }
        do {
            try await database.prepare("""
                INSERT INTO community_files (id, community_id, channel_id, uploaded_by, name, content_type, size, etag, description, bucket_key, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).bind(id, access.community.id, channel.id, access.userID, name, contentType, object.size, object.etag, description, key,
                          Timestamp.now(clock)).run()
        } catch {
            try? await bucket.delete(key)
            throw error
        }
        return try await database.prepare(CommunityFile.select + " WHERE id = ?").bind(id).first(CommunityFile.self)!
    }

    /// File `id` of `channel` as the caller may read it: posted with a live message, or their own upload.
    func get(_ access: CommunityAccess, _ channel: CommunityChannel, id: String) async throws -> (CommunityFile, key: String)? {
        guard let file = try await database.prepare(CommunityFile.select + " WHERE id = ? AND community_id = ? AND channel_id = ?")
            .bind(id, access.community.id, channel.id).first(CommunityFile.self),
              file.message_id != nil || file.uploaded_by == access.userID else { return nil }
        return (file, CommunityFile.bucketKey(community: file.community_id, id: file.id))
    }

    /// The files of `messages` (ids), by message.
    static func files(_ database: any SQLDatabase, communityID: String, messages: [Int64]) async throws -> [Int64: [CommunityFile]] {
        guard !messages.isEmpty else { return [:] }
        let files = try await database.prepare(CommunityFile.select + """
             WHERE community_id = ? AND message_seq IN (SELECT CAST(value AS BIGINT) FROM \(database.dialect.elements())) ORDER BY message_seq, id
            """).bind(communityID, SQLList.json(messages.map { JSONValue.number(Double($0)) })).all(CommunityFile.self)
        return Dictionary(grouping: files) { $0.message_id ?? 0 }
    }

    /// Attaches `ids` to message `seq` in `tx`: each must be an upload of `author` in `channel` not posted yet
    /// (and, for a held post's approval, held with `submission`); 409 naming the first that is not.
    static func attach(_ tx: SQLTransaction, _ community: Community, _ channel: CommunityChannel, author: String, ids: [String], seq: Int64,
                       submission: String? = nil) throws -> [CommunityFile] {
        guard !ids.isEmpty else { return [] }
        let taken = Set(try tx.all("""
            UPDATE community_files SET message_seq = ?, submission_id = NULL
            WHERE community_id = ? AND channel_id = ? AND uploaded_by = ? AND message_seq IS NULL AND coalesce(submission_id, '') = ?
              AND id IN (SELECT value FROM \(tx.dialect.elements())) RETURNING id
            """, seq, community.id, channel.id, author, submission ?? "", SQLList.json(ids)).compactMap { $0.text("id") })
        if let missing = ids.first(where: { !taken.contains($0) }) {
            throw APIError.conflict("file \(missing) is not an upload of \(submission == nil ? "yours" : "the author's") in this channel waiting to be posted",
                                   details: .object(["field": "file_ids"]))
        }
        return try tx.all(CommunityFile.self, CommunityFile.select + " WHERE community_id = ? AND message_seq = ? ORDER BY id", community.id, seq)
    }

    /// Holds `ids` with a submission in `tx` (the sweep leaves them while it waits); 409 as `attach`.
    static func hold(_ tx: SQLTransaction, _ access: CommunityAccess, _ channel: CommunityChannel, ids: [String], submission: String) throws {
        guard !ids.isEmpty else { return }
        let held = try tx.run("""
            UPDATE community_files SET submission_id = ? WHERE community_id = ? AND channel_id = ? AND uploaded_by = ? AND message_seq IS NULL
              AND submission_id IS NULL AND id IN (SELECT value FROM \(tx.dialect.elements()))
            """, submission, access.community.id, channel.id, access.userID, SQLList.json(ids)).changes
        guard held == ids.count else {
            throw APIError.conflict("each file must be an upload of yours in this channel waiting to be posted", details: .object(["field": "file_ids"]))
        }
    }

    /// Deletes uploads left unposted a day (their objects go with the garbage), then the garbage itself.
    func sweep(nowMs: Int64) async throws {
        try await database.prepare("DELETE FROM community_files WHERE message_seq IS NULL AND submission_id IS NULL AND created_at < ?")
            .bind(Timestamp.at(milliseconds: nowMs - Self.unpostedMs)).run()
        while true {
            let keys = try await database.prepare("SELECT key FROM bucket_garbage ORDER BY key LIMIT 500").all().compactMap { $0.text("key") }
            guard !keys.isEmpty else { return }
            try await bucket.delete(keys)
            try await database.prepare("DELETE FROM bucket_garbage WHERE key IN (SELECT value FROM \(database.dialect.elements()))").bind(SQLList.json(keys)).run()
            if keys.count < 500 { return }
        }
    }
}
