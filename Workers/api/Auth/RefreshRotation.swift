/// What presenting a refresh token means, decided without I/O: rotate it, or treat it as stolen.
///
/// A refresh token is good once. Presenting one that was already used means two parties hold it — the
/// client that rotated it and someone else — so the whole session (the token family) is revoked. Except
/// within `graceSeconds` of its use: two requests a browser sent together (two tabs, a page and its script)
/// both carry it, and the one that lost the race is refused without ending the session the other renewed.
/// It gets no tokens either, so a thief gains nothing by it.
enum RefreshRotation {
    static let graceSeconds: Int64 = 10

    struct Presented: Equatable {
        let alreadyUsed: Bool
        /// Used less than `graceSeconds` ago.
        var usedJustNow = false
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
        if token.alreadyUsed { return token.usedJustNow ? .rejected(reason: Self.raced) : .reuseDetected }
        if token.sessionExpired { return .rejected(reason: "the session expired; sign in again") }
        return .rotate
    }

    static let raced = "the refresh token was exchanged a moment ago by another request; use the tokens it got"
}
