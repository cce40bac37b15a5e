import Testing
@testable import OzziRuntime

/// `/__ozzi/metrics` and `/__ozzi/tail` on a host, through its dispatcher.
@Suite struct OperatorEndpointsTests {
    func get(_ host: LiveHost, _ path: String, token: String? = nil) async -> Response {
        var headers: HTTPHeaders = [:]
        if let token { headers["authorization"] = "Bearer \(token)" }
        return await host.host.respond(to: Request(method: "GET", target: path, headers: headers))
    }

    @Test func withoutATokenConfiguredTheEndpointsAreAbsent() async throws {
        let host = try await LiveHost.start()
        defer { Task { await host.stop() } }
        #expect(await get(host, "/__ozzi/metrics", token: "anything").status == 404)
        #expect(await get(host, "/__ozzi/tail?worker=probe", token: "anything").status == 404)
    }

    @Test func aMissingOrWrongTokenIsRefused() async throws {
        let host = try await LiveHost.start(server: #"ops_token = "right""#)
        defer { Task { await host.stop() } }
        #expect(await get(host, "/__ozzi/metrics").status == 401)
        #expect(await get(host, "/__ozzi/metrics", token: "wrong").status == 401)
        #expect(await get(host, "/__ozzi/tail?worker=probe", token: "righ").status == 401)
        let answer = await get(host, "/__ozzi/metrics", token: "right")
        #expect(answer.status == 200)
        #expect(answer.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(await get(host, "/__ozzi/tail?worker=nobody", token: "right").status == 404)
    }

    @Test func requestsAreCountedByRoutePatternNeverByPath() async throws {
        let host = try await LiveHost.start(server: #"ops_token = "t""#)
        defer { Task { await host.stop() } }
        for path in ["/users/1/posts/2", "/users/7/posts/9", "/hello", "/no/such/route", "/backend/hello"] {
            _ = await get(host, path)
        }
        for path in ["/hello", "/__ozzi/health"] {
            _ = await host.host.respond(to: Request(method: "BREW\(UInt32.random(in: 0...UInt32.max))", target: path))
        }
        let text = String(decoding: await get(host, "/__ozzi/metrics", token: "t").bodyBytes, as: UTF8.self)
        #expect(text.contains(#"ozzi_http_requests_total{worker="probe",method="GET",route="/users/:id/posts/:post",status="2xx"} 2"#), "\(text)")
        #expect(text.contains(#"ozzi_http_requests_total{worker="probe",method="GET",route="/hello",status="2xx"} 1"#))
        #expect(text.contains(#"ozzi_http_requests_total{worker="probe",method="GET",route="(unmatched)",status="4xx"} 1"#))
        #expect(text.contains(#"ozzi_http_requests_total{worker="backend",method="GET",route="/hello",status="2xx"} 1"#), "the mounted worker's own pattern")
        #expect(text.contains(#"ozzi_http_request_duration_seconds_count{worker="probe",method="GET",route="/users/:id/posts/:post"} 2"#))
        #expect(!text.contains("/users/1"), "raw paths never become labels")
        #expect(!text.contains("BREW"), "nor a client's made-up methods")
        #expect(text.contains(#"ozzi_http_requests_total{worker="probe",method="OTHER",route="(unmatched)",status="4xx"} 1"#))
        #expect(text.contains(#"ozzi_http_requests_total{worker="(host)",method="OTHER",route="/__ozzi/health",status="4xx"} 1"#))
        #expect(text.contains("ozzi_open_connections 0"))
    }
}
