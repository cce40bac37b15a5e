import Foundation
import OzziTestSupport
import Testing
@testable import OzziRuntime

/// Routes that take their body streamed, against a live host with the default 10 MiB `max_body_bytes`.
@Suite struct StreamedBodyLiveTests {
    @Test func bodiesBeyondTheBufferLimitStreamToTheHandler() async throws {
        let live = try await LiveHost.start()
        let result = try await Subprocess.python("uploads.py", ["large", String(live.port)])
        await live.stop()
        #expect(result["status"] as? Int == 200)
        let answer = result["answer"] as? [String: Any]
        #expect(answer?["bytes"] as? Int == 40 * 1024 * 1024)
        #expect(answer?["sum"] as? Int == result["expected_sum"] as? Int, "every byte arrived, in order")
        #expect((result["second"] as? [String: Any])?["bytes"] as? Int == 5, "the connection lived on")
        #expect(result["chunked_status"] as? Int == 200)
        #expect(result["buffered_over_limit_status"] as? Int == 413, "buffered routes keep max_body_bytes")
    }

    @Test func routeLimitsAndEarlyAnswers() async throws {
        let live = try await LiveHost.start()
        let result = try await Subprocess.python("uploads.py", ["limits", String(live.port)])
        await live.stop()
        #expect(result["declared_over_limit"] as? Int == 413, "a Content-Length over the route's limit is refused at the head")
        #expect(result["chunked_over_limit"] as? Int == 413)
        #expect((result["chunked_over_limit_message"] as? String)?.contains("1048576 bytes") == true)
        #expect(result["chunked_over_limit_closed"] as? Bool == true)
        #expect(result["early_answer"] as? Int == 403)
        #expect(result["early_answer_connection"] as? String == "close")
        #expect(result["early_answer_closed"] as? Bool == true)
    }

    @Test func aSlowHandlerPushesBackOnTheClient() async throws {
        let live = try await LiveHost.start()
        let result = try await Subprocess.python("uploads.py", ["backpressure", String(live.port), UUID().uuidString])
        await live.stop()
        let sent = result["sent_while_stalled"] as? Int ?? Int.max
        // The client sent until the socket stopped taking bytes, while the handler (held by a gate) read
        // nothing. Socket buffers hold a few MiB; without back-pressure the host would take all 48 MiB.
        #expect(result["gate_waiting"] as? Int == 1, "the handler was waiting, reading nothing, all along")
        #expect(sent < 12 * 1024 * 1024, "the client sent \(sent) bytes while the handler read nothing")
        #expect(result["status"] as? Int == 200)
        let answer = result["answer"] as? [String: Any]
        #expect(answer?["bytes"] as? Int == 48 * 1024 * 1024)
        #expect(answer?["sum"] as? Int == result["expected_sum"] as? Int)
    }

    @Test func aClientThatVanishesMidBodyFailsTheHandlersRead() async throws {
        let live = try await LiveHost.start()
        let result = try await Subprocess.python("uploads.py", ["abort", String(live.port), UUID().uuidString])
        await live.stop()
        let last = result["last"] as? String ?? ""
        #expect(last.hasPrefix("failed after"), "\(last)")
        #expect(last.contains("clientGone"), "\(last)")
    }

    @Test func aStalledBodyTimesOutWith408FromTheHandler() async throws {
        let live = try await LiveHost.start(limits: "body_timeout_ms = 500")
        let result = try await Subprocess.python("uploads.py", ["timeout", String(live.port), UUID().uuidString])
        await live.stop()
        // A 408 at all, while the client holds the socket open, is the body timer at work (the client's own
        // socket timeout only guards against a hang); it cannot come before the 500 ms since the last bytes
        // (timed from before they were sent; the host's loop clock counts whole milliseconds).
        #expect(result["status"] as? Int == 408)
        #expect(result["code"] as? String == "request_timeout")
        let seconds = result["seconds"] as? Double ?? 0
        #expect(seconds >= 0.49, "timed out after \(seconds)s")
        #expect(result["closed"] as? Bool == true)
        #expect((result["last"] as? String)?.hasPrefix("failed after 1000") == true)
    }
}
