import OzziRuntime

/// Communities: the ones the viewer may see; in one, a channel's chat (live; a post goes for approval where
/// the channel reviews the viewer's), the review queue (live) with approve and reject, the members with
/// timeouts, and the audit log. Every page asks the domain's own checks (`CommunitiesDomain.member`,
/// `channel`, the role's permissions), so the console can do no more than the API.
extension ConsolePages {
    func addCommunityPages(_ console: ConsoleDomain) {
        let shell = console.shell
        let s = console.domains.communities

        get("/console/communities") { _, _, viewer in
            let communities = try await s.communities.list(viewer.principal, page: PageRequest(limit: 100, after: nil))
            return try await shell.page(viewer, title: "Communities", section: .communities, CommunityViews.list(communities))
        }

        /// Member names by user id, for authors, submitters and the audit log.
        @Sendable func names(_ access: CommunityAccess) async throws -> [String: String] {
            var names: [String: String] = [:]
            for member in try await s.members.list(access, role: nil, page: PageRequest(limit: 100, after: nil)) { names[member.user_id] = member.name ?? member.user_id }
            return names
        }

        @Sendable func framed(_ viewer: ConsoleViewer, _ access: CommunityAccess, current: String, title: String, _ main: HTML, status: Int = 200) async throws -> Response {
            let channels = try await s.channels.list(access)
            return try await shell.page(viewer, title: title, section: .communities, CommunityViews.frame(access, channels: channels, current: current, main), status: status)
        }

        get("/console/communities/:id") { _, context, viewer in
            let access = try await s.member(viewer.principal, context.parameter("id"))
            guard let first = try await s.channels.list(access).first else { throw APIError.notFound("channel") }
            return ConsoleShell.redirect("/console/communities/\(access.community.id)/channels/\(first.channel.id)", keeping: viewer)
        }

        @Sendable func chat(_ viewer: ConsoleViewer, _ request: Request, _ context: RequestContext, notice: String? = nil, error: String? = nil, status: Int = 200) async throws -> Response {
            let access = try await s.member(viewer.principal, context.parameter("id"))
            let row = try await s.channel(access, context.parameter("channel_id"))
            let messages = CommunityViews.messages(try await s.messages.list(access, row.channel, at: .latest, limit: 50))
            if request.queryParameter("part") == "chat" { return .html(messages.text) }
            return try await framed(viewer, access, current: row.channel.id, title: "# " + row.channel.name,
                                    CommunityViews.chat(viewer, access, row, messages: messages, notice: notice, error: error), status: status)
        }

        get("/console/communities/:id/channels/:channel_id") { request, context, viewer in
            try await chat(viewer, request, context, notice: request.queryParameter("held") == "1" ? "Sent: it shows here once a moderator approves it." : nil)
        }

        post("/console/communities/:id/channels/:channel_id") { request, context, viewer, form in
            let access = try await s.member(viewer.principal, context.parameter("id"))
            let row = try await s.channel(access, context.parameter("channel_id"))
            try access.require(.post, in: row.channel, to: "post here")
            let posted: (String, Int64?, [String])
            do {
                posted = try CommunityMessage.posted(JSONBody(fields: ["body": .string(form.fields["body"] ?? "")]), access, row.channel)
            } catch let refusal as APIError where refusal.status == 422 {
                return try await chat(viewer, request, context, error: refusal.message, status: 422)
            }
            let path = "/console/communities/\(access.community.id)/channels/\(row.channel.id)"
            if access.postsReviewed(in: row.channel) {
                _ = try await s.review.submit(access, row.channel, body: posted.0, threadID: nil, fileIDs: [])
                s.events.flushSoon()
                return ConsoleShell.redirect(path + "?held=1")
            }
            _ = try await s.messages.post(access, row.channel, body: posted.0, threadID: nil, fileIDs: [])
            s.events.flushSoon()
            return ConsoleShell.redirect(path + "#post-text")
        }

        @Sendable func queue(_ viewer: ConsoleViewer, _ access: CommunityAccess) async throws -> HTML {
            let moderated = try await s.moderatedChannels(access).map(\.id)
            let pending = try await s.review.list(access, moderated: moderated, status: "pending", kind: nil, channelID: nil, page: PageRequest(limit: 50, after: nil))
                .filter { moderated.contains($0.channel_id) }
            return CommunityViews.queue(viewer, access.community.id, pending, channels: try await s.channels.list(access), names: try await names(access))
        }

        get("/console/communities/:id/review") { request, context, viewer in
            let access = try await s.member(viewer.principal, context.parameter("id"))
            let part = try await queue(viewer, access)
            if request.queryParameter("part") == "queue" { return .html(part.text) }
            let main: HTML = """
                <section class="panel" aria-labelledby="queue-heading"><h2 id="queue-heading">Review queue</h2>
                \(CommunityViews.queuePart(access.community.id).html(part, polite: true))</section>
                """
            return try await framed(viewer, access, current: "review", title: "Review queue", main)
        }

        post("/console/communities/:id/review/:submission_id") { _, context, viewer, form in
            let (access, submission, channel) = try await s.submission(viewer.principal, context, deciding: true)
            guard let decision = form["decision"], ["approve", "reject"].contains(decision) else { throw APIError.invalidField("decision", "is approve or reject") }
            _ = try await s.decide(access, submission, channel, approve: decision == "approve", reason: String((form["reason"] ?? "").prefix(CommunityAudit.reasonLimit)))
            s.events.flushSoon()
            return ConsoleShell.redirect("/console/communities/\(access.community.id)/review")
        }

        get("/console/communities/:id/members") { _, context, viewer in
            let access = try await s.member(viewer.principal, context.parameter("id"))
            let members = try await s.members.list(access, role: nil, page: PageRequest(limit: 100, after: nil))
            return try await framed(viewer, access, current: "members", title: "Members", CommunityViews.members(viewer, access, members, nowMs: access.nowMs))
        }

        post("/console/communities/:id/members/:user_id/timeout") { _, context, viewer, form in
            let access = try await s.member(viewer.principal, context.parameter("id"))
            let user = context.parameter("user_id"), reason = String((form["reason"] ?? "").prefix(CommunityAudit.reasonLimit))
            let member: CommunityMember?
            if form["lift"] != nil {
                member = try await s.moderation.liftTimeout(access, userID: user, reason: reason)
            } else {
                guard let seconds = form["seconds"].flatMap(Int.init), (1...ModerationStore.longestTimeoutSeconds).contains(seconds) else {
                    throw APIError.invalidField("seconds", "is 1 second to 28 days")
                }
                member = try await s.moderation.timeout(access, userID: user, seconds: seconds, reason: reason)
            }
            guard member != nil else { throw APIError.notFound("member") }
            s.events.flushSoon()
            return ConsoleShell.redirect("/console/communities/\(access.community.id)/members")
        }

        get("/console/communities/:id/audit") { _, context, viewer in
            let access = try await s.member(viewer.principal, context.parameter("id"))
            try access.require(.view_audit_log, to: "read the audit log")
            let entries = try await CommunityAudit.list(s.database, access, action: nil, page: PageRequest(limit: 100, after: nil))
            return try await framed(viewer, access, current: "audit", title: "Audit log", CommunityViews.audit(Array(entries.prefix(100)), names: try await names(access)))
        }
    }
}
