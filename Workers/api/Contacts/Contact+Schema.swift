import OzziRuntime

extension Contact: APIModel {
    /// Fields without a value (phone, email, a consent's time) are absent, not null: the encoder skips nils.
    /// A contact has a phone, an email address, or both.
    static let schema = Schema.object([
        .required("id", Schema.string().example("con_01jd3k5v7n0000000000000000")),
        .required("name", Schema.string().example("Ada Lovelace")),
        .required("first_name", Schema.string().example("Ada")),
        .required("last_name", Schema.string().example("Lovelace")),
        .optional("phone", Schema.string(format: "phone").example("+12025550143").described("E.164; absent when the contact has only an email address")),
        .optional("email", Schema.string().example("ada@example.com").described("Lower-cased; unique in the workspace, as the phone is")),
        .required("notes", .string()),
        .required("custom_fields", Schema.dictionary(.any).example(["plan": "gold"])),
        .required("source", .oneOf(Contact.sources)),
        .required("sms_consent", .model(Consent.self)),
        .required("email_consent", .model(Consent.self)),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
    ], closed: true)
}

extension Contact.Consent: APIModel {
    static let schemaName = "Consent"
    static let schema = Schema.object([
        .required("status", .oneOf(Contact.consentStates)),
        .optional("changed_at", .timestamp),
        .optional("method", Schema.string().example("web form")),
    ], closed: true)
}

extension ContactImport: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("imp_01jd3k5v7n0000000000000000")),
        .required("status", .oneOf(["running", "completed", "failed"])),
        .required("on_duplicate", .oneOf(["update", "skip"])),
        .required("rows", .integer(min: 0)),
        .required("created", .integer(min: 0)),
        .required("updated", .integer(min: 0)),
        .required("skipped", .integer(min: 0)),
        .required("rejected", .array(.object([.required("line", .integer(min: 1)), .required("reason", .string())], closed: true))
            .described("Rows refused, with their line in the file and why")),
        .optional("error", .string()),
        .required("created_at", .timestamp),
        .optional("finished_at", .timestamp),
    ], closed: true)
}
