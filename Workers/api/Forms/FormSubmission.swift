import OzziRuntime

/// One accepted submission of a form, with the workflow's actions for it and how each went.
struct FormSubmission: Encodable, Sendable {
    let id: String
    let form_id: String
    let version: Int
    let answers: JSONValue
    let contact_id: String?
    /// Each consent box ticked: its channel, the words the visitor agreed to, and when.
    let consents: JSONValue
    let referrer: String
    let utm: JSONValue
    let created_at: String
    var actions: [ActionRun] = []

    struct ActionRun: Encodable, Sendable {
        let position: Int
        let action: JSONValue
        let status: String
        let attempts: Int
        let result: JSONValue?
        let error: String?
        let updated_at: String
    }
}

extension FormSubmission {
    /// An answer as a person reads it (a notice to the team, a CSV cell): several choices joined, a box
    /// yes or no, a number as typed.
    static func text(of answer: JSONValue?) -> String {
        switch answer {
        case .string(let s)?: s
        case .bool(let b)?: b ? "yes" : "no"
        case .number(let n)?: FormMessages.format(n)
        case .array(let items)?: items.compactMap(\.stringValue).joined(separator: ", ")
        default: ""
        }
    }
}

extension FormSubmission: SQLRecord {
    enum Columns: String, SQLColumn {
        case id, form_id, version, answers, contact_id, consents, referrer, utm, created_at
    }

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        form_id = try row.decode(String.self, forKey: .form_id)
        version = try row.decode(Int.self, forKey: .version)
        answers = try row.decode(JSONValue.self, forKey: .answers)
        contact_id = try row.decodeIfPresent(String.self, forKey: .contact_id)
        consents = try row.decode(JSONValue.self, forKey: .consents)
        referrer = try row.decode(String.self, forKey: .referrer)
        utm = try row.decode(JSONValue.self, forKey: .utm)
        created_at = try row.decode(String.self, forKey: .created_at)
    }
}

extension FormSubmission.ActionRun: SQLRecord {
    enum Columns: String, SQLColumn {
        case position, action, status, attempts, result, error, updated_at
    }

    init(row: SQLRecordRow<Columns>) throws {
        position = try row.decode(Int.self, forKey: .position)
        action = try row.decode(JSONValue.self, forKey: .action)
        status = try row.decode(String.self, forKey: .status)
        attempts = try row.decode(Int.self, forKey: .attempts)
        result = try row.decodeIfPresent(JSONValue.self, forKey: .result)
        error = try row.decodeIfPresent(String.self, forKey: .error)
        updated_at = try row.decode(String.self, forKey: .updated_at)
    }
}
