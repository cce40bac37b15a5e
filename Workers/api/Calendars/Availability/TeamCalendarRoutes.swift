import OzziRuntime

/// `/api/v1/calendars/team`, `/freebusy` and `/free-slots`: everyone's time, in the viewer's zone.
extension RouteGroup {
    func addTeamCalendarRoutes(_ s: CalendarsDomain) {
        let userIDs = Parameter.query("user_ids", Schema.string(min: 1, max: 2000).example("usr_01jd3k5v7n0000000000000000,usr_01jd3k5v7n0000000000000001"),
                                      "Only these members (comma-separated user ids); default: everyone")
        let range = CalendarRange.parameters(maxDays: CalendarsDomain.maxTeamDays)

        authed("GET", "/team", "Every member's occurrences in a range (at most 62 days), in your time zone", tag: "calendars", query: range + [userIDs],
               answers: .json(.object([
                   .required("from", .string()), .required("to", .string()), .required("time_zone", TimeZoneName.schema),
                   .required("members", .array(.object([
                       .required("user_id", .string()), .optional("name", .string()), .optional("email", .string()),
                       .required("time_zone", TimeZoneName.schema.described("The member's own zone")),
                       .required("occurrences", .array(.model(Occurrence.self))),
                   ], closed: true))),
               ], closed: true))) { request, _, principal in
            .json(try await s.teamAnswer(request, principal))
        }

        let span = Schema.object([.required("start", .string().example("2026-12-03T09:00:00-05:00")), .required("end", .string())], closed: true)

        authed("GET", "/freebusy", "Each member's busy time in a range, merged, in your time zone (no titles: free/busy only)", tag: "calendars",
               query: range + [userIDs],
               answers: .json(.object([
                   .required("from", .string()), .required("to", .string()), .required("time_zone", TimeZoneName.schema),
                   .required("members", .array(.object([.required("user_id", .string()), .required("busy", .array(span))], closed: true))),
               ], closed: true))) { request, _, principal in
            let (members, calendars, range) = try await s.team(request, principal)
            let byOwner = try await s.teamOccurrences(principal, calendars, range, busy: true)
            var answer = range.json
            answer["members"] = .array(members.map { member in
                let busy = Availability.busy(byOwner[member.userID] ?? []).compactMap { $0.clamped(from: range.from, to: range.to) }
                return .object(["user_id": .string(member.userID), "busy": .array(busy.map { Self.json($0, range.zone) })])
            })
            return .json(JSONValue.object(answer))
        }

        authed("GET", "/free-slots", "When every member named is free and inside their own working hours (each in their own zone) for at least duration_minutes",
               tag: "calendars",
               query: range + [userIDs, .query("duration_minutes", Schema.integer(5...1440).example(30), required: true, "The meeting's length")],
               answers: .json(.object([
                   .required("from", .string()), .required("to", .string()), .required("time_zone", TimeZoneName.schema),
                   .required("duration_minutes", .integer()), .required("slots", .array(span)),
               ], closed: true))) { request, _, principal in
            guard let minutes = request.queryParameter("duration_minutes").flatMap(Int.init), (5...1440).contains(minutes) else {
                throw APIError.invalidField("duration_minutes", "must be an integer from 5 to 1440")
            }
            let (members, calendars, range) = try await s.team(request, principal)
            let byOwner = try await s.teamOccurrences(principal, calendars, range, busy: true)
            let busy = members.map { Availability.busy(byOwner[$0.userID] ?? []) }
            // A member who never opened their calendar works the standard hours in UTC.
            let working = members.map { member in
                let calendar = calendars[member.userID]?.first { $0.source == "builtin" }
                return (calendar?.workingHours ?? .standard).spans(from: range.from, to: range.to, in: calendar?.zone ?? .utc)
            }
            let slots = Availability.commonFree(busy: busy, working: working, from: range.from, to: range.to, length: Int64(minutes) * 60)
            var answer = range.json
            answer["duration_minutes"] = .number(Double(minutes))
            answer["slots"] = .array(slots.map { Self.json($0, range.zone) })
            return .json(JSONValue.object(answer))
        }
    }

    private static func json(_ span: ClosedOpenSpan, _ zone: ZoneRules) -> JSONValue {
        .object(["start": .string(LocalTime.text(instant: span.start, in: zone)), "end": .string(LocalTime.text(instant: span.end, in: zone))])
    }
}
