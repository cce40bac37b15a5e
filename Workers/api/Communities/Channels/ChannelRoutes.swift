import OzziRuntime

/// A community's channels: the list with unread counts, changes (by those who manage channels), a
/// private channel's members, and read positions.
extension RouteGroup {
    func addChannelRoutes(_ s: CommunitiesDomain) {
        authed("GET", "/:id/channels", "The channels the caller may see, by name, with unread and mention counts", tag: "communities",
               answers: .json(.object([.required("data", .array(.model(ChannelView.self)))], closed: true))) { _, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            return .json(["data": try JSONValueEncoder.encode(try await s.channels.list(access).map { $0.view(access) })] as JSONValue)
        }

        authed("POST", "/:id/channels", "Create a channel (manage_channels); a private one with its first members", tag: "communities",
               body: ChannelInput.body(creating: true), answers: .json(.model(ChannelView.self)), success: 201, creates: true) { request, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            try access.require(.manage_channels, to: "create channels")
            let input = try ChannelInput(request, creating: true)
            try input.checkOverrides(access)
            return .json(try await s.channels.create(access, input).view(access), status: 201)
        }

        authed("GET", "/:id/channels/:channel_id", "One channel (a private one only for its members and those who manage channels)",
               tag: "communities", answers: .json(.model(ChannelView.self))) { _, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            return .json(try await s.channel(access, context.parameter("channel_id")).view(access))
        }

        authed("PATCH", "/:id/channels/:channel_id", "Change a channel's name, topic, privacy or overrides (manage_channels)", tag: "communities",
               body: ChannelInput.body(creating: false), answers: .json(.model(ChannelView.self))) { request, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            let row = try await s.channel(access, context.parameter("channel_id"))
            try access.require(.manage_channels, to: "change channels")
            let input = try ChannelInput(request, creating: false)
            try input.checkOverrides(access)
            guard let changed = try await s.channels.update(access, row.channel, input) else { throw APIError.notFound("channel") }
            return .json(changed.view(access))
        }

        authed("DELETE", "/:id/channels/:channel_id", "Delete a channel with its messages (manage_channels)", tag: "communities",
               answers: .empty, success: 204) { _, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            let row = try await s.channel(access, context.parameter("channel_id"))
            try access.require(.manage_channels, to: "delete channels")
            try await s.channels.delete(access, row.channel)
            return Response(status: 204)
        }

        authed("GET", "/:id/channels/:channel_id/members", "A private channel's listed members (user ids)", tag: "communities",
               answers: .json(Self.channelMembers)) { _, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            let row = try await s.channel(access, context.parameter("channel_id"))
            return .json(["data": .array(try await s.channels.members(row.channel).map(JSONValue.string))] as JSONValue)
        }

        authed("POST", "/:id/channels/:channel_id/members", "List community members in a private channel, or take them out (manage_channels)",
               tag: "communities", body: .json(.object([
                   .optional("add", .array(Schema.string(min: 1, max: 64), max: 1000)),
                   .optional("remove", .array(Schema.string(min: 1, max: 64), max: 1000)),
               ], atLeastOne: [["add", "remove"]], closed: true)),
               answers: .json(Self.channelMembers)) { request, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            let row = try await s.channel(access, context.parameter("channel_id"))
            try access.require(.manage_channels, to: "change a channel's members")
            guard row.channel.isPrivate else {
                throw APIError.conflict("only a private channel lists its members; every member sees a public one", details: .object(["state": "public"]))
            }
            let body = try JSONBody(request)
            let add = body.fields["add"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let remove = body.fields["remove"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return .json(["data": .array(try await s.channels.changeMembers(access, row.channel, add: add, remove: remove).map(JSONValue.string))] as JSONValue)
        }

        authed("POST", "/:id/channels/:channel_id/read", "Move the caller's read position forward to a message id (never back)", tag: "communities",
               body: .json(.object([.required("message_id", Schema.integer(min: 0))], closed: true)),
               answers: .json(.model(ChannelView.self))) { request, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            let row = try await s.channel(access, context.parameter("channel_id"))
            let id = try JSONBody(request).int("message_id", 0...Int.max) ?? 0
            try await s.channels.markRead(access, row.channel, upTo: Int64(id))
            return .json(try await s.channel(access, row.channel.id).view(access))
        }
    }

    static let channelMembers = Schema.object([.required("data", .array(.string()))], closed: true)
}
