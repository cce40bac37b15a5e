@testable import APIWorker
import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// Webhook endpoints as a contract: their list pages like every other list (a bad `limit` or `cursor` is a
/// 422, not a page), the document states the URL and event-type rules the handlers keep, and answers are
/// what their schemas say.
@Suite struct WebhookContractTests {
    @Test func endpointsPageAndTheirRulesAreDocumented() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("hooks@example.com").string("access_token"))

        let bad = try await api.call("GET", "/api/v1/webhook-endpoints?limit=-1&cursor=garbage", token: token)
        #expect(bad.status == 422 && bad.string("error", "details", "field") == "limit", "\(bad.body)")
        let cursor = try await api.call("GET", "/api/v1/webhook-endpoints?cursor=garbage!", token: token)
        #expect(cursor.status == 422 && cursor.string("error", "details", "field") == "cursor", "\(cursor.body)")

        var created: [String] = []
        for n in 1...3 {
            let endpoint = try await api.call("POST", "/api/v1/webhook-endpoints", json: ["url": .string("https://8.8.8.\(n)/hook"), "event_types": ["message.status"]],
                                              token: token)
            #expect(endpoint.status == 201, "\(endpoint.body)")
            created.append(try #require(endpoint.string("id")))
            do { try WebhookEndpoint.schema.validate(endpoint.json, at: "") } catch { Issue.record("\(error.message): \(endpoint.body)") }
            #expect(endpoint.string("secret")?.hasPrefix("whsec_") == true, "the secret, once")
        }
        var listed: [String] = [], next: String?
        repeat {
            let page = try await api.call("GET", "/api/v1/webhook-endpoints?limit=2" + (next.map { "&cursor=\($0)" } ?? ""), token: token)
            do { try Page<WebhookEndpoint>.schema(of: .model(WebhookEndpoint.self)).validate(page.json, at: "") } catch { Issue.record("\(error.message): \(page.body)") }
            #expect(page.data.allSatisfy { $0["secret"] == nil }, "never again after creation")
            listed += page.data.compactMap { $0["id"]?.stringValue }
            next = page.string("next_cursor")
        } while next != nil && listed.count < 10
        #expect(listed == created, "oldest first, each once")

        let one = try await api.call("GET", "/api/v1/webhook-endpoints/\(created[0])?limit=2", token: token)
        do { try RouteGroup.EndpointWithDeliveries.schema.validate(one.json, at: "") } catch { Issue.record("\(error.message): \(one.body)") }
        let tooMany = try await api.call("GET", "/api/v1/webhook-endpoints/\(created[0])?limit=101", token: token)
        #expect(tooMany.status == 422 && tooMany.string("error", "details", "field") == "limit", "\(tooMany.body)")

        let document = try await api.call("GET", "/api/v1/openapi.json").json
        let body = document["paths"]?["/api/v1/webhook-endpoints"]?["post"]?["requestBody"]?["content"]?["application/json"]?["schema"]
        #expect(body?["properties"]?["url"]?["pattern"]?.stringValue == WebhookEndpoint.urlPattern(allowHTTP: false), "this host refuses http targets")
        #expect(body?["properties"]?["url"]?["format"] == "uri")
        let types = body?["properties"]?["event_types"]?["type"] == ["array", "null"] ? body?["properties"]?["event_types"]?["items"]?["enum"] : nil
        #expect(types?.arrayValue?.first == "*" && types?.arrayValue?.contains("contact.created") == true, "\(String(describing: types))")
        for (json, field) in [(["url": "https://8.8.8.8/", "event_types": ["message.sent"]], "event_types[0]"), (["url": "http://8.8.8.8/"], "url"),
                              (["url": "https://8.8.8.8/", "event_types": []], "event_types")] as [(JSONValue, String)] {
            let refused = try await api.call("POST", "/api/v1/webhook-endpoints", json: json, token: token)
            #expect(refused.status == 422 && refused.string("error", "details", "field") == field, "\(json): \(refused.body)")
        }
    }

    /// The URL pattern takes only URIs (RFC 3986) that `OutboundURL` reads too, and the ordinary ones it reads.
    @Test func theURLPatternAgreesWithTheURLReader() {
        let strict = Pattern(WebhookEndpoint.urlPattern(allowHTTP: false)), local = Pattern(WebhookEndpoint.urlPattern(allowHTTP: true))
        for url in ["https://example.com/hook", "HTTPS://Example.com:8443/x?y=1#z", "https://user:pw@example.com", "https://[2606:4700::1111]/hook",
                    "https://example.com:65535", "https://ex%41mple.com/a%20b?q=1&r=(2)#top", "https://[::ffff:8.8.8.8]/", "https://[1:2:3:4:5:6:7:8]:8443/",
                    "https://[64:ff9b::808:808]/"] {
            #expect(strict.matches(url) && OutboundURL(url) != nil, "\(url)")
        }
        #expect(local.matches("http://127.0.0.1:8080/in") && !strict.matches("http://127.0.0.1:8080/in"))
        for url in ["https://", "https://user@/", "https://example.com:0/", "https://example.com:65536/", "https://example.com:/", "https://[::1/",
                    "ftp://example.com/", "https//example.com", " https://example.com/", "https://:443/"] {
            #expect(!local.matches(url), "\(url)")
            #expect(OutboundURL(url) == nil, "\(url)")
        }
        // Not URIs, though OutboundURL reads them: the schema refuses them first.
        for url in ["HTTP://[0]", "https://[1::2::3]/", "https://exa mple.com/", "https://example.com/a b", "https://a@b@example.com/",
                    "https://example.com/%zz", "https://bücher.example/"] {
            #expect(!local.matches(url), "\(url)")
        }
    }
}
