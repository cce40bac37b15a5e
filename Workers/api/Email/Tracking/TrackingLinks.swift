import OzziRuntime

/// The open pixel and click redirects of one recipient of one email, signed so that the redirect goes
/// only to a URL that was in that email: the signature covers the exact URL, which rides beside the token
/// (`?url=`); change either and the link is refused, never followed.
struct TrackingLinks: Sendable {
    let signer: EmailLinkSigner
    /// The origin the links point at (`PUBLIC_URL`, no trailing slash).
    let publicURL: String

    static let openPath = "/api/v1/email/opens/"
    static let clickPath = "/api/v1/email/clicks/"
    /// Links into our own email routes (the unsubscribe link above all) are never wrapped.
    static let ownPrefix = "/api/v1/email/"
    /// Longer links are left as they are: percent-encoded into `?url=`, a link of this many characters
    /// still fits in the request head a server takes (16 KB).
    static let maxURLLength = 1024

    /// The email's HTML with each http(s) link wrapped in a click redirect (`clicks`) and an open pixel
    /// before `</body>` (`opens`); the same HTML when neither is on.
    func rewrite(html: String, messageID: String, scope: TenantScope, opens: Bool, clicks: Bool) -> String {
        guard opens || clicks else { return html }
        let own = publicURL + Self.ownPrefix
        let fields = ["c", scope.workspaceID, messageID]
        return TrackingRewriter.rewrite(html, link: clicks ? { url in
            url.hasPrefix(own) || url.unicodeScalars.count > Self.maxURLLength ? nil : clickURL(url, fields: fields)
        } : nil, pixel: opens ? openURL(messageID: messageID, scope: scope) : nil)
    }

    func openURL(messageID: String, scope: TenantScope) -> String {
        publicURL + Self.openPath + signer.sign(["o", scope.workspaceID, messageID])
    }

    func clickURL(_ url: String, messageID: String, scope: TenantScope) -> String {
        clickURL(url, fields: ["c", scope.workspaceID, messageID])
    }

    private func clickURL(_ url: String, fields: [String]) -> String {
        publicURL + Self.clickPath + signer.sign(fields, bound: url) + "?url=" + FormEncoding.escape(url)
    }

    func opened(_ token: String) -> EmailRef? {
        guard let fields = signer.verify(token), fields.count == 3, fields[0] == "o" else { return nil }
        return EmailRef(scope: TenantScope(workspaceID: fields[1]), messageID: fields[2])
    }

    /// The email a click token is about, when it was signed for exactly this `url`.
    func clicked(_ token: String, url: String) -> EmailRef? {
        guard let fields = signer.verify(token, bound: url), fields.count == 3, fields[0] == "c" else { return nil }
        return EmailRef(scope: TenantScope(workspaceID: fields[1]), messageID: fields[2])
    }
}
