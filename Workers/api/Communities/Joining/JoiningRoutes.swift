import OzziRuntime

/// Getting into a community: requests (and their decisions), invitations (by email or as links), the
/// page an invitation opens, and the directory of communities to find.
extension RouteGroup {
    func addJoiningRoutes(_ s: CommunitiesDomain) {
        authed("POST", "/:id/join-requests", "Ask to join a community whose join policy is request", tag: "communities",
               body: .json(.object([.optional("message", Schema.string(max: 1000))], closed: true), optional: true),
               answers: .json(.model(JoinRequest.self)), success: 201, creates: true) { request, context, principal in
            let access = try await s.access(principal, context.parameter("id"))
            let message = try JSONBody(optional: request).string("message", max: 1000) ?? ""
            return .json(try await s.joining.request(access, message: message), status: 201)
        }

        list("/:id/join-requests", "Requests to join, oldest first (moderate)", tag: "communities", of: .model(JoinRequest.self),
             filters: [.query("status", Schema.oneOf(JoinRequest.statuses), "Only requests in this state")],
             key: { Cursor($0.created_at, $0.id).key }) { request, context, principal, page in
            let access = try await s.member(principal, context.parameter("id"))
            try access.require(.moderate, to: "see join requests")
            return try await s.joining.requests(access, status: request.queryParameter("status"), page: page)
        }

        for (verb, approve) in [("approve", true), ("reject", false)] {
            authed("POST", "/:id/join-requests/:request_id/\(verb)", approve ? "Approve a join request: the requester becomes a member (moderate)"
                                                                               : "Reject a join request, with a reason (moderate)", tag: "communities",
                   body: .json(.object([.optional("reason", Schema.string(max: CommunityAudit.reasonLimit))], closed: true), optional: true),
                   answers: .json(.model(JoinRequest.self))) { request, context, principal in
                let access = try await s.member(principal, context.parameter("id"))
                try access.require(.moderate, to: "decide join requests")
                let reason = try JSONBody(optional: request).string("reason", max: CommunityAudit.reasonLimit) ?? ""
                guard let decided = try await s.joining.decide(access, id: context.parameter("request_id"), approve: approve, reason: reason) else {
                    throw APIError.notFound("join request")
                }
                return .json(decided)
            }
        }

        authed("POST", "/:id/invitations", "Invite one address by email (single use) or make a link with an expiry, uses and a role below the caller's (moderate)",
               tag: "communities", body: .json(.object([
                   .optional("email", Schema.string(max: 254, format: "email").described("Send it to this address; leave out for a link")),
                   .optional("role", Schema.oneOf(CommunityRole.assignable).described("The role it gives (default member); below the caller's")),
                   .optional("max_uses", Schema.integer(1...100_000).described("A link's uses (default: no limit)")),
                   .optional("expires_in_seconds", Schema.integer(60...31_536_000).described("Default: never")),
               ], closed: true), optional: true),
               answers: .json(CreatedCommunityInvitation.schema), success: 201, creates: true) { request, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            try access.require(.moderate, to: "invite")
            let body = try JSONBody(optional: request)
            let role = try body.choice("role", CommunityRole.assignable).flatMap(CommunityRole.init(rawValue:)) ?? .member
            guard access.outranks(role) else { throw APIError.forbidden("you cannot invite with a role (\(role.rawValue)) that is not below yours") }
            let email = try body.string("email", max: 254).map { try EmailAddress.normalize($0) }
            var code = "cin_" + Base64URL.encode(Crypto.randomBytes(24))
            var mail: AccountEmail?
            if let email {
                let invitation = AccountEmail(.communityInvitation, to: email, workspace: access.community.name,
                                              inviter: principal.user.name ?? principal.user.email ?? "A member", role: role.rawValue)
                code = s.systemEmail.token(for: invitation) ?? code
                mail = invitation
            }
            let invitation = try await s.joining.invite(access, code: code, email: email, role: role, maxUses: try body.int("max_uses", 1...100_000),
                                                        expiresInSeconds: try body.int("expires_in_seconds", 60...31_536_000))
            if let mail { try await s.systemEmail.send(mail) }
            return .json(CreatedCommunityInvitation(invitation: invitation, code: code, url: s.publicURL + "/api/v1/community-invitations/accept#token=" + code), status: 201)
        }

        list("/:id/invitations", "The community's invitations, newest first (moderate)", tag: "communities", of: .model(CommunityInvitation.self),
             key: { Cursor($0.created_at, $0.id).key }) { _, context, principal, page in
            let access = try await s.member(principal, context.parameter("id"))
            try access.require(.moderate, to: "see invitations")
            return try await s.joining.invitations(access, page: page)
        }

        authed("DELETE", "/:id/invitations/:invitation_id", "Withdraw an invitation (moderate)", tag: "communities", answers: .empty, success: 204) { _, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            try access.require(.moderate, to: "withdraw invitations")
            guard try await s.joining.revoke(access, id: context.parameter("invitation_id")) else { throw APIError.notFound("invitation") }
            return Response(status: 204)
        }

        list("/discover", "Public and private communities of every workspace: by name or description words, by members, last week's activity or newest",
             tag: "communities", of: .model(DirectoryEntry.self), filters: [
                 .query("q", Schema.string(min: 1, max: 100), "Words in the name or description"),
                 .query("sort", Schema.oneOf(CommunityDirectory.sorts), "members (default), active (messages in the last 7 days) or new"),
             ], key: \.id) { request, _, _, page in
            // A directory page's cursor is its position (activity reorders it all the time).
            let offset = page.after.flatMap { Int($0.split(separator: "\u{1F}").last ?? "") } ?? 0
            let rows = try await s.directory.list(query: request.queryParameter("q"), sort: request.queryParameter("sort") ?? "members",
                                                  offset: offset, limit: page.limit)
            return rows.enumerated().map { DirectoryRow(entry: $1, position: offset + $0 + 1) }
        }
    }

    /// `/api/v1/community-invitations`: what an invitation opens, its page, and accepting it.
    func addInvitationAcceptRoutes(_ s: CommunitiesDomain) {
        open("GET", "/accept", "The page an invitation links to: accepts it for the signed-in account", tag: "communities", answers: .html) { _, _ in
            AccountPage.invitation(title: "Join a community on Ozzi", intro: "Sign in, then press the button to join.", button: "Join the community")
        }

        authed("POST", "/accept", "Accept an invitation: join its community with the role it gives", tag: "communities",
               body: .json(.object([.required("token", Schema.text(max: 200).example("cin_3q2-gN7tR0aVb8kXyZ1c4dE5fG6hI7jK8lM9nO0pQ1s"))], closed: true)),
               answers: .json(.model(CommunityView.self))) { request, _, principal in
            let code = try JSONBody(request).requiredString("token", max: 200)
            let verified = principal.user.email_verified_at != nil ? principal.user.email : nil
            let id = try await s.joining.accept(code: code, userID: principal.userID, email: verified)
            return .json(try await s.communities.reload(try await s.access(principal, id)))
        }
    }
}

/// A directory entry with its position, the page's cursor.
struct DirectoryRow: Encodable, Sendable {
    let entry: DirectoryEntry
    let position: Int

    var id: String { String(position) }

    func encode(to encoder: any Encoder) throws { try entry.encode(to: encoder) }
}
