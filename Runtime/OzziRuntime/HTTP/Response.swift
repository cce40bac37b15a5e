import FoundationEssentials

/// An HTTP response from a worker: bytes, a stream written as it is produced, or a WebSocket upgrade.
public struct Response: Sendable {
    public enum Body: Sendable {
        case bytes([UInt8])
        /// Sent with chunked transfer coding; `write` suspends while the peer is slow (back-pressure).
        case stream(@Sendable (ResponseBodyWriter) async throws -> Void)
        /// Answers a WebSocket handshake; the handler owns the socket until it returns or the peer closes.
        case webSocket(WebSocketUpgrade)
    }

    public var status: Int
    public var headers: HTTPHeaders
    public var body: Body

    public init(status: Int = 200, headers: HTTPHeaders = [:], body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func bytes(_ bytes: [UInt8], status: Int = 200, contentType: String) -> Response {
        Response(status: status, headers: ["content-type": contentType], body: .bytes(bytes))
    }

    public static func text(_ text: String, status: Int = 200) -> Response {
        bytes(Array(text.utf8), status: status, contentType: "text/plain; charset=utf-8")
    }

    public static func html(_ html: String, status: Int = 200) -> Response {
        bytes(Array(html.utf8), status: status, contentType: "text/html; charset=utf-8")
    }

    public static func javascript(_ source: String, status: Int = 200) -> Response {
        bytes(Array(source.utf8), status: status, contentType: "text/javascript; charset=utf-8")
    }

    /// JSON with ISO-8601 dates and sorted keys; models spell their snake_case keys in `CodingKeys`.
    public static func json<T: Encodable>(_ value: T, status: Int = 200) -> Response {
        do {
            return bytes(try JSONValueEncoder.encodeBytes(value), status: status, contentType: "application/json")
        } catch {
            return bytes(Array(#"{"error":{"code":"internal","message":"response could not be encoded"}}"#.utf8),
                         status: 500, contentType: "application/json")
        }
    }

    public static func stream(
        status: Int = 200, contentType: String, _ write: @escaping @Sendable (ResponseBodyWriter) async throws -> Void
    ) -> Response {
        Response(status: status, headers: ["content-type": contentType], body: .stream(write))
    }

    public static func webSocket(
        maxMessageBytes: Int? = nil, _ handler: @escaping @Sendable (WebSocket) async throws -> Void
    ) -> Response {
        Response(status: 101, body: .webSocket(WebSocketUpgrade(maxMessageBytes: maxMessageBytes, handler: handler)))
    }

    /// The body bytes of a `.bytes` response; empty for streams and upgrades.
    public var bodyBytes: [UInt8] {
        if case .bytes(let bytes) = body { return bytes }
        return []
    }
}

/// JSON encoders and decoders with the project's conventions.
///
/// No key strategy: it would also rewrite dictionary keys, such as a contact's user-defined custom fields.
public enum JSONCoding {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

extension Response {
    /// A copy with one more header.
    public func adding(header name: String, _ value: String) -> Response {
        var copy = self
        copy.headers.add(name, value)
        return copy
    }
}
