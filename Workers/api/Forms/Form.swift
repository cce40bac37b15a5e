import OzziRuntime

/// A form of a workspace at its current version.
struct Form: Sendable {
    let id: String
    let workspaceID: String
    let name: String
    let publicKey: String
    let version: Int
    let enabled: Bool
    /// The member whose name the workflow's actions run in (sends are theirs, as if made by hand).
    let createdBy: String
    let createdAt: String
    let updatedAt: String
    let definition: FormDefinition

    var scope: TenantScope { TenantScope(workspaceID: workspaceID) }

    /// The same form with another version's definition (what a submission answered).
    func with(definition: FormDefinition) -> Form {
        Form(id: id, workspaceID: workspaceID, name: name, publicKey: publicKey, version: version, enabled: enabled, createdBy: createdBy,
             createdAt: createdAt, updatedAt: updatedAt, definition: definition)
    }

    /// A form's row with its current version's definition, as stored.
    struct Row: SQLRecord, Sendable {
        enum Columns: String, SQLColumn {
            case id, workspace_id, name, public_key, version, enabled, created_by, created_at, updated_at, definition
        }

        let id: String, workspaceID: String, name: String, publicKey: String, version: Int, enabled: Bool
        /// The definition's JSON text, parsed only when its version is not in memory yet (`FormStore`):
        /// read on every submission, parsing it each time was 5% of a submission's CPU.
        let createdBy: String, createdAt: String, updatedAt: String, definition: String

        init(row: SQLRecordRow<Columns>) throws {
            id = try row.decode(String.self, forKey: .id)
            workspaceID = try row.decode(String.self, forKey: .workspace_id)
            name = try row.decode(String.self, forKey: .name)
            publicKey = try row.decode(String.self, forKey: .public_key)
            version = try row.decode(Int.self, forKey: .version)
            enabled = try row.decode(Int.self, forKey: .enabled) != 0
            createdBy = try row.decode(String.self, forKey: .created_by)
            createdAt = try row.decode(String.self, forKey: .created_at)
            updatedAt = try row.decode(String.self, forKey: .updated_at)
            definition = try row.decode(String.self, forKey: .definition)
        }
    }
}

extension Form {
    /// The form as the API answers it. `formsURL` is where the form-embed worker is mounted (`FORMS_URL`).
    struct Answer: Encodable, Sendable {
        let id: String
        let name: String
        let public_key: String
        let version: Int
        let enabled: Bool
        let fields: JSONValue
        let settings: JSONValue
        let workflow: JSONValue
        let snippet: String
        let embed_url: String
        let created_at: String
        let updated_at: String
    }

    func answer(formsURL: String) -> Answer {
        let definition = definition.json
        return Answer(id: id, name: name, public_key: publicKey, version: version, enabled: enabled, fields: definition["fields"] ?? [],
                      settings: definition["settings"] ?? [:], workflow: definition["workflow"] ?? [], snippet: Self.snippet(formsURL: formsURL, publicKey: publicKey),
                      embed_url: formsURL + "/embed?key=" + publicKey, created_at: createdAt, updated_at: updatedAt)
    }

    /// What a customer pastes where the form goes: a placeholder the loader fills with the form's iframe.
    static func snippet(formsURL: String, publicKey: String) -> String {
        "<div data-ozzi-form=\"\(publicKey)\"></div>\n<script async src=\"\(XMLText.escape(formsURL))/loader.js?key=\(publicKey)\"></script>"
    }

    /// What the form-embed worker renders the form from: no workflow, no one's ids.
    var publicConfig: JSONValue {
        let settings = definition.settings
        return ["public_key": .string(publicKey), "name": .string(name), "enabled": .bool(enabled), "version": .number(Double(version)),
                "fields": .array(definition.fields.map(\.json)),
                "settings": ["success_message": .string(settings.successMessage), "redirect_url": settings.redirectURL.map { .string($0) } ?? .null,
                             "submit_label": .string(settings.submitLabel), "allowed_origins": .array(settings.allowedOrigins.map { .string($0.description) }),
                             "honeypot": .bool(settings.spam.honeypot), "theme": settings.theme.publicJSON],
                "messages": FormMessages.json, "email_pattern": .string(EmailAddress.pattern)]
    }
}
