import OzziRuntime

/// The words of an account email: a subject, a plain-text body and the same as HTML, every value in the
/// HTML escaped. Links go to the pages the api serves at `PUBLIC_URL`, the token in the fragment: a
/// browser never sends a fragment, so no access log or proxy on the way records it; the page posts it.
struct AccountEmailContent: Equatable {
    let subject: String
    let text: String
    let html: String

    /// Where each link points, below `publicURL`.
    static func link(_ template: AccountEmail.Template, publicURL: String, token: String?) -> String {
        let path = switch template {
        case .verifyEmail: "/api/v1/auth/verify-email"
        case .signUpAttempt, .passwordReset: "/api/v1/auth/password-reset"
        case .invitation: "/api/v1/invitations/accept"
        case .communityInvitation: "/api/v1/community-invitations/accept"
        }
        return publicURL + path + (token.map { "#token=" + $0 } ?? "")
    }

    init(_ email: AccountEmail, token: String?, publicURL: String) {
        let link = Self.link(email.template, publicURL: publicURL, token: token)
        let greeting = email.name.map { "Hello \($0)," } ?? "Hello,"
        switch email.template {
        case .verifyEmail:
            self.init(subject: "Confirm your email address for Ozzi", greeting: greeting, before: [
                "Thank you for signing up for Ozzi. Confirm that \(email.to) is your address to finish creating your account:",
            ], action: "Confirm my email address", link: link, after: [
                "The link works once and expires in 24 hours. If you did not sign up, ignore this email: no account is created for this address until the link is opened.",
            ])
        case .signUpAttempt:
            self.init(subject: "Someone tried to create an Ozzi account with your email", greeting: greeting, before: [
                "Someone tried to create a new Ozzi account with \(email.to). You already have an account with this address, so nothing was changed.",
                "If it was you, sign in with your password. If you have forgotten it, choose a new one here:",
            ], action: "Reset my password", link: link, after: [
                "If it was not you, you can ignore this email: your account and password are unchanged.",
            ])
        case .passwordReset:
            self.init(subject: "Reset your Ozzi password", greeting: greeting, before: [
                "We received a request to reset the password of the Ozzi account for \(email.to). Choose a new password here:",
            ], action: "Choose a new password", link: link, after: [
                "The link works once and expires in 30 minutes. Changing your password signs you out everywhere.",
                "If you did not ask for this, ignore this email: your password stays as it is.",
            ])
        case .invitation:
            let workspace = email.workspace ?? "a workspace", inviter = email.inviter ?? "A colleague", role = email.role ?? "member"
            self.init(subject: "\(inviter) invited you to \(workspace) on Ozzi", greeting: greeting, before: [
                "\(inviter) invited you to join the workspace \(workspace) on Ozzi as \(role == "admin" ? "an admin" : "a member").",
                "Sign in (or sign up) with \(email.to), then accept the invitation:",
            ], action: "Accept the invitation", link: link, after: [
                "The invitation works once and expires in 7 days. If you do not know \(inviter), you can ignore this email.",
            ])
        case .communityInvitation:
            let community = email.workspace ?? "a community", inviter = email.inviter ?? "Someone", role = email.role ?? "member"
            self.init(subject: "\(inviter) invited you to the community \(community) on Ozzi", greeting: greeting, before: [
                "\(inviter) invited you to join the community \(community) on Ozzi as \(role == "admin" ? "an admin" : "a " + role).",
                "Sign in (or sign up) with \(email.to), then accept the invitation:",
            ], action: "Join the community", link: link, after: [
                "The invitation works once. If you do not know \(inviter), you can ignore this email.",
            ])
        }
    }

    private init(subject: String, greeting: String, before: [String], action: String, link: String, after: [String]) {
        self.subject = subject
        text = ([greeting] + before + [link] + after + ["— Ozzi"]).joined(separator: "\n\n") + "\n"
        let paragraph = { (text: String) in "<p style=\"margin:0 0 16px\">\(HTMLEscape.escape(text))</p>" }
        html = """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>\(HTMLEscape.escape(subject))</title></head>
            <body style="font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1f2933;margin:0;padding:24px">
            <div style="max-width:560px;margin:0 auto">
            \(([greeting] + before).map(paragraph).joined(separator: "\n"))
            <p style="margin:24px 0"><a href="\(HTMLEscape.escape(link))" style="background:#2f5bea;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">\(HTMLEscape.escape(action))</a></p>
            <p style="margin:0 0 16px;font-size:14px;color:#52606d">Or open this address: \(HTMLEscape.escape(link))</p>
            \(after.map(paragraph).joined(separator: "\n"))
            <p style="margin:0;color:#52606d">— Ozzi</p>
            </div></body></html>
            """
    }
}
