import OzziRuntime

/// Calls the Calendar API as a connected member: with their access token, refreshed when it is about to
/// expire or when Google refuses it (401), and the connection marked disconnected when the refresh token
/// itself is refused (`invalid_grant`: revoked in the Google account, or expired).
struct GoogleAccess: Sendable {
    let config: GoogleCalendarConfig
    let connections: GoogleConnectionStore
    let api: GoogleCalendarAPI
    let outbound: OutboundFetcher
    let clock: any WallClock

    /// One call as `connection`'s member.
    func send(_ connection: GoogleConnection, _ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
              ifMatch: String? = nil) async throws(GoogleCalendarError) -> GoogleCalendarAPI.Answer {
        var token = try await accessToken(connection, fresh: false)
        var answer = try await api.send(method, path, query: query, body: body, ifMatch: ifMatch, token: token)
        if answer.status == 401 {
            token = try await accessToken(connection, fresh: true)
            answer = try await api.send(method, path, query: query, body: body, ifMatch: ifMatch, token: token)
            if answer.status == 401 { throw .failed(status: 401, message: answer.message) }
        }
        return answer
    }

    /// The stored access token while it has a minute left, else a new one from the refresh token.
    func accessToken(_ given: GoogleConnection, fresh: Bool) async throws(GoogleCalendarError) -> String {
        // The row, not the copy a long sync started with: another call may have refreshed the token since.
        let connection = (try? await connections.get(id: given.id)) ?? given
        guard connection.isConnected, let refreshToken = connections.open(connection.sealedRefreshToken) else { throw .disconnected }
        if !fresh, connection.accessExpiresMs - 60_000 > clock.milliseconds, let token = connections.open(connection.sealedAccessToken) {
            return token
        }
        let form = FormEncoding.encode([
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken),
            ("client_id", config.provider.clientID), ("client_secret", config.provider.clientSecret),
        ])
        let response: OutboundResponse
        do {
            response = try await outbound.fetch(OutboundRequest(method: "POST", url: config.provider.tokenURL,
                                                                headers: ["content-type": "application/x-www-form-urlencoded", "accept": "application/json"],
                                                                body: Array(form.utf8), timeoutMilliseconds: 30_000))
        } catch {
            throw .unreachable("the token endpoint: \(error)")
        }
        let json = try? JSONValue(jsonBytes: response.body)
        if response.status == 400, json?["error"]?.stringValue == "invalid_grant" {
            try? await connections.disconnect(connection, reason: "revoked")
            throw .disconnected
        }
        guard response.status == 200, let token = json?["access_token"]?.stringValue else {
            throw .failed(status: response.status, message: "the token endpoint refused the refresh: \(json?["error"]?.stringValue ?? "no access_token")")
        }
        try? await connections.storeAccess(connection, token: token, expiresIn: OAuthFlow.lifetime(json?["expires_in"]))
        return token
    }

    /// Revokes the grant at Google (disconnecting from our side should end it there too); best effort.
    func revoke(_ connection: GoogleConnection) async {
        guard let token = connections.open(connection.sealedRefreshToken) else { return }
        _ = try? await outbound.fetch(OutboundRequest(method: "POST", url: config.revokeURL,
                                                      headers: ["content-type": "application/x-www-form-urlencoded"],
                                                      body: Array(FormEncoding.encode([("token", token)]).utf8), timeoutMilliseconds: 10_000))
    }
}
