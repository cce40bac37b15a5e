import OzziRuntime

/// `/api/v1/calendars/google`: connecting a Google account (OAuth with offline access and PKCE), its
/// status, its calendars to choose from, disconnecting, and the push notifications Google sends.
extension RouteGroup {
    static let googleStateCookie = "ozzi_google_calendar"

    func addGoogleCalendarRoutes(_ s: CalendarsDomain) {
        @Sendable func google() throws -> GoogleCalendars {
            guard let google = s.google else {
                throw APIError.conflict("Google Calendar is not configured on this host: set OAUTH_GOOGLE_CLIENT_ID and the OAUTH_GOOGLE_CLIENT_SECRET secret",
                                        details: ["state": "not_configured"])
            }
            return google
        }

        authed("POST", "/connect", "Connect your Google account: answers the URL to send the browser to (Google's consent, then our callback)",
               tag: "calendars", answers: .json(.object([.required("authorize_url", Schema.string(format: "uri"))], closed: true))) { _, _, principal in
            let google = try google()
            // The grant must come back to the browser that asked: a consent link sent to someone else cannot
            // connect their Google account to the sender's calendars.
            let nonce = Crypto.token()
            let url = try await google.oauth.start(google.config.provider, linking: principal.userID, workspaceID: principal.scope.workspaceID,
                                                   binding: Crypto.sha256Hex(nonce))
            var response = Response.json(JSONValue.object(["authorize_url": .string(url)]))
            response.headers.add("set-cookie", "\(Self.googleStateCookie)=\(nonce); Path=/api/v1/calendars/google/callback; Max-Age=600; HttpOnly; Secure; SameSite=Lax")
            return response
        }

        open("GET", "/callback", "Where Google returns the browser: keeps the grant, adds the primary calendar and syncs it", tag: "calendars",
             query: [
                 .query("code", Schema.string(min: 1), "The authorization code; required unless `error` is given"),
                 .query("state", Schema.string(), "The state the connect route made; required unless `error` is given"),
                 .query("error", Schema.string().example("access_denied"), "Set by Google when the member declined"),
                 .query("scope", Schema.string(), "The scopes granted"),
             ], answers: .html) { request, _ in
            let google = try google()
            if let error = request.queryParameter("error") {
                throw APIError.badRequest("Google refused: \(error)", code: "provider_denied")
            }
            guard let code = request.queryParameter("code"), !code.isEmpty else { throw APIError.invalidField("code", "is required") }
            guard let stateText = request.queryParameter("state") else { throw APIError.invalidField("state", "is required") }
            let state = try await google.oauth.consume(state: stateText, provider: google.config.provider) { state in
                guard state.link_user_id != nil, state.workspace_id != nil, let binding = state.binding else {
                    throw APIError.badRequest("the state was not made by the calendar's connect route", code: "invalid_state")
                }
                guard let nonce = Cookies.value(Self.googleStateCookie, in: request),
                      Crypto.constantTimeEquals(Array(Crypto.sha256Hex(nonce).utf8), Array(binding.utf8)) else {
                    throw APIError.badRequest("open the consent link in the browser that started connecting", code: "invalid_state")
                }
            }
            guard let userID = state.link_user_id, let workspaceID = state.workspace_id else { throw APIError.badRequest("no state", code: "invalid_state") }
            if let granted = request.queryParameter("scope"), !granted.split(separator: " ").contains(Substring(GoogleCalendarConfig.scope)) {
                throw APIError.badRequest("calendar access was not granted: connect again and allow it", code: "scope_missing")
            }
            let tokens = try await google.oauth.tokens(google.config.provider, code: code, verifier: state.verifier)
            guard let refreshToken = tokens.refreshToken else {
                throw APIError(status: 502, code: "provider_error", message: "Google gave no refresh token (offline access); connect again")
            }
            let scope = TenantScope(workspaceID: workspaceID)
            let earlier = try await google.connections.get(scope, userID: userID)
            let connection = try await google.connections.save(scope, userID: userID, email: earlier?.googleEmail, refreshToken: refreshToken,
                                                               accessToken: tokens.accessToken, expiresIn: tokens.expiresIn)
            // The primary calendar is shown at once, as members expect; others are chosen from the list.
            let list = try await google.calendarList(connection)
            if let email = list.first(where: \.primary)?.id {
                // Another Google account than before: the earlier one's calendars go (their channels lapse on their own).
                if let before = earlier?.googleEmail, before != email.lowercased() {
                    for link in try await google.links.all(connectionID: connection.id) { try await google.links.remove(link) }
                }
                try await google.connections.name(connection, email: email)
            }
            if let primary = list.first(where: \.primary) {
                let builtin = try await s.calendars.builtin(scope, ownerID: userID)
                let link = try await google.links.choose(scope, connection: connection, builtin: builtin, googleCalendarID: primary.id, name: primary.name,
                                                         timeZone: primary.timeZone, color: primary.color)
                try await google.started(link)
            }
            return EmailPage.html(title: "Google Calendar connected", "<p>Your Google Calendar is connected. You can close this tab.</p>")
        }

        authed("GET", "", "Your Google connection: its state (a revoked grant shows as disconnected) and the calendars it syncs", tag: "calendars",
               answers: .json(GoogleCalendars.statusSchema)) { _, _, principal in
            guard let google = s.google, let connection = try await google.connections.get(principal.scope, userID: principal.userID) else {
                return .json(JSONValue.object(["status": "not_connected", "calendars": .array([])]))
            }
            return .json(try await google.status(connection))
        }

        authed("GET", "/calendars", "The calendars of your Google account, and which you show here", tag: "calendars",
               answers: .json(.object([.required("data", .array(GoogleCalendars.listedSchema))], closed: true))) { _, _, principal in
            let google = try google()
            let connection = try await google.connected(principal)
            let chosen = Dictionary(try await google.links.all(connectionID: connection.id).map { ($0.googleCalendarID, $0.id) }, uniquingKeysWith: { a, _ in a })
            return .json(JSONValue.object(["data": .array(try await google.calendarList(connection).map { $0.json(calendarID: chosen[$0.id]) })]))
        }

        authed("POST", "/calendars", "Show one of your Google calendars here: it is synced both ways from now on", tag: "calendars",
               body: .json(.object([.required("google_calendar_id", Schema.text(max: 1024))], closed: true)),
               answers: .json(.model(MemberCalendar.self)), success: 201) { request, _, principal in
            let google = try google()
            let connection = try await google.connected(principal)
            let body = try JSONBody(request)
            guard let id = try body.string("google_calendar_id", max: 1024), !id.isEmpty else { throw APIError.invalidField("google_calendar_id", "is required") }
            guard let listed = try await google.calendarList(connection).first(where: { $0.id == id }) else {
                throw APIError.invalidField("google_calendar_id", "is not a calendar of your Google account")
            }
            // Shared with free/busy only: its events cannot be listed, so there is nothing to sync.
            guard listed.accessRole != "freeBusyReader" else {
                throw APIError.invalidField("google_calendar_id", "is shared with your account for free/busy only: its events cannot be synced")
            }
            let builtin = try await s.calendars.builtin(principal.scope, ownerID: principal.userID)
            let link = try await google.links.choose(principal.scope, connection: connection, builtin: builtin, googleCalendarID: listed.id,
                                                     name: listed.name, timeZone: listed.timeZone, color: listed.color)
            try await google.started(link)
            guard let calendar = try await s.calendars.get(principal.scope, id: link.id) else { throw APIError.notFound("calendar") }
            return .json(calendar, status: 201)
        }

        authed("DELETE", "/calendars/:id", "Stop showing a Google calendar here (:id is its calendar id here): its events leave with it",
               tag: "calendars", answers: .empty, success: 204) { _, context, principal in
            let calendar = try await s.writable(principal, calendarID: context.parameter("id"))
            guard calendar.source == "google" else { throw APIError.notFound("Google calendar") }
            let google = try google()
            guard let link = try await google.links.get(id: calendar.id) else { throw APIError.notFound("Google calendar") }
            await google.channels.stop(link)
            try await google.links.remove(link)
            return Response(status: 204)
        }

        authed("POST", "/sync", "Sync your Google calendars now (they also sync on Google's notifications, and every 15 minutes)", tag: "calendars",
               answers: .json(GoogleCalendars.statusSchema)) { _, _, principal in
            let google = try google()
            let connection = try await google.connected(principal)
            for link in try await google.links.all(connectionID: connection.id) {
                do {
                    try await google.sync.sync(calendarID: link.id)
                } catch {
                    throw GoogleWriteBack.apiError(error)
                }
            }
            return .json(try await google.status(try await google.connections.get(id: connection.id) ?? connection))
        }

        authed("DELETE", "", "Disconnect your Google account: its calendars and their events leave this workspace, and the grant is revoked",
               tag: "calendars", answers: .empty, success: 204) { _, _, principal in
            let google = try google()
            guard let connection = try await google.connections.get(principal.scope, userID: principal.userID) else { throw APIError.notFound("Google connection") }
            for link in try await google.links.all(connectionID: connection.id) { await google.channels.stop(link) }
            await google.access.revoke(connection)
            try await google.connections.delete(connection)
            return Response(status: 204)
        }

        open("POST", "/notifications", "Google's push notifications for watched calendars (headers only): checked by channel token, then a sync is queued",
             tag: "calendars", answers: .empty, success: 204, signedWith: "X-Goog-Channel-Token") { request, _ in
            let google = try google()
            guard let channelID = request.headers["x-goog-channel-id"], let link = try await google.links.get(channelID: channelID) else {
                throw APIError.notFound("channel")
            }
            guard GoogleChannels.isGenuine(link, token: request.headers["x-goog-channel-token"]) else {
                throw APIError.forbidden("the channel token does not match")
            }
            // `sync` only confirms the channel; `exists` and `not_exists` say something changed.
            if request.headers["x-goog-resource-state"] != "sync" { try await google.queueSync([link.id]) }
            return Response(status: 204)
        }
    }
}
