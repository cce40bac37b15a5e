import OzziRuntime

/// Live updates to a widget visitor: published on the host's pub/sub under the visitor's topic, where the
/// widget worker's WebSocket for that visitor listens (on any host, with Redis). A visitor offline misses
/// nothing: the widget catches up by seq when it reconnects.
struct VisitorLine: Sendable {
    let pubsub: any PubSubBroker

    func message(_ message: ConversationMessage, to visitorID: String) async {
        _ = try? await pubsub.publish("widget-visitor:" + visitorID, ["type": "message", "message": message.forVisitor])
    }

    /// The team has read the visitor's messages up to `seq` (a read receipt).
    func read(upTo seq: Int64, to visitorID: String) async {
        _ = try? await pubsub.publish("widget-visitor:" + visitorID, ["type": "read", "seq": .number(Double(seq))])
    }

    /// Someone of the team is typing in the visitor's conversation.
    func typing(to visitorID: String) async {
        _ = try? await pubsub.publish("widget-visitor:" + visitorID, ["type": "typing"])
    }
}
