import OzziRuntime

/// `/api/v1/client-portal`: the portal user's side. Signing up, accepting a link, signing in and
/// refreshing are open (rate-limited); the rest needs a portal access token and answers only the
/// signed-in person's own records — every query is bound to the contact their session names.
extension RouteGroup {
    func addClientPortalRoutes(_ s: PortalDomain) {
        let workspaceID = Schema.text(max: 64).example("ws_01jd3k5v7n0000000000000000").described("The workspace whose portal it is")
        let tag = "client-portal"
        let auth = s.authenticator

        open("POST", "/signup", "Ask for portal access with an address; a link to confirm it is mailed (where the workspace allows self sign-up)", tag: tag,
             body: .json(.object([.required("workspace_id", workspaceID), .required("email", EmailAddress.schema)], closed: true)),
             answers: .json(.object([.required("status", .oneOf(["confirmation_sent"]))], closed: true)), success: 202) { request, _ in
            let body = try JSONBody(request)
            let scope = TenantScope(workspaceID: try body.requiredString("workspace_id", max: 64))
            let email = try EmailAddress.normalize(try body.requiredString("email", max: 320), field: "email")
            try await s.limiter.check(.signUp, "portal:" + request.clientNetwork)
            let settings = try await PortalSettings.get(s.database, scope)
            guard settings.enabled, settings.self_signup else {
                throw APIError.conflict("this portal takes no sign-ups; ask the business for an invitation", details: ["field": "workspace_id"])
            }
            try await s.limiter.check(.accountEmail, "portal:" + email)
            // The same answer whether or not the address has access, so the route tells nobody who does: a
            // workspace that cannot send refuses everyone alike, before anything is looked up.
            _ = try await s.emails.senders.sender(scope, nil, field: "workspace_id")
            if let (user, token) = try await s.users.signUp(scope, email: email) {
                _ = try await s.mailLink(.signUp, scope, createdBy: "client-portal", contactID: user.contact_id, to: email, token: token)
            }
            return .json(["status": "confirmation_sent"], status: 202)
        }

        open("POST", "/password-reset", "Mail a link to choose a new password to a portal user's address", tag: tag,
             body: .json(.object([.required("workspace_id", workspaceID), .required("email", EmailAddress.schema)], closed: true)),
             answers: .json(.object([.required("status", .oneOf(["reset_sent"]))], closed: true)), success: 202) { request, _ in
            let body = try JSONBody(request)
            let scope = TenantScope(workspaceID: try body.requiredString("workspace_id", max: 64))
            let email = try EmailAddress.normalize(try body.requiredString("email", max: 320), field: "email")
            try await s.limiter.check(.passwordReset, "portal:" + request.clientNetwork)
            try await s.limiter.check(.accountEmail, "portal:" + email)
            // The same answer whether or not the address has access (a workspace that cannot send refuses alike).
            guard try await PortalSettings.get(s.database, scope).enabled else { return .json(["status": "reset_sent"], status: 202) }
            _ = try await s.emails.senders.sender(scope, nil, field: "workspace_id")
            if let (user, token) = try await s.users.passwordReset(scope, email: email) {
                _ = try await s.mailLink(.reset, scope, createdBy: "client-portal", contactID: user.contact_id, to: email, token: token)
            }
            return .json(["status": "reset_sent"], status: 202)
        }

        open("GET", "/accept", "The page portal emails link to: choose a password to open access", tag: tag, answers: .html) { _, _ in
            AccountPage.response(title: "Open your portal access", body: """
                <form id="choose"><label>Choose a password (at least \(PasswordPolicy.minimumLength) characters)
                <input id="password" type="password" autocomplete="new-password" minlength="\(PasswordPolicy.minimumLength)" maxlength="\(PasswordPolicy.maximumLength)" required></label>
                <button type="submit">Open my access</button></form>
                """, script: """
                const choose = document.getElementById('choose');
                if (!token) { choose.hidden = true; note('This page needs the link from your email.'); }
                choose.onsubmit = async (event) => {
                  event.preventDefault();
                  const result = await post(location.pathname, {token, password: document.getElementById('password').value});
                  if (result.ok) { choose.hidden = true; history.replaceState(null, '', location.pathname); }
                  note(result.ok ? 'Your portal access is open: sign in with ' + result.answer.portal_user.email + ' and this password.' : result.message);
                };
                """)
        }

        open("POST", "/accept", "Spend an invitation's, sign-up's or reset's link: choose a password and sign in (other devices are signed out)", tag: tag,
             body: .json(.object([.required("token", Schema.text(max: 200)), .required("password", PasswordPolicy.schema)], closed: true)),
             answers: .json(.model(PortalSignedIn.self)), success: 201) { request, _ in
            let body = try JSONBody(request)
            let token = try body.requiredString("token", max: 200), password = try body.requiredString("password", max: 1024)
            try await s.limiter.check(.accountToken, "portal:" + request.clientNetwork)
            try PasswordPolicy.check(password, email: nil)
            guard let (user, workspace) = try await s.users.accept(token: token, passwordHash: try await s.hasher.hash(password)) else {
                throw APIError.unauthorized("the link is unknown, used or expired; ask for a new one")
            }
            await s.audit.record("portal.activated", workspace: workspace, user: nil, ip: request.clientIP, details: ["portal_user_id": .string(user.id)])
            return .json(try await s.signIn(user, workspace: workspace), status: 201)
        }

        open("POST", "/sessions", "Sign in to a workspace's portal with email and password", tag: tag,
             body: .json(.object([.required("workspace_id", workspaceID), .required("email", EmailAddress.schema),
                                  .required("password", Schema.text(max: 1024))], closed: true)),
             answers: .json(.model(PortalSignedIn.self))) { request, _ in
            let body = try JSONBody(request)
            let workspace = try body.requiredString("workspace_id", max: 64)
            let email = try EmailAddress.normalize(try body.requiredString("email", max: 320), field: "email")
            let password = try body.requiredString("password", max: 1024)
            try await s.limiter.check(.signIn, "portal:" + request.clientNetwork)
            let account = workspace + "/" + email, client = SignInGuard.Client.unknown(network: request.clientNetwork)
            if let wait = s.signInGuard.begin(account: account, client: client) { throw APIError.rateLimited(retryAfterSeconds: wait) }
            var judged = false
            defer { if !judged { s.signInGuard.abandoned(account: account, client: client) } }
            let enabled = try await PortalSettings.get(s.database, TenantScope(workspaceID: workspace)).enabled
            let found = enabled ? try await s.users.credentials(workspace: workspace, email: email) : nil
            // A hash is computed either way, so timing does not tell who has access.
            let verified = try await s.hasher.verify(password, against: found?.hash)
            judged = true
            guard verified, let (user, _) = found else {
                _ = s.signInGuard.failed(account: account, client: client)
                await s.audit.record("portal.login_failed", workspace: enabled ? workspace : nil, user: nil, ip: request.clientIP, details: ["email": .string(email)])
                throw APIError.unauthorized("the email or password is wrong")
            }
            s.signInGuard.succeeded(account: account, client: client)
            await s.audit.record("portal.login", workspace: workspace, user: nil, ip: request.clientIP, details: ["portal_user_id": .string(user.id)])
            return .json(try await s.signIn(user, workspace: workspace))
        }

        open("POST", "/sessions/refresh", "New portal tokens for a refresh token (spent by the call; a second use signs the device out)", tag: tag,
             body: .json(.object([.required("refresh_token", Schema.text(max: 200))], closed: true)),
             answers: .json(.model(PortalSignedIn.self))) { request, _ in
            try await s.limiter.check(.refresh, "portal:" + request.clientNetwork)
            switch try await s.sessions.refresh(try JSONBody(request).requiredString("refresh_token", max: 200)) {
            case .rejected(let reason):
                throw APIError.unauthorized(reason)
            case .reuseDetected(let workspace, let user, let session):
                await s.audit.record("portal.refresh_token_reused", workspace: workspace, user: nil, ip: request.clientIP,
                                     details: ["portal_user_id": .string(user), "session_id": .string(session)])
                throw APIError.unauthorized("the refresh token was already used; the session is signed out")
            case .rotated(let userID, let workspace, let session, let refresh):
                guard let user = try await s.users.get(TenantScope(workspaceID: workspace), id: userID) else { throw APIError.unauthorized }
                return .json(PortalSignedIn(access_token: try await s.tokens.issue(user: userID, workspace: workspace, session: session),
                                            refresh_token: refresh, expires_in: s.tokens.lifetimeSeconds, portal_user: user))
            }
        }

        open("GET", "/jwks.json", "The public keys portal tokens are signed with (a JWKS, RFC 7517)", tag: tag, answers: .json(Self.jwks)) { _, _ in
            let keys = try await s.keys.keys().map { key -> JSONValue in
                ["kty": "OKP", "crv": "Ed25519", "x": .string(Base64URL.encode(key.publicKey)), "kid": .string(key.kid), "alg": "EdDSA", "use": "sig"]
            }
            var response = Response.json(["keys": JSONValue.array(keys)])
            response.headers.add("Cache-Control", "public, max-age=300")
            return response
        }

        portal("DELETE", "/sessions/current", "Sign this device out of the portal", tag: tag, authenticator: auth, answers: .empty, success: 204) { _, _, principal in
            try await s.sessions.revoke(session: principal.sessionID)
            return Response(status: 204)
        }

        portal("GET", "/me", "Who is signed in: their portal access, their details as the business holds them, and any erasure request",
               tag: tag, authenticator: auth, answers: .json(Self.me)) { _, _, principal in
            guard let contact = try await s.contact(principal) else { throw APIError.unauthorized }
            let workspace = try await s.database.prepare("SELECT name FROM workspaces WHERE id = ?").bind(principal.workspaceID).first()?.text("name") ?? ""
            var me: [String: JSONValue] = [
                "portal_user": try JSONValueEncoder.encode(principal.user),
                "workspace": ["id": .string(principal.workspaceID), "name": .string(workspace)],
                "contact": try JSONValueEncoder.encode(contact),
            ]
            if let erasure = try await s.erasures.latest(principal.scope, contactID: principal.contactID) {
                me["erasure_request"] = ["id": .string(erasure.id), "status": .string(erasure.status), "requested_at": .string(erasure.requested_at)]
            }
            return .json(JSONValue.object(me))
        }

        portal("GET", "/me/history", "Everything said between the business and me on every channel (SMS, email, chat), newest first", tag: tag,
               authenticator: auth, query: PageRequest.parameters, answers: .json(Page<ContactHistoryItem>.schema(of: .model(ContactHistoryItem.self)))) { request, _, principal in
            let page = try PageRequest(request)
            let rows = try await ContactHistoryItem.page(s.database, principal.scope, contactID: principal.contactID, page: page, sentOnly: true)
            return .json(page.page(rows, key: { Cursor($0.at, $0.id).key }, item: { $0 }))
        }

        portal("GET", "/me/conversations", "My chat conversations, latest activity first", tag: tag, authenticator: auth,
               query: PageRequest.parameters, answers: .json(Page<PortalConversation>.schema(of: .model(PortalConversation.self)))) { request, _, principal in
            let page = try PageRequest(request)
            let rows = try await s.conversations.list(principal.scope, status: nil, assignee: nil, unread: false, contactID: principal.contactID, page: page)
            return .json(page.page(rows, key: { Cursor($0.last_message_at, $0.id).key }, item: PortalConversation.init))
        }

        portal("GET", "/me/conversations/:id/messages", "A conversation's messages after ?after= (a seq), oldest first", tag: tag, authenticator: auth,
               query: Self.threadParameters,
               answers: .json(.object([.required("data", Schema.array(PortalConversation.message)), .required("last_seq", Schema.integer(min: 0))], closed: true))) { request, context, principal in
            // Another contact's conversation is as absent as one that does not exist.
            guard let conversation = try await s.conversations.get(principal.scope, id: context.parameter("id")),
                  conversation.contact_id == principal.contactID else { throw APIError.notFound("conversation") }
            let after = Int64(request.queryParameter("after") ?? "0") ?? 0
            let limit = Int(request.queryParameter("limit") ?? "100") ?? 100
            let messages = try await s.conversations.messages(conversationID: conversation.id, after: after, limit: limit)
            return .json(["data": JSONValue.array(messages.map(\.forVisitor)), "last_seq": .number(Double(conversation.last_seq))])
        }

        portal("GET", "/me/submissions", "The forms I sent the business, newest first, with my answers and the consent I gave", tag: tag,
               authenticator: auth, query: PageRequest.parameters, answers: .json(Page<PortalSubmission>.schema(of: .model(PortalSubmission.self)))) {
            request, _, principal in
            let page = try PageRequest(request)
            let rows = try await PortalSubmission.page(s.database, principal.scope, contactID: principal.contactID, page: page)
            return .json(page.page(rows, key: { Cursor($0.created_at, $0.id).key }, item: { $0 }))
        }

        portal("GET", "/me/consent", "What I agreed the business may send me", tag: tag, authenticator: auth, answers: .json(PortalConsent.answer)) { _, _, principal in
            guard let contact = try await s.contact(principal) else { throw APIError.unauthorized }
            return .json(PortalConsent.answer(contact))
        }

        portal("PATCH", "/me/consent", "Give or withdraw consent to SMS and email", tag: tag, authenticator: auth,
               body: .json(PortalConsent.body), answers: .json(PortalConsent.answer)) { request, _, principal in
            let body = try JSONBody(request)
            let sms = try body.choice("sms", ["opted_in", "opted_out"]), email = try body.choice("email", ["opted_in", "opted_out"])
            guard sms != nil || email != nil else { throw APIError.invalidField("sms", "give sms, email or both") }
            try await PortalConsent.change(s.database, principal, sms: sms, email: email, now: Timestamp.now(s.clock))
            guard let contact = try await s.contact(principal) else { throw APIError.unauthorized }
            return .json(PortalConsent.answer(contact))
        }

        portal("GET", "/me/export", "Everything the business holds about me, as one JSON file (GDPR Art. 15 and 20)", tag: tag, authenticator: auth,
               answers: .json(PersonalData.schema)) { _, _, principal in
            guard let document = try await s.personalData.export(principal.scope, contactID: principal.contactID) else { throw APIError.unauthorized }
            await s.audit.record("portal.data_exported", workspace: principal.workspaceID, user: nil, ip: nil, details: ["portal_user_id": .string(principal.user.id)])
            return PersonalData.download(document, name: "personal-data-\(principal.contactID).json")
        }

        portal("POST", "/me/erasure", "Ask the business to erase everything it holds about me (GDPR Art. 17); it sees the request and completes it",
               tag: tag, authenticator: auth, answers: .json(.model(ErasureRequest.self)), success: 202) { request, _, principal in
            let erasure = try await s.erasures.request(principal.scope, contactID: principal.contactID, email: principal.user.email, portalUserID: principal.user.id)
            await s.audit.record("privacy.erasure_requested", workspace: principal.workspaceID, user: nil, ip: request.clientIP,
                                 details: ["erasure_request_id": .string(erasure.id), "contact_id": .string(principal.contactID)])
            return .json(erasure, status: 202)
        }
    }

    private static let jwks = Schema.object([.required("keys", Schema.array(Schema.object([
        .required("kty", .oneOf(["OKP"])), .required("crv", .oneOf(["Ed25519"])), .required("x", Schema.string()), .required("kid", Schema.string()),
        .required("alg", .oneOf(["EdDSA"])), .required("use", .oneOf(["sig"])),
    ], closed: true)))], closed: true)

    private static let me = Schema.object([
        .required("portal_user", .model(PortalUser.self)),
        .required("workspace", Schema.object([.required("id", Schema.string()), .required("name", Schema.string())], closed: true)),
        .required("contact", .model(Contact.self)),
        .optional("erasure_request", Schema.object([.required("id", Schema.string()), .required("status", .oneOf(["pending", "completed"])),
                                                    .required("requested_at", .timestamp)], closed: true)),
    ], closed: true)
}
