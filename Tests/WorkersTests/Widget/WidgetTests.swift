import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// Widgets through the API (create, read, change, rotate, disable, delete; bad input named), and what the
/// widget worker serves from them: the loader (cacheable, revalidated) and the iframe (its CSP).
@Suite struct WidgetTests {
    static let origin = ["allowed_origins": ["https://Shop.Example/", "https://*.example.org"]] as JSONValue

    func widget(_ api: WorkerTestHost, _ token: String, _ extra: [String: JSONValue] = [:]) async throws -> TestResponse {
        var body: [String: JSONValue] = ["name": "Shop chat", "allowed_origins": ["https://Shop.Example/", "https://*.example.org"]]
        for (key, value) in extra { body[key] = value }
        return try await api.call("POST", "/api/v1/widgets", json: .object(body), token: token)
    }

    @Test func createReadChangeRotateDisableDelete() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("owner@example.com").string("access_token"))
        let made = try await widget(api, token, ["appearance": ["color": "#ABCDEF", "greeting": "Hi <there>", "position": "bottom-left"]])
        #expect(made.status == 201, "\(made.body)")
        let id = try #require(made.string("id"))
        let key = try #require(made.string("public_key"))
        let secret = try #require(made.string("identity_secret"))
        #expect(key.hasPrefix("wpk_") && key.count == 28 && secret.hasPrefix("wsec_"))
        #expect(made["allowed_origins"] == ["https://shop.example", "https://*.example.org"])
        #expect(made["appearance"] == ["color": "#abcdef", "position": "bottom-left", "launcher_text": "Chat with us", "greeting": "Hi <there>", "locale": "en"])
        #expect(made.string("snippet")?.contains("/widget/loader.js?key=\(key)") == true)

        // The secret is answered once.
        let read = try await api.call("GET", "/api/v1/widgets/\(id)", token: token)
        #expect(read.status == 200 && read["identity_secret"] == nil && read.string("public_key") == key)
        let listed = try await api.call("GET", "/api/v1/widgets", token: token)
        #expect(listed.data.count == 1 && listed.data[0]["identity_secret"] == nil)
        #expect(!listed.body.contains(secret) && !read.body.contains(secret))

        // A partial appearance changes only what it names.
        let changed = try await api.call("PATCH", "/api/v1/widgets/\(id)", json: ["name": "Help", "appearance": ["launcher_text": "Ask us"]], token: token)
        #expect(changed.status == 200, "\(changed.body)")
        #expect(changed.string("name") == "Help" && changed.string("appearance", "launcher_text") == "Ask us" && changed.string("appearance", "color") == "#abcdef")

        let rotated = try await api.call("POST", "/api/v1/widgets/\(id)/rotate-secret", token: token)
        #expect(rotated.status == 200)
        #expect(rotated.string("identity_secret") != nil && rotated.string("identity_secret") != secret && rotated.string("public_key") == key)

        #expect(try await api.call("GET", "/widget/loader.js?key=\(key)").status == 200)
        let visitorToken = try #require(try await api.call("POST", "/widget/api/session", json: ["key": .string(key)],
                                                           headers: ["Origin": "http://127.0.0.1"]).string("visitor_token"))
        let disabled = try await api.call("PATCH", "/api/v1/widgets/\(id)", json: ["enabled": false], token: token)
        #expect(disabled["enabled"] == false)
        #expect(try await api.call("GET", "/widget/loader.js?key=\(key)").status == 404)
        let refused = try await api.call("GET", "/widget/embed?key=\(key)")
        #expect(refused.status == 404 && refused.headers["content-security-policy"]?.hasSuffix("frame-ancestors 'none'") == true)
        let session = try await api.call("POST", "/widget/api/session", json: ["key": .string(key)], headers: ["Origin": "http://127.0.0.1"])
        #expect(session.status == 404, "a disabled widget takes no visitors: \(session.body)")
        let message = try await api.call("POST", "/widget/api/messages", json: ["text": "still there?"],
                                         headers: ["Origin": "http://127.0.0.1", "Authorization": "Bearer \(visitorToken)"])
        #expect(message.status == 401, "a disabled widget's visitors chat no more: \(message.body)")

        #expect(try await api.call("DELETE", "/api/v1/widgets/\(id)", token: token).status == 204)
        #expect(try await api.call("GET", "/api/v1/widgets/\(id)", token: token).status == 404)
    }

    @Test(arguments: [
        (["allowed_origins": ["https://shop.example"]] as JSONValue, "name"),
        (["name": "x"] as JSONValue, "allowed_origins"),
        (["name": "x", "allowed_origins": []] as JSONValue, "allowed_origins"),
        (["name": "x", "allowed_origins": ["https://ok.example", "shop.example"]] as JSONValue, "allowed_origins[1]"),
        (["name": "x", "allowed_origins": ["https://shop.example/path"]] as JSONValue, "allowed_origins[0]"),
        (["name": "x", "allowed_origins": ["https://shop.example"], "appearance": ["color": "red"]] as JSONValue, "appearance.color"),
        (["name": "x", "allowed_origins": ["https://shop.example"], "appearance": ["position": "top"]] as JSONValue, "appearance.position"),
        (["name": "x", "allowed_origins": ["https://shop.example"], "appearance": ["locale": "english!"]] as JSONValue, "appearance.locale"),
        (["name": "x", "allowed_origins": ["https://shop.example"], "appearance": ["launcher_text": ""]] as JSONValue, "appearance.launcher_text"),
    ])
    func badInputIsNamed(body: JSONValue, field: String) async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("owner@example.com").string("access_token"))
        let answer = try await api.call("POST", "/api/v1/widgets", json: body, token: token)
        #expect(answer.status == 422, "\(answer.body)")
        #expect(answer.string("error", "details", "field") == field, "\(answer.body)")
    }

    @Test func theLoaderIsCacheableAndCarriesNoSecret() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("owner@example.com").string("access_token"))
        let made = try await widget(api, token, ["appearance": ["color": "#112233"]])
        let key = try #require(made.string("public_key"))
        let loader = try await api.call("GET", "/widget/loader.js?key=\(key)")
        #expect(loader.status == 200)
        #expect(loader.headers["content-type"] == "text/javascript; charset=utf-8")
        #expect(loader.headers["cache-control"] == "public, max-age=300")
        let tag = try #require(loader.headers["etag"])
        #expect(loader.body.contains("\"key\":\"\(key)\"") && loader.body.contains("https://shop.example") && loader.body.contains("#112233"))
        #expect(!loader.body.contains(try #require(made.string("identity_secret"))))
        let again = try await api.call("GET", "/widget/loader.js?key=\(key)", headers: ["If-None-Match": "\"other\", \(tag)"])
        #expect(again.status == 304 && again.body.isEmpty && again.headers["etag"] == tag)
        // A change of the widget is a new loader.
        let id = try #require(made.string("id"))
        _ = try await api.call("PATCH", "/api/v1/widgets/\(id)", json: ["appearance": ["color": "#445566"]], token: token)
        let changed = try await api.call("GET", "/widget/loader.js?key=\(key)", headers: ["If-None-Match": tag])
        #expect(changed.status == 200 && changed.headers["etag"] != tag && changed.body.contains("#445566"))

        for bad in ["wpk_unknown00000000000000000", "../../api/v1/me", "", "wpk_%2e%2e"] {
            #expect(try await api.call("GET", "/widget/loader.js?key=\(bad)").status == 404, "\(bad)")
        }
        #expect(try await api.call("GET", "/widget/loader.js").status == 404)
    }

    @Test func theIframeIsFramedOnlyByTheWidgetsOrigins() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("owner@example.com").string("access_token"))
        let made = try await widget(api, token, ["name": "Shop <b>chat</b>", "appearance": ["greeting": "<img src=x onerror=alert(1)>"]])
        let key = try #require(made.string("public_key"))
        let embed = try await api.call("GET", "/widget/embed?key=\(key)")
        #expect(embed.status == 200)
        let policy = try #require(embed.headers["content-security-policy"])
        #expect(policy.contains("frame-ancestors https://shop.example https://*.example.org"))
        #expect(policy.contains("script-src 'self'") && policy.contains("default-src 'none'") && !policy.contains("unsafe"))
        #expect(embed.body.contains("&lt;img src=x onerror=alert(1)&gt;") && !embed.body.contains("<img src=x"))
        #expect(embed.body.contains("Shop &lt;b&gt;chat&lt;/b&gt;"))
        #expect(embed.headers["x-content-type-options"] == "nosniff")
        for path in ["/widget/embed.js", "/widget/embed.css"] {
            let file = try await api.call("GET", path)
            #expect(file.status == 200 && file.headers["etag"] != nil, "\(path)")
        }
        #expect(try await api.call("GET", "/widget/embed?key=wpk_unknown00000000000000000").status == 404)
    }

    /// Routes only the widget worker reaches answer nobody else.
    @Test func internalRoutesAreNotPublic() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("owner@example.com").string("access_token"))
        let key = try #require(try await widget(api, token).string("public_key"))
        for (method, path) in [("GET", "/api/v1/internal/widgets/\(key)"), ("POST", "/api/v1/internal/widgets/\(key)/visitors"),
                               ("GET", "/api/v1/internal/widget-visitor/messages")] {
            #expect(try await api.call(method, path, json: method == "POST" ? [:] : nil, token: token).status == 404, "\(method) \(path)")
        }
    }
}
