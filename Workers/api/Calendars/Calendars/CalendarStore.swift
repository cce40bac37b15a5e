import OzziRuntime

/// All SQL about members' calendars, always within the caller's workspace.
struct CalendarStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    /// A workspace member as the team view names them.
    struct Member: SQLRecord, Sendable {
        let userID: String
        let name: String?
        let email: String?

        enum Columns: String, SQLColumn { case user_id, name, email }

        init(row: SQLRecordRow<Columns>) throws {
            userID = try row.decode(String.self, forKey: .user_id)
            name = try row.decodeIfPresent(String.self, forKey: .name)
            email = try row.decodeIfPresent(String.self, forKey: .email)
        }
    }

    /// The member's built-in calendar, made on first use (UTC and 09:00-17:00 Monday to Friday until they
    /// say otherwise). Two first uses at once make one: the partial unique index keeps the other out.
    func builtin(_ scope: TenantScope, ownerID: String) async throws -> MemberCalendar {
        if let found = try await builtinIfAny(scope, ownerID: ownerID) { return found }
        let now = Timestamp.now(clock)
        let name = try await database.prepare("SELECT coalesce(name, email, 'Calendar') AS name FROM users WHERE id = ?").bind(ownerID)
            .first()?.text("name") ?? "Calendar"
        let hours = WorkingHours.standard
        do {
            try await database.prepare("""
                INSERT INTO calendars (id, workspace_id, owner_id, name, source, time_zone, work_days, work_start, work_end, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'builtin', 'UTC', ?, ?, ?, ?, ?)
                """).bind(ResourceID.make("cal"), scope.workspaceID, ownerID, name, hours.storedDays, hours.start, hours.end, now, now).run()
        } catch {
            guard let found = try await builtinIfAny(scope, ownerID: ownerID) else { throw error }
            return found
        }
        guard let made = try await builtinIfAny(scope, ownerID: ownerID) else { throw APIError.notFound("calendar") }
        return made
    }

    private func builtinIfAny(_ scope: TenantScope, ownerID: String) async throws -> MemberCalendar? {
        try await database.prepare(MemberCalendar.select + " WHERE workspace_id = ? AND owner_id = ? AND source = 'builtin'")
            .bind(scope.workspaceID, ownerID).first(MemberCalendar.self)
    }

    /// The member's calendars, the built-in one first.
    func list(_ scope: TenantScope, ownerID: String) async throws -> [MemberCalendar] {
        _ = try await builtin(scope, ownerID: ownerID)
        return try await database.prepare(MemberCalendar.select + " WHERE workspace_id = ? AND owner_id = ? ORDER BY source, id")
            .bind(scope.workspaceID, ownerID).all(MemberCalendar.self)
    }

    func get(_ scope: TenantScope, id: String) async throws -> MemberCalendar? {
        try await database.prepare(MemberCalendar.select + " WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).first(MemberCalendar.self)
    }

    struct Input: Sendable {
        var name: String?
        var color: String?
        var timeZone: String?
        var workingHours: WorkingHours?

        init(_ request: Request) throws {
            let body = try JSONBody(request)
            name = try body.string("name", max: 200).map { String($0.trimmingPrefixAndSuffixSpaces()) }
            if name?.isEmpty == true { throw APIError.invalidField("name", "must not be blank") }
            color = try body.string("color", max: 7)
            timeZone = try body.string("time_zone", max: 64)
            if let timeZone, ZoneRules.named(timeZone) == nil {
                throw APIError.invalidField("time_zone", "'\(timeZone)' is not an installed IANA time zone (like America/New_York)")
            }
            if let hours = body.fields["working_hours"], hours != .null {
                guard let days = hours["days"]?.arrayValue, let start = hours["start"]?.stringValue.flatMap(WorkingHours.minutes),
                      let end = hours["end"]?.stringValue.flatMap(WorkingHours.minutes) else {
                    throw APIError.invalidField("working_hours", "needs days (MO..SU), start and end (HH:MM)")
                }
                guard start < end else { throw APIError.invalidField("working_hours.end", "must be after start") }
                let indexes = try days.map { day in
                    guard let code = day.stringValue, let index = WorkingHours.codes.firstIndex(of: code) else {
                        throw APIError.invalidField("working_hours.days", "must hold weekday codes MO, TU, WE, TH, FR, SA, SU")
                    }
                    return index
                }
                workingHours = WorkingHours(days: Set(indexes), start: start, end: end)
            }
        }
    }

    func update(_ scope: TenantScope, id: String, _ input: Input) async throws -> MemberCalendar? {
        let changes = try await database.prepare("""
            UPDATE calendars SET name = coalesce(?, name), color = coalesce(?, color), time_zone = coalesce(?, time_zone),
            work_days = coalesce(?, work_days), work_start = coalesce(?, work_start), work_end = coalesce(?, work_end), updated_at = ?
            WHERE workspace_id = ? AND id = ?
            """).bind(input.name, input.color, input.timeZone, input.workingHours?.storedDays, input.workingHours?.start, input.workingHours?.end,
                      Timestamp.now(clock), scope.workspaceID, id).run().changes
        return changes == 1 ? try await get(scope, id: id) : nil
    }

    /// The workspace's members (or those of `userIDs`), by user id.
    func members(_ scope: TenantScope, userIDs: [String]?) async throws -> [Member] {
        let sql = "SELECT m.user_id, u.name, u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = ?"
        guard let userIDs else { return try await database.prepare(sql + " ORDER BY m.user_id").bind(scope.workspaceID).all(Member.self) }
        return try await database.prepare(sql + " AND m.user_id IN (SELECT value FROM \(database.dialect.elements())) ORDER BY m.user_id")
            .bind(scope.workspaceID, SQLList.json(userIDs)).all(Member.self)
    }

    /// Every calendar of the given owners, by owner.
    func calendars(_ scope: TenantScope, ownerIDs: [String]) async throws -> [String: [MemberCalendar]] {
        guard !ownerIDs.isEmpty else { return [:] }
        let calendars = try await database.prepare(MemberCalendar.select + " WHERE workspace_id = ? AND owner_id IN (SELECT value FROM \(database.dialect.elements())) ORDER BY source, id")
            .bind(scope.workspaceID, SQLList.json(ownerIDs)).all(MemberCalendar.self)
        return Dictionary(grouping: calendars, by: \.ownerID)
    }
}
