import OzziRuntime

/// The api's throughput limits on the auth routes.
extension RateLimit {
    // Per client network (an IPv4 address or an IPv6 /64), on the unauthenticated auth routes.
    static let signUp = RateLimit("signup", 20, per: 3600)
    static let signIn = RateLimit("login", 20, per: 60)
    static let refresh = RateLimit("refresh", 60, per: 60)
    static let anonymous = RateLimit("anonymous", 10, per: 3600)
    static let oauth = RateLimit("oauth", 30, per: 60)
    static let passwordReset = RateLimit("password_reset", 10, per: 3600)
    /// Spending a mailed token (verify-email, password-reset/confirm): guessing one is hopeless, this only
    /// keeps a flood of attempts off the database.
    static let accountToken = RateLimit("account_token", 30, per: 600)
    // Per address, whoever asks and whether or not it has an account: how many account emails one
    // mailbox can be sent (sign-up, verification, reset), so the routes cannot be used to flood it.
    static let accountEmail = RateLimit("account_email", 5, per: 3600)
}
