import OzziRuntime

/// A phone number the voice agent answers for a workspace, with its settings.
struct VoiceNumber: Sendable {
    let id: String
    let workspaceID: String
    let phoneNumber: String
    let name: String
    let settings: VoiceSettings
    let enabled: Bool
    let source: String
    let providerSid: String?
    let releasedAt: String?
    let createdAt: String
    let updatedAt: String
}

extension VoiceNumber: SQLRecord {
    enum Columns: String, SQLColumn {
        case id, workspace_id, phone_number, name, settings, enabled, source, provider_sid, released_at, created_at, updated_at
    }

    static let columns = Columns.allCases.map(\.rawValue).joined(separator: ", ")

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        workspaceID = try row.decode(String.self, forKey: .workspace_id)
        phoneNumber = try row.decode(String.self, forKey: .phone_number)
        name = try row.decode(String.self, forKey: .name)
        settings = VoiceSettings(json: try row.decode(JSONValue.self, forKey: .settings))
        enabled = try row.decode(Int.self, forKey: .enabled) != 0
        source = try row.decode(String.self, forKey: .source)
        providerSid = try row.decodeIfPresent(String.self, forKey: .provider_sid)
        releasedAt = try row.decodeIfPresent(String.self, forKey: .released_at)
        createdAt = try row.decode(String.self, forKey: .created_at)
        updatedAt = try row.decode(String.self, forKey: .updated_at)
    }
}

extension VoiceNumber {
    /// The number as the API answers it: its settings beside its own fields, as a body gives them.
    var answer: JSONValue {
        var fields = settings.json.objectValue ?? [:]
        fields["id"] = .string(id)
        fields["phone_number"] = .string(phoneNumber)
        fields["name"] = .string(name)
        fields["enabled"] = .bool(enabled)
        fields["source"] = .string(source)
        fields["provider_sid"] = providerSid.map { .string($0) } ?? .null
        fields["released_at"] = releasedAt.map { .string($0) } ?? .null
        fields["created_at"] = .string(createdAt)
        fields["updated_at"] = .string(updatedAt)
        return .object(fields)
    }
}
