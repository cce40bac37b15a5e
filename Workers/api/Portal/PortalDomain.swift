import OzziRuntime

/// The client portal: a workspace's customers sign in (invited by the workspace, or by self sign-up where
/// it allows) to see their own records — conversations, messages on every channel, consent they can
/// change — download everything held about them and ask for its erasure. `/api/v1/portal` is the
/// workspace's side (settings, invitations, portal users); `/api/v1/client-portal` is the portal user's,
/// behind its own credential (EdDSA JWTs, `PortalTokens`), which the workspace API never accepts.
struct PortalDomain: APIDomain {
    let database: any SQLDatabase
    let clock: any WallClock
    let publicURL: String
    let users: PortalUserStore
    let sessions: PortalSessionStore
    let keys: PortalKeyRing
    let tokens: PortalTokens
    let authenticator: PortalAuthenticator
    let emails: EmailScheduler
    let hasher: PasswordHasher
    let limiter: RateLimiter
    let signInGuard: SignInGuard
    let audit: AuditLog
    let events: WorkspaceEvents
    let personalData: PersonalData
    let erasures: ErasureStore
    let conversations: ConversationStore

    init(_ api: APIEnvironment) {
        database = api.database
        clock = api.clock
        publicURL = api.publicURL
        let accessSeconds = Int64(api.env.var("PORTAL_ACCESS_TOKEN_SECONDS", default: "600")) ?? 600
        keys = PortalKeyRing(database: api.database, clock: api.clock, sealingKey: api.sealingKey,
                             rotationMs: (Int64(api.env.var("PORTAL_KEY_ROTATION_DAYS", default: "30")) ?? 30) * 86_400_000,
                             accessTokenSeconds: accessSeconds)
        tokens = PortalTokens(keys: keys, publicURL: api.publicURL, lifetimeSeconds: accessSeconds, clock: api.clock)
        users = PortalUserStore(database: api.database, clock: api.clock)
        sessions = PortalSessionStore(database: api.database, clock: api.clock,
                                      lifetimeMs: (Int64(api.env.var("PORTAL_SESSION_DAYS", default: "30")) ?? 30) * 86_400_000)
        authenticator = PortalAuthenticator(tokens: tokens, sessions: sessions)
        emails = EmailScheduler(senders: api.sendingDomains, database: api.database, queue: api.messaging.deliveryQueue, clock: api.clock)
        hasher = PasswordHasher(n: UInt64(api.env.var("SCRYPT_N", default: "32768")) ?? 32768)
        limiter = api.limiter
        signInGuard = SignInGuard(clock: api.clock)
        audit = api.accounts.audit
        events = api.events
        personalData = PersonalData(database: api.database, clock: api.clock)
        erasures = ErasureStore(database: api.database, clock: api.clock, bucket: try? api.env.bucket("FILES"))
        conversations = ConversationStore(database: api.database, clock: api.clock)
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/portal").announcing(events).addPortalAdminRoutes(self)
        v1.group("/client-portal").announcing(events).addClientPortalRoutes(self)
    }

    var publishes: [String] { ["portal_user.invited", "portal_user.activated", "portal_user.deleted", "contact.updated"] }

    func maintain() async throws {
        try await keys.maintain()
        try await sessions.sweep()
    }

    /// Tokens for a new session of `user`.
    func signIn(_ user: PortalUser, workspace: String) async throws -> PortalSignedIn {
        let (session, refresh) = try await database.transaction { [sessions] tx in try sessions.start(tx, workspace: workspace, user: user.id) }
        try await users.signedIn(user.id)
        return PortalSignedIn(access_token: try await tokens.issue(user: user.id, workspace: workspace, session: session), refresh_token: refresh,
                              expires_in: tokens.lifetimeSeconds, portal_user: user)
    }

    /// The signed-in person's contact (nil once erased).
    func contact(_ principal: PortalPrincipal) async throws -> Contact? {
        try await database.prepare("SELECT \(Contact.selection) FROM contacts WHERE workspace_id = ? AND id = ?")
            .bind(principal.workspaceID, principal.contactID).first(Contact.self)
    }

    /// Mails `token` in the workspace's own email to `to`: an invitation, a sign-up's confirmation, a reset.
    func mailLink(_ kind: PortalLinkEmail.Kind, _ scope: TenantScope, createdBy: String, contactID: String?, to: String, token: String) async throws -> String {
        let workspace = try await database.prepare("SELECT name FROM workspaces WHERE id = ?").bind(scope.workspaceID).first()?.text("name") ?? "Your provider"
        let content = PortalLinkEmail(kind, workspace: workspace, token: token, publicURL: publicURL)
        let id = try await emails.send(scope, createdBy: createdBy, contactID: contactID, to: to, subject: content.subject, html: content.html, text: content.text)
        try await users.linkSent(token: token, messageID: id)
        return id
    }
}
