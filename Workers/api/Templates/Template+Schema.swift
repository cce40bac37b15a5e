import OzziRuntime

extension RouteGroup.TemplateView: APIModel {
    static let schemaName = "Template"
    static let schema = Schema.object([
        .required("id", Schema.string().example("tpl_01jd3k5v7n0000000000000000")),
        .required("name", Schema.string().example("Reminder")),
        .required("category", Schema.string().example("general")),
        .required("body", Schema.string().example("Hi {{first_name|there}}, see you at 6pm!")),
        .required("usage_count", .integer(min: 0)),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
        .required("sms", .model(SMSLength.self)),
    ], closed: true)

    /// A template's fields as a body: `name` and `body` are required to create one.
    static func input(creating: Bool) -> Schema {
        let name = Schema.text(max: 100).example("Reminder")
        let body = Schema.string(min: 1, max: 5000, pattern: TemplateText.pattern).example("Hi {{first_name|there}}, see you at 6pm!")
            .described("Text with {{name}}, {{first_name}}, {{last_name}}, {{phone}}, {{email}} or {{custom.<field>}}, each with an optional |fallback")
        return .object([
            creating ? .required("name", name) : .optional("name", name.nullable),
            creating ? .required("body", body) : .optional("body", body.nullable),
            .optional("category", Schema.string(max: 50).nullable.described("Default general").example("general")),
        ])
    }
}

extension SMSLength: APIModel {
    static let schema = Schema.object([
        .required("encoding", .oneOf(["GSM-7", "UCS-2"])),
        .required("characters", .integer(min: 0)),
        .required("segments", .integer(min: 0)),
    ], closed: true).described("How the text travels as SMS: its encoding, length in that encoding, and the segments it takes")
}

extension RouteGroup.Preview: APIModel {
    static let schemaName = "TemplatePreview"
    static let schema = Schema.object([
        .required("text", Schema.string().example("Hi Ada, see you at 6pm!")),
        .required("sms", .model(SMSLength.self)),
    ], closed: true)
}
