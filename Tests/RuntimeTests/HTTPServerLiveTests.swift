import OzziTestSupport
import Foundation
import Testing
@testable import OzziRuntime

/// A live host on an ephemeral port, driven by curl and Python's http.client.
@Suite struct HTTPServerLiveTests {
    func curl(_ arguments: [String], stdin: Data? = nil) async throws -> Subprocess.Output {
        try await Subprocess.curl(arguments, stdin: stdin)
    }

    @Test func keepAliveReusesOneConnection() async throws {
        let live = try await LiveHost.start()
        let output = try await curl(["-v", live.base + "/hello", live.base + "/hello", live.base + "/users/7/posts/9"])
        await live.stop()
        #expect(output.stdout == "hellohello{\"id\":\"7\",\"path\":\"/users/7/posts/9\",\"post\":\"9\"}")
        #expect(output.stderr.contains("Re-using existing connection") || output.stderr.contains("Reusing existing"))
        #expect(output.stderr.components(separatedBy: "Connected to").count == 2, "one TCP connection for three requests")
    }

    @Test func standardHeadersAndRequestId() async throws {
        let live = try await LiveHost.start()
        let output = try await curl(["-i", live.base + "/hello", "-H", "X-Request-Id: trace-123"])
        let plain = try await curl(["-i", live.base + "/hello"])
        await live.stop()
        let head = output.stdout.lowercased()
        #expect(head.hasPrefix("http/1.1 200 ok\r\n"))
        #expect(head.contains("content-length: 5\r\n"))
        #expect(head.contains("date: "))
        #expect(head.contains("x-request-id: trace-123\r\n"), "an incoming request id is kept")
        #expect(plain.stdout.lowercased().range(of: #"x-request-id: [0-9a-v]{15}\r\n"#, options: .regularExpression) != nil)
    }

    @Test func bodiesByLengthAndChunked() async throws {
        let live = try await LiveHost.start()
        let payload = Data((0..<200_000).map { UInt8($0 % 251) })
        let sized = try await curl(["--data-binary", "@-", "-H", "Content-Type: application/x-test", "-D", "-", "-o", "/dev/null", live.base + "/echo"], stdin: payload)
        let chunked = try await curl(["--data-binary", "@-", "-H", "Transfer-Encoding: chunked", live.base + "/echo"], stdin: Data("streamed body".utf8))
        await live.stop()
        #expect(sized.stdout.lowercased().contains("x-body-bytes: 200000"))
        #expect(sized.stdout.lowercased().contains("content-type: application/x-test"))
        #expect(chunked.stdout == "streamed body")
    }

    @Test func expectContinueGetsContinue() async throws {
        let live = try await LiveHost.start()
        let output = try await curl(["-v", "--data-binary", "@-", "-H", "Expect: 100-continue", live.base + "/echo"], stdin: Data(repeating: 0x41, count: 5000))
        await live.stop()
        #expect(output.stderr.contains("HTTP/1.1 100 Continue"))
        #expect(output.stdout.count == 5000)
    }

    @Test func headHasLengthButNoBody() async throws {
        let live = try await LiveHost.start()
        let output = try await curl(["-I", live.base + "/hello"])
        await live.stop()
        #expect(output.stdout.lowercased().contains("content-length: 5"))
        #expect(output.stdout.hasSuffix("\r\n\r\n"))
    }

    @Test func streamedResponseIsChunked() async throws {
        let live = try await LiveHost.start()
        let output = try await curl(["-i", "--raw", live.base + "/stream?chunks=3"])
        await live.stop()
        #expect(output.stdout.lowercased().contains("transfer-encoding: chunked"))
        #expect(output.stdout.hasSuffix("8\r\nchunk 0\n\r\n8\r\nchunk 1\n\r\n8\r\nchunk 2\n\r\n0\r\n\r\n"))
    }

    @Test func errorsAreJSONWithStatus() async throws {
        let live = try await LiveHost.start()
        let missing = try await curl(["-i", live.base + "/nope"])
        let method = try await curl(["-i", "-X", "PUT", live.base + "/hello"])
        let thrown = try await curl(["-i", live.base + "/fail"])
        let client = try await curl(["-i", live.base + "/teapot"])
        await live.stop()
        #expect(missing.stdout.hasPrefix("HTTP/1.1 404"))
        #expect(missing.stdout.contains(#"{"error":{"code":"not_found","message":"no route for GET /nope"}}"#))
        #expect(method.stdout.hasPrefix("HTTP/1.1 405"))
        #expect(method.stdout.lowercased().contains("allow: get, head"))
        #expect(thrown.stdout.hasPrefix("HTTP/1.1 500"))
        #expect(thrown.stdout.contains("internal_error"))
        #expect(client.stdout.hasPrefix("HTTP/1.1 418"))
        #expect(client.stdout.contains(#""message":"short and stout""#))
    }

    @Test func healthRoute() async throws {
        let live = try await LiveHost.start(loops: 2)
        let output = try await curl([live.base + "/__ozzi/health"])
        await live.stop()
        let json = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        #expect(json?["status"] as? String == "ok")
        #expect(json?["workers"] as? [String] == ["probe", "backend"])
        #expect(json?["loops"] as? Int == 2)
    }

    @Test func pipelinedRequestsAnsweredInOrder() async throws {
        let live = try await LiveHost.start()
        let result = try await Subprocess.python("pipelining.py", [String(live.port)])
        await live.stop()
        let responses = result["responses"] as? [[Any]] ?? []
        #expect(responses.map { $0[0] as? Int } == [200, 200, 200, 200, 200])
        #expect(responses.map { $0[1] as? String } == ["slow 150", "first", "second", "", "hello"])
        #expect(Set(responses.map { $0[2] as? String }).count == 5, "each response has its own request id")
        #expect(result["closed"] as? Bool == true, "Connection: close on the last request closes the socket")
    }

    @Test func malformedRequestsGet4xxAndClose() async throws {
        let live = try await LiveHost.start(limits: "max_body_bytes = 1048576")
        let result = try await Subprocess.python("malformed.py", [String(live.port)])
        // The host is still serving after all of that.
        let after = try await curl([live.base + "/hello"])
        await live.stop()
        let expected: [String: Int] = [
            "content_length_and_chunked": 400, "bad_chunk_size": 400, "control_byte_in_value": 400,
            "space_in_header_name": 400, "duplicate_content_length": 400, "missing_host": 400, "garbage": 400,
            "bad_version": 505, "unknown_transfer_coding": 501, "headers_too_large": 431, "body_too_large": 413,
            "chunked_body_too_large": 413, "unknown_expectation": 417, "connect_method": 501,
        ]
        for (name, status) in expected {
            let outcome = result[name] as? [String: Any]
            #expect(outcome?["status"] as? Int == status, "\(name)")
            #expect(outcome?["closed"] as? Bool == true, "\(name) closes the connection")
            #expect(outcome?["code"] is String, "\(name) answers a JSON error")
        }
        #expect(after.stdout == "hello")
    }

    @Test func slowRequestDoesNotDelayOthers() async throws {
        // Two requests in flight on the one loop, neither done until the test says so: one suspended in its
        // handler, one holding a blocking-pool thread. Another request is answered while both still wait.
        let live = try await LiveHost.start(loops: 1)
        let gate = "slow-others-\(UUID().uuidString)"
        async let slowAsync = curl(["--max-time", "90", live.base + "/gate?name=\(gate)"])
        async let slowBlocking = curl(["--max-time", "90", live.base + "/gate?name=\(gate)&blocking=1"])
        let bothWaiting = try await Poll.until { ProbeWorker.gates.waiting(gate) == 2 }
        let quick = try await curl([live.base + "/hello"])
        let stillWaiting = try await curl([live.base + "/gate/waiting?name=\(gate)"])
        ProbeWorker.gates.open(gate)
        let (a, b) = try await (slowAsync, slowBlocking)
        await live.stop()
        #expect(bothWaiting, "both slow requests reached their handlers")
        #expect(quick.stdout == "hello")
        #expect(stillWaiting.stdout == "2", "answered while the two slow requests were still in flight on the same loop")
        #expect(a.stdout == "opened \(gate)")
        #expect(b.stdout == "opened \(gate)")
    }
}
