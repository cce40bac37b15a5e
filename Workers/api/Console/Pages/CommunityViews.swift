import OzziRuntime

/// The markup of the community pages: the communities, and in one community its channels beside the live
/// chat of one, the review queue, the members with their timeouts, and the audit log.
enum CommunityViews {
    static func chatPart(_ channelID: String) -> LivePart {
        LivePart(name: "chat", events: ["community.message_created", "community.message_edited", "community.message_deleted"], key: "channel_id", id: channelID)
    }

    static func queuePart(_ communityID: String) -> LivePart {
        LivePart(name: "queue", events: ["community.submission_created", "community.submission_decided"], key: "community_id", id: communityID)
    }

    static func list(_ communities: [CommunityView]) -> HTML {
        let rows = communities.map { community -> HTML in
            """
            <tr><td data-label="Name">\(community.my_role == nil ? "\(community.name)" as HTML : "<a href=\"/console/communities/\(community.id)\">\(community.name)</a>")</td>
            <td data-label="Members">\(community.member_count)</td><td data-label="Your role">\(community.my_role ?? "not a member")</td>
            <td data-label="Visibility">\(community.visibility)</td></tr>
            """
        }
        return """
            <h1>Communities</h1>
            \(communities.isEmpty ? "<p class=\"panel\">No communities yet: create one through the API (POST /api/v1/communities).</p>" as HTML : """
                <table class="rows"><caption class="visually-hidden">Communities</caption>
                <thead><tr><th scope="col">Name</th><th scope="col">Members</th><th scope="col">Your role</th><th scope="col">Visibility</th></tr></thead>
                <tbody>\(rows)</tbody></table>
                """)
            """
    }

    /// A community page's frame: its name, its places, the channels, then `main`.
    static func frame(_ access: CommunityAccess, channels: [ChannelRow], current: String, _ main: HTML) -> HTML {
        let base = "/console/communities/\(access.community.id)"
        var places: [(String, String)] = []
        if access.can(.moderate) || !channels.filter({ access.can(.moderate, in: $0.channel) }).isEmpty { places.append(("review", "Review queue")) }
        places.append(("members", "Members"))
        if access.can(.view_audit_log) { places.append(("audit", "Audit log")) }
        let links = places.map { key, label -> HTML in "<li><a href=\"\(base)/\(key)\"\(HTML.when(key == current, " aria-current=\"page\""))>\(label)</a></li>" }
        let channelLinks = channels.map { row -> HTML in
            let unread: HTML = row.unread > 0 ? " <span class=\"badge\" aria-label=\"\(row.unread) unread\">\(row.unread)</span>" : .empty
            return "<li><a href=\"\(base)/channels/\(row.channel.id)\"\(HTML.when(row.channel.id == current, " aria-current=\"page\""))># \(row.channel.name)</a>\(unread)</li>"
        }
        return """
            <p><a href="/console/communities">All communities</a></p>
            <h1>\(access.community.name)</h1>
            <nav aria-label="\(access.community.name)" class="subnav"><ul>\(links)</ul></nav>
            <div class="community">
            <nav aria-label="Channels" class="panel channels"><h2>Channels</h2><ul>\(channelLinks)</ul></nav>
            <div>\(main)</div>
            </div>
            """
    }

    static func chat(_ viewer: ConsoleViewer, _ access: CommunityAccess, _ row: ChannelRow, messages: HTML, notice: String?, error: String?) -> HTML {
        let channel = row.channel
        let canPost = access.can(.post, in: channel) && !access.isTimedOut
        let reviewed = access.postsReviewed(in: channel)
        return """
            <section class="panel" aria-labelledby="channel-heading"><h2 id="channel-heading"># \(channel.name)</h2>
            \(HTML.when(!channel.topic.isEmpty, "<p class=\"hint\">\(channel.topic)</p>"))
            \(chatPart(channel.id).html(messages, polite: true))
            \(notice.map { "<p class=\"notice\" role=\"status\">\($0)</p>" as HTML } ?? .empty)
            \(error.map { "<p class=\"error\" role=\"alert\">\($0)</p>" as HTML } ?? .empty)
            \(canPost ? """
                <form method="post" action="/console/communities/\(access.community.id)/channels/\(channel.id)" class="reply">\(Layout.csrfField(viewer))
                <label for="post-text">Message # \(channel.name)</label>
                <textarea id="post-text" name="body" rows="2" required maxlength="\(CommunityMessage.bodyLimit)" data-submit-on-enter autofocus></textarea>
                \(HTML.when(reviewed, "<p class=\"hint\">A moderator approves your posts here before others see them.</p>"))
                <div class="actions"><button type="submit">\(reviewed ? "Send for approval" : "Send")</button></div>
                </form>
                """ as HTML : "<p class=\"hint\">You cannot post here\(access.isTimedOut ? " while you are timed out" : "").</p>")
            </section>
            """
    }

    static func messages(_ messages: [CommunityMessage]) -> HTML {
        guard !messages.isEmpty else { return "<p class=\"hint\">No messages yet: say hello.</p>" }
        let items = messages.map { message -> HTML in
            """
            <li class="from-visitor" data-id="\(Int(message.id))"><span class="author">\(message.author_name ?? message.author_id)</span>\
            <time datetime="\(message.created_at)">\(String(message.created_at.dropFirst(11).prefix(5)))</time>\
            \(HTML.when(message.edited_at != nil, " <span class=\"hint\">(edited)</span>"))<p>\(message.body)</p>\
            \(HTML.when(message.reply_count > 0, "<span class=\"hint\">\(message.reply_count) \(message.reply_count == 1 ? "reply" : "replies")</span>"))</li>
            """
        }
        return "<ol class=\"thread\">\(items)</ol>"
    }

    static func queue(_ viewer: ConsoleViewer, _ communityID: String, _ submissions: [Submission], channels: [ChannelRow], names: [String: String]) -> HTML {
        guard !submissions.isEmpty else { return "<p class=\"hint\">Nothing waits for a decision.</p>" }
        let items = submissions.map { submission -> HTML in
            let channel = channels.first { $0.channel.id == submission.channel_id }?.channel.name ?? submission.channel_id
            let what: HTML = submission.kind == "flag" ? "A flag on message \(Int(submission.message_id ?? 0))\(submission.note.isEmpty ? "" : ": \(submission.note)")" as HTML
                : "A post held for approval"
            return """
                <li class="panel submission" data-id="\(submission.id)">
                <p><strong>\(what)</strong> in # \(channel), by \(names[submission.submitted_by] ?? submission.submitted_by)</p>
                \(submission.body.map { "<div class=\"bubble\">\($0)</div>" as HTML } ?? .empty)
                <form method="post" action="/console/communities/\(communityID)/review/\(submission.id)">\(Layout.csrfField(viewer))
                <label for="reason-\(submission.id)">Reason (kept in the audit log)</label>
                <input id="reason-\(submission.id)" name="reason" type="text" maxlength="\(CommunityAudit.reasonLimit)" autocomplete="off">
                <div class="actions"><button type="submit" name="decision" value="approve">Approve<span class="visually-hidden"> \(submission.kind == "flag" ? "the flag" : "the post")</span></button>
                <button type="submit" name="decision" value="reject" class="danger">Reject<span class="visually-hidden"> \(submission.kind == "flag" ? "the flag" : "the post")</span></button></div>
                </form></li>
                """
        }
        return "<ul class=\"queue\">\(items)</ul>"
    }

    static let timeouts = [(60, "1 minute"), (600, "10 minutes"), (3_600, "1 hour"), (86_400, "1 day"), (604_800, "1 week")]

    static func members(_ viewer: ConsoleViewer, _ access: CommunityAccess, _ members: [CommunityMember], nowMs: Int64) -> HTML {
        let moderates = access.can(.moderate)
        let rows = members.map { member -> HTML in
            let timedOut = member.timed_out_until.map { RFC3339.milliseconds($0) ?? 0 > nowMs } ?? false
            let who = member.name ?? member.user_id
            let control: HTML
            if !moderates || member.user_id == access.userID || ["admin", "owner"].contains(member.role) {
                control = .empty
            } else if timedOut {
                control = """
                    <form method="post" action="/console/communities/\(access.community.id)/members/\(member.user_id)/timeout">\(Layout.csrfField(viewer))\
                    <input type="hidden" name="lift" value="1"><button type="submit" class="small">End the timeout<span class="visually-hidden"> of \(who)</span></button></form>
                    """
            } else {
                let options = timeouts.map { seconds, label -> HTML in "<option value=\"\(seconds)\">\(label)</option>" }
                control = """
                    <form method="post" action="/console/communities/\(access.community.id)/members/\(member.user_id)/timeout" class="inline-form">\(Layout.csrfField(viewer))\
                    <label class="visually-hidden" for="for-\(member.user_id)">How long \(who) is timed out</label>\
                    <select id="for-\(member.user_id)" name="seconds">\(options)</select>\
                    <label class="visually-hidden" for="why-\(member.user_id)">Why</label>\
                    <input id="why-\(member.user_id)" name="reason" type="text" placeholder="Why" maxlength="\(CommunityAudit.reasonLimit)">\
                    <button type="submit" class="small">Time out<span class="visually-hidden"> \(who)</span></button></form>
                    """
            }
            return """
                <tr><td data-label="Member">\(who)</td><td data-label="Role">\(member.role)</td>
                <td data-label="Timed out">\(timedOut ? "until \(member.timed_out_until ?? "")" : "no")</td><td>\(control)</td></tr>
                """
        }
        return """
            <section class="panel" aria-labelledby="members-heading"><h2 id="members-heading">Members</h2>
            <table class="rows"><thead><tr><th scope="col">Member</th><th scope="col">Role</th><th scope="col">Timed out</th><th scope="col"><span class="visually-hidden">Timeout</span></th></tr></thead>
            <tbody>\(rows)</tbody></table></section>
            """
    }

    static func audit(_ entries: [CommunityAuditEntry], names: [String: String]) -> HTML {
        guard !entries.isEmpty else { return "<section class=\"panel\"><h2>Audit log</h2><p class=\"hint\">No moderation yet.</p></section>" }
        let rows = entries.map { entry -> HTML in
            """
            <tr><td data-label="When"><time datetime="\(entry.created_at)">\(entry.created_at)</time></td>
            <td data-label="Who">\(names[entry.actor_id] ?? entry.actor_id)</td><td data-label="Did">\(entry.action.replacingOccurrences(of: "_", with: " "))</td>
            <td data-label="To">\(entry.target_user_id.map { names[$0] ?? $0 } ?? entry.target_message_id.map { "message \(Int($0))" } ?? "")</td>
            <td data-label="Why">\(entry.reason)</td></tr>
            """
        }
        return """
            <section class="panel" aria-labelledby="audit-heading"><h2 id="audit-heading">Audit log</h2>
            <table class="rows"><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Did</th><th scope="col">To</th><th scope="col">Why</th></tr></thead>
            <tbody>\(rows)</tbody></table></section>
            """
    }
}
