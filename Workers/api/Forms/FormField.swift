import OzziRuntime

/// One field of a form: what it asks (`kind`, label, help), the rules an answer must meet, and where an
/// answer goes on the contact (`mapsTo`). The same rules run twice: here on `POST /submit`, and in the
/// form's page (`FormPageScript`, from `clientRules`), with the same words (`FormMessages`), so a visitor
/// sees the server's verdict before sending.
struct FormField: Sendable {
    enum Kind: String, Sendable, CaseIterable {
        case text, email, phone, number, textarea, select, multi_select, checkbox, radio, date, hidden, consent
    }

    struct Option: Sendable, Equatable {
        let value: String
        let label: String
    }

    let key: String
    let kind: Kind
    let label: String
    let help: String
    let placeholder: String
    let required: Bool
    let minLength: Int?
    let maxLength: Int
    let pattern: String?
    /// `pattern`, compiled once per definition (versions never change, so a parsed one is kept).
    let matcher: FormPattern?
    let patternMessage: String?
    /// A number's bounds.
    let minimum: Double?
    let maximum: Double?
    let integer: Bool
    /// A date's bounds, `YYYY-MM-DD`.
    let earliest: String?
    let latest: String?
    let options: [Option]
    let minChoices: Int?
    let maxChoices: Int?
    /// `name`, `first_name`, `last_name`, `email`, `phone`, `notes` or `custom.<key>`.
    let mapsTo: String?
    /// A consent box's channel: `sms` or `email`.
    let channel: String?
    /// A hidden field's value when the page's URL does not give one.
    let defaultValue: String?

    static let contactFields = ["name", "first_name", "last_name", "email", "phone", "notes"]
    static let keyPattern = "^[a-z][a-z0-9_]{0,63}$"

    /// The longest answer each kind takes unless the field says less.
    static func defaultMaxLength(_ kind: Kind) -> Int {
        switch kind {
        case .textarea: 5_000
        case .email: EmailAddress.maxLength
        case .phone: 40
        default: 500
        }
    }

    /// The absolute ceiling of `max_length`: a submission's body stays small whatever the form says.
    static let maxLengthCeiling = 10_000
}
