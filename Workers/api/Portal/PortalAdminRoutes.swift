import OzziRuntime

/// `/api/v1/portal`: the workspace's side of its client portal — turning it on, inviting contacts (the
/// invitation goes out as the workspace's own email), and seeing or removing who has access.
extension RouteGroup {
    func addPortalAdminRoutes(_ s: PortalDomain) {
        authed("GET", "/settings", "Whether the client portal is on, and open to self sign-up", tag: "portal",
               answers: .json(.model(PortalSettings.self))) { _, _, principal in
            .json(try await PortalSettings.get(s.database, principal.scope))
        }

        authed("PATCH", "/settings", "Turn the client portal on or off, or allow self sign-up", tag: "portal",
               body: .json(PortalSettings.body), answers: .json(.model(PortalSettings.self))) { request, _, principal in
            try principal.require(.admin, to: "change the client portal's settings")
            let body = try JSONBody(request)
            var settings = try await PortalSettings.get(s.database, principal.scope)
            if let enabled = try body.bool("enabled") { settings.enabled = enabled }
            if let selfSignup = try body.bool("self_signup") { settings.self_signup = selfSignup }
            try await settings.save(s.database, principal.scope, now: Timestamp.now(s.clock))
            await s.audit.record("portal.settings_changed", workspace: principal.workspace.id, user: principal.userID, ip: request.clientIP,
                                 details: ["enabled": .bool(settings.enabled), "self_signup": .bool(settings.self_signup)])
            return .json(settings)
        }

        authed("POST", "/invitations", "Invite a contact to the client portal by email (the workspace's own sender)", tag: "portal",
               body: .json(.object([.required("contact_id", Schema.text(max: 64).example("con_01jd3k5v7n0000000000000000"))], closed: true)),
               answers: .json(.object([.required("portal_user", .model(PortalUser.self)), .required("message_id", Schema.string()
                   .described("The invitation email: GET /api/v1/emails/{id} follows it")),
               ], closed: true)), success: 201, creates: true) { request, _, principal in
            try principal.require(.admin, to: "invite people to the client portal")
            let contactID = try JSONBody(request).requiredString("contact_id", max: 64)
            guard try await PortalSettings.get(s.database, principal.scope).enabled else {
                throw APIError.conflict("the client portal is off: turn it on with PATCH /api/v1/portal/settings first", details: ["field": "contact_id"])
            }
            guard let row = try await s.database.prepare("SELECT email FROM contacts WHERE workspace_id = ? AND id = ?")
                .bind(principal.workspace.id, contactID).first() else { throw APIError.notFound("contact") }
            guard let email = row.text("email"), !email.isEmpty else {
                throw APIError.conflict("the contact has no email address to invite", details: ["field": "contact_id"])
            }
            // The workspace can send before anyone is invited: no invitation without its email.
            _ = try await s.emails.senders.sender(principal.scope, nil, field: "from")
            switch try await s.users.invite(principal.scope, contactID: contactID, email: email) {
            case .alreadyActive(let user):
                throw APIError.conflict("\(email) already has portal access (\(user.id))", details: ["field": "contact_id", "portal_user_id": .string(user.id)])
            case .invited(let user, let token):
                let message = try await s.mailLink(.invitation, principal.scope, createdBy: principal.userID, contactID: contactID, to: email, token: token)
                return .json(["portal_user": try JSONValueEncoder.encode(user), "message_id": .string(message)], status: 201)
            }
        }

        list("/users", "The workspace's portal users, oldest first", tag: "portal", of: .model(PortalUser.self), key: \.id) { _, _, principal, page in
            try await s.users.list(principal.scope, page: page)
        }

        group("/users").one("One portal user", tag: "portal", noun: "portal user", answers: .model(PortalUser.self)) { try await s.users.get($0, id: $1) }

        group("/users").remove("End a portal user's access: signed out at once, their sessions and links gone", tag: "portal", noun: "portal user") { principal, id in
            try principal.require(.admin, to: "remove portal users")
            return try await s.users.delete(principal.scope, id: id)
        }
    }
}
