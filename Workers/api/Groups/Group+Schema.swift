import OzziRuntime

extension Group: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("grp_01jd3k5v7n0000000000000000")),
        .required("name", Schema.string().example("Volunteers")),
        .required("description", .string()),
        .required("color", colorSchema),
        .required("member_count", .integer(min: 0)),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
    ], closed: true)

    static let colorSchema = Schema.string(pattern: "^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$").example("#1a2b3c")
        .described("A hex colour, #rgb or #rrggbb")

    /// A group's fields as a body: `name` is required to create one.
    static func input(creating: Bool) -> Schema {
        let name = Schema.text(max: 100).example("Volunteers")
        return .object([
            creating ? .required("name", name) : .optional("name", name.nullable),
            .optional("description", Schema.string(max: 1000).nullable),
            .optional("color", colorSchema.nullable.described("A hex colour, #rgb or #rrggbb (default #6b7280)")),
        ])
    }
}
