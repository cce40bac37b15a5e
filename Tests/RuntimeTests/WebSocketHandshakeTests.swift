import OzziTestSupport
import Testing
@testable import OzziRuntime

@Suite struct WebSocketHandshakeTests {
    @Test func acceptKeyFromRFC6455() {
        // RFC 6455 §1.3's worked example.
        #expect(WebSocketHandshake.accept(key: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func handshakeNeedsEveryHeader() {
        let good: HTTPHeaders = [
            "Upgrade": "websocket", "Connection": "keep-alive, Upgrade",
            "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        ]
        #expect(WebSocketHandshake.acceptValue(for: good) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        var oldVersion = good
        oldVersion["Sec-WebSocket-Version"] = "8"
        #expect(WebSocketHandshake.acceptValue(for: oldVersion) == nil)
        var shortKey = good
        shortKey["Sec-WebSocket-Key"] = "c2hvcnQ="
        #expect(WebSocketHandshake.acceptValue(for: shortKey) == nil)
    }

    @Test func base64RoundTrip() {
        for text in ["", "f", "fo", "foo", "foob", "fooba", "foobar"] {
            let encoded = Base64.encode(Array(text.utf8))
            #expect(Base64.decode(encoded) == Array(text.utf8))
        }
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.decode("Zm9vYg==") == Array("foob".utf8))
        #expect(Base64.decode("not base64!") == nil)
    }
}
