import OzziRuntime

/// Everyone's time, as the team routes and the console's week view read it.
extension CalendarsDomain {
    /// The members a request asks for (`user_ids`, default everyone), each with their calendars, and the
    /// range in the caller's zone (`from`, `to`, `time_zone`; at most `maxTeamDays`).
    func team(_ request: Request, _ principal: Principal) async throws -> (members: [CalendarStore.Member], calendars: [String: [MemberCalendar]], range: CalendarRange) {
        let mine = try await calendars.builtin(principal.scope, ownerID: principal.userID)
        let range = try CalendarRange(request, defaultZone: mine.timeZone, maxDays: Self.maxTeamDays)
        let wanted = request.queryParameter("user_ids").map { $0.split(separator: ",").map { String($0.trimmingPrefixAndSuffixSpaces()) } }
        if let wanted, wanted.count > 200 { throw APIError.invalidField("user_ids", "names at most 200 members") }
        let members = try await calendars.members(principal.scope, userIDs: wanted)
        if let wanted, let missing = Set(wanted).subtracting(members.map(\.userID)).first {
            throw APIError.invalidField("user_ids", "\(missing) is not a member of this workspace")
        }
        return (members, try await calendars.calendars(principal.scope, ownerIDs: members.map(\.userID)), range)
    }

    /// Each member's occurrences in the range, by user id; for free/busy, all-day days in their owners' zones.
    func teamOccurrences(_ principal: Principal, _ calendars: [String: [MemberCalendar]], _ range: CalendarRange,
                         busy: Bool = false) async throws -> [String: [Occurrence]] {
        let all = try await occurrences(principal.scope, calendars: calendars.values.flatMap { $0 }, from: range.from, to: range.to, zone: range.zone,
                                        inOwnersZones: busy)
        return Dictionary(grouping: all, by: \.event.ownerID)
    }

    /// `GET /calendars/team`'s answer: every member asked for with their occurrences in the range.
    func teamAnswer(_ request: Request, _ principal: Principal) async throws -> JSONValue {
        let (members, calendars, range) = try await team(request, principal)
        let byOwner = try await teamOccurrences(principal, calendars, range)
        var answer = range.json
        answer["members"] = .array(members.map { member in
            var object: [String: JSONValue] = [
                "user_id": .string(member.userID), "time_zone": .string(calendars[member.userID]?.first?.timeZone ?? "UTC"),
                "occurrences": .array((byOwner[member.userID] ?? []).map { $0.json(in: range.zone, viewerID: principal.userID) }),
            ]
            if let name = member.name { object["name"] = .string(name) }
            if let email = member.email { object["email"] = .string(email) }
            return .object(object)
        })
        return .object(answer)
    }
}
