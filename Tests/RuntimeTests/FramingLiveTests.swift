import OzziTestSupport
import Testing
@testable import OzziRuntime

/// Request framing and request targets a stricter front proxy could read differently, over a real socket.
@Suite struct FramingLiveTests {
    @Test func lenientFramingGets400AndClose() async throws {
        let live = try await LiveHost.start()
        let cases = [
            "framing_bytes_after_chunk_data", "framing_bytes_after_streamed_chunk_data",
            "framing_bare_lf_in_chunk_extension", "framing_nul_in_chunk_extension", "framing_bare_lf_after_chunk_size",
            "framing_obs_fold_transfer_encoding", "framing_obs_fold_content_length", "framing_bare_lf_line_ends",
            "framing_cr_without_lf_ends_head", "framing_tab_in_request_line", "framing_space_before_colon",
            "framing_tab_before_colon", "absolute_form_other_scheme", "absolute_form_userinfo", "absolute_form_bad_port",
        ]
        let result = try await Subprocess.python("malformed.py", [String(live.port)] + cases)
        let after = try await Subprocess.curl([live.base + "/hello"])
        await live.stop()
        for name in cases {
            let outcome = result[name] as? [String: Any]
            #expect(outcome?["status"] as? Int == 400, "\(name)")
            #expect(outcome?["closed"] as? Bool == true, "\(name) closes the connection")
            #expect(outcome?["code"] as? String == "bad_request", "\(name) answers a JSON error")
        }
        #expect(after.stdout == "hello")
    }

    @Test(arguments: ["whole", "drip"]) func wellFramedPipelinedRequestsStillWork(_ mode: String) async throws {
        let live = try await LiveHost.start()
        let result = try await Subprocess.python("framing.py", [mode, String(live.port)])
        await live.stop()
        let responses = result["responses"] as? [[Any]] ?? []
        #expect(responses.map { $0[0] as? Int } == [200, 200, 200, 200, 200])
        let sum = "0123456789".utf8.reduce(0) { $0 + Int($1) }
        #expect(responses.map { $0[1] as? String } == ["abc", "defghi", "ok", #"{"bytes":10,"sum":\#(sum)}"#, "hello"])
        #expect(result["closed"] as? Bool == true)
    }

    @Test func absoluteFormRoutesByTheURIsAuthorityNotHost() async throws {
        let live = try await LiveHost.start(extra: """
            [[workers]]
            name = "widget"
            module = "probe"
            routes = ["widget.localhost/*"]
            """)
        let curl = { (target: String, host: String) in
            try await Subprocess.curl(["-i", "--request-target", target, "-H", "Host: \(host)", live.base + "/"])
        }
        let byURI = try await curl("http://127.0.0.1/worker", "widget.localhost")
        let toWidget = try await curl("http://widget.localhost/worker", "127.0.0.1")
        let byHost = try await curl("/worker", "widget.localhost")
        let ftp = try await curl("ftp://widget.localhost/worker", "widget.localhost")
        await live.stop()
        #expect(byURI.stdout.hasPrefix("HTTP/1.1 200"))
        #expect(byURI.stdout.hasSuffix("\r\n\r\nprobe"), "the URI names 127.0.0.1, not the widget's host")
        #expect(toWidget.stdout.hasSuffix("\r\n\r\nwidget"))
        #expect(byHost.stdout.hasSuffix("\r\n\r\nwidget"), "origin-form still routes by Host")
        #expect(ftp.stdout.hasPrefix("HTTP/1.1 400"))
        #expect(ftp.stdout.contains("only http and https are served"))
    }
}
