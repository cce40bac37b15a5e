import OzziRuntime

/// `/api/v1/emails`: send one (now or at `scheduled_at`), list, one with its timeline, its RFC 5322
/// message as the provider got it, cancel, retry.
extension RouteGroup {
    func addEmailRoutes(_ s: EmailsDomain) {
        authed("POST", "", "Send an email to contact_id | to, with subject and html/text or a template_id, now or at scheduled_at",
               tag: "emails", body: .json(EmailScheduler.input), answers: .json(.model(Email.self)), success: 201, creates: true) { request, _, principal in
            let id = try await s.scheduler.schedule(principal, try JSONBody(request))
            return .json(try await s.emails.get(principal.scope, id: id)!, status: 201)
        }

        list("", "List emails, newest first", tag: "emails", of: .model(Email.self), filters: EmailFilter.parameters,
             key: { Cursor($0.created_at, $0.id).key }) { request, _, principal, page in
            try await s.emails.list(principal.scope, try EmailFilter(request), page: page)
        }

        one("One email with its timeline of attempts, statuses and provider events", tag: "emails", noun: "email",
            answers: .model(Email.self)) { try await s.emails.get($0, id: $1) }

        authed("GET", "/:id/message", "The email as handed to the simulated provider: an RFC 5322 message (message/rfc822)", tag: "emails",
               answers: .text(mediaType: "message/rfc822")) { _, context, principal in
            let id = context.parameter("id")
            guard let email = try await s.emails.get(principal.scope, id: id) else { throw APIError.notFound("email") }
            guard email.provider == s.messaging.email.simulated.name, let providerID = email.provider_message_id,
                  let bytes = try await s.messaging.email.simulated.eml(workspaceID: principal.scope.workspaceID, providerID: providerID) else {
                throw APIError(status: 404, code: "not_kept", message: "only emails the simulated provider took are kept; this one was not sent through it (yet)")
            }
            return .bytes(bytes, contentType: "message/rfc822")
        }

        authed("DELETE", "/:id", "Cancel a queued email", tag: "emails", answers: .json(.model(Email.self))) { _, context, principal in
            let id = context.parameter("id")
            guard try await s.emails.get(principal.scope, id: id) != nil else { throw APIError.notFound("email") }
            guard !(try await s.messaging.messages.cancel(principal.scope, MessageFilter(ids: [id]))).isEmpty else {
                throw APIError.conflict("only a queued email can be canceled")
            }
            s.events.flushSoon()
            return .json(try await s.emails.get(principal.scope, id: id)!)
        }

        authed("POST", "/:id/retry", "Send a failed or under-review email again", tag: "emails", answers: .json(.model(Email.self))) { _, context, principal in
            let id = context.parameter("id")
            guard let email = try await s.emails.get(principal.scope, id: id) else { throw APIError.notFound("email") }
            let jobs = try await s.messaging.messages.retry(principal.scope, ids: [id])
            guard !jobs.isEmpty else { throw APIError.conflict("a \(email.status.rawValue) email cannot be retried") }
            try await s.messaging.deliveryQueue.enqueue(jobs.map { ($0, s.clock.milliseconds) })
            s.events.flushSoon()
            return .json(try await s.emails.get(principal.scope, id: id)!)
        }
    }
}
