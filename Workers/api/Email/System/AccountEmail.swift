import OzziRuntime

/// One account email as a `JOBS` queue job: what to render, never a secret. The link's token is an HMAC
/// of the job's id (`SystemEmailSender.token(for:)`), recomputed when the job runs, so the queue's store
/// never holds a token that opens an account.
struct AccountEmail: QueueJob, Equatable {
    static let kind = "account_email"

    enum Template: String, Sendable, CaseIterable {
        /// Confirms a new account's address; the link verifies it and signs in.
        case verifyEmail = "verify_email"
        /// To an address that already has an account, when someone signs up with it.
        case signUpAttempt = "sign_up_attempt"
        /// A link to choose a new password.
        case passwordReset = "password_reset"
        /// An invitation to join a workspace.
        case invitation
        /// An invitation to join a community (its name in `workspace`).
        case communityInvitation = "community_invitation"

        /// The token's prefix, for the templates that carry one.
        var tokenPrefix: String? {
            switch self {
            case .verifyEmail: "ev_"
            case .passwordReset: "pr_"
            case .invitation: "inv_"
            case .communityInvitation: "cin_"
            case .signUpAttempt: nil
            }
        }
    }

    /// The job's id: the provider's idempotency key (Resend) and the seed of the token.
    let id: String
    let template: Template
    let to: String
    /// The recipient's name, when the account has one.
    let name: String?
    /// Invitations: the workspace's name, who invites (a name or an address), and the role offered.
    let workspace: String?
    let inviter: String?
    let role: String?

    init(_ template: Template, to: String, name: String? = nil, workspace: String? = nil, inviter: String? = nil, role: String? = nil,
         id: String = ResourceID.make("aem")) {
        self.id = id
        self.template = template
        self.to = to
        self.name = name
        self.workspace = workspace
        self.inviter = inviter
        self.role = role
    }

    init(_ payload: JobPayload) throws(JobPayloadError) {
        guard let template = Template(rawValue: try payload.string("template")) else {
            throw JobPayloadError(kind: Self.kind, field: "template", expected: "one of \(Template.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let optional = { (name: String) in payload.fields[name]?.stringValue }
        self.init(template, to: try payload.string("to"), name: optional("name"), workspace: optional("workspace"),
                  inviter: optional("inviter"), role: optional("role"), id: try payload.string("id"))
        if template == .invitation || template == .communityInvitation, workspace == nil || inviter == nil || role == nil {
            throw JobPayloadError(kind: Self.kind, field: "workspace, inviter and role", expected: "strings for an invitation")
        }
    }

    var fields: [String: JSONValue] {
        var fields: [String: JSONValue] = ["id": .string(id), "template": .string(template.rawValue), "to": .string(to)]
        for (key, value) in [("name", name), ("workspace", workspace), ("inviter", inviter), ("role", role)] {
            if let value { fields[key] = .string(value) }
        }
        return fields
    }
}
