import OzziRuntime

/// `/api/v1/calendars/events`: one event, changed or deleted as a whole (with `If-Match` to change only
/// the version read), and one occurrence of a recurring event changed, moved or cancelled alone.
extension RouteGroup {
    func addCalendarEventRoutes(_ s: CalendarsDomain) {
        let ifMatch = Parameter.header("If-Match", Schema.string(min: 1).example("\"3\""),
                                       "Only if the event is still at this version (its etag, or *): else 412, as for any tag that is not its own")

        /// The event, when the caller may see it: another member's private event is theirs alone (the
        /// team view shows its time as busy).
        @Sendable func visible(_ principal: Principal, _ id: String) async throws -> CalendarEvent {
            guard let event = try await s.events.get(principal.scope, id: id), !event.isPrivate || event.ownerID == principal.userID else {
                throw APIError.notFound("event")
            }
            return event
        }

        /// The event and its calendar, when the caller may change them.
        @Sendable func writable(_ principal: Principal, _ id: String) async throws -> (CalendarEvent, MemberCalendar) {
            let event = try await visible(principal, id)
            return (event, try await s.writable(principal, calendarID: event.calendarID))
        }

        /// One occurrence's exception kept: in Google first when the calendar is one of its.
        @Sendable func keep(_ exception: EventException, of event: CalendarEvent, on calendar: MemberCalendar, _ request: Request,
                            _ principal: Principal) async throws -> Response {
            _ = try CalendarEventStore.version(request.headers["if-match"], of: event)
            var madeInGoogle = false
            if let google = s.google, let target = try await google.writeBack.target(calendar) {
                try await google.writeBack.occurrence(exception, of: event, in: target)
                madeInGoogle = true
            }
            guard let changed = try await s.events.setException(principal.scope, event, exception, ifMatch: request.headers["if-match"],
                                                                madeInGoogle: madeInGoogle) else {
                throw APIError.notFound("event")
            }
            return .json(try await s.json(changed, viewerID: principal.userID, zone: changed.zone ?? calendar.zone))
        }

        authed("GET", "/:id", "One event with its exceptions", tag: "calendars", answers: .json(.model(CalendarEvent.self))) { _, context, principal in
            let event = try await visible(principal, context.parameter("id"))
            var response = Response.json(try await s.json(event, viewerID: principal.userID, zone: event.zone ?? .utc))
            response.headers["etag"] = event.etag
            return response
        }

        authed("PATCH", "/:id", "Change an event, every occurrence (a change of its timing drops its exceptions)", tag: "calendars",
               body: .json(EventInput.schema(creating: false)), query: [ifMatch], answers: .json(.model(CalendarEvent.self))) { request, context, principal in
            try await Self.retrying(request) {
                let (event, calendar) = try await writable(principal, context.parameter("id"))
                let input = try EventInput(request, calendar: calendar, existing: event)
                _ = try CalendarEventStore.version(request.headers["if-match"], of: event)
                // On a Google calendar, made in Google first (If-Match: the etag last synced).
                var remote: GoogleVersion?
                if let google = s.google, let target = try await google.writeBack.target(calendar) {
                    remote = try await google.writeBack.update(event, input: input, in: target)
                }
                guard let changed = try await s.events.update(principal.scope, event, input, ifMatch: request.headers["if-match"], remote: remote) else {
                    throw APIError.notFound("event")
                }
                return .json(try await s.json(changed, viewerID: principal.userID, zone: changed.zone ?? calendar.zone))
            }
        }

        authed("DELETE", "/:id", "Delete an event, every occurrence", tag: "calendars", query: [ifMatch], answers: .empty, success: 204) { request, context, principal in
            try await Self.retrying(request) {
                let (event, calendar) = try await writable(principal, context.parameter("id"))
                _ = try CalendarEventStore.version(request.headers["if-match"], of: event)
                var deletedInGoogle = false
                if let google = s.google, let target = try await google.writeBack.target(calendar) {
                    try await google.writeBack.delete(event, in: target)
                    deletedInGoogle = true
                }
                try await s.events.delete(principal.scope, event, ifMatch: request.headers["if-match"], deletedInGoogle: deletedInGoogle)
                return Response(status: 204)
            }
        }

        let occurrence = Schema.object([
            .optional("title", Schema.text(max: 500)),
            .optional("description", Schema.string(max: 8000)),
            .optional("location", Schema.string(max: 500)),
            .optional("start", CalendarEvent.localTime.described("Moved: its new local start (in the event's zone)")),
            .optional("end", CalendarEvent.localTime.described("Moved: its new end (default: the series' length after start)")),
        ], closed: true)

        authed("PUT", "/:id/occurrences/:start", "Change or move one occurrence of a recurring event (:start is its original local start)",
               tag: "calendars", body: .json(occurrence), query: [ifMatch], answers: .json(.model(CalendarEvent.self))) { request, context, principal in
            try await Self.retrying(request) {
                let (event, calendar) = try await writable(principal, context.parameter("id"))
                let original = try Self.occurrence(event, context.parameter("start"))
                let body = try JSONBody(request)
                func time(_ name: String) throws -> Int64? {
                    guard let text = try body.string(name, max: 19) else { return nil }
                    guard let local = event.allDay ? LocalTime.date(text) : LocalTime.dateTime(text) else {
                        throw APIError.invalidField(name, event.allDay ? "'\(text)' is not a date (YYYY-MM-DD), as this all-day event's are"
                                                                       : "'\(text)' is not a local time (YYYY-MM-DDTHH:MM[:SS])")
                    }
                    guard LocalTime.isInRange(local) else {
                        throw APIError.invalidField(name, "must be in the years \(LocalTime.years.lowerBound) to \(LocalTime.years.upperBound)")
                    }
                    return local
                }
                let title = try body.string("title", max: 500)
                if title?.trimmingPrefixAndSuffixSpaces().isEmpty == true { throw APIError.invalidField("title", "must not be blank") }
                // What the body leaves out stays as the occurrence's exception had it (a retitled occurrence keeps
                // its move); a cancelled one is restored by a change.
                let earlier = try await s.events.exceptions(of: [event.id])[event.id]?.first { $0.originalStart == original && !$0.cancelled }
                let length = event.end - event.start
                let start = try time("start") ?? earlier?.start
                let end = try time("end") ?? (try body.string("start", max: 19) == nil ? earlier?.end : nil)
                let from = start ?? original, to = end ?? from + length
                guard to > from || (!event.allDay && to == from) else {
                    throw APIError.invalidField("end", event.allDay ? "must be after start (an all-day end is the day after the last day)" : "must not be before start")
                }
                guard to - from <= EventInput.maxLength else { throw APIError.invalidField("end", "an occurrence lasts at most 366 days") }
                let exception = EventException(eventID: event.id, originalStart: original, cancelled: false, title: title ?? earlier?.title,
                                               description: try body.string("description", max: 8000) ?? earlier?.description,
                                               location: try body.string("location", max: 500) ?? earlier?.location,
                                               start: start ?? end.map { _ in original }, end: end)
                return try await keep(exception, of: event, on: calendar, request, principal)
            }
        }

        authed("DELETE", "/:id/occurrences/:start", "Cancel one occurrence of a recurring event (:start is its original local start)",
               tag: "calendars", query: [ifMatch], answers: .json(.model(CalendarEvent.self))) { request, context, principal in
            try await Self.retrying(request) {
                let (event, calendar) = try await writable(principal, context.parameter("id"))
                let original = try Self.occurrence(event, context.parameter("start"))
                let exception = EventException(eventID: event.id, originalStart: original, cancelled: true, title: nil, description: nil, location: nil,
                                               start: nil, end: nil)
                return try await keep(exception, of: event, on: calendar, request, principal)
            }
        }
    }

    /// Without If-Match, a change that lost a race with another (the version it read moved on) is made again
    /// on what won, up to three times: only a caller who named a version gets a 412.
    private static func retrying(_ request: Request, _ change: () async throws -> Response) async throws -> Response {
        var attempt = 0
        while true {
            do {
                return try await change()
            } catch let error as APIError where error.status == 412 && request.headers["if-match"] == nil && attempt < 2 {
                attempt += 1
            }
        }
    }

    /// The local start `text` names, when it is an occurrence the event's rule makes.
    private static func occurrence(_ event: CalendarEvent, _ text: String) throws -> Int64 {
        guard let rule = event.recurrence else { throw APIError.conflict("the event does not recur: change it as a whole", details: ["state": "single"]) }
        guard let local = event.allDay ? LocalTime.date(text) : LocalTime.dateTime(text) else {
            throw APIError.invalidField("start", "'\(text)' is not a local start (YYYY-MM-DDTHH:MM:SS, or a date for an all-day event)")
        }
        let zone = event.zone
        let made = rule.occurrences(start: event.start, from: local, to: local + 1, limit: 1, instant: { zone?.instant(local: $0) ?? $0 })
        guard made == [local] else { throw APIError.notFound("occurrence") }
        return local
    }
}
