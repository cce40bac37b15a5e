/// What presenting a refresh token means, decided without I/O: rotate it, or treat it as stolen.
///
/// A refresh token is good once. Presenting one that was already used means two parties hold it — the
/// client that rotated it and someone else — so the whole session (the token family) is revoked.
enum RefreshRotation {
    struct Presented: Equatable {
        let alreadyUsed: Bool
        let sessionRevoked: Bool
        let sessionExpired: Bool
    }

    enum Decision: Equatable {
        case rotate
        /// A spent token came back: revoke the family and log it.
        case reuseDetected
        case rejected(reason: String)
    }

    static func decide(_ token: Presented?) -> Decision {
        guard let token else { return .rejected(reason: "unknown refresh token") }
        if token.sessionRevoked { return .rejected(reason: "the session was signed out") }
        if token.alreadyUsed { return .reuseDetected }
        if token.sessionExpired { return .rejected(reason: "the session expired; sign in again") }
        return .rotate
    }
}
