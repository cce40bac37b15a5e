import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// A workspace with a form, and the calls its page makes: show it (the page, its token), submit it.
struct FormFixture {
    let api: WorkerTestHost
    let token: String
    /// The origin the in-process host takes for its own (the form page's).
    static let own = "http://127.0.0.1"

    static func start(_ mode: TestMode = .inProcess, clock: any WallClock = SystemClock()) async throws -> FormFixture {
        let api = try await APIHost.start(mode, clock: clock)
        let token = try #require(try await api.signUp("owner@example.com").string("access_token"))
        return FormFixture(api: api, token: token)
    }

    /// A sign-up form: email (to the contact's email), first and last name, a plan choice, an SMS consent box.
    static func signUp(_ extra: [String: JSONValue] = [:]) -> JSONValue {
        var body: [String: JSONValue] = [
            "name": "Newsletter",
            "fields": [
                ["key": "email", "type": "email", "label": "Email", "required": true, "maps_to": "email"],
                ["key": "first", "type": "text", "label": "First name", "maps_to": "first_name", "max_length": 40],
                ["key": "last", "type": "text", "label": "Last name", "maps_to": "last_name"],
                ["key": "phone", "type": "phone", "label": "Mobile", "maps_to": "phone"],
                ["key": "plan", "type": "select", "label": "Plan", "options": ["free", ["value": "gold", "label": "Gold"]], "maps_to": "custom.plan"],
                ["key": "texts", "type": "consent", "channel": "sms", "label": "Text me offers. Reply STOP to stop."],
                ["key": "source", "type": "hidden", "default": "site"],
            ],
            "settings": ["allowed_origins": ["https://shop.example"], "spam": ["min_fill_seconds": 0], "success_message": "Welcome aboard!"],
        ]
        for (key, value) in extra { body[key] = value }
        return .object(body)
    }

    func form(_ body: JSONValue = FormFixture.signUp()) async throws -> (id: String, key: String) {
        let made = try await api.call("POST", "/api/v1/forms", json: body, token: token)
        #expect(made.status == 201, "\(made.body)")
        return (try #require(made.string("id")), try #require(made.string("public_key")))
    }

    /// The form's page as a browser gets it, and the submission token in its config.
    func show(_ key: String, query: String = "") async throws -> (page: TestResponse, token: String) {
        let page = try await api.call("GET", "/forms/embed?key=\(key)\(query)")
        #expect(page.status == 200, "\(page.body)")
        let config = try #require(page.body.firstRange(of: #"id="config""#).map { page.body[$0.upperBound...] })
        let json = config.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" }
        let token = try #require(try JSONValue(jsonBytes: Array(json.utf8))["token"]?.stringValue)
        return (page, token)
    }

    /// A submission as the page's script sends it.
    func submit(_ key: String, token: String, _ answers: [String: JSONValue], honeypot: String = "", origin: String? = FormFixture.own,
                headers: [String: String] = [:]) async throws -> TestResponse {
        var fields = headers
        if let origin { fields["Origin"] = origin }
        return try await api.call("POST", "/forms/submit", json: ["key": .string(key), "token": .string(token), "answers": .object(answers),
                                                                 "honeypot": .string(honeypot), "referrer": "https://shop.example/join",
                                                                 "utm": ["utm_source": "news", "other": "dropped"]], headers: fields)
    }

    func submissions(_ formID: String) async throws -> [JSONValue] {
        try await api.call("GET", "/api/v1/forms/\(formID)/submissions", token: token).data
    }

    /// The submission once its workflow has settled (no action pending or running).
    func settled(_ formID: String, _ id: String) async throws -> TestResponse {
        var last: TestResponse?
        _ = try await Poll.until {
            last = try await api.call("GET", "/api/v1/forms/\(formID)/submissions/\(id)", token: token)
            return last?["actions"]?.arrayValue?.allSatisfy { !["pending", "running"].contains($0["status"]?.stringValue ?? "") } == true
        }
        return try #require(last)
    }
}
