/// An email provider behind one call: hand over emails, learn for each whether it was taken.
/// Implementations: `SimulatedEmailProvider` (the offline default), `ResendEmailClient`, `SMTPEmailClient`.
protocol EmailProvider: Sendable {
    /// Recorded on each attempt (`simulated`, `resend`, `smtp`).
    var name: String { get }
    /// The most emails one call takes (Resend's `/emails/batch`: 100; SMTP: 1). The engine hands over at
    /// most this many at once.
    var maxBatch: Int { get }
    /// One result per email, in the order given. A call that failed as a whole answers the same result
    /// for each.
    func send(_ emails: [OutgoingEmail]) async -> [SendResult]
}

/// One email as the engine hands it to a provider: rendered, addressed, with the headers it must carry.
struct OutgoingEmail: Sendable, Equatable {
    /// Ours (the message id): the provider's `Idempotency-Key` and our `X-Ozzi-Message-Id` header.
    let messageID: String
    let workspaceID: String
    /// `Name <address>` or a bare address, on a verified domain of the workspace (or the system sender).
    let from: String
    let to: String
    let replyTo: String?
    let subject: String
    let html: String?
    /// Always present when sent: derived from the HTML when the author gave none.
    let text: String
    /// Extra headers in order (`List-Unsubscribe`, `List-Unsubscribe-Post`, ...).
    let headers: [EmailHeader]
    /// Provider tags (Resend's `tags`: name and value of ASCII letters, digits, `_` and `-`).
    let tags: [EmailTag]
}

struct EmailHeader: Sendable, Equatable, Codable {
    let name: String
    let value: String
}

struct EmailTag: Sendable, Equatable, Codable {
    let name: String
    let value: String
}
