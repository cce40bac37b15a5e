import OzziRuntime

extension APIKey: APIModel {
    static let schema = Schema.object(fields, closed: true)

    static let fields: [Property] = [
        .required("id", Schema.string().example("key_01jd3k5v7n0000000000000000")),
        .required("name", Schema.string().example("Zapier")),
        .required("prefix", Schema.string().example("ozk_live_01jd3k5v7n00").described("The key's visible start, to tell keys apart")),
        .required("active", Schema.boolean.described("A disabled key authenticates nothing until enabled again")),
        .required("created_by", Schema.string().example("usr_01jd3k5v7n0000000000000000")),
        .required("created_at", .timestamp),
        .optional("last_used_at", Schema.timestamp.nullable.described("Updated at most once a minute")),
    ]
}

extension RouteGroup.CreatedKey: APIModel {
    static let schemaName = "CreatedAPIKey"
    static let schema = Schema.object(APIKey.fields + [
        .required("key", Schema.string().example("ozk_live_01jd3k5v7n00_Yk3vQ9tR0aVb8kXyZ1c4dE5fG6hI7jK8")
            .described("The secret, shown once: send it as `Authorization: Bearer <key>`")),
    ], closed: true)
}
