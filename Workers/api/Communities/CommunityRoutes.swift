import OzziRuntime

/// Communities themselves: create, list, read, change, delete; each role's permissions; joining, leaving
/// and the member list; the live socket.
extension RouteGroup {
    func addCommunityRoutes(_ s: CommunitiesDomain) {
        authed("POST", "", "Create a community; the caller is its owner, and it starts with a general channel", tag: "communities",
               body: CommunityInput.body(creating: true), answers: .json(.model(CommunityView.self)), success: 201, creates: true) { request, _, principal in
            let community = try await s.communities.create(principal, try CommunityInput(request, creating: true))
            return .json(CommunityView(community, myRole: .owner), status: 201)
        }

        list("", "The communities the caller is in, and the workspace's others they may see, by id", tag: "communities",
             of: .model(CommunityView.self), key: \.id) { _, _, principal, page in
            try await s.communities.list(principal, page: page)
        }

        authed("GET", "/:id", "One community (a hidden one only for its members)", tag: "communities", answers: .json(.model(CommunityView.self))) { _, context, principal in
            let access = try await s.access(principal, context.parameter("id"))
            return .json(CommunityView(access.community, myRole: access.role))
        }

        authed("PATCH", "/:id", "Change a community's settings (its admins and owner)", tag: "communities",
               body: CommunityInput.body(creating: false), answers: .json(.model(CommunityView.self))) { request, context, principal in
            let access = try await s.access(principal, context.parameter("id"))
            guard let role = access.role, role >= .admin else { throw APIError.forbidden("only the community's admins and owner can change its settings") }
            return .json(try await s.communities.update(access, try CommunityInput(request, creating: false)))
        }

        authed("DELETE", "/:id", "Delete a community with everything in it (its owner, or the workspace's admins)", tag: "communities",
               answers: .empty, success: 204) { _, context, principal in
            let access = try await s.access(principal, context.parameter("id"))
            let runsWorkspace = principal.scope == access.scope && principal.role >= .admin
            guard access.memberRole == .owner || runsWorkspace else { throw APIError.forbidden("only the owner can delete a community") }
            try await s.communities.delete(access)
            return Response(status: 204)
        }

        authed("PUT", "/:id/roles/:role", "Set a role's permissions: only for roles below the caller's, and only permissions the caller has",
               tag: "communities", body: .json(.object([.required("permissions", .array(Schema.oneOf(CommunityPermission.names), max: CommunityPermission.allCases.count))], closed: true)),
               answers: .json(.model(CommunityView.self))) { request, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            guard let role = CommunityRole(rawValue: context.parameter("role")) else { throw APIError.notFound("role (admin, moderator or member)") }
            guard role != .owner else {
                throw APIError.conflict("the owner has every permission; its set cannot change", details: .object(["state": "owner"]))
            }
            try access.require(.manage_roles, to: "change role permissions")
            try access.requireOutranks(role, to: "change the permissions of")
            let asked = Set((try JSONBody.parse(request)["permissions"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(CommunityPermission.init(rawValue:)) })
            let own = access.permissions()
            let current = access.community.roles.permissions(of: role)
            // Granting is limited to what one holds; taking away what one lacks oneself is a grant in reverse.
            if let beyond = asked.symmetricDifference(current).first(where: { !own.contains($0) }) {
                throw APIError.forbidden("you cannot grant or take away \(beyond.rawValue), which your own role does not have")
            }
            return .json(try await s.communities.setPermissions(access, role: role, asked))
        }

        authed("POST", "/:id/join", "Join a community whose join policy is open (a ban that has not ended keeps one out)", tag: "communities",
               answers: .json(.model(CommunityMember.self))) { _, context, principal in
            let access = try await s.access(principal, context.parameter("id"))
            if access.isMember, let member = try await s.members.get(access, userID: principal.userID) { return .json(member) }
            guard access.community.join_policy == "open" else {
                throw APIError.conflict("this community's join policy is \(access.community.join_policy)", details: .object(["state": .string(access.community.join_policy)]))
            }
            return .json(try await s.members.join(access))
        }

        authed("POST", "/:id/leave", "Leave a community (its owner cannot)", tag: "communities", answers: .empty, success: 204) { _, context, principal in
            let access = try await s.access(principal, context.parameter("id"))
            guard try await s.members.leave(access) else { throw APIError.notFound("membership") }
            return Response(status: 204)
        }

        list("/:id/members", "A community's members by user id (members only)", tag: "communities", of: .model(CommunityMember.self),
             filters: [.query("role", Schema.oneOf(CommunityRole.allCases.map(\.rawValue)), "Only members with this role")], defaultLimit: 50,
             key: \.user_id) { request, context, principal, page in
            let access = try await s.member(principal, context.parameter("id"))
            return try await s.members.list(access, role: request.queryParameter("role"), page: page)
        }

        authed("GET", "/:id/members/:user_id", "One member", tag: "communities", answers: .json(.model(CommunityMember.self))) { _, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            guard let member = try await s.members.get(access, userID: context.parameter("user_id")) else { throw APIError.notFound("member") }
            return .json(member)
        }

        authed("PATCH", "/:id/members/:user_id", "Change a member's role: both their role and the new one must be below the caller's",
               tag: "communities", body: .json(.object([.required("role", Schema.oneOf(CommunityRole.assignable))], closed: true)),
               answers: .json(.model(CommunityMember.self))) { request, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            let role = CommunityRole(rawValue: try JSONBody(request).requiredString("role", max: 16))!
            guard let member = try await s.members.setRole(access, userID: context.parameter("user_id"), role: role) else { throw APIError.notFound("member") }
            return .json(member)
        }

        authed("DELETE", "/:id/members/:user_id", "Remove a member below the caller's role (they may join again; ban to keep them out)",
               tag: "communities", query: [Self.reasonParameter], answers: .empty, success: 204) { request, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            guard try await s.members.remove(access, userID: context.parameter("user_id"), reason: request.queryParameter("reason") ?? "") else {
                throw APIError.notFound("member")
            }
            return Response(status: 204)
        }

        authed("GET", "/:id/live",
               "WebSocket of the community's live changes the member may see; ?after=SEQ replays those after it first (then ready, then live)",
               tag: "communities", query: [.query("after", Schema.string(max: 19, pattern: "^[0-9]+$").example("0"),
                                                 "Replay the changes after this seq first (a reconnect's last seq)")],
               answers: .webSocket, success: 101) { request, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            let after = request.queryParameter("after").flatMap { Int64($0) }
            let communityID = access.community.id
            return .webSocket(maxMessageBytes: 4096) { ws in
                try await CommunitySocket(socket: ws, principal: principal, communities: s.communities, channels: s.channels, live: s.live,
                                          communityID: communityID, after: after).run()
            }
        }
    }

    static let reasonParameter = Parameter.query("reason", Schema.string(max: CommunityAudit.reasonLimit), "Why, for the audit log (up to 512 characters)")
}
