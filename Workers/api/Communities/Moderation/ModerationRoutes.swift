import OzziRuntime

/// Timeouts, bans and the audit log of a community.
extension RouteGroup {
    func addModerationRoutes(_ s: CommunitiesDomain) {
        authed("POST", "/:id/members/:user_id/timeout", "Time a member out: they may read but not post or react until it ends (moderate; not admins or the owner)",
               tag: "communities", body: .json(.object([
                   .required("seconds", Schema.integer(1...ModerationStore.longestTimeoutSeconds).described("Up to 28 days")),
                   .optional("reason", Schema.string(max: CommunityAudit.reasonLimit)),
               ], closed: true)), answers: .json(.model(CommunityMember.self))) { request, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            let body = try JSONBody(request)
            guard let member = try await s.moderation.timeout(access, userID: context.parameter("user_id"),
                                                              seconds: try body.int("seconds", 1...ModerationStore.longestTimeoutSeconds) ?? 1,
                                                              reason: try body.string("reason", max: CommunityAudit.reasonLimit) ?? "") else {
                throw APIError.notFound("member")
            }
            return .json(member)
        }

        authed("DELETE", "/:id/members/:user_id/timeout", "End a member's timeout early", tag: "communities", query: [Self.reasonParameter],
               answers: .json(.model(CommunityMember.self))) { request, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            guard let member = try await s.moderation.liftTimeout(access, userID: context.parameter("user_id"), reason: request.queryParameter("reason") ?? "") else {
                throw APIError.notFound("member")
            }
            return .json(member)
        }

        list("/:id/bans", "The community's bans by user id (moderate)", tag: "communities", of: .model(CommunityBan.self), key: \.user_id) { _, context, principal, page in
            let access = try await s.member(principal, context.parameter("id"))
            try access.require(.moderate, to: "see bans")
            return try await s.moderation.bans(access, page: page)
        }

        authed("PUT", "/:id/bans/:user_id", "Ban a user below the caller's role, for a time or for good: they are removed and cannot join until it ends",
               tag: "communities", body: .json(.object([
                   .optional("seconds", Schema.integer(1...31_536_000).nullable.described("How long; left out or null: for good")),
                   .optional("reason", Schema.string(max: CommunityAudit.reasonLimit)),
               ], closed: true), optional: true), answers: .json(.model(CommunityBan.self))) { request, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            let body = try JSONBody(optional: request)
            return .json(try await s.moderation.ban(access, userID: context.parameter("user_id"), seconds: try body.int("seconds", 1...31_536_000),
                                                    reason: try body.string("reason", max: CommunityAudit.reasonLimit) ?? ""))
        }

        authed("DELETE", "/:id/bans/:user_id", "Lift a ban", tag: "communities", query: [Self.reasonParameter], answers: .empty, success: 204) { request, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            guard try await s.moderation.unban(access, userID: context.parameter("user_id"), reason: request.queryParameter("reason") ?? "") else {
                throw APIError.notFound("ban")
            }
            return Response(status: 204)
        }

        list("/:id/audit-log", "Every moderation action, newest first (view_audit_log)", tag: "communities", of: .model(CommunityAuditEntry.self),
             filters: [.query("action", Schema.oneOf(CommunityAuditEntry.actions), "Only this action")], defaultLimit: 50,
             key: { Cursor($0.created_at, $0.id).key }) { request, context, principal, page in
            let access = try await s.member(principal, context.parameter("id"))
            try access.require(.view_audit_log, to: "read the audit log")
            return try await CommunityAudit.list(s.database, access, action: request.queryParameter("action"), page: page)
        }
    }
}
