import OzziRuntime

/// Each workspace's SMS settings; the Twilio auth token sealed (AES-256-GCM) under the credentials key.
struct SMSSettingsStore: Sendable {
    let database: any SQLDatabase
    let key: [UInt8]
    let clock: any WallClock

    func get(_ scope: TenantScope) async throws -> SMSSettings {
        guard let row = try await database.prepare("SELECT \(Stored.selection) FROM sms_settings WHERE workspace_id = ?")
            .bind(scope.workspaceID).first(Stored.self) else { return .default }
        return settings(row)
    }

    /// The workspace whose sender number is `number`, with its settings (inbound messages find their
    /// workspace by the number they were sent to).
    func workspace(forNumber number: String) async throws -> (TenantScope, SMSSettings)? {
        guard let row = try await database.prepare("SELECT \(Stored.selection) FROM sms_settings WHERE from_number = ?").bind(number).first(Stored.self) else {
            return nil
        }
        return (TenantScope(workspaceID: row.workspace_id), settings(row))
    }

    /// The auth token of the Twilio account `accountSid`, for checking its callbacks' signatures.
    func authToken(accountSid: String) async throws -> String? {
        try await database.prepare("SELECT \(Stored.selection) FROM sms_settings WHERE account_sid = ? AND auth_token_sealed IS NOT NULL LIMIT 1")
            .bind(accountSid).first(Stored.self).flatMap { settings($0).authToken }
    }

    func save(_ scope: TenantScope, _ settings: SMSSettings) async throws {
        let sealed = CredentialKey.seal(settings.authToken, key: key)
        try await database.prepare("""
            INSERT INTO sms_settings (workspace_id, provider, from_number, messaging_service_sid, account_sid, auth_token_sealed, help_text, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (workspace_id) DO UPDATE SET provider = excluded.provider, from_number = excluded.from_number,
              messaging_service_sid = excluded.messaging_service_sid, account_sid = excluded.account_sid,
              auth_token_sealed = excluded.auth_token_sealed, help_text = excluded.help_text, updated_at = excluded.updated_at
            """).bind(scope.workspaceID, settings.provider, settings.fromNumber, settings.messagingServiceSid, settings.accountSid,
                      sealed, settings.helpText, Timestamp.now(clock)).run()
    }

    private func settings(_ row: Stored) -> SMSSettings {
        SMSSettings(provider: row.provider, fromNumber: row.from_number, messagingServiceSid: row.messaging_service_sid,
                    accountSid: row.account_sid, authToken: CredentialKey.open(row.auth_token_sealed, key: key), helpText: row.help_text)
    }

    /// A workspace's settings as stored, the auth token still sealed.
    private struct Stored: Decodable, SQLRecord {
        let workspace_id: String
        let provider: String
        let from_number: String?
        let messaging_service_sid: String?
        let account_sid: String?
        let auth_token_sealed: String?
        let help_text: String?

        enum CodingKeys: String, SQLColumn { case workspace_id, provider, from_number, messaging_service_sid, account_sid, auth_token_sealed, help_text }
        typealias Columns = CodingKeys
    }
}
