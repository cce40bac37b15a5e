/// Ends every live subscription of a host's pub/sub broker when the host stops. Listed just after the HTTP
/// server, so it stops first: live streams (SSE, WebSocket fan-out) then finish their responses and their
/// connections close, instead of holding the server's drain to the deadline.
struct LiveStreamsShutdown: Service, CustomStringConvertible {
    let broker: any PubSubBroker

    var description: String { "live streams" }

    func run() async {
        try? await gracefulShutdown()
        broker.finishAll()
    }
}
