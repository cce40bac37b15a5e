import OzziRuntime

/// A channel's messages: a page around an anchor, post (in a thread, with mentions), edit inside the
/// window, delete, react, and an edited message's history.
extension RouteGroup {
    func addCommunityMessageRoutes(_ s: CommunitiesDomain) {
        let path = "/:id/channels/:channel_id/messages"

        authed("GET", path, "A channel's top-level messages in id order: the latest, or before, after or around an id", tag: "communities",
               query: Self.anchorParameters, answers: .json(Self.messagePage)) { request, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            let row = try await s.channel(access, context.parameter("channel_id"))
            let limit = Int(request.queryParameter("limit") ?? "50") ?? 50
            let anchor: CommunityMessageStore.Anchor =
                if let id = request.queryParameter("around").flatMap(Int64.init) { .around(id) }
                else if let id = request.queryParameter("before").flatMap(Int64.init) { .before(id) }
                else if let id = request.queryParameter("after").flatMap(Int64.init) { .after(id) }
                else { .latest }
            let messages = try await s.messages.list(access, row.channel, at: anchor, limit: limit)
            return .json(MessagePage(data: messages, last_message_id: row.lastMessageSeq))
        }

        authed("POST", path, "Post a message (post permission; not while timed out; 409 where the channel reviews the caller's posts); thread_id replies in a thread; <@user_id> mentions",
               tag: "communities", body: .json(.object([
                   .required("body", CommunityMessage.postedBody),
                   .optional("thread_id", Schema.integer(min: 1).described("Reply in the thread of this top-level message")),
                   .optional("file_ids", Self.fileIDsField),
               ], closed: true)), answers: .json(.model(CommunityMessage.self)), success: 201, creates: true) { request, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            let row = try await s.channel(access, context.parameter("channel_id"))
            try access.require(.post, in: row.channel, to: "post here")
            guard !access.postsReviewed(in: row.channel) else {
                throw APIError.conflict("posts here wait for a moderator's approval: submit it to this channel's submissions",
                                       details: .object(["state": "review"]))
            }
            let (text, thread, files) = try CommunityMessage.posted(JSONBody(request), access, row.channel)
            return .json(try await s.messages.post(access, row.channel, body: text, threadID: thread, fileIDs: files), status: 201)
        }

        authed("GET", path + "/:message_id", "One message", tag: "communities", answers: .json(.model(CommunityMessage.self))) { _, context, principal in
            let (access, row, id) = try await s.message(principal, context)
            guard let message = try await s.messages.get(access, row.channel, id: id) else { throw APIError.notFound("message") }
            return .json(message)
        }

        authed("GET", path + "/:message_id/replies", "A thread's replies in id order, after ?after=", tag: "communities",
               query: [.query("after", Schema.string(max: 19, pattern: "^[0-9]+$"), "Replies after this id"), Self.limitParameter],
               answers: .json(Self.messagePage)) { request, context, principal in
            let (access, row, id) = try await s.message(principal, context)
            guard try await s.messages.get(access, row.channel, id: id) != nil else { throw APIError.notFound("message") }
            let replies = try await s.messages.thread(access, root: id, after: request.queryParameter("after").flatMap(Int64.init) ?? 0,
                                                      limit: Int(request.queryParameter("limit") ?? "50") ?? 50)
            return .json(MessagePage(data: replies, last_message_id: nil))
        }

        authed("PATCH", path + "/:message_id", "Edit one's own message inside the community's edit window (the old text is kept)", tag: "communities",
               body: .json(.object([.required("body", Schema.text(max: CommunityMessage.bodyLimit))], closed: true)),
               answers: .json(.model(CommunityMessage.self))) { request, context, principal in
            let (access, row, id) = try await s.message(principal, context)
            try access.require(.post, in: row.channel, to: "edit messages here")
            let text = String(try JSONBody(request).requiredString("body", max: CommunityMessage.bodyLimit).trimmingPrefixAndSuffixSpaces())
            guard !text.isEmpty else { throw APIError.invalidField("body", "must not be blank") }
            guard let message = try await s.messages.edit(access, row.channel, id: id, body: text) else { throw APIError.notFound("message") }
            return .json(message)
        }

        authed("GET", path + "/:message_id/history", "An edited message's earlier texts, newest first", tag: "communities",
               answers: .json(.object([.required("data", .array(.model(MessageEdit.self)))], closed: true))) { _, context, principal in
            let (access, row, id) = try await s.message(principal, context)
            guard try await s.messages.get(access, row.channel, id: id) != nil else { throw APIError.notFound("message") }
            return .json(["data": try JSONValueEncoder.encode(try await s.messages.history(access, id: id))] as JSONValue)
        }

        authed("DELETE", path + "/:message_id", "Delete a message: one's own, or as a moderator one by a member below one's role", tag: "communities",
               query: [Self.reasonParameter], answers: .empty, success: 204) { request, context, principal in
            let (access, row, id) = try await s.message(principal, context)
            guard try await s.messages.delete(access, row.channel, id: id, reason: request.queryParameter("reason") ?? "") else {
                throw APIError.notFound("message")
            }
            return Response(status: 204)
        }

        for (method, adding, summary) in [("PUT", true, "React to a message with an emoji (react permission; not while timed out)"),
                                          ("DELETE", false, "Take one's reaction back")] {
            authed(method, path + "/:message_id/reactions/:emoji", summary, tag: "communities",
                   answers: .json(.model(CommunityMessage.self))) { _, context, principal in
                let (access, row, id) = try await s.message(principal, context)
                // Any short text counts (an emoji, or a custom one's name); one with control characters or
                // only spaces names no reaction there could be.
                let emoji = PercentDecoding.decode(context.parameter("emoji"))
                guard emoji.unicodeScalars.contains(where: { !$0.properties.isWhitespace }),
                      emoji.unicodeScalars.allSatisfy({ $0.value >= 0x20 && !(0x7F...0x9F).contains($0.value) }) else { throw APIError.notFound("emoji") }
                if adding { try access.require(.react, in: row.channel, to: "react here") }
                guard let message = try await s.messages.react(access, row.channel, id: id, emoji: emoji, adding: adding) else { throw APIError.notFound("message") }
                return .json(message)
            }
        }
    }

    static let limitParameter = Parameter.query("limit", Schema.string(max: 3, pattern: "^(?:[1-9][0-9]?|100)$").example("50"), "At most this many (1-100, default 50)")

    static let anchorParameters: [Parameter] = [
        .query("before", Schema.string(max: 19, pattern: "^[0-9]+$"), "Messages before this id (older)"),
        .query("after", Schema.string(max: 19, pattern: "^[0-9]+$"), "Messages after this id (newer)"),
        .query("around", Schema.string(max: 19, pattern: "^[0-9]+$"), "Half the page before this id, the rest from it on (wins over before and after)"),
        limitParameter,
    ]

    static let messagePage = Schema.object([
        .required("data", .array(.model(CommunityMessage.self))),
        .optional("last_message_id", Schema.integer(min: 1).described("The channel's latest top-level message: more to read while the page ends below it")),
    ], closed: true)
}

struct MessagePage: Encodable {
    let data: [CommunityMessage]
    let last_message_id: Int64?
}

extension CommunitiesDomain {
    /// The community, the channel and the message id of a message route.
    func message(_ principal: Principal, _ context: RequestContext) async throws -> (CommunityAccess, ChannelRow, Int64) {
        let access = try await member(principal, context.parameter("id"))
        let row = try await channel(access, context.parameter("channel_id"))
        guard let id = Int64(context.parameter("message_id")), id > 0 else { throw APIError.notFound("message") }
        return (access, row, id)
    }
}
