import OzziRuntime

/// A channel's fields as a body gives them. Overrides may only touch roles below the caller's and only
/// grant what the caller holds: nobody grants above their own role.
struct ChannelInput: Sendable {
    var name: String?
    var topic: String?
    var isPrivate: Bool?
    var review: String?
    /// role -> permission -> allowed, as given.
    var overrides: [String: [String: Bool]]?
    var memberIDs: [String]?

    static let namePattern = "^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$"

    init(_ request: Request, creating: Bool) throws {
        let body = try JSONBody(request)
        name = creating ? try body.requiredString("name", max: 64) : try body.string("name", max: 64)
        topic = try body.string("topic", max: 500)
        isPrivate = try body.bool("private")
        review = try body.choice("review", CommunityChannel.reviewModes)
        if let given = body.fields["overrides"]?.objectValue {
            var overrides: [String: [String: Bool]] = [:]
            for (role, set) in given {
                overrides[role] = (set.objectValue ?? [:]).compactMapValues(\.boolValue)
            }
            self.overrides = overrides
        }
        memberIDs = body.fields["member_ids"] == nil ? nil : try body.ids("member_ids")
    }

    /// 403 when the overrides touch a role at or above the caller's, or grant what the caller lacks.
    func checkOverrides(_ access: CommunityAccess) throws {
        guard let overrides else { return }
        let own = access.permissions()
        for (name, set) in overrides {
            guard let role = CommunityRole(rawValue: name) else { continue }
            try access.requireOutranks(role, to: "set channel permissions for")
            for (permission, allowed) in set where allowed {
                guard let granted = CommunityPermission(rawValue: permission), own.contains(granted) else {
                    throw APIError.forbidden("you cannot grant \(permission), which your own role does not have")
                }
            }
        }
    }

    var overridesJSON: String? {
        overrides.map { String(decoding: JSONValue.object($0.mapValues { .object($0.mapValues(JSONValue.bool)) }).jsonBytes, as: UTF8.self) }
    }

    static let overridesSchema = Schema.dictionary(Schema.dictionary(.boolean, keys: StringRules(allowed: CommunityPermission.names)),
                                                   keys: StringRules(allowed: CommunityRole.editable.map(\.rawValue)))
        .described("Per role (admin, moderator, member): permissions this channel grants (true) or takes away (false)")

    static func body(creating: Bool) -> APIOperation.RequestBody {
        let name = Schema.string(min: 1, max: 64, pattern: namePattern).example("announcements")
        return .json(.object([
            creating ? .required("name", name) : .optional("name", name),
            .optional("topic", Schema.string(max: 500)),
            .optional("private", Schema.boolean.described("Only its listed members (and those who manage channels) see it")),
            .optional("overrides", overridesSchema),
            .optional("review", Schema.oneOf(CommunityChannel.reviewModes)
                .described("Whose posts wait for a moderator's approval: none (the default), new_members (level 0) or everyone below moderator")),
        ] + (creating ? [.optional("member_ids", Schema.array(Schema.string(min: 1, max: 64), max: 1000).described("A private channel's first members (community members' user ids)"))] : []),
        closed: true))
    }
}
