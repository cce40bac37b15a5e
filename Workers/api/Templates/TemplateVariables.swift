import OzziRuntime

/// The `variables` a send or a preview gives: names a template uses besides the contact's fields
/// (`{{order_id}}`), each with a string, number or boolean value.
enum TemplateVariables {
    static let schema = Schema.dictionary(Schema(.scalar(maxLength: 10_000)), max: 100,
                                          keys: StringRules(minLength: 1, maxLength: 64, pattern: Pattern("^[A-Za-z_][A-Za-z0-9_]*$", mismatch: "is not a variable name (letters, digits and _)")))
        .described("Values for the template's own {{variables}} (letters, digits and _); they take precedence over the contact's fields")
        .example(["order_id": "A-1042", "total": "$18.50"])

    /// Reads `variables` from a body (absent: none).
    static func read(_ body: JSONBody, field: String = "variables") throws -> [String: String] {
        guard let value = body.fields[field], value != .null else { return [:] }
        guard case .object(let object) = value else { throw APIError.invalidField(field, "must be an object of names to values") }
        guard object.count <= 100 else { throw APIError.invalidField(field, "holds at most 100 variables") }
        var variables: [String: String] = [:]
        // A null value is a variable not given: the template's fallback (`{{total|0}}`) or its refusal applies.
        for (name, value) in object where value != .null {
            guard let text = TemplateText.value(value), text.count <= 10_000 else {
                throw APIError.invalidField("\(field).\(name)", "must be a string, number or boolean of at most 10,000 characters")
            }
            variables[name] = text
        }
        return variables
    }
}
