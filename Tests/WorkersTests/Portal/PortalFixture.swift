import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
import Logging
@testable import APIWorker

/// A workspace with its client portal on and a widget, two contacts who have chatted (each identified by
/// a signed identify), and helpers to invite and sign in portal users as a person does: the invitation's
/// link read from the email the workspace's simulated provider kept.
struct PortalFixture {
    let api: WorkerTestHost
    let clock: (any WallClock)?
    let token: String
    let widgetKey: String
    let widgetSecret: String
    /// The owner's workspace, whose portal it is.
    let workspace: String

    static let iframe = ["Origin": "http://127.0.0.1"]
    static let acceptPath = "/api/v1/client-portal/accept"

    /// `clock`: a ManualClock the host runs on (stepped while waiting for mail), or nil for the system's.
    static func start(_ mode: TestMode = .inProcess, clock: ManualClock? = nil, vars: [String: String] = [:]) async throws -> PortalFixture {
        let api = try await APIHost.start(mode, vars: ["PUBLIC_URL": "https://api.test"].merging(vars) { $1 }, clock: clock ?? SystemClock())
        let token = try #require(try await api.signUp("owner@example.com").string("access_token"))
        let settings = try await api.call("PUT", "/api/v1/email/settings", json: ["provider": "simulated", "default_from": "Acme Help <help@sandbox.ozzi.test>"],
                                          token: token)
        #expect(settings.status == 200, "\(settings.body)")
        let widget = try await api.call("POST", "/api/v1/widgets", json: ["name": "Shop", "allowed_origins": ["https://shop.example"]], token: token)
        return PortalFixture(api: api, clock: clock, token: token, widgetKey: try #require(widget.string("public_key")),
                             widgetSecret: try #require(widget.string("identity_secret")),
                             workspace: try #require(try await api.call("GET", "/api/v1/me", token: token).string("workspace", "id")))
    }

    func enable(selfSignup: Bool = false) async throws {
        let changed = try await api.call("PATCH", "/api/v1/portal/settings", json: ["enabled": true, "self_signup": .bool(selfSignup)], token: token)
        #expect(changed.status == 200 && changed["enabled"] == true, "\(changed.body)")
    }

    func contact(_ name: String, email: String, phone: String? = nil) async throws -> String {
        var body: [String: JSONValue] = ["name": .string(name), "email": .string(email)]
        if let phone { body["phone"] = .string(phone) }
        let made = try await api.call("POST", "/api/v1/contacts", json: .object(body), token: token)
        return try #require(made.string("id"), "\(made.body)")
    }

    /// A chat from the widget by a visitor identified (signed) as `email`; answers the conversation's id.
    /// `token`: the agent's credential, when the owner's first one has expired (a test that moves the clock).
    func chat(as email: String, user: String, text: String, token: String? = nil) async throws -> String {
        let expires = Int64(Date().timeIntervalSince1970) + 600
        let identity: JSONValue = ["user_id": .string(user), "email": .string(email), "expires_at": .number(Double(expires)),
                                   "signature": .string(WidgetIdentity.sign(secret: widgetSecret, userID: user, email: email, expiresAt: expires))]
        let session = try await api.call("POST", "/widget/api/session", json: ["key": .string(widgetKey), "identity": identity], headers: Self.iframe)
        let visitor = try #require(session.string("visitor_token"), "\(session.body)")
        let sent = try await api.call("POST", "/widget/api/messages", json: ["text": .string(text)],
                                      headers: Self.iframe.merging(["Authorization": "Bearer \(visitor)"]) { a, _ in a })
        let conversation = try #require(sent.string("conversation_id"), "\(sent.body)")
        let reply = try await api.call("POST", "/api/v1/conversations/\(conversation)/messages", json: ["text": .string("Re: " + text)], token: token ?? self.token)
        #expect(reply.status == 201, "\(reply.body)")
        return conversation
    }

    /// The token in the newest email to `address` after the `after` already kept, stepping a manual clock
    /// so the simulated provider's delivery comes due.
    func mailedLink(to address: String, after: Int) async throws -> String {
        if let manual = clock as? ManualClock {
            var token: String?
            _ = try await Poll.until(timeout: .seconds(60), interval: .milliseconds(50)) {
                manual.advance(byMilliseconds: 100)
                token = AccountMailbox.emails(in: api.dataDirectory, to: address).dropFirst(after).compactMap { $0.token(path: Self.acceptPath) }.last
                return token != nil
            }
            return try #require(token, "no portal email to \(address)")
        }
        return try await api.mailedToken(to: address, after: after, path: Self.acceptPath)
    }

    func mailCount(_ address: String) -> Int {
        AccountMailbox.emails(in: api.dataDirectory, to: address).count
    }

    /// Invites the contact and accepts the invitation with `password`; answers what accepting answered.
    func invite(_ contactID: String, email: String, password: String = "portal pass phrase") async throws -> TestResponse {
        let before = mailCount(email)
        let invited = try await api.call("POST", "/api/v1/portal/invitations", json: ["contact_id": .string(contactID)], token: token)
        #expect(invited.status == 201, "\(invited.body)")
        let link = try await mailedLink(to: email, after: before)
        return try await api.call("POST", "/api/v1/client-portal/accept", json: ["token": .string(link), "password": .string(password)])
    }

    func signIn(_ email: String, password: String = "portal pass phrase") async throws -> TestResponse {
        try await api.call("POST", "/api/v1/client-portal/sessions", json: ["workspace_id": .string(workspace), "email": .string(email),
                                                                           "password": .string(password)])
    }

    /// Runs one of the api worker's cron triggers, as the host's scheduler would.
    func trigger(_ cron: String) async throws {
        let worker = try #require(api.host.workers["api"] as? APIWorker)
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.shutdown() }
        try await worker.scheduled(ScheduledEvent(cron: cron, scheduledTime: (clock ?? SystemClock()).milliseconds / 1000),
                                   context: RequestContext(requestID: "cron", worker: "api", loop: group.loops[0], logger: Logger(label: "cron")))
    }
}
