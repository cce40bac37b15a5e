import OzziRuntime

/// One visitor's live connection. The first message must be `{"type":"hello","token":...,"after":seq}`
/// within ten seconds; then the socket receives `{"type":"message","message":{...}}` for every message after
/// `after` — first those it missed, then each as it is written — and `{"type":"read","seq":n}` when the team
/// has read. Subscribing before reading what was missed, and skipping seqs already sent, means a reconnect
/// neither loses nor repeats a message; `{"type":"typing"}` says the team is typing. The visitor may send
/// `{"type":"read","seq":n}` (a read receipt) and `{"type":"typing"}`.
struct VisitorSocket {
    let chat: WidgetChat
    let socket: WebSocket

    func run() async throws {
        guard let hello = try await firstMessage(), let token = hello["token"]?.stringValue else {
            await socket.close(code: WebSocketCloseCode.protocolError, reason: "expected a hello with the session token")
            return
        }
        let authorization = "Bearer " + token
        let me = try await chat.visitorCall("GET", "", authorization: authorization)
        guard me.status == 200, let topic = (try? JSONValue(jsonBytes: me.bodyBytes))?["topic"]?.stringValue else {
            await socket.close(code: 4401, reason: "unknown session")
            return
        }
        let subscription = try await chat.pubsub.subscribe(topic)
        defer { subscription.cancel() }
        // Int64(exactly:) refuses what is not a whole number in range (1e19 would trap a plain conversion).
        let after = hello["after"]?.numberValue.flatMap { Int64(exactly: $0) }.map { max(0, $0) } ?? 0
        let missed = try await chat.visitorCall("GET", "/messages?after=\(after)", authorization: authorization)
        var caughtUp = after
        for message in (try? JSONValue(jsonBytes: missed.bodyBytes))?["messages"]?.arrayValue ?? [] {
            caughtUp = max(caughtUp, Self.seq(of: message))
            try await send(message)
        }
        // Live messages may arrive out of seq order (two agents replying at once): only those the catch-up
        // already sent are skipped; the page tells the rest apart by id.
        let highWater = caughtUp
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await update in subscription.messages {
                    if update["type"]?.stringValue == "message", let message = update["message"] {
                        if Self.seq(of: message) > highWater { try await send(message) }
                    } else {
                        try await socket.send(text: String(decoding: update.jsonBytes, as: UTF8.self))
                    }
                }
            }
            group.addTask {
                var lastTyping = ContinuousClock.now - .seconds(10)
                for await incoming in socket.messages {
                    guard case .text(let text) = incoming, let value = try? JSONValue(jsonBytes: Array(text.utf8)) else { continue }
                    switch value["type"]?.stringValue {
                    case "read":
                        guard let seq = value["seq"]?.numberValue else { continue }
                        _ = try? await chat.visitorCall("POST", "/read", authorization: authorization, body: (["seq": .number(seq)] as JSONValue).jsonBytes)
                    case "typing":
                        // At most one every two seconds reaches the team, however often the page sends it.
                        guard ContinuousClock.now - lastTyping >= .seconds(2) else { continue }
                        lastTyping = ContinuousClock.now
                        _ = try? await chat.visitorCall("POST", "/typing", authorization: authorization)
                    default:
                        continue
                    }
                }
            }
            // Either side ending ends the connection: the socket closing ends the reader; the host shutting down
            // ends the subscription, and closing the socket then ends the reader, which waits on the peer.
            try await group.next()
            await socket.close(code: WebSocketCloseCode.goingAway, reason: "")
            group.cancelAll()
        }
    }

    /// A message's seq as the api wrote it (a whole number), 0 for anything else.
    private static func seq(of message: JSONValue) -> Int64 {
        message["seq"]?.numberValue.flatMap { Int64(exactly: $0) } ?? 0
    }

    private func send(_ message: JSONValue) async throws {
        try await socket.send(text: String(decoding: (["type": "message", "message": message] as JSONValue).jsonBytes, as: UTF8.self))
    }

    /// The hello, or nil when the visitor sends something else, or nothing for ten seconds (the socket is
    /// then closed, which ends the read).
    private func firstMessage() async throws -> JSONValue? {
        let socket = self.socket
        let timer = Task {
            try await Task.sleep(for: .seconds(10))
            await socket.close(code: WebSocketCloseCode.protocolError, reason: "no hello within 10 seconds")
        }
        defer { timer.cancel() }
        var messages = socket.messages.makeAsyncIterator()
        guard case .text(let text) = await messages.next(), let value = try? JSONValue(jsonBytes: Array(text.utf8)),
              value["type"]?.stringValue == "hello" else { return nil }
        return value
    }
}
