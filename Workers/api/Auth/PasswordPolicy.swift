/// What a password must be, with a message that says which rule failed. Lengths count Unicode scalars, as
/// NIST SP 800-63B asks and as the document's `minLength`/`maxLength` do.
enum PasswordPolicy {
    static let minimumLength = 10
    static let maximumLength = 128
    private static let common: Set<String> = [
        "password123", "1234567890", "qwertyuiop", "password1234", "iloveyou123", "letmein1234", "welcome123",
        "0123456789", "abcdefghij", "passwordpassword", "administrator",
    ]

    /// A new password as a body field: the lengths, and at least three different characters (some character,
    /// a later one unlike it, a later one unlike both); the other rules are `check`'s alone.
    static let schema = Schema(.string(StringRules(
        minLength: minimumLength, maxLength: maximumLength,
        pattern: Pattern(#"([\s\S])[\s\S]*?((?!\1)[\s\S])[\s\S]*?((?!\1|\2)[\s\S])"#, mismatch: "must not repeat one or two characters"),
        format: "password")))
        .example("correct horse battery")
        .described("\(minimumLength)-\(maximumLength) characters; not one or two characters repeated, not a common password, "
                   + "not containing the email's name")

    /// Throws a 422 naming `password` when a rule fails.
    static func check(_ password: String, email: String?) throws {
        let scalars = password.unicodeScalars
        guard scalars.count >= minimumLength else {
            throw APIError.invalidField("password", "must be at least \(minimumLength) characters")
        }
        guard scalars.count <= maximumLength else {
            throw APIError.invalidField("password", "must be at most \(maximumLength) characters")
        }
        guard Set(scalars).count > 2 else {
            throw APIError.invalidField("password", "must not repeat one or two characters")
        }
        guard !common.contains(password.lowercased()) else {
            throw APIError.invalidField("password", "is too common; choose another")
        }
        if let email, let local = email.split(separator: "@").first, local.count >= 4,
           password.lowercased().contains(local.lowercased()) {
            throw APIError.invalidField("password", "must not contain your email address")
        }
    }
}
