import OzziRuntime

/// `POST /api/v1/emails`: one transactional email to a contact or an address, with its own content row,
/// inserted with its message in one transaction and queued for its due time like any message.
struct EmailScheduler: Sendable {
    /// Whether the workspace may send from `from`.
    let senders: SendingDomains
    let database: any SQLDatabase
    let queue: DeliveryQueue
    let clock: any WallClock

    /// Two forms, each closed so that exactly one matches: an email template's id, or the email's own
    /// subject with html and/or text. The recipient is a contact or an address in both.
    static let input: Schema = {
        let common: [Property] = [
            .optional("contact_id", Schema.text(max: 64).example("con_01jd3k5v7n0000000000000000")),
            .optional("to", EmailAddress.schema),
            .optional("from", MailAddress.schema.described("`Name <address>` or an address, on a verified sending domain of the workspace; default: the workspace's default_from")),
            .optional("reply_to", MailAddress.schema.nullable),
            .optional("variables", TemplateVariables.schema),
            .optional("tags", Schema.array(EmailTag.schema, max: 10)),
            .optional("scheduled_at", MessageScheduler.scheduleTime.nullable),
            .optional("time_zone", Schema.model(TimeZoneName.self).nullable),
            .optional("recurrence", RecurrenceRule.schema().nullable.described("Repeat the email by this rule (see /series); not with scheduled_at")),
        ]
        let part = { (max: Int) in Schema.string(min: 1, max: max, pattern: TemplateText.variablesPattern) }
        let own = Schema.object(common + [
            .required("subject", part(998).example("Your order {{order_id}} has shipped")),
            .optional("html", part(512_000).example("<p>Hi {{first_name|there}}, order {{order_id}} is on its way.</p>")),
            .optional("text", part(512_000)),
        ], exactlyOne: [["contact_id", "to"]], atLeastOne: [["html", "text"]], atMostOne: [["recurrence", "scheduled_at"]],
            zonedTimes: [MessageScheduler.scheduledAtZone], closed: true)
            .described("The email's own subject with html and/or text")
        let templated = Schema.object(common + [
            .required("template_id", Schema.text(max: 64).example("tpl_01jd3k5v7n0000000000000000").described("An email template")),
        ], exactlyOne: [["contact_id", "to"]], atMostOne: [["recurrence", "scheduled_at"]],
            zonedTimes: [MessageScheduler.scheduledAtZone], closed: true).described("An email template's subject and parts")
        return Schema.oneOf([own, templated]).example([
            "contact_id": "con_01jd3k5v7n0000000000000000", "from": "Acme <hello@acme.example>", "subject": "Your order {{order_id}} has shipped",
            "html": "<p>Hi {{first_name|there}}, order {{order_id}} is on its way.</p>", "variables": ["order_id": "A-1042"],
        ])
    }()

    func schedule(_ principal: Principal, _ body: JSONBody) async throws -> String {
        try await schedule(principal.scope, createdBy: principal.userID, body)
    }

    /// The same for an email no request made (a form's workflow), in `createdBy`'s name.
    func schedule(_ scope: TenantScope, createdBy: String, _ body: JSONBody) async throws -> String {
        let given = try body.string("from", max: 320).map { try MailAddress.input($0, field: "from") }
        let replyTo = try body.string("reply_to", max: 320).map { try MailAddress.input($0, field: "reply_to") }
        let templateID = try body.string("template_id", max: 64)
        let subject = try body.string("subject", max: 998), html = try body.string("html", max: 512_000), text = try body.string("text", max: 512_000)
        if let templateID {
            guard subject == nil, html == nil, text == nil else { throw APIError.invalidField("template_id", "give a template_id or subject with html/text, not both") }
            guard let row = try await database.prepare("SELECT channel FROM templates WHERE workspace_id = ? AND id = ?")
                .bind(scope.workspaceID, templateID).first() else { throw APIError.notFound("template") }
            // The body is well-formed; the template it names is of the other kind.
            guard row.text("channel") == "email" else { throw APIError.conflict("template \(templateID) is an SMS template; an email needs an email template") }
        } else {
            guard let subject, !subject.isEmpty else { throw APIError.invalidField("subject", "is required without a template_id") }
            guard html != nil || text != nil else { throw APIError.invalidField("html", "give html, text or both (or a template_id)") }
            _ = try EmailRenderer(subject: subject, html: html, text: text)
        }
        let variables = try TemplateVariables.read(body)
        let tags = try Self.tags(body)
        let timeZone = try body.string("time_zone", max: 64)
        let dueMs = try ScheduleTime.resolve(try body.string("scheduled_at", max: 40), timeZone: timeZone, now: clock.milliseconds)

        // To a contact (its address, its fields for the variables), or to an address: the workspace's
        // contact with that address when there is one, so its fields fill the variables too.
        let contactID: String?, to: String
        if let id = try body.string("contact_id", max: 64) {
            guard let row = try await database.prepare("SELECT email FROM contacts WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).first() else {
                throw APIError.notFound("contact")
            }
            // The contact's state, not the body's shape: the same body passes once it has an address.
            guard let email = row.text("email"), !email.isEmpty else {
                throw APIError.conflict("the contact has no email address", details: ["field": "contact_id"])
            }
            (contactID, to) = (id, email)
        } else {
            to = try EmailAddress.normalize(try body.requiredString("to", max: EmailAddress.maxLength), field: "to")
            contactID = try await database.prepare("SELECT id FROM contacts WHERE workspace_id = ? AND email = ? ORDER BY created_at LIMIT 1")
                .bind(scope.workspaceID, to).first()?.text("id")
        }

        let from = try await senders.sender(scope, given, field: "from")
        let content = EmailContent(id: ResourceID.make("eml"), from: from.formatted, replyTo: replyTo?.formatted, templateID: templateID,
                                   subject: subject, html: html, text: text, tags: tags)
        // With a recurrence: a series to this recipient, its first occurrence due when the rule says.
        let series = try await NewSeries.read(body, database, scope, contactID: contactID, now: clock.milliseconds)
        return try await insert(scope, createdBy: createdBy, content: content, contactID: contactID, to: to, dueMs: dueMs, timeZone: timeZone,
                                variables: variables, series: series)
    }

    /// An email the api writes itself (a client-portal invitation) from the workspace's default sender, now.
    func send(_ scope: TenantScope, createdBy: String, contactID: String?, to: String, subject: String, html: String, text: String) async throws -> String {
        let from = try await senders.sender(scope, nil, field: "from")
        let content = EmailContent(id: ResourceID.make("eml"), from: from.formatted, replyTo: nil, templateID: nil, subject: subject, html: html, text: text, tags: [])
        return try await insert(scope, createdBy: createdBy, content: content, contactID: contactID, to: to, dueMs: clock.milliseconds, timeZone: nil,
                                variables: [:], series: nil)
    }

    /// The email's content and message in one transaction, then its delivery job queued for `dueMs`.
    private func insert(_ scope: TenantScope, createdBy: String, content: EmailContent, contactID: String?, to: String, dueMs: Int64, timeZone: String?,
                        variables: [String: String], series: NewSeries?) async throws -> String {
        let id = ResourceID.make("msg")
        var message = MessageStore.NewMessage(id: id, contactID: contactID, to: to, templateID: nil, body: nil, scheduledAt: Timestamp.at(milliseconds: dueMs),
                                              dueMs: dueMs, timeZone: timeZone, category: "transactional", campaign: nil)
        message.channel = .email
        message.contentID = content.id
        message.variables = variables.isEmpty ? nil : variables
        if let series { message = series.first(message) }
        let now = Timestamp.now(clock)
        try await database.transaction { [message] tx in
            try EmailContentStore.insert(tx, scope, content, now: now)
            try MessageStore.insert(tx, scope, createdBy: createdBy, [message], now: now)
            try series?.insert(tx, scope, createdBy: createdBy, first: message, now: now)
        }
        try await queue.enqueue([(DeliveryJob(messageID: id, version: 1), message.dueMs)])
        return id
    }

    private static func tags(_ body: JSONBody) throws -> [EmailTag] {
        guard let value = body.fields["tags"], value != .null else { return [] }
        guard let items = value.arrayValue, items.count <= 10 else { throw APIError.invalidField("tags", "must be a list of at most 10 {name, value}") }
        return try items.map { item in
            guard let name = item.objectValue?["name"]?.stringValue, let tagValue = item.objectValue?["value"]?.stringValue,
                  [name, tagValue].allSatisfy({ !$0.isEmpty && $0.count <= 256 && $0.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") } })
            else { throw APIError.invalidField("tags", "each tag needs a name and a value of ASCII letters, digits, _ and -") }
            return EmailTag(name: name, value: tagValue)
        }
    }
}
