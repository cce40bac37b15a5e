import OzziRuntime

extension RouteGroup.TemplateView: APIModel {
    static let schemaName = "Template"
    static let schema = Schema.object([
        .required("id", Schema.string().example("tpl_01jd3k5v7n0000000000000000")),
        .required("name", Schema.string().example("Reminder")),
        .required("category", Schema.string().example("general")),
        .required("channel", .oneOf(Template.channels)),
        .required("body", Schema.string().nullable.example("Hi {{first_name|there}}, see you at 6pm!").described("The SMS text; null for an email template")),
        .required("subject", Schema.string().nullable.example("Your order {{order_id}}").described("An email template's subject; null for SMS")),
        .required("html", Schema.string().nullable.example("<p>Hi {{first_name|there}}</p>").described("An email template's HTML, if any")),
        .required("text", Schema.string().nullable.example("Hi {{first_name|there}}")
            .described("An email template's own text part; null when it is derived from the HTML (and for SMS)")),
        .required("usage_count", .integer(min: 0)),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
        .required("sms", Schema.model(SMSLength.self).nullable.described("The SMS length of the raw body; null for an email template")),
    ], closed: true)

    static let subjectMax = 998
    static let htmlMax = 200_000
    static let textMax = 100_000

    /// A template's fields as a body: `name` is required to create one, with `body` for SMS or `subject`
    /// and `html` and/or `text` for email.
    static func input(creating: Bool) -> Schema {
        let name = Schema.text(max: 100).example("Reminder")
        let body = Schema.string(min: 1, max: 5000, pattern: TemplateText.pattern).example("Hi {{first_name|there}}, see you at 6pm!")
            .described("SMS: text with {{name}}, {{first_name}}, {{last_name}}, {{phone}}, {{email}} or {{custom.<field>}}, each with an optional |fallback")
        let own = " The contact's variables, custom.<field>, and variables given with each send ({{order_id}}), each with an optional |fallback."
        let subject = Schema.string(min: 1, max: subjectMax, pattern: TemplateText.variablesPattern).example("Your order {{order_id}}")
            .described("Email: the subject (required for email)." + own)
        // On a change an empty part clears it; a new template's parts say something.
        let html = Schema.string(min: creating ? 1 : 0, max: htmlMax, pattern: TemplateText.variablesPattern).example("<p>Hi {{first_name|there}}</p>")
            .described("Email: the HTML part; values are HTML-escaped when filled in." + own)
        let text = Schema.string(min: creating ? 1 : 0, max: textMax, pattern: TemplateText.variablesPattern).example("Hi {{first_name|there}}")
            .described("Email: the text part; derived from the HTML when missing." + own)
        let category = Property.optional("category", Schema.string(max: 50).nullable.described("Default general").example("general"))
        guard creating else {
            // A change: the template's channel decides which fields apply (a 409 names a field of the other).
            return .object([.optional("name", name.nullable), .optional("body", body.nullable), .optional("subject", subject.nullable),
                            .optional("html", html.nullable), .optional("text", text.nullable), category])
        }
        // Two closed forms, so that exactly one matches: SMS (the default channel) with its body, or email
        // with its subject and html and/or text.
        let sms = Schema.object([.required("name", name), .optional("channel", Schema.oneOf(["sms"]).described("Default sms")),
                                 .required("body", body), category], closed: true).described("An SMS template")
        let email = Schema.object([.required("name", name), .required("channel", Schema.oneOf(["email"])), .required("subject", subject),
                                   .optional("html", html), .optional("text", text), category],
                                  atLeastOne: [["html", "text"]], closed: true).described("An email template")
        return Schema.oneOf([sms, email]).example(["name": "Reminder", "body": "Hi {{first_name|there}}, see you at 6pm!", "category": "general"])
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
        .required("channel", .oneOf(Template.channels)),
        .required("text", Schema.string().example("Hi Ada, see you at 6pm!").described("The SMS text, or the email's text part")),
        .optional("sms", Schema.model(SMSLength.self).described("SMS only")),
        .optional("subject", Schema.string().example("Your order A-1042").described("Email only")),
        .optional("html", Schema.string().nullable.example("<p>Hi Ada</p>").described("Email only: null when the template has no HTML")),
        .required("missing_variables", Schema.array(.string()).example([]).described("Variables with neither a value nor a fallback: a send would be refused until they are given")),
    ], closed: true)

    static let input = Schema.object([
        .optional("contact_id", Schema.text(max: 64).example("con_01jd3k5v7n0000000000000000").described("The contact whose fields fill the template")),
        .optional("variables", TemplateVariables.schema),
    ])
}
