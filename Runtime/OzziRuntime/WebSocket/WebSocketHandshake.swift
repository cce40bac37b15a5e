/// The server side of the RFC 6455 opening handshake.
enum WebSocketHandshake {
    private static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// The `Sec-WebSocket-Accept` value, or nil when the request is not a valid version-13 handshake.
    static func acceptValue(for headers: HTTPHeaders) -> String? {
        guard headers.hasToken("websocket", in: "upgrade"),
              headers.hasToken("upgrade", in: "connection"),
              headers["sec-websocket-version"] == "13",
              let key = headers["sec-websocket-key"], Base64.decode(key)?.count == 16 else { return nil }
        return accept(key: key)
    }

    static func accept(key: String) -> String {
        Base64.encode(Crypto.sha1(Array((key + guid).utf8)))
    }

    static func switchingProtocols(accept: String, requestID: String, date: [UInt8]) -> [UInt8] {
        var out = Array("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: \(accept)\r\ndate: ".utf8)
        out.append(contentsOf: date)
        out.append(contentsOf: "\r\nx-request-id: \(requestID)\r\n\r\n".utf8)
        return out
    }
}
