import OzziRuntime

/// `/api/v1/calendars`: the caller's calendars, a calendar's occurrences in a range, and new events.
extension RouteGroup {
    func addCalendarRoutes(_ s: CalendarsDomain) {
        authed("GET", "", "Your calendars, your built-in one first (made on first use)", tag: "calendars",
               answers: .json(.object([.required("data", .array(.model(MemberCalendar.self)))], closed: true))) { _, _, principal in
            let mine = try await s.calendars.list(principal.scope, ownerID: principal.userID)
            return .json(["data": mine])
        }

        authed("PATCH", "/:id", "Change a calendar: its name, colour, time zone or working hours (its owner, or an admin)", tag: "calendars",
               body: .json(MemberCalendar.input), answers: .json(.model(MemberCalendar.self))) { request, context, principal in
            let calendar = try await s.writable(principal, calendarID: context.parameter("id"))
            guard let changed = try await s.calendars.update(principal.scope, id: calendar.id, try CalendarStore.Input(request)) else {
                throw APIError.notFound("calendar")
            }
            return .json(changed)
        }

        authed("GET", "/:id/events", "A calendar's occurrences in a range, recurring events expanded, in time_zone", tag: "calendars",
               query: CalendarRange.parameters(maxDays: CalendarsDomain.maxDays),
               answers: .json(.object([
                   .required("from", .string()), .required("to", .string()), .required("time_zone", TimeZoneName.schema),
                   .required("data", .array(.model(Occurrence.self))),
               ], closed: true))) { request, context, principal in
            guard let calendar = try await s.calendars.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("calendar") }
            let range = try CalendarRange(request, defaultZone: calendar.timeZone, maxDays: CalendarsDomain.maxDays)
            let found = try await s.occurrences(principal.scope, calendars: [calendar], from: range.from, to: range.to, zone: range.zone)
            var answer = range.json
            answer["data"] = .array(found.map { $0.json(in: range.zone, viewerID: principal.userID) })
            return .json(JSONValue.object(answer))
        }

        authed("POST", "/:id/events", "Add an event: timed in a zone or all-day, maybe recurring (RRULE); the answer lists the owner's busy time it overlaps",
               tag: "calendars", body: .json(EventInput.schema(creating: true)), answers: .json(.model(CalendarEvent.self)), success: 201,
               creates: true) { request, context, principal in
            let calendar = try await s.writable(principal, calendarID: context.parameter("id"))
            let input = try EventInput(request, calendar: calendar, existing: nil)
            // Checked before it is written: with reject_conflicts, an overlap is a 409 and nothing is made, and
            // it is checked again in the transaction that writes it (another create may have taken the slot since).
            let proposed = CalendarEvent(proposed: input, on: calendar, by: principal.userID, at: Timestamp.now(s.clock))
            let conflicts = try await s.conflicts(principal.scope, ownerID: calendar.ownerID, event: proposed, exceptions: [], zone: calendar.zone)
            let refusal = { @Sendable (conflicts: [Occurrence]) in
                APIError.conflict("the event overlaps \(conflicts.count) busy occurrence(s) of the calendar's owner",
                                  details: .object(["conflicts": .array(conflicts.map { $0.json(in: calendar.zone, viewerID: principal.userID) })]))
            }
            if input.rejectConflicts, !conflicts.isEmpty { throw refusal(conflicts) }
            let target = try await s.google?.writeBack.target(calendar)
            let id = ResourceID.make("evt")
            let googleID = target.map { _ in GoogleWriteBack.googleID(for: id) }
            let scope = principal.scope
            var event = try await s.events.create(principal.scope, calendar: calendar, input, by: principal.userID, id: id, googleID: googleID) { tx in
                guard input.rejectConflicts else { return }
                let raced = try CalendarsDomain.conflicts(tx, scope, ownerID: calendar.ownerID, event: proposed, zone: calendar.zone)
                if !raced.isEmpty { throw refusal(raced) }
            }
            if let target, let googleID, let google = s.google {
                try await google.writeBack.insert(event, googleID: googleID, input: input, into: target)
                event = try await s.events.get(principal.scope, id: id) ?? event
            }
            return .json(try await s.json(event, conflicts: conflicts, viewerID: principal.userID, zone: calendar.zone), status: 201)
        }
    }
}
