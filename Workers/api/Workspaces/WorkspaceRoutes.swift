import OzziRuntime

/// `/api/v1/workspaces`, their members and invitations. A workspace the caller does not belong to
/// answers 404, as if it did not exist.
extension RouteGroup {
    func addWorkspaceRoutes(_ s: WorkspacesDomain) {
        list("/workspaces", "List the workspaces you belong to", tag: "workspaces", of: .model(Workspace.self), key: \.id) { _, _, principal, page in
            // An API key acts in its one workspace.
            if principal.apiKeyID != nil { return [principal.workspace] }
            return try await s.workspaces.workspaces(for: principal.userID, page: page)
        }

        authed("POST", "/workspaces", "Create a workspace; you become its owner", tag: "workspaces",
               body: .json(.object([.required("name", Self.workspaceName)])), answers: .json(.model(Workspace.self)), success: 201,
               creates: true) { request, _, principal in
            _ = try principal.requireSession(for: "creating workspaces")
            let name = try JSONBody(request).requiredString("name", max: 200)
            return .json(try await s.workspaces.create(name: name, owner: principal.userID), status: 201)
        }

        authed("GET", "/workspaces/:id", "One workspace", tag: "workspaces", answers: .json(.model(Workspace.self))) { _, context, principal in
            .json(try await Self.member(of: context.parameter("id"), principal, s))
        }

        authed("PATCH", "/workspaces/:id", "Rename a workspace (admins)", tag: "workspaces",
               body: .json(.object([.required("name", Self.workspaceName)])), answers: .json(.model(Workspace.self))) { request, context, principal in
            let workspace = try await Self.member(of: context.parameter("id"), principal, s)
            guard workspace.role >= .admin else { throw APIError.forbidden("only a workspace admin or owner can rename it") }
            let name = try JSONBody(request).requiredString("name", max: 200)
            try await s.workspaces.rename(TenantScope(workspaceID: workspace.id), name: name)
            return .json(try await Self.member(of: workspace.id, principal, s))
        }

        list("/workspaces/:id/members", "List members", tag: "workspaces", of: .model(Member.self), key: \.user_id) { _, context, principal, page in
            let workspace = try await Self.member(of: context.parameter("id"), principal, s)
            return try await s.workspaces.members(TenantScope(workspaceID: workspace.id), page: page)
        }

        authed("PATCH", "/workspaces/:id/members/:user_id", "Change a member's role (owners)", tag: "workspaces",
               body: .json(.object([.required("role", .model(Role.self))])), answers: .json(.model(Member.self))) { request, context, principal in
            let workspace = try await Self.member(of: context.parameter("id"), principal, s)
            guard workspace.role == .owner else { throw APIError.forbidden("only a workspace owner can change roles") }
            let scope = TenantScope(workspaceID: workspace.id)
            guard let role = try JSONBody(request).choice("role", Role.allCases.map(\.rawValue)).flatMap(Role.init) else {
                throw APIError.invalidField("role", "is required")
            }
            guard try await s.workspaces.member(scope, userID: context.parameter("user_id")) != nil else { throw APIError.notFound("member") }
            try await s.workspaces.setRole(scope, userID: context.parameter("user_id"), role: role)
            s.apiKeys.forgetAll()
            await s.audit.record("member_role_changed", workspace: workspace.id, user: principal.userID, ip: request.clientIP,
                                 details: ["member": .string(context.parameter("user_id")), "role": .string(role.rawValue)])
            return .json(try await s.workspaces.member(scope, userID: context.parameter("user_id")))
        }

        authed("DELETE", "/workspaces/:id/members/:user_id", "Remove a member (admins), or leave", tag: "workspaces",
               answers: .empty, success: 204) { request, context, principal in
            let workspace = try await Self.member(of: context.parameter("id"), principal, s)
            let scope = TenantScope(workspaceID: workspace.id)
            let target = context.parameter("user_id")
            guard let member = try await s.workspaces.member(scope, userID: target) else { throw APIError.notFound("member") }
            if target != principal.userID {
                guard workspace.role >= .admin, member.role <= workspace.role else {
                    throw APIError.forbidden("only an admin can remove members, and only an owner can remove an owner")
                }
            }
            try await s.workspaces.removeMember(scope, userID: target)
            s.apiKeys.forgetAll()
            await s.audit.record("member_removed", workspace: workspace.id, user: principal.userID, ip: request.clientIP,
                                 details: ["member": .string(target)])
            return Response(status: 204)
        }

        list("/workspaces/:id/invitations", "List invitations (admins)", tag: "workspaces", of: .model(Invitation.self), key: \.id) { _, context, principal, page in
            let workspace = try await Self.admin(of: context.parameter("id"), principal, s, to: "list invitations")
            return try await s.invitations.list(TenantScope(workspaceID: workspace.id), page: page)
        }

        authed("POST", "/workspaces/:id/invitations", "Invite someone by email: mails them a link, and answers the single-use token once",
               tag: "workspaces",
               body: .json(.object([.required("email", EmailAddress.schema),
                                    .optional("role", Schema.oneOf(Invitation.roles.map(\.rawValue)).nullable.described("member when not given"))])),
               answers: .json(.model(CreatedInvitation.self)), success: 201, creates: true) { request, context, principal in
            let workspace = try await Self.admin(of: context.parameter("id"), principal, s, to: "invite")
            let body = try JSONBody(request)
            let email = try EmailAddress.normalize(try body.requiredString("email", max: 320))
            let role = try body.choice("role", Invitation.roles.map(\.rawValue)).flatMap(Role.init) ?? .member
            let message = AccountEmail(.invitation, to: email, workspace: workspace.name,
                                       inviter: principal.user.name ?? principal.user.email ?? "A member of \(workspace.name)", role: role.rawValue)
            let token = s.mail.token(for: message)!
            let invitation = try await s.invitations.create(TenantScope(workspaceID: workspace.id), email: email, role: role,
                                                            invitedBy: principal.userID, token: token)
            try await s.mail.send(message)
            await s.audit.record("invitation_created", workspace: workspace.id, user: principal.userID, ip: request.clientIP,
                                 details: ["email": .string(email), "role": .string(role.rawValue)])
            return .json(CreatedInvitation(invitation: invitation, token: token), status: 201)
        }

        authed("DELETE", "/workspaces/:id/invitations/:invitation_id", "Withdraw an invitation (admins)", tag: "workspaces",
               answers: .empty, success: 204) { _, context, principal in
            let workspace = try await Self.admin(of: context.parameter("id"), principal, s, to: "withdraw invitations")
            guard try await s.invitations.revoke(TenantScope(workspaceID: workspace.id), id: context.parameter("invitation_id")) else {
                throw APIError.notFound("invitation")
            }
            return Response(status: 204)
        }

        open("GET", "/invitations/accept", "The page an invitation email links to: accepts it for the signed-in account", tag: "workspaces",
             answers: .html) { _, _ in
            AccountPage.invitation(title: "Join a workspace on Ozzi", intro: "Sign in with the address the invitation was sent to, then press the button to join.",
                                   button: "Accept the invitation")
        }

        authed("POST", "/invitations/accept", "Accept an invitation sent to your email", tag: "workspaces",
               body: .json(.object([.required("token", Schema.text(max: 200).example("inv_3q2-gN7tR0aVb8kXyZ1c4dE5fG6hI7jK8lM9nO0pQ1s"))])),
               answers: .json(.model(Workspace.self))) { request, _, principal in
            _ = try principal.requireSession(for: "accepting invitations")
            let token = try JSONBody(request).requiredString("token", max: 200)
            let workspaceID = try await s.invitations.accept(token: token, userID: principal.userID, email: principal.user.email)
            s.apiKeys.forgetAll()
            await s.audit.record("member_joined", workspace: workspaceID, user: principal.userID, ip: request.clientIP)
            return .json(try await Self.member(of: workspaceID, principal, s))
        }
    }

    private static let workspaceName = Schema.text(max: 200).example("Acme Support")

    struct CreatedInvitation: Encodable {
        let invitation: Invitation
        let token: String
    }

    /// The workspace in the path, if the caller belongs to it (an API key: only its own), else 404.
    static func member(of id: String, _ principal: Principal, _ s: WorkspacesDomain) async throws -> Workspace {
        if principal.apiKeyID != nil {
            guard id == principal.workspace.id else { throw APIError.notFound("workspace") }
            return principal.workspace
        }
        guard let workspace = try await s.workspaces.workspace(id, for: principal.userID) else { throw APIError.notFound("workspace") }
        return workspace
    }

    static func admin(of id: String, _ principal: Principal, _ s: WorkspacesDomain, to action: String) async throws -> Workspace {
        let workspace = try await member(of: id, principal, s)
        guard workspace.role >= .admin else { throw APIError.forbidden("only a workspace admin or owner can \(action)") }
        return workspace
    }
}
