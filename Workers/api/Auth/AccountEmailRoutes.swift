import OzziRuntime

/// `/api/v1/auth/verify-email` and `/api/v1/auth/password-reset`: what a mailed link leads to. Every
/// route that mails an address answers the same whether or not the address has an account.
extension RouteGroup {
    func addAccountEmailRoutes(_ s: AuthDomain) {
        open("POST", "/verify-email", "Verify your email address with the token a sign-up mailed; signs you in", tag: "auth",
             body: .json(.object([.required("token", AuthDomain.mailedToken("ev_Yk3vQ9tR0aVb8kXyZ1c4dE5fG6hI7jK8lM9nO0pQ1sT"))])),
             answers: .json(.model(AuthDomain.SignedIn.self)), success: 201) { request, _ in
            try await s.limiter.check(.accountToken, request.clientNetwork)
            let token = try JSONBody(request).requiredString("token", max: 200)
            let userID = try await s.tokens.verifyEmail(token)
            guard let user = try await s.users.find(id: userID) else { throw AccountTokens.invalid }
            let tokens = try await s.sessions.start(userID: user.id, userAgent: request.headers["user-agent"], ip: request.clientIP)
            await s.audit.record("email_verified", workspace: user.personal_workspace_id, user: user.id, ip: request.clientIP)
            var response = s.signedIn(user, tokens, status: 201)
            try await s.knownClients.remember(request, userID: user.id, on: &response)
            return response
        }

        open("GET", "/verify-email", "The page a verification email links to: confirms the address from the link's fragment", tag: "auth",
             answers: .html) { _, _ in
            AccountPage.response(title: "Confirm your email address", body: """
                <p>Press the button to confirm your address and sign in.</p>
                <button id="go" type="button">Confirm my email address</button>
                """, script: """
                const go = document.getElementById('go');
                if (!token) { go.hidden = true; note('This address has no token: open the link from the email again.'); }
                go.onclick = async () => {
                  go.disabled = true;
                  const result = await post(location.pathname, {token});
                  go.disabled = false;
                  if (result.ok) { go.hidden = true; history.replaceState(null, '', location.pathname); }
                  note(result.ok ? 'Your email address is confirmed and you are signed in: opening the console.' : result.message);
                  // Signed in with the session cookies the console shares.
                  if (result.ok) setTimeout(() => location.assign('/console'), 800);
                };
                """)
        }

        open("POST", "/verify-email/resend", "Mail another verification link; answers the same whatever the address", tag: "auth",
             body: .json(.object([.required("email", EmailAddress.schema)])), answers: .json(AuthDomain.mailed), success: 202) { request, _ in
            try await s.limiter.check(.signUp, request.clientNetwork)
            let email = try EmailAddress.normalize(try JSONBody(request).requiredString("email", max: 320))
            try await s.limiter.check(.accountEmail, email)
            if let user = try await s.users.find(email: email), user.email_verified_at == nil {
                try await s.mailVerification(to: user, email: email, passwordHash: try await s.tokens.pendingPassword(userID: user.id))
            }
            return AuthDomain.mailed(.verificationSent)
        }

        open("POST", "/password-reset", "Mail a link to choose a new password; answers the same whatever the address", tag: "auth",
             body: .json(.object([.required("email", EmailAddress.schema)])), answers: .json(AuthDomain.mailed), success: 202) { request, _ in
            try await s.limiter.check(.passwordReset, request.clientNetwork)
            let email = try EmailAddress.normalize(try JSONBody(request).requiredString("email", max: 320))
            try await s.limiter.check(.accountEmail, email)
            if let user = try await s.users.find(email: email) {
                let message = AccountEmail(.passwordReset, to: email, name: user.name)
                try await s.tokens.issue(s.mail.token(for: message)!, .passwordReset, userID: user.id, email: email)
                try await s.mail.send(message)
                await s.audit.record("password_reset_requested", workspace: user.personal_workspace_id, user: user.id, ip: request.clientIP)
            }
            return AuthDomain.mailed(.resetSent)
        }

        open("POST", "/password-reset/confirm", "Choose a new password with a mailed token; signs out every session of the account", tag: "auth",
             body: .json(.object([.required("token", AuthDomain.mailedToken("pr_Yk3vQ9tR0aVb8kXyZ1c4dE5fG6hI7jK8lM9nO0pQ1sT")),
                                  .required("password", PasswordPolicy.schema)])),
             answers: .json(.object([
                .required("status", Schema.oneOf(["password_changed"])),
                .required("sessions_revoked", Schema.integer(min: 0).example(2).described("Sessions signed out: sign in again with the new password")),
             ], closed: true))) { request, _ in
            try await s.limiter.check(.accountToken, request.clientNetwork)
            let body = try JSONBody(request)
            let token = try body.requiredString("token", max: 200)
            let password = try body.requiredString("password", max: 1024)
            let account = try await s.tokens.account(token, .passwordReset)
            try PasswordPolicy.check(password, email: account.email)
            let userID = try await s.tokens.resetPassword(token, passwordHash: try await s.hasher.hash(password))
            let revoked = try await s.sessions.revokeAll(userID: userID, reason: "password_reset")
            let user = try await s.users.find(id: userID)
            await s.audit.record("password_reset", workspace: user?.personal_workspace_id, user: userID, ip: request.clientIP,
                                 details: ["sessions_revoked": .number(Double(revoked))])
            var response = Response.json(["status": JSONValue.string("password_changed"), "sessions_revoked": .number(Double(revoked))])
            Cookies.clear(on: &response)
            return response
        }

        open("GET", "/password-reset", "The page a reset email links to: asks for a new password (or, without a token, for the address to mail)",
             tag: "auth", answers: .html) { _, _ in
            AccountPage.response(title: "Reset your password", body: """
                <form id="ask" hidden><label>Your account's email address<input id="email" type="email" autocomplete="email" required></label>
                <button type="submit">Mail me a link</button></form>
                <form id="choose" hidden><label>New password (at least \(PasswordPolicy.minimumLength) characters)
                <input id="password" type="password" autocomplete="new-password" minlength="\(PasswordPolicy.minimumLength)" maxlength="\(PasswordPolicy.maximumLength)" required></label>
                <button type="submit">Set my new password</button></form>
                """, script: """
                const ask = document.getElementById('ask'), choose = document.getElementById('choose');
                (token ? choose : ask).hidden = false;
                ask.onsubmit = async (event) => {
                  event.preventDefault();
                  const result = await post(location.pathname, {email: document.getElementById('email').value});
                  note(result.ok ? 'If this address has an account, a link to reset its password is on its way.' : result.message);
                };
                choose.onsubmit = async (event) => {
                  event.preventDefault();
                  const result = await post(location.pathname + '/confirm', {token, password: document.getElementById('password').value});
                  if (result.ok) { choose.hidden = true; history.replaceState(null, '', location.pathname); }
                  note(result.ok ? 'Your password is changed and every session is signed out: sign in with the new password.' : result.message);
                };
                """)
        }
    }
}

extension AuthDomain {
    /// What the mailing routes answer, the same whether or not the address has an account.
    enum Mailed: String {
        case verificationSent = "verification_sent"
        case resetSent = "reset_sent"
    }

    static let mailed = Schema.object([
        .required("status", Schema.oneOf([Mailed.verificationSent.rawValue, Mailed.resetSent.rawValue])
            .described("The email is on its way if the address can receive it; the answer is the same for any address")),
    ], closed: true)

    static func mailed(_ status: Mailed) -> Response {
        .json(JSONValue.object(["status": .string(status.rawValue)]), status: 202)
    }

    static func mailedToken(_ example: String) -> Schema {
        Schema.text(max: 200).example(.string(example)).described("From the mailed link's fragment (#token=...)")
    }

    /// Mails `user` a link that verifies `email`; `passwordHash` becomes the account's password when the
    /// link is opened.
    func mailVerification(to user: User, email: String, passwordHash: String?) async throws {
        let message = AccountEmail(.verifyEmail, to: email, name: user.name)
        try await tokens.issue(mail.token(for: message)!, .verifyEmail, userID: user.id, email: email, passwordHash: passwordHash)
        try await mail.send(message)
    }

    /// A sign-up, once its password is hashed. A new address gets an account waiting for verification and a
    /// link; an address whose account is still unverified gets a new link (whoever opens one sets its
    /// password); a verified account's owner is told someone tried, and nothing changes.
    func signUp(email: String, name: String?, passwordHash: String, ip: String?) async throws {
        var existing = try await users.find(email: email)
        if existing == nil {
            do {
                let user = try await users.create(email: email, name: name, anonymous: false)
                await audit.record("signup", workspace: user.personal_workspace_id, user: user.id, ip: ip)
                try await mailVerification(to: user, email: email, passwordHash: passwordHash)
                return
            } catch let error as APIError where error.status == 409 {
                // Another sign-up with this address won the race.
                existing = try await users.find(email: email)
            }
        }
        guard let user = existing else { return }
        if user.email_verified_at == nil {
            try await mailVerification(to: user, email: email, passwordHash: passwordHash)
        } else {
            try await mail.send(AccountEmail(.signUpAttempt, to: email, name: user.name))
            await audit.record("signup_existing_email", workspace: user.personal_workspace_id, user: user.id, ip: ip)
        }
    }
}
