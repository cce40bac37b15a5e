import OzziRuntime

// A nil field is left out of the JSON (Swift's `encodeIfPresent`): such fields are optional, and nullable in
// case an encoder writes null instead.
extension User: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("usr_01jd3k5v7n0000000000000000")),
        .optional("email", Schema.string().nullable.example("ada@example.com").described("Absent for an anonymous trial")),
        .optional("name", Schema.string().nullable.example("Ada Lovelace")),
        .required("is_anonymous", .boolean),
        .required("is_platform_admin", .boolean),
        .required("personal_workspace_id", Schema.string().example("wsp_01jd3k5v7n0000000000000000")),
        .optional("email_verified_at", Schema.timestamp.nullable.described("When the email was proved the owner's; absent until then")),
        .required("created_at", .timestamp),
    ], closed: true)
}

extension Identity: APIModel {
    static let schema = Schema.object([
        .required("provider", Schema.string().example("google").described("The provider's configured name")),
        .required("subject", Schema.string().example("108234567890123456789").described("The account's id at the provider")),
        .optional("email", Schema.string().nullable.example("ada@example.com")),
        .required("created_at", .timestamp),
    ], closed: true)
}
