import OzziRuntime

/// The host's settings for sending domains, from the api worker's vars.
struct SendingDomainSettings: Sendable {
    /// The name server the checks ask (`DNS_SERVER`, `host:port`): the first of /etc/resolv.conf unless set.
    var dnsServer: DNSServerAddress
    /// How long one DNS attempt waits (`DNS_TIMEOUT_MS`); a question gets two.
    var dnsTimeout: Duration
    /// The domain the simulated provider lets every workspace send from, verified or not
    /// (`EMAIL_SANDBOX_DOMAIN`), so the offline default works without DNS.
    var sandboxDomain: String
    /// The simulated provider's SPF include and bounce MX (`EMAIL_SPF_INCLUDE`, `EMAIL_BOUNCE_MX`):
    /// Resend's, which it stands in for.
    var spfInclude: String
    var bounceMX: String
    /// The SPF include of SMTP relays when the request names none (`SMTP_SPF_INCLUDE`).
    var smtpSPFInclude: String?
    /// The DKIM selector of keys we generate (`DKIM_SELECTOR`).
    var dkimSelector: String
    /// Between daily re-checks, and after a check that could not reach DNS.
    var recheckSeconds: Int64 = 86_400
    var retrySeconds: Int64 = 900
    /// Domains re-checked per maintenance run (every minute).
    var recheckBatch = 5
    /// Resend's API for workspaces on Resend (`RESEND_API_BASE`, `RESEND_TIMEOUT_MS`, as for sending).
    var resendBaseURL: String
    var resendTimeoutMilliseconds: Int

    init(_ env: WorkerEnv) throws {
        let server = env.var("DNS_SERVER", default: "")
        if server.isEmpty {
            dnsServer = .system()
        } else {
            guard let address = DNSServerAddress(server) else { throw APIError.badRequest("DNS_SERVER must be host:port, got '\(server)'") }
            dnsServer = address
        }
        dnsTimeout = .milliseconds(Int(env.var("DNS_TIMEOUT_MS", default: "2000")) ?? 2000)
        sandboxDomain = env.var("EMAIL_SANDBOX_DOMAIN", default: "sandbox.ozzi.test").lowercased()
        spfInclude = env.var("EMAIL_SPF_INCLUDE", default: "amazonses.com")
        bounceMX = env.var("EMAIL_BOUNCE_MX", default: "feedback-smtp.us-east-1.amazonses.com")
        let smtp = env.var("SMTP_SPF_INCLUDE", default: "")
        smtpSPFInclude = smtp.isEmpty ? nil : smtp
        dkimSelector = env.var("DKIM_SELECTOR", default: "ozzi")
        resendBaseURL = EmailProviders.resendBaseURL(env)
        resendTimeoutMilliseconds = Int(env.var("RESEND_TIMEOUT_MS", default: "15000")) ?? 15_000
    }
}
