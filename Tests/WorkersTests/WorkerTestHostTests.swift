import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// The harness's two modes answer alike, so what a test asserts does not depend on whether it crossed a socket.
@Suite struct WorkerTestHostTests {
    @Test(arguments: TestMode.allCases)
    func bothModesCarryStatusHeadersCookiesAndErrors(mode: TestMode) async throws {
        let api = try await APIHost.start(mode)
        defer { Task { await api.stop() } }
        let signup = try await api.signUp("modes@example.com")
        #expect(signup.status == 201)
        #expect(signup.headers["content-type"] == "application/json")
        // The session's two cookies, then the expiry of their paths before they covered the origin, then the client's.
        #expect(signup.cookies.map { String($0.prefix { $0 != "=" }) } == ["ozzi_access", "ozzi_refresh", "ozzi_access", "ozzi_refresh", "ozzi_client"])
        let access = try #require(signup.cookies.first.map { String($0.prefix { $0 != ";" }) })
        #expect(try await api.call("GET", "/api/v1/me", headers: ["Cookie": access]).string("user", "email") == "modes@example.com")
        let missing = try await api.call("GET", "/api/v1/contacts/con_missing", token: signup.string("access_token"))
        #expect(missing.status == 404)
        #expect(missing.string("error", "code") == "not_found")
        let unrouted = try await api.call("GET", "/nowhere")
        #expect(unrouted.status == 404)
        #expect(unrouted.string("error", "message") == "no worker is routed for 127.0.0.1/nowhere")
    }

    /// In-process, a stream that never ends is read until the client stops, as curl's `--max-time` does live.
    @Test func anEndlessStreamIsReadUntilTheClientStops() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("stream@example.com").string("access_token"))
        let stream = try await api.call("GET", "/api/v1/stream", token: token, maxSeconds: 2)
        #expect(stream.status == 200)
        #expect(stream.headers["content-type"] == "text/event-stream")
        #expect(stream.body.hasPrefix("retry: 2000\n\n"), "\(stream.body)")
    }
}
