import OzziTestSupport
import Testing
@testable import OzziRuntime

/// WebSocket upgrades from a worker's fetch, driven by the Python `websockets` client.
@Suite struct WebSocketLiveTests {
    @Test func echoFragmentsPingCloseAndLimits() async throws {
        let live = try await LiveHost.start(limits: "max_websocket_message_bytes = 1048576")
        let result = try await Subprocess.python("websocket_client.py", [String(live.port)])
        await live.stop()
        #expect(result["text"] as? String == "hello")
        #expect(result["binary"] as? [Int] == [0, 1, 255])
        #expect(result["fragmented"] as? String == "fragmented")
        #expect(result["pong"] as? Bool == true)
        #expect(result["large_echo"] as? Int == 500_000)
        #expect(result["server_close_code"] as? Int == 4001)
        #expect(result["server_close_reason"] as? String == "asked to")
        #expect(result["client_close_code"] as? Int == 4002)
        #expect(result["too_big_code"] as? Int == 1009)
        #expect(result["invalid_utf8_code"] as? Int == 1007)
        #expect(result["frame_with_handshake"] as? String == "early")
        #expect(result["plain_get_status"] as? Int == 426)
    }
}
