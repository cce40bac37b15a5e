import OzziRuntime

/// Picks each workspace's email provider: the simulated one (default), Resend with the workspace's API
/// key, or the workspace's SMTP relay; and answers the secret Resend's webhooks for a workspace are
/// signed with.
struct EmailProviders: Sendable {
    let settings: EmailSettingsStore
    let simulated: SimulatedEmailProvider
    let outbound: OutboundFetcher
    let clock: any WallClock
    /// `https://api.resend.com` unless configured (`RESEND_API_BASE`).
    let resendBaseURL: String
    /// How long a call to Resend waits for its answer (`RESEND_TIMEOUT_MS`).
    let resendTimeoutMilliseconds: Int
    /// How long one SMTP submission may take, connection to last reply (`SMTP_TIMEOUT_MS`).
    let smtpTimeoutMilliseconds: Int
    /// Whether workspaces' relays may be on private addresses (`SMTP_ALLOW_PRIVATE_HOSTS`): off by default,
    /// so a workspace cannot point the host at the operator's internal network.
    let smtpAllowPrivateHosts: Bool
    /// CA certificates trusted for relays instead of the system's (`SMTP_CA_FILE`).
    let smtpCAFile: String?

    init(env: WorkerEnv, settings: EmailSettingsStore, simulated: SimulatedEmailProvider) {
        self.settings = settings
        self.simulated = simulated
        outbound = env.outbound
        clock = env.clock
        resendBaseURL = Self.resendBaseURL(env)
        resendTimeoutMilliseconds = Int(env.var("RESEND_TIMEOUT_MS", default: "15000")) ?? 15_000
        smtpTimeoutMilliseconds = Int(env.var("SMTP_TIMEOUT_MS", default: "30000")) ?? 30_000
        smtpAllowPrivateHosts = env.var("SMTP_ALLOW_PRIVATE_HOSTS", default: "false") == "true"
        let caFile = env.var("SMTP_CA_FILE", default: "")
        smtpCAFile = caFile.isEmpty ? nil : caFile
    }

    /// `RESEND_API_BASE` without a trailing slash: Resend's API, or a stub in tests.
    static func resendBaseURL(_ env: WorkerEnv) -> String {
        BaseURL.withoutTrailingSlashes(env.var("RESEND_API_BASE", default: "https://api.resend.com"))
    }

    /// The provider `workspace`'s settings name. `dkim`: the workspace's signers for its sending domains
    /// (used over SMTP; Resend signs with its own keys).
    func provider(for workspace: EmailSettings, dkim: [DKIMSigner] = []) throws -> any EmailProvider {
        switch workspace.provider {
        case "resend":
            guard let apiKey = workspace.resendAPIKey else {
                throw APIError(status: 422, code: "email_not_configured", message: "the workspace's Resend API key is missing")
            }
            return ResendEmailClient(baseURL: resendBaseURL, apiKey: apiKey, outbound: outbound, timeoutMilliseconds: resendTimeoutMilliseconds)
        case "smtp":
            guard let relay = workspace.smtp else {
                throw APIError(status: 422, code: "email_not_configured", message: "the workspace's SMTP relay is not set up")
            }
            return SMTPEmailClient(host: relay.host, port: relay.port, security: relay.security, username: relay.username, password: relay.password,
                                   signers: dkim, outbound: outbound, clock: clock, timeoutMilliseconds: smtpTimeoutMilliseconds,
                                   publicAddressesOnly: !smtpAllowPrivateHosts, caFile: smtpCAFile)
        default:
            return simulated
        }
    }

    /// The secret that signs `provider`'s webhooks about the workspace's emails: the simulated provider's
    /// own, or the one the workspace copied from its Resend webhook.
    func webhookSecret(_ tx: SQLTransaction, _ scope: TenantScope, provider: String) throws -> String? {
        provider == simulated.name ? simulated.webhookSecret : try settings.resendWebhookSecret(tx, scope)
    }
}
