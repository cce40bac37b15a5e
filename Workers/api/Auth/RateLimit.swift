import OzziRuntime

/// The api's throughput limits on the auth routes.
extension RateLimit {
    // Per client network (an IPv4 address or an IPv6 /64), on the unauthenticated auth routes.
    static let signUp = RateLimit("signup", 20, per: 3600)
    static let signIn = RateLimit("login", 20, per: 60)
    static let refresh = RateLimit("refresh", 60, per: 60)
    static let anonymous = RateLimit("anonymous", 10, per: 3600)
    static let oauth = RateLimit("oauth", 30, per: 60)
}
