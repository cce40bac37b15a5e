import Logging
import OzziRuntime

/// Accounts, workspaces and credentials, shared by every domain: the authenticator that turns a request
/// into a `Principal`, and the stores the identity routes (auth, workspaces, API keys, audit) work on.
struct Accounts: Sendable {
    let users: UserStore
    let workspaces: WorkspaceStore
    let sessions: SessionStore
    let apiKeys: APIKeyStore
    let audit: AuditLog
    let authenticator: Authenticator

    init(database: any SQLDatabase, clock: any WallClock, logger: Logger, pubsub: any PubSubBroker, sealingKey: [UInt8]) {
        users = UserStore(database: database, clock: clock)
        workspaces = WorkspaceStore(database: database, clock: clock)
        sessions = SessionStore(database: database, clock: clock)
        apiKeys = APIKeyStore(database: database, clock: clock, sync: PrincipalCacheSync(pubsub: pubsub, logger: logger))
        audit = AuditLog(database: database, clock: clock, logger: logger)
        authenticator = Authenticator(principals: PrincipalStore(database: database, clock: clock), apiKeys: apiKeys, csrf: CSRFTokens(sealingKey: sealingKey))
    }
}
