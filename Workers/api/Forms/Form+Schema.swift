import OzziRuntime

extension Form.Answer: APIModel {
    static var schemaName: String { "Form" }

    static let schema = Schema.object([
        .required("id", Schema.string().example("frm_01jd3k5v7n0000000000000000")),
        .required("name", Schema.string().example("Newsletter sign-up")),
        .required("public_key", Schema.string().example("fpk_3f9a1c0b7e2d4a5b6c7d8e9f").described("Named by the script tag; public")),
        .required("version", Schema.integer(min: 1).described("The current version; each change of fields, settings or workflow makes a new one")),
        .required("enabled", Schema.boolean.described("A disabled form's loader and page show nothing and take no submissions")),
        .required("fields", Schema.array(Form.fieldSchema)),
        .required("settings", Form.settingsSchema),
        .required("workflow", Schema.array(Form.actionSchema)),
        .required("snippet", Schema.string().described("The HTML to paste where the form goes")),
        .required("embed_url", Schema.string().described("The form's own page, for a link or an iframe of your own")),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
    ], closed: true)
}

extension Form {
    static let fieldSchema = Schema.object([
        .required("key", Schema.string(min: 1, max: 64, pattern: FormField.keyPattern).example("email")
            .patternMeaning("lower-case letters, digits and _, starting with a letter")),
        .required("type", Schema.oneOf(FormField.Kind.allCases.map(\.rawValue))),
        .optional("label", Schema.string(max: 2_000).example("Your email").described("What the visitor reads; required but for hidden fields")),
        .optional("help", Schema.string(max: 2_000)),
        .optional("placeholder", Schema.string(max: 200)),
        .optional("required", Schema.boolean),
        .optional("min_length", Schema.integer(0...FormField.maxLengthCeiling)),
        .optional("max_length", Schema.integer(1...FormField.maxLengthCeiling)),
        .optional("pattern", Schema.string(max: FormPattern.maxLength).described(
            "A regular expression a text answer must match (ECMAScript's unicode mode and the server alike: no look-arounds, inline flags or "
                + "nested repetitions such as (a+)+, at most two unbounded repetitions; max_length at most 500)")),
        .optional("pattern_message", Schema.string(max: 200).described("What the visitor reads when the pattern does not match")),
        .optional("min", Schema.oneOf([Schema.number(-1e15...1e15), CivilDate.schema]).described("A number's least value, or a date's earliest")),
        .optional("max", Schema.oneOf([Schema.number(-1e15...1e15), CivilDate.schema]).described("A number's greatest value, or a date's latest")),
        .optional("integer", Schema.boolean.described("A number field takes whole numbers only")),
        .optional("options", Schema.array(Schema.oneOf([
            Schema.string(min: 1, max: 200),
            Schema.object([.required("value", Schema.string(min: 1, max: 200)), .optional("label", Schema.string(max: 500))], closed: true),
        ]), min: 1, max: 200).described("The choices of a select, multi_select or radio field")),
        .optional("min_choices", Schema.integer(0...200)),
        .optional("max_choices", Schema.integer(1...200)),
        .optional("maps_to", Schema.string(min: 1, max: 71, pattern: "^(?:name|first_name|last_name|email|phone|notes|custom\\..{1,64})$")
            .example("email").patternMeaning("a contact field (name, first_name, last_name, email, phone, notes) or custom.<key>")),
        .optional("channel", Schema.oneOf(["sms", "email"]).described("A consent box's channel: ticking it opts the contact in")),
        .optional("default", Schema.string(max: FormField.maxLengthCeiling).described("A hidden field's value when the page's URL gives none")),
    ], closed: true).described("A field; which settings apply depends on its type (a setting that does not apply is refused)")

    static let settingsSchema = Schema.object([
        .optional("success_message", Schema.string(min: 1, max: 2_000).example("Thanks, we will be in touch.")),
        .optional("redirect_url", Schema.string(max: 2_000, pattern: "^[Hh][Tt][Tt][Pp][Ss]?://[^/\\s\"<>\\\\][^\\s\"<>\\\\]*$").nullable
            .patternMeaning("an http(s) URL").example("https://shop.example/thanks").described("Where the visitor goes after sending, instead of the message")),
        .optional("submit_label", Schema.string(min: 1, max: 60)),
        .optional("allowed_origins", Schema.array(Widget.Answer.origin, min: 1, max: 20)
            .described("The origins of the sites that may embed the form (frame it and submit to it)")),
        .optional("spam", Schema.object([
            .optional("honeypot", Schema.boolean),
            .optional("min_fill_seconds", Schema.integer(0...3_600)),
            .optional("per_email_per_hour", Schema.integer(1...10_000)),
            .optional("per_network_per_minute", Schema.integer(1...100_000)),
        ], closed: true)),
        .optional("theme", Schema.object([
            .optional("color", Group.colorSchema), .optional("background", Group.colorSchema), .optional("text_color", Group.colorSchema),
            .optional("font", Schema.oneOf(FormTheme.fonts.keys.sorted())),
            .optional("radius", Schema.integer(0...24)),
            .optional("custom_css", Schema.string(max: 10_000, pattern: "^[^<\\\\]*$").patternMeaning("CSS without < or backslashes")
                .described("Your own CSS for the form's page; it may not load anything (no @import, url())")),
        ], closed: true)),
    ], closed: true)

    static let actionSchema = Schema.object([
        .required("type", Schema.oneOf(FormAction.Kind.allCases.map(\.rawValue))),
        .optional("group_id", Schema.text(max: 64).described("add_to_group")),
        .optional("template_id", Schema.text(max: 64).described("send_sms, send_email: an SMS or email template")),
        .optional("delay_minutes", Schema.integer(0...43_200).described("send_sms, send_email: send this long after the submission")),
        .optional("book_id", Schema.text(max: 64).described("enroll_study_book")),
        .optional("time_zone", Schema.model(TimeZoneName.self).nullable.described("enroll_study_book: the zone lessons are sent in (default UTC)")),
        .optional("user_ids", Schema.array(Schema.text(max: 64), min: 1, max: 50).described("notify: the members told by email")),
        .optional("when", Schema.object([
            .required("field", Schema.string(min: 1, max: 64)),
            .optional("equals", Schema(.scalar(maxLength: 500))), .optional("not_equals", Schema(.scalar(maxLength: 500))),
            .optional("contains", Schema(.scalar(maxLength: 500))), .optional("is_set", Schema.boolean),
        ], exactlyOne: [["equals", "not_equals", "contains", "is_set"]], closed: true).example(["field": "plan", "equals": "gold"])
            .described("Run only when an answer meets this")),
    ], closed: true).described("A workflow action, run for each submission in order")

    /// A form as a body: a name, fields and the allowed origins to create one; anything to change one.
    static func body(creating: Bool) -> Schema {
        let name = Schema.text(max: 100).example("Newsletter sign-up")
        let fields = Schema.array(fieldSchema, min: 1, max: 100)
        var properties: [Property] = [
            creating ? .required("name", name) : .optional("name", name.nullable),
            creating ? .required("fields", fields) : .optional("fields", fields.nullable),
            creating ? .required("settings", settingsSchema) : .optional("settings", settingsSchema.nullable),
            .optional("workflow", Schema.array(actionSchema, max: 20).nullable),
        ]
        if !creating { properties.append(.optional("enabled", Schema.boolean.nullable)) }
        return Schema.object(properties, closed: true).described(
            "Rules across settings are checked too (a setting a field's type does not take, keys unique, one field per contact field, "
                + "min not above max, the pattern a regular expression, a condition naming a field of the form): a 422 names the place")
    }
}

extension FormSubmission: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("fsb_01jd3k5v7n0000000000000000")),
        .required("form_id", .string()),
        .required("version", Schema.integer(min: 1).described("The form's version the submission answered")),
        .required("answers", Schema.dictionary(.any).described("Field key -> the answer as checked (emails lower-cased, phones E.164)")),
        .required("contact_id", Schema.string().nullable),
        .required("consents", Schema.array(Schema.object([
            .required("channel", .oneOf(["sms", "email"])), .required("wording", .string()), .required("given_at", .timestamp),
        ], closed: true))),
        .required("referrer", Schema.string().described("The page the form was on")),
        .required("utm", Schema.dictionary(.string())),
        .required("created_at", .timestamp),
        .required("actions", Schema.array(Schema.object([
            .required("position", Schema.integer(min: 0)), .required("action", .any),
            .required("status", .oneOf(["pending", "running", "done", "failed", "skipped"])),
            .required("attempts", Schema.integer(min: 0)), .required("result", Schema.any.nullable), .required("error", Schema.string().nullable),
            .required("updated_at", .timestamp),
        ], closed: true)).described("The workflow's actions for this submission (in the list: empty)")),
    ], closed: true)
}
