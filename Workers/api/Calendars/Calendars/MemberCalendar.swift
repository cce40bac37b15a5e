import OzziRuntime

/// A calendar of a workspace member: their built-in one (made on first use, so calendars work with no
/// Google account), which also carries their time zone and working hours.
struct MemberCalendar: SQLRecord, Sendable, Equatable {
    let id: String
    let ownerID: String
    let name: String
    let color: String?
    let source: String
    let timeZone: String
    let workingHours: WorkingHours
    let createdAt: String
    let updatedAt: String

    enum Columns: String, SQLColumn { case id, owner_id, name, color, source, time_zone, work_days, work_start, work_end, created_at, updated_at }

    static let columns = "id, owner_id, name, color, source, time_zone, work_days, work_start, work_end, created_at, updated_at"
    static let select = "SELECT \(columns) FROM calendars"

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        ownerID = try row.decode(String.self, forKey: .owner_id)
        name = try row.decode(String.self, forKey: .name)
        color = try row.decodeIfPresent(String.self, forKey: .color)
        source = try row.decode(String.self, forKey: .source)
        timeZone = try row.decode(String.self, forKey: .time_zone)
        workingHours = WorkingHours(stored: try row.decode(String.self, forKey: .work_days), start: try row.decode(Int.self, forKey: .work_start),
                                    end: try row.decode(Int.self, forKey: .work_end))
        createdAt = try row.decode(String.self, forKey: .created_at)
        updatedAt = try row.decode(String.self, forKey: .updated_at)
    }

    /// The zone's installed rules (UTC, should the installed tzdata no longer have it).
    var zone: ZoneRules { ZoneRules.named(timeZone) ?? .utc }
}

extension MemberCalendar: Encodable {
    enum CodingKeys: String, CodingKey { case id, owner_id, name, color, source, time_zone, working_hours }
    enum HoursKeys: String, CodingKey { case days, start, end }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(ownerID, forKey: .owner_id)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(color, forKey: .color)
        try container.encode(source, forKey: .source)
        try container.encode(timeZone, forKey: .time_zone)
        var hours = container.nestedContainer(keyedBy: HoursKeys.self, forKey: .working_hours)
        try hours.encode(workingHours.days.sorted().map { WorkingHours.codes[$0] }, forKey: .days)
        try hours.encode(WorkingHours.text(minutes: workingHours.start), forKey: .start)
        try hours.encode(WorkingHours.text(minutes: workingHours.end), forKey: .end)
    }
}

extension MemberCalendar: APIModel {
    static let schemaName = "Calendar"
    static let hoursSchema = Schema.object([
        .required("days", Schema.array(.oneOf(WorkingHours.codes), max: 7).example(["MO", "TU", "WE", "TH", "FR"])),
        .required("start", Schema.string(pattern: "^(?:[01][0-9]|2[0-3]):[0-5][0-9]$").example("09:00")),
        .required("end", Schema.string(pattern: "^(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00)$").example("17:00")),
    ], closed: true).described("When the member works, in the calendar's time zone: free slots are found inside it")
    static let schema = Schema.object([
        .required("id", Schema.string().example("cal_01jd3k5v7n0000000000000000")),
        .required("owner_id", Schema.string().example("usr_01jd3k5v7n0000000000000000")),
        .required("name", Schema.string().example("Ada Lovelace")),
        .optional("color", Schema.string().example("#1a73e8")),
        .required("source", Schema.oneOf(["builtin", "google"])),
        .required("time_zone", TimeZoneName.schema),
        .required("working_hours", hoursSchema),
    ], closed: true)

    static let input = Schema.object([
        .optional("name", Schema.text(max: 200).example("Ada's calendar")),
        .optional("color", Schema.string(pattern: "^#[0-9a-fA-F]{6}$").example("#1a73e8")),
        .optional("time_zone", TimeZoneName.schema),
        .optional("working_hours", hoursSchema),
    ], closed: true)
}
