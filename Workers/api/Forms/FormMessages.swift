import OzziRuntime

/// What a visitor reads under a field whose answer is refused. The form's page says the same words from
/// the same rules (the embed worker's script is given `javaScript`), so the server's verdict on a
/// submission never differs from what the page showed.
enum FormMessages {
    /// Each message by name; `{}` stands for the number or date it names.
    static let templates: [String: String] = [
        "required": "This field is required",
        "email": "Enter a valid email address",
        "phone": "Enter a valid phone number",
        "number": "Enter a number",
        "whole": "Enter a whole number",
        "date": "Enter a date as YYYY-MM-DD",
        "option": "Choose one of the options",
        "pattern": "This is not in the expected format",
        "tooShort": "Use at least {} characters",
        "tooLong": "Use at most {} characters",
        "atLeast": "Enter a number of at least {}",
        "atMost": "Enter a number of at most {}",
        "onOrAfter": "Enter a date on or after {}",
        "onOrBefore": "Enter a date on or before {}",
        "fewChoices": "Choose at least {}",
        "manyChoices": "Choose at most {}",
    ]

    static func say(_ name: String, _ value: String = "") -> String {
        templates[name]!.replacing("{}", with: value)
    }

    /// A bound as JavaScript's `String(x)` writes it (1, not 1.0).
    static func format(_ x: Double) -> String {
        if let whole = Int(exactly: x) { return String(whole) }
        return String(x)
    }

    /// The templates as a JSON object, for the form's page.
    static let json = JSONValue.object(templates.mapValues { .string($0) })
}
