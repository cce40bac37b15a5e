import OzziRuntime

/// `GET /api/v1/stream`: the workspace's changes as Server-Sent Events, with heartbeats, and resumption
/// from `Last-Event-ID` over short gaps.
extension RouteGroup {
    func addStreamRoutes(_ s: LiveDomain) {
        let heartbeat = s.streamHeartbeatSeconds
        authed("GET", "",
               "Server-Sent Events of the workspace's changes (message.status, message.inbound, contact.*, group.*, conversation.*, community.*); resumes from Last-Event-ID. conversation.typing events carry no id and are not replayed; a private community channel's changes reach only the workspace's admins",
               tag: "live", query: Self.resumeParameters, answers: .events) { request, _, principal in
            let scope = principal.scope
            // A private community channel's changes reach only the workspace's admins (who run its communities).
            let hidesPrivate = principal.role < .admin
            // Subscribe before reading what was missed, so nothing falls between the two.
            let subscription = try await s.events.subscribe(scope)
            let lastID = request.headers["last-event-id"] ?? request.queryParameter("last_event_id")
            let missed: [WorkspaceEvent]?? = if let lastID { .some(try await s.events.since(scope, lastID: lastID)) } else { .none }
            var response = Response.stream(contentType: "text/event-stream") { writer in
                let beats = Task {
                    while !Task.isCancelled {
                        try await Task.sleep(for: .seconds(heartbeat))
                        do { try await writer.write(": heartbeat\n\n") } catch { subscription.cancel(); return }
                    }
                }
                defer {
                    beats.cancel()
                    subscription.cancel()
                }
                try await writer.write("retry: 2000\n\n")
                var seen: Int64 = 0
                switch missed {
                case .some(.some(let events)):
                    for event in events {
                        seen = event.sequence
                        if hidesPrivate, event.data["private_channel"] == true { continue }
                        try await writer.write(Self.serverSentEvent(id: event.id, type: event.type, json: event.json))
                    }
                case .some(.none):
                    try await writer.write("event: reset\ndata: {\"reason\":\"the events since Last-Event-ID are no longer kept; reload\"}\n\n")
                case .none:
                    break
                }
                for await message in subscription.messages {
                    if message["ephemeral"] == true, let type = message["type"]?.stringValue {
                        try await writer.write("event: \(type)\ndata: \(String(decoding: (message["data"] ?? .null).jsonBytes, as: UTF8.self))\n\n")
                        continue
                    }
                    guard let id = message["id"]?.stringValue, let type = message["type"]?.stringValue else { continue }
                    // Events come in sequence: numbered as they commit (SQLite's one writer; on PostgreSQL
                    // every transaction holds the schema's lock) and handed on by one host at a time, in
                    // order. So one at or below the last seen was sent already: from the replay, or handed on
                    // again by a host that took over from one that stopped before moving the cursor past it.
                    let sequence = Int64(id) ?? 0
                    if sequence <= seen { continue }
                    seen = sequence
                    if hidesPrivate, message["data"]?["private_channel"] == true { continue }
                    try await writer.write(Self.serverSentEvent(id: id, type: type, json: message))
                }
            }
            response.headers["cache-control"] = "no-cache"
            response.headers["x-accel-buffering"] = "no"
            return response
        }
    }

    /// Where a stream resumes: any id is taken; one that is not a kept event of the workspace (or too far
    /// back) starts the stream with a `reset` event instead of the events missed.
    static let resumeParameters: [Parameter] = [
        .header("Last-Event-ID", Schema.string().example("42"),
                "The id of the last event received (EventSource sends it when it reconnects): the events after it are sent first"),
        .query("last_event_id", Schema.string().example("42"), "Last-Event-ID for clients that cannot set headers; the header wins when both are given"),
    ]

    /// One SSE frame; the data is the event's JSON on one line.
    static func serverSentEvent(id: String, type: String, json: JSONValue) -> String {
        "id: \(id)\nevent: \(type)\ndata: \(String(decoding: json.jsonBytes, as: UTF8.self))\n\n"
    }
}
