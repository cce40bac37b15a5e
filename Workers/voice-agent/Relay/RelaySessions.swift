import OzziRuntime

/// The calls this host holds a session for. A session whose socket closed is kept five minutes, for
/// Twilio's reconnect of the same call; after that a reconnect rebuilds it from the call's record.
actor RelaySessions {
    static let keepMs: Int64 = 5 * 60_000
    private var sessions: [String: RelaySession] = [:]
    private let clock: any WallClock
    /// Sweeps run at most every 10 seconds: each asks every session kept.
    private var sweptAtMs: Int64 = 0

    init(clock: any WallClock) {
        self.clock = clock
    }

    /// The session for `callID`: the one kept, or `make`'s.
    func session(_ callID: String, make: () async throws -> RelaySession) async rethrows -> RelaySession {
        await forgetExpired()
        if let kept = sessions[callID], await !kept.ended { return kept }
        let made = try await make()
        sessions[callID] = made
        return made
    }

    /// Sessions with a socket attached, and all kept.
    func counts() async -> (live: Int, kept: Int) {
        await forgetExpired()
        var live = 0
        for session in sessions.values where await session.isLive { live += 1 }
        return (live, sessions.count)
    }

    private func forgetExpired() async {
        let now = clock.milliseconds
        guard now - sweptAtMs >= 10_000 else { return }
        sweptAtMs = now
        for (id, session) in sessions {
            if let detached = await session.detachedAtMs, now - detached > Self.keepMs { sessions[id] = nil }
        }
    }
}
