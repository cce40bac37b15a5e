import OzziRuntime

/// Each workspace's email settings; the Resend API key, its webhook secret and the SMTP password sealed
/// (AES-256-GCM) under the credentials key, as the Twilio auth token is.
struct EmailSettingsStore: Sendable {
    let database: any SQLDatabase
    let key: [UInt8]
    let clock: any WallClock

    func get(_ scope: TenantScope) async throws -> EmailSettings {
        guard let row = try await database.prepare("SELECT \(Stored.selection) FROM email_settings WHERE workspace_id = ?")
            .bind(scope.workspaceID).first(Stored.self) else { return .default }
        var settings = EmailSettings(provider: row.provider, defaultFrom: row.default_from,
                                     resendAPIKey: CredentialKey.open(row.resend_api_key_sealed, key: key),
                                     resendWebhookSecret: CredentialKey.open(row.resend_webhook_secret_sealed, key: key))
        if let host = row.smtp_host, let port = row.smtp_port, let security = row.smtp_security.flatMap(SMTPSubmission.Security.init) {
            settings.smtp = EmailSettings.SMTPRelay(host: host, port: port, security: security, username: row.smtp_username,
                                                    password: CredentialKey.open(row.smtp_password_sealed, key: key))
        }
        return settings
    }

    func save(_ scope: TenantScope, _ settings: EmailSettings) async throws {
        try await database.prepare("""
            INSERT INTO email_settings (workspace_id, provider, default_from, resend_api_key_sealed, resend_webhook_secret_sealed,
              smtp_host, smtp_port, smtp_security, smtp_username, smtp_password_sealed, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, CAST(? AS INTEGER), ?, ?, ?, ?)
            ON CONFLICT (workspace_id) DO UPDATE SET provider = excluded.provider, default_from = excluded.default_from,
              resend_api_key_sealed = excluded.resend_api_key_sealed, resend_webhook_secret_sealed = excluded.resend_webhook_secret_sealed,
              smtp_host = excluded.smtp_host, smtp_port = excluded.smtp_port, smtp_security = excluded.smtp_security,
              smtp_username = excluded.smtp_username, smtp_password_sealed = excluded.smtp_password_sealed, updated_at = excluded.updated_at
            """).bind(scope.workspaceID, settings.provider, settings.defaultFrom, CredentialKey.seal(settings.resendAPIKey, key: key),
                      CredentialKey.seal(settings.resendWebhookSecret, key: key), settings.smtp?.host, settings.smtp?.port,
                      settings.smtp?.security.rawValue, settings.smtp?.username, CredentialKey.seal(settings.smtp?.password, key: key),
                      Timestamp.now(clock)).run()
    }

    /// The workspace's Resend webhook signing secret, for checking the events Resend posts about its emails.
    /// Read in the transaction that applies the event (`EmailEventStore`), so checking it costs no trip of its own.
    func resendWebhookSecret(_ tx: SQLTransaction, _ scope: TenantScope) throws -> String? {
        try tx.execute("SELECT resend_webhook_secret_sealed FROM email_settings WHERE workspace_id = ?", [.text(scope.workspaceID)])
            .rows.first.flatMap { CredentialKey.open($0.text("resend_webhook_secret_sealed"), key: key) }
    }

    /// A workspace's settings as stored, the secrets still sealed.
    private struct Stored: Decodable, SQLRecord {
        let provider: String
        let default_from: String?
        let resend_api_key_sealed: String?
        let resend_webhook_secret_sealed: String?
        let smtp_host: String?
        let smtp_port: Int?
        let smtp_security: String?
        let smtp_username: String?
        let smtp_password_sealed: String?

        enum CodingKeys: String, SQLColumn {
            case provider, default_from, resend_api_key_sealed, resend_webhook_secret_sealed, smtp_host, smtp_port, smtp_security,
                 smtp_username, smtp_password_sealed
        }
        typealias Columns = CodingKeys
    }
}
