import OzziRuntime

/// One member's live connection to a community (`GET /api/v1/communities/{id}/live?after=N`).
///
/// The socket first gets every change after `after` it may see (none when `after` is left out), then
/// `{"type":"ready","last_seq":N}`, then each change as it commits: `{"type":"event","seq":...,"event":
/// "message.created",...}`. It subscribes before it reads what it missed, skips seqs it already sent, and
/// fills any gap from the table before sending a later seq, so every client sees every change once and in
/// seq order, through reconnects — two clients see the same messages in the same order. A change in a
/// channel the member may not see is never sent, nor a change to the review queue to anyone but the
/// channel's moderators and the submitter. When the community's kept changes no longer reach back
/// to `after`, it sends `{"type":"reset"}` instead (reload, then resume from `last_seq`). A member who
/// leaves, is removed or banned is told, and the socket closes (4403).
struct CommunitySocket {
    let socket: WebSocket
    let principal: Principal
    let communities: CommunityStore
    let channels: ChannelStore
    let live: CommunityLive
    let communityID: String
    let after: Int64?

    /// Closes: the member may no longer be here.
    static let goneCode: UInt16 = 4403

    private final class State: @unchecked Sendable {
        // Confined to the socket's writer task.
        var access: CommunityAccess
        var visible: Set<String> = []
        /// The visible channels whose review queue the member works.
        var moderated: Set<String> = []
        var last: Int64 = 0
        init(access: CommunityAccess) { self.access = access }
    }

    func run() async throws {
        let subscription = try await live.subscribe(communityID)
        defer { subscription.cancel() }
        guard let access = try await communities.access(principal, id: communityID), access.role != nil else {
            await socket.close(code: Self.goneCode, reason: "not a member of this community")
            return
        }
        let state = State(access: access)
        try await refresh(state)
        if let after {
            state.last = after
            // A seq the community has not reached cannot be resumed from (it would skip what comes next).
            let kept = after <= state.access.community.last_seq ? try await catchUp(state, through: nil) : false
            if !kept {
                state.last = state.access.community.last_seq
                try await send(["type": "reset", "last_seq": .number(Double(state.last)),
                                "reason": "the changes since that seq are no longer kept; reload, then resume from last_seq"])
            }
        } else {
            state.last = state.access.community.last_seq
        }
        try await send(["type": "ready", "last_seq": .number(Double(state.last))])

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await message in subscription.messages {
                    if message["type"]?.stringValue == "closed" { return }
                    guard let event = Self.event(message), event.seq > state.last else { continue }
                    if event.seq > state.last + 1 {
                        // An earlier change committed first but was published later: read it (and any other
                        // between) from the table, so nothing goes out of order.
                        _ = try await catchUp(state, through: event.seq - 1)
                    }
                    guard event.seq > state.last else { continue }
                    guard try await deliver(event, state) else { return }
                }
            }
            group.addTask {
                // The member's messages are not read (they post through the API); this notices the close.
                for await _ in socket.messages {}
            }
            try await group.next()
            await socket.close(code: WebSocketCloseCode.goingAway, reason: "")
            group.cancelAll()
        }
    }

    /// Sends the kept changes after `state.last` (up to `through`), page by page; false when they no
    /// longer reach back that far.
    private func catchUp(_ state: State, through: Int64?) async throws -> Bool {
        while true {
            guard let events = try await live.events(communityID, after: state.last, through: through) else { return false }
            for event in events {
                guard try await deliver(event, state) else { return true }
            }
            if events.count < CommunityLive.replayLimit { return true }
        }
    }

    /// Sends one change if the member may see it, and follows what it changes about them; false when they
    /// are no longer a member (the socket then closes).
    private func deliver(_ event: CommunityEvent, _ state: State) async throws -> Bool {
        state.last = event.seq
        let aboutMe = event.data["user_id"]?.stringValue == principal.userID
        let changesAccess = event.type.hasPrefix("member.") && aboutMe || event.type.hasPrefix("channel.")
            || ["roles.updated", "levels.updated"].contains(event.type)
        let visibleBefore = state.visible
        if changesAccess, event.type != "channel.deleted" { try await refreshAccess(state) }
        if let channel = event.channelID, !state.visible.contains(channel) { return true }
        // The review queue is the channel's moderators' and each submitter's own.
        if event.type.hasPrefix("submission."), event.data["submitted_by"]?.stringValue != principal.userID,
           !state.moderated.contains(event.channelID ?? "") { return true }
        // channel.members_changed and channel.deleted are the community's (channel_id null, so a member just
        // listed learns of the channel) but about one channel: only those who see it, or saw it, are told.
        if event.channelID == nil, let named = event.data["channel_id"]?.stringValue,
           !visibleBefore.contains(named), !state.visible.contains(named) { return true }
        try await send(event.json)
        if aboutMe, ["member.left", "member.removed", "member.banned"].contains(event.type), state.access.role == nil {
            await socket.close(code: Self.goneCode, reason: "no longer a member of this community")
            return false
        }
        return true
    }

    private func refreshAccess(_ state: State) async throws {
        guard let access = try await communities.access(principal, id: communityID) else {
            state.access = CommunityAccess(community: state.access.community, userID: principal.userID, memberRole: nil, role: nil,
                                           timedOutUntilMs: nil, points: 0, nowMs: 0)
            state.visible = []
            state.moderated = []
            return
        }
        state.access = access
        try await refresh(state)
    }

    private func refresh(_ state: State) async throws {
        let visible = state.access.role == nil ? [] : try await channels.visible([state.access])
        state.visible = Set(visible.map(\.id))
        state.moderated = Set(visible.filter { state.access.can(.moderate, in: $0) }.map(\.id))
    }

    private static func event(_ message: JSONValue) -> CommunityEvent? {
        guard message["type"]?.stringValue == "event", let seq = message["seq"]?.numberValue.flatMap({ Int64(exactly: $0) }),
              let type = message["event"]?.stringValue else { return nil }
        return CommunityEvent(seq: seq, channelID: message["channel_id"]?.stringValue, type: type, data: message["data"] ?? .null,
                              at: message["created_at"]?.stringValue ?? "")
    }

    private func send(_ value: JSONValue) async throws {
        try await socket.send(text: String(decoding: value.jsonBytes, as: UTF8.self))
    }
}
