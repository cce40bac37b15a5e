import OzziRuntime

/// `/api/v1/messages`: schedule, list, read with the timeline, cancel, reschedule, retry, bulk.
extension RouteGroup {
    func addMessageRoutes(_ s: MessagingDomain) {
        authed("POST", "",
               "Schedule an SMS to contact_id | contact_ids | group_id, from body | template_id, at scheduled_at (UTC, or local with time_zone)",
               tag: "messages", body: .json(MessageScheduler.input), answers: .json(.model(MessageScheduler.Scheduled.self)), success: 201, creates: true) { request, _, principal in
            .json(try await s.scheduler.schedule(principal, try JSONBody(request)), status: 201)
        }

        list("", "List messages, newest first", tag: "messages", of: .model(Message.self), filters: MessageFilter.parameters,
             key: { Cursor($0.created_at, $0.id).key }) { request, _, principal, page in
            try await s.messages.list(principal.scope, try MessageFilter(request), page: page)
        }

        one("One message with its timeline of attempts and statuses", tag: "messages", noun: "message", answers: .model(Message.self)) { try await s.messages.get($0, id: $1) }

        authed("PATCH", "/:id", "Reschedule a pending message (scheduled_at, time_zone)", tag: "messages",
               body: .json(.object([.required("scheduled_at", MessageScheduler.scheduleTime), .optional("time_zone", Schema.model(TimeZoneName.self).nullable)],
                                   zonedTimes: [MessageScheduler.scheduledAtZone])),
               answers: .json(.model(Message.self))) { request, context, principal in
            let id = context.parameter("id")
            guard try await s.messages.get(principal.scope, id: id) != nil else { throw APIError.notFound("message") }
            let body = try JSONBody(request)
            let timeZone = try body.string("time_zone", max: 64)
            let dueMs = try ScheduleTime.resolve(try body.requiredString("scheduled_at", max: 40), timeZone: timeZone, now: s.clock.milliseconds)
            guard let job = try await s.messages.reschedule(principal.scope, id: id, scheduledAt: Timestamp.at(milliseconds: dueMs),
                                                          dueMs: dueMs, timeZone: timeZone) else {
                throw APIError.conflict("only a pending message can be rescheduled")
            }
            // The message as rescheduled, read before its job is queued: one due now may be sent at once.
            let rescheduled = try await s.messages.get(principal.scope, id: id)
            try await s.deliveryQueue.enqueue([(job, dueMs)])
            guard let rescheduled else { throw APIError.notFound("message") }
            return .json(rescheduled)
        }

        authed("DELETE", "/:id", "Cancel a pending message", tag: "messages", answers: .json(.model(Message.self))) { _, context, principal in
            let id = context.parameter("id")
            guard try await s.messages.get(principal.scope, id: id) != nil else { throw APIError.notFound("message") }
            let canceled = try await s.messages.cancel(principal.scope, MessageFilter(ids: [id]))
            guard !canceled.isEmpty else { throw APIError.conflict("only a pending message can be canceled") }
            s.events.flushSoon()
            return .json(try await s.messages.get(principal.scope, id: id)!)
        }

        authed("POST", "/:id/retry", "Send a failed, undelivered or under-review message again", tag: "messages",
               answers: .json(.model(Message.self))) { _, context, principal in
            .json(try await s.retry(principal.scope, id: context.parameter("id")))
        }

        authed("POST", "/bulk", "cancel or retry message_ids or a filter (status, campaign, category, contact_id), up to 10,000",
               tag: "messages", body: .json(.object([.required("action", .oneOf(["cancel", "retry"])), .optional("message_ids", .idList),
                                                   .optional("filter", MessageFilter.schema)], exactlyOne: [["message_ids", "filter"]])),
               answers: .json(.object([.required("action", .oneOf(["cancel", "retry"])), .required("affected", .integer(min: 0))], closed: true))) { request, _, principal in
            let body = try JSONBody(request)
            guard let action = try body.choice("action", ["cancel", "retry"]) else { throw APIError.invalidField("action", "is required") }
            let filter: MessageFilter
            if body.fields["message_ids"] != nil {
                filter = MessageFilter(ids: try body.ids("message_ids"))
            } else if let json = body.fields["filter"] {
                filter = try MessageFilter(json: json)
            } else {
                throw APIError.invalidField("message_ids", "give message_ids or a filter")
            }
            let scope = principal.scope
            if action == "cancel" {
                let canceled = try await s.messages.cancel(scope, filter)
                s.events.flushSoon()
                return .json(["action": "cancel", "affected": .number(Double(canceled.count))] as JSONValue)
            }
            let ids = try await s.messages.ids(scope, filter, limit: 10_000)
            let jobs = try await s.messages.retry(scope, ids: ids)
            try await s.deliveryQueue.enqueue(jobs.map { ($0, s.clock.milliseconds) })
            s.events.flushSoon()
            return .json(["action": "retry", "affected": .number(Double(jobs.count))] as JSONValue)
        }
    }
}
