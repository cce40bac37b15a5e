import OzziRuntime

/// Calling from the browser with Twilio's Voice SDK: the workspace's API key and TwiML app (sealed at
/// rest), short-lived access tokens for members, and what the TwiML app's voice URL answers — a `<Dial>`
/// from one of the workspace's numbers, recorded as a call. Members may call the workspace's contacts;
/// admins and owners any number.
struct BrowserCalling: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let key: [UInt8]
    let calls: CallStore
    let numbers: VoiceNumberStore
    let settings: SMSSettingsStore
    static let tokenSeconds: Int64 = 900

    struct Settings: Sendable {
        let apiKeySid: String
        let apiKeySecret: String
        let twimlAppSid: String
        let updatedAt: String

        var json: JSONValue {
            ["api_key_sid": .string(apiKeySid), "api_key_secret_set": true, "twiml_app_sid": .string(twimlAppSid), "updated_at": .string(updatedAt)]
        }
    }

    func get(_ scope: TenantScope) async throws -> Settings? {
        guard let row = try await database.prepare("SELECT api_key_sid, api_key_secret_sealed, twiml_app_sid, updated_at FROM voice_settings WHERE workspace_id = ?")
            .bind(scope.workspaceID).first(), let secret = CredentialKey.open(row.text("api_key_secret_sealed"), key: key) else { return nil }
        return Settings(apiKeySid: row.text("api_key_sid") ?? "", apiKeySecret: secret, twimlAppSid: row.text("twiml_app_sid") ?? "",
                        updatedAt: row.text("updated_at") ?? "")
    }

    func put(_ scope: TenantScope, apiKeySid: String, apiKeySecret: String?, twimlAppSid: String) async throws -> Settings {
        let current = try await get(scope)
        guard let secret = apiKeySecret ?? (current?.apiKeySid == apiKeySid ? current?.apiKeySecret : nil) else {
            throw APIError.invalidField("api_key_secret", "is required for a new API key")
        }
        let now = Timestamp.now(clock)
        do {
            try await database.prepare("""
                INSERT INTO voice_settings (workspace_id, api_key_sid, api_key_secret_sealed, twiml_app_sid, updated_at) VALUES (?, ?, ?, ?, ?)
                  ON CONFLICT (workspace_id) DO UPDATE SET api_key_sid = excluded.api_key_sid, api_key_secret_sealed = excluded.api_key_secret_sealed,
                  twiml_app_sid = excluded.twiml_app_sid, updated_at = excluded.updated_at
                """).bind(scope.workspaceID, apiKeySid, CredentialKey.seal(secret, key: key)!, twimlAppSid, now).run()
        } catch let error as SQLError where error.isUniqueViolation {
            throw APIError.conflict("TwiML app \(twimlAppSid) belongs to another workspace", details: ["field": "twiml_app_sid"])
        }
        return try await get(scope)!
    }

    /// An access token for `identity` (a member), with the workspace's Twilio account.
    func token(_ scope: TenantScope, identity: String) async throws -> JSONValue {
        guard let browser = try await get(scope) else {
            throw APIError.conflict("set the workspace's Twilio API key and TwiML app first (PUT /api/v1/voice/settings)")
        }
        let sms = try await settings.get(scope)
        guard sms.provider == "twilio", let account = sms.accountSid else {
            throw APIError.conflict("browser calling needs the workspace's Twilio account (PUT /api/v1/sms/settings)")
        }
        let now = clock.milliseconds / 1_000
        return ["token": .string(TwilioAccessToken.mint(accountSid: account, apiKeySid: browser.apiKeySid, apiKeySecret: browser.apiKeySecret,
                                                        twimlAppSid: browser.twimlAppSid, identity: identity, nowSeconds: now,
                                                        ttlSeconds: Self.tokenSeconds)),
                "identity": .string(identity), "expires_at": .string(Timestamp.at(milliseconds: (now + Self.tokenSeconds) * 1_000))]
    }

    /// The TwiML app's voice request (signed; checked by the caller): the workspace by the app's sid, the
    /// member by the client identity, the number asked for, a caller id of the workspace's. Either the Dial's
    /// parts, recorded as a call, or why not.
    func dial(_ hook: TwilioWebhook, defaultCountry: String) async throws -> (to: String, callerID: String)? {
        guard let app = hook.value("ApplicationSid"), let account = hook.value("AccountSid"),
              let row = try await database.prepare("SELECT workspace_id FROM voice_settings WHERE twiml_app_sid = ?").bind(app).first(),
              let workspace = row.text("workspace_id") else { throw APIError.notFound("TwiML app") }
        let scope = TenantScope(workspaceID: workspace)
        let sms = try await settings.get(scope)
        guard sms.provider == "twilio", sms.accountSid == account else { throw APIError.forbidden("the TwiML app belongs to another Twilio account") }
        // Identities are `member_<user id>`, as the tokens name them.
        guard let from = hook.value("From"), from.hasPrefix("client:member_") else { throw APIError.forbidden("the caller is not a member of the workspace") }
        let userID = String(from.dropFirst("client:member_".count))
        guard let member = try await database.prepare("SELECT role FROM memberships WHERE workspace_id = ? AND user_id = ?").bind(workspace, userID).first(),
              let role = member.text("role").flatMap(Role.init) else {
            throw APIError.forbidden("the caller is not a member of the workspace")
        }
        guard let asked = hook.value("To"), let to = try? ContactInput.phone(asked, defaultCountry: defaultCountry, field: "To") else { return nil }
        if role == .member, try await database.prepare("SELECT 1 FROM contacts WHERE workspace_id = ? AND phone = ?").bind(workspace, to).first() == nil {
            return nil
        }
        let callers = try await numbers.enabled(scope)
        let wanted = hook.value("CallerId")
        guard let caller = callers.first(where: { $0.phoneNumber == wanted }) ?? callers.first, let callSid = hook.value("CallSid") else { return nil }
        let callerID = caller.phoneNumber
        _ = try await calls.begin(scope, number: caller, CallStore.Start(
            callSid: callSid, accountSid: account, direction: "outbound", from: callerID, to: to, status: "in-progress",
            context: ["placed_from": "browser"], afterHours: false, placedBy: userID))
        return (to, callerID)
    }
}
