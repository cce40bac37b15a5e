import Logging
import OzziRuntime

/// Account email — sign-up verification, password resets, sign-up notices, invitations — belongs to no
/// workspace, so it does not go through the messaging engine: each email is an `AccountEmail` job on the
/// `JOBS` queue, sent by the host's own provider and retried with backoff until the provider takes it, so
/// neither a crash nor an outage loses one.
///
/// Settings (the api worker's vars and secrets): `SYSTEM_EMAIL_PROVIDER` = `simulated` (default: the
/// simulated provider keeps each email as `.eml` in the `FILES` bucket under `emails/system/`, and a line of
/// `simulated-system-email.log`) | `resend` (secret `SYSTEM_RESEND_API_KEY`, var `SYSTEM_RESEND_API_BASE`) |
/// `smtp` (secret `SYSTEM_SMTP_URL`,
/// `smtp://user:password@host:587` with STARTTLS or `smtps://...:465`; `SMTP_ALLOW_PRIVATE_HOSTS`,
/// `SMTP_CA_FILE` as for workspaces' relays); `SYSTEM_EMAIL_FROM` (default `Ozzi <no-reply@sandbox.ozzi.test>`);
/// `SYSTEM_EMAIL_TIMEOUT_MS` (15000). Links are built from `PUBLIC_URL`.
struct SystemEmailSender: Sendable {
    /// The workspace id the system's emails are kept under by providers that file by workspace.
    static let workspaceID = "system"

    enum Kind: String, Sendable, CaseIterable {
        case simulated, resend, smtp
    }

    let kind: Kind
    let provider: any EmailProvider
    let from: String
    let publicURL: String
    private let queue: any QueueProducer
    /// Keys the tokens mailed in links (an HMAC of the job's id).
    private let tokenKey: [UInt8]

    init(env: WorkerEnv, publicURL: String, sealingKey: [UInt8]) throws {
        let name = env.var("SYSTEM_EMAIL_PROVIDER", default: Kind.simulated.rawValue)
        guard let kind = Kind(rawValue: name) else {
            throw SystemEmailConfigError("SYSTEM_EMAIL_PROVIDER is '\(name)'; it must be one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        switch kind {
        case .simulated:
            // A log of its own: `simulated-email.log` counts the engine's sends (one line per send, checked
            // after a kill -9). It reports no events (`workspaceID`), so its webhook settings go unused.
            provider = try SimulatedEmailProvider(bucket: try env.bucket("FILES"), logPath: env.dataDirectory + "/simulated-system-email.log",
                                                  webhookSecret: "", webhookURL: publicURL + "/api/v1/webhooks/resend",
                                                  callbacks: try env.queue("DELIVERY"), clock: env.clock, deliveryMs: 0)
        case .resend:
            provider = ResendEmailClient(baseURL: env.var("SYSTEM_RESEND_API_BASE", default: "https://api.resend.com"),
                                         apiKey: try Self.secret(env, "SYSTEM_RESEND_API_KEY", for: kind), outbound: env.outbound,
                                         timeoutMilliseconds: Int(env.var("SYSTEM_EMAIL_TIMEOUT_MS", default: "15000")) ?? 15_000)
        case .smtp:
            let server = try SystemSMTPServer(url: try Self.secret(env, "SYSTEM_SMTP_URL", for: kind))
            provider = SMTPEmailClient(host: server.host, port: server.port, security: server.security, username: server.username,
                                       password: server.password, signers: [], outbound: env.outbound, clock: env.clock,
                                       timeoutMilliseconds: Int(env.var("SYSTEM_EMAIL_TIMEOUT_MS", default: "15000")) ?? 15_000,
                                       publicAddressesOnly: env.var("SMTP_ALLOW_PRIVATE_HOSTS", default: "false") != "true",
                                       caFile: env.vars["SMTP_CA_FILE"])
        }
        self.kind = kind
        from = env.var("SYSTEM_EMAIL_FROM", default: "Ozzi <no-reply@sandbox.ozzi.test>")
        guard MailAddress(parsing: from).address.contains("@") else {
            throw SystemEmailConfigError("SYSTEM_EMAIL_FROM is '\(from)'; it must be an address, or a name and an address: Ozzi <no-reply@example.com>")
        }
        self.publicURL = publicURL
        queue = try env.queue("JOBS")
        tokenKey = CredentialKey.derive(sealingKey, for: "account-email-tokens")
    }

    private static func secret(_ env: WorkerEnv, _ name: String, for kind: Kind) throws -> String {
        guard let value = try? env.secret(name), !value.isEmpty else {
            throw SystemEmailConfigError("SYSTEM_EMAIL_PROVIDER=\(kind.rawValue) needs the secret \(name) (list it in the api worker's secrets, "
                                         + "and set it in the environment or .dev.vars)")
        }
        return value
    }

    /// The token `email`'s link carries: an HMAC of its id, the same on every attempt, so the job holds no
    /// secret and a retried email carries the token the route stored.
    func token(for email: AccountEmail) -> String? {
        email.template.tokenPrefix.map { $0 + Base64URL.encode(Crypto.hmacSHA256(key: tokenKey, Array(email.id.utf8))) }
    }

    /// Queues `email`; it is sent by `deliver` when the job runs.
    func send(_ email: AccountEmail) async throws {
        try await queue.sendBatch([email.message])
    }

    /// Whether a repeat of an attempt with the same id is dropped by the provider, so an attempt whose fate
    /// is unknown may be made again: Resend keeps idempotency keys; an SMTP server does not.
    var idempotent: Bool { kind != .smtp }

    /// One attempt at `email` (the job's `attempt`, 1 for the first).
    func deliver(_ email: AccountEmail, attempt: Int) async -> SystemEmailOutcome {
        let content = AccountEmailContent(email, token: token(for: email), publicURL: publicURL)
        let outgoing = OutgoingEmail(messageID: email.id, workspaceID: Self.workspaceID, from: from, to: email.to, replyTo: nil,
                                     subject: content.subject, html: content.html, text: content.text, headers: [],
                                     tags: [EmailTag(name: "category", value: email.template.rawValue)])
        let result = await provider.send([outgoing]).first ?? .transient(code: "no_result", message: "the provider answered nothing", retryAfterSeconds: nil)
        return SystemEmailOutcome.decide(result, attempt: attempt, idempotent: idempotent)
    }
}

struct SystemEmailConfigError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
