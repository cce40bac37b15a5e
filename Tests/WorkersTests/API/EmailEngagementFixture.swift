@testable import APIWorker
import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// A host with a workspace owner, and emails in its `messages` as the engine leaves them once sent: what
/// the suppression, unsubscribe and tracking tests act on. Links come from the host's own domain, so
/// they are signed with the host's key and point at its `PUBLIC_URL`.
struct EmailEngagementFixture {
    static let publicURL = "https://api.test"

    let api: WorkerTestHost
    let clock: ManualClock
    let token: String
    /// An API key of the workspace: it outlives the session token when a test moves the clock days ahead.
    let key: String
    let scope: TenantScope
    let userID: String
    let database: any SQLDatabase
    let domain: EmailEngagementDomain

    static func start(_ mode: TestMode = .inProcess, owner email: String = "mailer@example.com") async throws -> EmailEngagementFixture {
        let clock = ManualClock(milliseconds: SystemClock().milliseconds)
        let api = try await APIHost.start(mode, vars: ["PUBLIC_URL": publicURL], clock: clock)
        let signup = try await api.signUp(email)
        let worker = try #require(api.host.workers["api"] as? APIWorker)
        let domain = try #require(worker.domains.lazy.compactMap { $0 as? EmailEngagementDomain }.first)
        let token = try #require(signup.string("access_token"))
        let key = try #require(try await api.call("POST", "/api/v1/api-keys", json: ["name": "engagement"], token: token).string("key"))
        return EmailEngagementFixture(api: api, clock: clock, token: token, key: key,
                                      scope: TenantScope(workspaceID: try #require(signup.string("user", "personal_workspace_id"))),
                                      userID: try #require(signup.string("user", "id")), database: domain.suppressions.database, domain: domain)
    }

    func stop() async { await api.stop() }

    /// A contact with an email address; answers its id.
    func contact(_ email: String, phone: String) async throws -> String {
        let created = try await api.call("POST", "/api/v1/contacts", json: ["name": "Ada", "phone": .string(phone), "email": .string(email)], token: token)
        return try #require(created.string("id"), "\(created.body)")
    }

    /// An email to `address`, sent now (and delivered `deliveredAgoMs` ago when given); answers its id.
    func sentEmail(to address: String, campaignID: String? = nil, contactID: String? = nil, deliveredAgoMs: Int64? = nil,
                   in scope: TenantScope? = nil) async throws -> String {
        let id = ResourceID.make("msg")
        let scope = scope ?? self.scope
        let nowMs = clock.milliseconds
        let now = Timestamp.at(milliseconds: nowMs)
        try await database.transaction { [userID] tx in
            var message = MessageStore.NewMessage(id: id, contactID: contactID, to: address, templateID: nil, body: nil, scheduledAt: now, dueMs: nowMs,
                                                  timeZone: nil, category: "general", campaign: nil)
            message.channel = .email
            message.campaignID = campaignID
            try MessageStore.insert(tx, scope, createdBy: userID, [message], now: now)
            try tx.run("UPDATE messages SET status = 'sent', sent_at = ?, sent_ms = ? WHERE id = ?", now, nowMs, id)
            if let deliveredAgoMs {
                try tx.run("UPDATE messages SET email_status = 'delivered', delivered_at = ? WHERE id = ?",
                           Timestamp.at(milliseconds: nowMs - deliveredAgoMs), id)
            }
        }
        return id
    }

    func emailStatus(_ id: String) async throws -> String? {
        try await database.prepare("SELECT email_status FROM messages WHERE id = ?").bind(id).first()?.text("email_status")
    }

    /// The timeline of a message: `kind:result`, oldest first.
    func timeline(_ id: String) async throws -> [String] {
        try await database.prepare("SELECT kind, result FROM message_events WHERE message_id = ? ORDER BY id").bind(id).all()
            .map { "\($0.text("kind") ?? ""):\($0.text("result") ?? "")" }
    }

    /// The workspace's recorded events of `type`, oldest first, as their data.
    func events(_ type: String, in scope: TenantScope? = nil) async throws -> [JSONValue] {
        try await database.prepare("SELECT data FROM workspace_events WHERE workspace_id = ? AND type = ? ORDER BY seq")
            .bind((scope ?? self.scope).workspaceID, type).all()
            .map { (try? JSONValue(jsonBytes: Array(($0.text("data") ?? "").utf8))) ?? .null }
    }

    /// The path (below the origin) of a URL the domain made.
    static func path(_ url: String) -> String {
        precondition(url.hasPrefix(publicURL), "\(url) is not one of ours")
        return String(url.dropFirst(publicURL.count))
    }
}
