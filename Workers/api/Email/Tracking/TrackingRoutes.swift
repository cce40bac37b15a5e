import OzziRuntime

/// The open pixel (`/api/v1/email/opens/:token`) and click redirect (`/api/v1/email/clicks/:token?url=`)
/// of tracked emails, and `GET /api/v1/email/engagement/:id` for one email's counts. The public routes
/// take only signed tokens: a forged or altered one is a 404, never a redirect.
extension RouteGroup {
    func addTrackingRoutes(_ s: EmailEngagementDomain) {
        open("GET", "/opens/:token", "The open pixel of a tracked email: a 1x1 GIF, never cached", tag: "email",
             answers: .text(mediaType: "image/gif")) { request, context in
            guard let email = s.trackingLinks.opened(context.parameter("token")) else {
                return EmailPage.problem(request, status: 404, title: "Not found", "this image link is not valid")
            }
            do {
                if try await s.engagement.open(email, userAgent: request.headers["user-agent"]) != nil { s.events.flushSoon() }
            } catch {
                // The image is shown whatever happened to the count.
                context.logger.error("open not recorded", metadata: ["message_id": "\(email.messageID)", "error": "\(error)"])
            }
            return Self.pixel
        }

        open("GET", "/clicks/:token", "The click redirect of a tracked link: 302 to the link as it was in the email", tag: "email",
             query: [.query("url", .string(min: 1, max: TrackingLinks.maxURLLength), required: true,
                            "The link's URL, which the token's signature covers")],
             answers: .redirect(orJSON: nil), success: 302) { request, context in
            let url = request.queryParameter("url") ?? ""
            // The signature covers the URL; a line break could still not be sent as a Location header.
            guard let email = s.trackingLinks.clicked(context.parameter("token"), url: url),
                  !url.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                return EmailPage.problem(request, status: 404, title: "Link not valid",
                                         "this link is not valid: it may have been cut short or changed; use the link of the email itself")
            }
            do {
                if try await s.engagement.click(email, url: url) != nil { s.events.flushSoon() }
            } catch {
                // The recipient still gets where the link goes.
                context.logger.error("click not recorded", metadata: ["message_id": "\(email.messageID)", "error": "\(error)"])
            }
            return Response(status: 302, headers: ["location": url, "cache-control": "no-store", "referrer-policy": "no-referrer"])
        }

        authed("GET", "/engagement/:id", "One email's opens (people's and mail privacy proxies' apart), clicks and unsubscribe",
               tag: "email", answers: .json(.model(Engagement.self))) { _, context, principal in
            guard let engagement = try await s.engagement.get(principal.scope, messageID: context.parameter("id")) else {
                throw APIError.notFound("email")
            }
            return .json(engagement)
        }
    }

    /// A transparent 1x1 GIF, and headers that make every open fetch it again.
    private static let pixel = Response(status: 200, headers: [
        "content-type": "image/gif", "cache-control": "no-store, no-cache, must-revalidate, max-age=0", "pragma": "no-cache", "expires": "0",
    ], body: .bytes([
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x21, 0xF9, 0x04,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ]))
}
