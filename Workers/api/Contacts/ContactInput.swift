import OzziRuntime

/// A contact's fields as given (to create, update or import), validated and normalised: E.164 phone,
/// checked email, `name` and `first_name`/`last_name` filled from each other.
struct ContactInput: Sendable {
    var name: String?
    var firstName: String?
    var lastName: String?
    var phone: String?
    var email: String??
    var notes: String?
    var customFields: [String: JSONValue]?
    var source: String?
    var consent: (status: String, method: String?)?
    var emailConsent: (status: String, method: String?)?

    /// Reads a JSON body; `creating` a contact, which needs a phone or an email address (or both).
    init(_ body: JSONBody, defaultCountry: String, creating: Bool) throws {
        name = try body.string("name", max: 200)
        firstName = try body.string("first_name", max: 100)
        lastName = try body.string("last_name", max: 100)
        if let phone = try body.string("phone", max: 40) {
            self.phone = try Self.phone(phone, defaultCountry: defaultCountry, field: "phone")
        }
        if body.fields["email"] == .null {
            email = .some(nil)
        } else if let email = try body.string("email", max: 320) {
            self.email = email.isEmpty ? .some(nil) : try EmailAddress.normalize(email)
        }
        if creating, phone == nil, (email ?? nil) == nil { throw Self.noAddress }
        notes = try body.string("notes", max: 10_000)
        if let custom = body.fields["custom_fields"], custom != .null {
            guard case .object(let fields) = custom else { throw APIError.invalidField("custom_fields", "must be a JSON object") }
            try Self.check(custom: fields)
            customFields = fields
        }
        source = try body.choice("source", Contact.sources)
        if let consent = body.fields["sms_consent"], consent != .null {
            self.consent = try Self.consent(consent)
        }
        if let consent = body.fields["email_consent"], consent != .null {
            emailConsent = try Self.consent(consent, field: "email_consent")
        }
        // A new contact gets both forms of its name; an update merges with the stored ones instead.
        if creating { fillNames() }
    }

    init() {}

    /// A contact is reached by phone, by email, or both: one of them is needed.
    static let noAddress = APIError.invalidField("phone", "give a phone or an email (a contact needs at least one of phone, email)")

    static func phone(_ text: String, defaultCountry: String, field: String) throws -> String {
        do {
            return try PhoneNumber.normalize(text, defaultCountry: defaultCountry)
        } catch {
            throw APIError.invalidField(field, "'\(text)' \(error.reason)")
        }
    }

    /// `{"status": ..., "method": ...}`, as contacts and bulk operations take it.
    static func consent(_ value: JSONValue, field: String = "sms_consent") throws -> (status: String, method: String?) {
        guard case .object(let fields) = value, case .string(let status)? = fields["status"], Contact.consentStates.contains(status) else {
            throw APIError.invalidField(field, "must be {\"status\": \"opted_in\" | \"opted_out\" | \"unknown\", \"method\": ...}")
        }
        return (status, fields["method"]?.stringValue.map { String($0.prefix(100)) })
    }

    static func check(custom fields: [String: JSONValue]) throws {
        guard fields.count <= 100 else { throw APIError.invalidField("custom_fields", "has more than 100 keys") }
        for (key, value) in fields {
            guard (1...64).contains(key.unicodeScalars.count) else { throw APIError.invalidField("custom_fields", "keys are 1-64 characters") }
            switch value {
            case .string(let s) where s.count > 1000: throw APIError.invalidField("custom_fields.\(key)", "is longer than 1000 characters")
            case .array, .object: throw APIError.invalidField("custom_fields.\(key)", "must be a string, number, boolean or null")
            default: continue
            }
        }
    }

    /// Takes a later row for the same contact, as an import's update would: its non-empty fields replace
    /// these, its custom fields merge in.
    mutating func absorb(_ later: ContactInput) {
        if let name = later.name, !name.isEmpty { self.name = name }
        if let first = later.firstName, !first.isEmpty { firstName = first }
        if let last = later.lastName, !last.isEmpty { lastName = last }
        if let email = later.email ?? nil { self.email = .some(email) }
        if let notes = later.notes, !notes.isEmpty { self.notes = notes }
        customFields = (customFields ?? [:]).merging(later.customFields ?? [:]) { _, new in new }
    }

    /// `name` from the parts, or the parts from `name` (first word, then the rest).
    mutating func fillNames() {
        if name == nil, firstName != nil || lastName != nil {
            name = [firstName, lastName].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        } else if let name, firstName == nil, lastName == nil {
            let parts = name.trimmingPrefixAndSuffixSpaces().split(separator: " ", maxSplits: 1)
            firstName = parts.first.map(String.init) ?? ""
            lastName = parts.count > 1 ? String(parts[1]) : ""
        }
    }

    /// Digits of the number with and without its country code, so either form finds it.
    static func phoneSearch(_ e164: String) -> String {
        let digits = e164.dropFirst()
        guard let code = PhoneNumber.callingCode(of: digits) else { return String(digits) }
        return digits + " " + digits.dropFirst(code.count)
    }
}

extension ContactInput {
    /// A contact's fields as a body: a phone or an email address (or both) to create one; a change may
    /// clear the email of a contact that keeps a phone (clearing the last of them is a 409).
    static func schema(creating: Bool) -> Schema {
        let phone = Schema.string(min: 1, max: 40, format: "phone").example("+12025550143")
            .described("E.164 (+12025550143), or a national number of the workspace's country")
        // Creating, the email is an address or absent: an empty one would satisfy "phone or email" on paper.
        let email = creating
            ? Schema.string(max: EmailAddress.maxLength, pattern: Pattern(EmailAddress.pattern, mismatch: "is not an email address"))
                .example("ada@example.com").described("An email address, lower-cased; unique in the workspace")
            : Schema.string(max: EmailAddress.maxLength, pattern: Pattern("^$|" + EmailAddress.pattern, mismatch: "is not an email address"))
                .nullable.example("ada@example.com").described("An email address; an empty string or null clears it (if the contact keeps a phone)")
        let fields: [Property] = [
            .optional("phone", phone),
            .optional("name", Schema.string(max: 200).nullable.example("Ada Lovelace")),
            .optional("first_name", Schema.string(max: 100).nullable),
            .optional("last_name", Schema.string(max: 100).nullable),
            .optional("email", email),
            .optional("notes", Schema.string(max: 10_000).nullable),
            .optional("custom_fields", customFieldsSchema.nullable),
            .optional("source", Schema.oneOf(Contact.sources).nullable),
            .optional("sms_consent", consentSchema.nullable),
            .optional("email_consent", consentSchema.nullable),
        ]
        return .object(fields, atLeastOne: creating ? [["phone", "email"]] : [])
    }

    static let customFieldsSchema = Schema.dictionary(Schema(.scalar(maxLength: 1000)), max: 100, keys: StringRules(minLength: 1, maxLength: 64))
        .described("Up to 100 keys of 1-64 characters; values are strings, numbers, booleans or null").example(["plan": "gold"])

    static let consentSchema = Schema.object([
        .required("status", .oneOf(Contact.consentStates)),
        .optional("method", Schema.string().nullable.described("How consent was given or withdrawn (kept to 100 characters)")),
    ])
}
