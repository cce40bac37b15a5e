import OzziRuntime

/// The review queue: posts held for approval in channels that review them, flags on messages, and the
/// moderators' decisions.
extension RouteGroup {
    func addReviewRoutes(_ s: CommunitiesDomain) {
        authed("POST", "/:id/channels/:channel_id/submissions",
               "Submit a post for approval, where the channel holds the caller's posts (my_posts_reviewed); published as a message when approved",
               tag: "communities", body: .json(.object([
                   .required("body", CommunityMessage.postedBody),
                   .optional("thread_id", Schema.integer(min: 1).described("Reply in the thread of this top-level message")),
                   .optional("file_ids", Self.fileIDsField),
               ], closed: true)), answers: .json(.model(Submission.self)), success: 201, creates: true) { request, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            let row = try await s.channel(access, context.parameter("channel_id"))
            try access.require(.post, in: row.channel, to: "post here")
            let (text, thread, files) = try CommunityMessage.posted(JSONBody(request), access, row.channel)
            return .json(try await s.review.submit(access, row.channel, body: text, threadID: thread, fileIDs: files), status: 201)
        }

        authed("POST", "/:id/channels/:channel_id/messages/:message_id/flags",
               "Flag a message for the moderators, with why (a pending flag of one's own is answered again)", tag: "communities",
               body: .json(.object([.optional("note", Schema.string(max: Submission.noteLimit).described("Why it should go"))], closed: true), optional: true),
               answers: .json(.model(Submission.self)), success: 201, creates: true) { request, context, principal in
            let (access, row, id) = try await s.message(principal, context)
            guard let message = try await s.messages.get(access, row.channel, id: id) else { throw APIError.notFound("message") }
            let note = try JSONBody(optional: request).string("note", max: Submission.noteLimit) ?? ""
            return .json(try await s.review.flag(access, row.channel, message, note: note), status: 201)
        }

        list("/:id/submissions", "The review queue by id: all of it in channels the caller moderates, and the caller's own submissions",
             tag: "communities", of: .model(Submission.self), filters: [
                 .query("status", Schema.oneOf(Submission.statuses), "Only submissions in this state"),
                 .query("kind", Schema.oneOf(Submission.kinds), "Only posts or only flags"),
                 .query("channel_id", Schema.string(max: 64), "Only this channel's"),
             ], defaultLimit: 50, key: \.id) { request, context, principal, page in
            let access = try await s.member(principal, context.parameter("id"))
            return try await s.review.list(access, moderated: try await s.moderatedChannels(access).map(\.id), status: request.queryParameter("status"),
                                           kind: request.queryParameter("kind"), channelID: request.queryParameter("channel_id"), page: page)
        }

        authed("GET", "/:id/submissions/:submission_id", "One submission (its submitter, or a moderator of its channel)", tag: "communities",
               answers: .json(.model(Submission.self))) { _, context, principal in
            let (_, submission, _) = try await s.submission(principal, context, deciding: false)
            return .json(submission)
        }

        for (verb, approve) in [("approve", true), ("reject", false)] {
            authed("POST", "/:id/submissions/:submission_id/\(verb)",
                   approve ? "Approve a submission, with a reason: a held post is published; a flagged message is deleted (moderate, above its author)"
                           : "Reject a submission, with a reason: a held post is dropped; a flagged message stands (moderate)",
                   tag: "communities", body: .json(.object([.optional("reason", Schema.string(max: CommunityAudit.reasonLimit))], closed: true), optional: true),
                   answers: .json(.model(Submission.self))) { request, context, principal in
                let (access, submission, channel) = try await s.submission(principal, context, deciding: true)
                let reason = try JSONBody(optional: request).string("reason", max: CommunityAudit.reasonLimit) ?? ""
                return .json(try await s.decide(access, submission, channel, approve: approve, reason: reason))
            }
        }
    }
}

extension CommunitiesDomain {
    /// The channels whose queue the caller sees and decides: those they can see and moderate.
    func moderatedChannels(_ access: CommunityAccess) async throws -> [CommunityChannel] {
        try await channels.visible([access]).filter { access.can(.moderate, in: $0) }
    }

    /// A moderator's decision. Approving a flag deletes the flagged message, so it needs a role above its author's.
    func decide(_ access: CommunityAccess, _ submission: Submission, _ channel: CommunityChannel, approve: Bool, reason: String) async throws -> Submission {
        if approve, submission.kind == "flag", let seq = submission.message_id,
           let message = try await messages.get(access, channel, id: seq), message.author_id != access.userID,
           let role = try await members.get(access, userID: message.author_id).flatMap({ CommunityRole(rawValue: $0.role) }) {
            try access.requireOutranks(role, to: "delete the message of")
        }
        return try await review.decide(access, submission, channel, approve: approve, reason: reason)
    }

    /// A submission route's submission, with its channel. Its submitter may read it; a moderator of its
    /// channel may read and decide it; to anyone else it does not exist.
    func submission(_ principal: Principal, _ context: RequestContext, deciding: Bool) async throws -> (CommunityAccess, Submission, CommunityChannel) {
        let access = try await member(principal, context.parameter("id"))
        guard let submission = try await review.get(access, id: context.parameter("submission_id")),
              let row = try await channels.get(access, id: submission.channel_id) else { throw APIError.notFound("submission") }
        let moderates = access.can(.moderate, in: row.channel)
        guard moderates || submission.submitted_by == access.userID else { throw APIError.notFound("submission") }
        if deciding {
            guard moderates else { throw APIError.forbidden("your role in this community cannot decide submissions (it needs the moderate permission)") }
            guard submission.status == "pending" else {
                throw APIError.conflict("the submission was \(submission.status) already", details: .object(["state": .string(submission.status)]))
            }
        }
        return (access, submission, row.channel)
    }
}
