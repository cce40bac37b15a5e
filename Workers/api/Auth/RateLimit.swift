/// A throughput limit: a token bucket per key, `capacity` deep, refilled at `perSecond`. Each limit keeps
/// its buckets apart from every other's, so a flood of keys on one never evicts another's.
struct RateLimit: Sendable {
    let name: String
    let capacity: Double
    let perSecond: Double

    init(_ name: String, capacity: Double, perSecond: Double) {
        self.name = name
        self.capacity = capacity
        self.perSecond = perSecond
    }

    /// `count` actions per `seconds`, all of them at once if need be.
    init(_ name: String, _ count: Int, per seconds: Int) {
        self.init(name, capacity: Double(count), perSecond: Double(count) / Double(seconds))
    }

    // Per client network (an IPv4 address or an IPv6 /64), on the unauthenticated auth routes.
    static let signUp = RateLimit("signup", 20, per: 3600)
    static let signIn = RateLimit("login", 20, per: 60)
    static let refresh = RateLimit("refresh", 60, per: 60)
    static let anonymous = RateLimit("anonymous", 10, per: 3600)
    static let oauth = RateLimit("oauth", 30, per: 60)
}
