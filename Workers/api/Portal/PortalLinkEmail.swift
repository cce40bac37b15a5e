import OzziRuntime

/// The email that carries a portal link — an invitation, a self sign-up's confirmation, a password reset — sent as
/// the workspace's own transactional email (its sender, its provider, in the contact's history). The
/// token rides in the link's fragment, which browsers never send: no access log or proxy records it.
struct PortalLinkEmail: Equatable {
    let subject: String
    let text: String
    let html: String

    enum Kind {
        case invitation, signUp, reset

        /// How long its link works.
        var lifetimeMs: Int64 {
            switch self {
            case .invitation: 7 * 86_400_000
            case .signUp: 86_400_000
            case .reset: 3_600_000
            }
        }

        /// The `portal_links.purpose` it is stored under.
        var purpose: String {
            switch self {
            case .invitation: "invitation"
            case .signUp: "signup"
            case .reset: "reset"
            }
        }
    }

    init(_ kind: Kind, workspace: String, token: String, publicURL: String) {
        switch kind {
        case .invitation: self.init(invitation: workspace, token: token, publicURL: publicURL)
        case .signUp: self.init(signUp: workspace, token: token, publicURL: publicURL)
        case .reset: self.init(reset: workspace, token: token, publicURL: publicURL)
        }
    }

    static func link(publicURL: String, token: String) -> String {
        publicURL + "/api/v1/client-portal/accept#token=" + token
    }

    init(invitation workspace: String, token: String, publicURL: String) {
        self.init(subject: "Your access to \(workspace)'s client portal", paragraphs: [
            "\(workspace) invited you to their client portal, where you can see your conversations and messages with them, "
                + "choose what they may send you, download your data or ask for it to be erased.",
            "Choose a password to open your access:",
        ], action: "Open my portal access", link: Self.link(publicURL: publicURL, token: token),
                  after: "The link works once and expires in 7 days. If you did not expect this email, you can ignore it.")
    }

    init(signUp workspace: String, token: String, publicURL: String) {
        self.init(subject: "Confirm your email for \(workspace)'s client portal", paragraphs: [
            "Someone — we hope you — asked for access to \(workspace)'s client portal with this address.",
            "Confirm it and choose a password:",
        ], action: "Confirm and choose a password", link: Self.link(publicURL: publicURL, token: token),
                  after: "The link works once and expires in 24 hours. If it was not you, ignore this email: nothing is opened without it.")
    }

    init(reset workspace: String, token: String, publicURL: String) {
        self.init(subject: "Choose a new password for \(workspace)'s client portal", paragraphs: [
            "Someone — we hope you — asked to reset the password of your access to \(workspace)'s client portal.",
            "Choose a new one:",
        ], action: "Choose a new password", link: Self.link(publicURL: publicURL, token: token),
                  after: "The link works once and expires in an hour; choosing a password signs you out everywhere. If it was not you, ignore this email: your password stays as it is.")
    }

    private init(subject: String, paragraphs: [String], action: String, link: String, after: String) {
        self.subject = subject
        text = (paragraphs + [link, after]).joined(separator: "\n\n") + "\n"
        let paragraph = { (text: String) in "<p>\(HTMLEscape.escape(text))</p>" }
        html = paragraphs.map(paragraph).joined(separator: "\n")
            + "\n<p><a href=\"\(HTMLEscape.escape(link))\">\(HTMLEscape.escape(action))</a></p>\n<p>Or open this address: \(HTMLEscape.escape(link))</p>\n"
            + paragraph(after)
    }
}
