import OzziRuntime

/// `/api/v1/email/unsubscribe/:token`: the `List-Unsubscribe` link of a campaign email (RFC 8058). A POST
/// with `List-Unsubscribe=One-Click` unsubscribes at once and answers 200 (never a redirect); a GET shows a
/// page whose button makes that POST, and never unsubscribes on its own (link scanners follow GETs).
/// Open routes: the token is the credential, and no cookie is read or set.
extension RouteGroup {
    func addUnsubscribeRoutes(_ s: EmailEngagementDomain) {
        open("GET", "/:token", "The page of an unsubscribe link: a button that unsubscribes (a GET alone never does)", tag: "email",
             answers: .html) { request, context in
            guard let recipient = s.unsubscribeLinks.recipient(context.parameter("token")) else { return Self.invalidUnsubscribeLink(request) }
            return EmailPage.html(title: "Unsubscribe", """
                <p>Stop emails to <strong>\(XMLText.escape(recipient.address))</strong> from this sender?</p>
                <form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>
                """)
        }

        open("POST", "/:token", "One-click unsubscribe (RFC 8058): a form, urlencoded or multipart, with List-Unsubscribe=One-Click; "
                + "repeats change nothing", tag: "email", answers: .html) { request, context in
            guard let recipient = s.unsubscribeLinks.recipient(context.parameter("token")) else { return Self.invalidUnsubscribeLink(request) }
            guard OneClickBody.isOneClick(contentType: request.headers["content-type"], body: request.body) else {
                return EmailPage.problem(request, status: 400, title: "Not an unsubscribe request",
                                         "the body must be a form with List-Unsubscribe=One-Click (RFC 8058)")
            }
            guard try await s.unsubscriber.unsubscribe(recipient) != .gone else { return Self.invalidUnsubscribeLink(request) }
            s.events.flushSoon()
            return EmailPage.html(title: "Unsubscribed", "<p><strong>\(XMLText.escape(recipient.address))</strong> will get no more emails from this sender.</p>")
        }
    }

    private static func invalidUnsubscribeLink(_ request: Request) -> Response {
        EmailPage.problem(request, status: 404, title: "Link not valid",
                          "this unsubscribe link is not valid: it may have been cut short or changed; use the link of the email itself")
    }
}
