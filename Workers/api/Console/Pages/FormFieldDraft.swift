import OzziRuntime

/// A field as the builder's add and edit forms give it, turned into the API's field object. What a person
/// would not type is derived: the key from the label (`Your email` -> `your_email`), the options from one
/// line each; the kinds that map to a contact field do so unless told otherwise.
struct FormFieldDraft: Sendable {
    var label = ""
    var kind = FormField.Kind.text
    var key = ""
    var help = ""
    var required = false
    var options: [String] = []
    var mapsTo = ""
    var channel = "sms"

    static let blank = FormFieldDraft()

    init() {}

    init(_ form: ConsoleForm) {
        label = form["label"] ?? ""
        kind = form["type"].flatMap(FormField.Kind.init(rawValue:)) ?? .text
        key = form["key"] ?? ""
        help = form["help"] ?? ""
        required = form["required"] != nil
        options = (form.fields["options"] ?? "").split(whereSeparator: \.isNewline).map { String($0.trimmingASCIISpaces()) }.filter { !$0.isEmpty }
        mapsTo = form["maps_to"] ?? ""
        channel = form["channel"] == "email" ? "email" : "sms"
    }

    /// A field of the form as stored, to edit.
    init(_ field: FormField) {
        label = field.label
        kind = field.kind
        key = field.key
        help = field.help
        required = field.required
        options = field.options.map { $0.label == $0.value ? $0.value : $0.label }
        mapsTo = field.mapsTo ?? ""
        channel = field.channel ?? "sms"
    }

    /// The API's field object; `existing`: the keys already taken by the form's other fields.
    func json(existing: Set<String>) -> JSONValue {
        var object: [String: JSONValue] = ["key": .string(key.isEmpty ? Self.key(from: label, avoiding: existing) : key), "type": .string(kind.rawValue),
                                           "label": .string(label), "required": .bool(required)]
        if !help.isEmpty { object["help"] = .string(help) }
        if [.select, .multi_select, .radio].contains(kind) { object["options"] = .array(options.map(JSONValue.string)) }
        if !mapsTo.isEmpty, kind != .consent { object["maps_to"] = .string(mapsTo) }
        if kind == .consent { object["channel"] = .string(channel) }
        return .object(object)
    }

    /// `Your email!` -> `your_email`; a second `your_email` -> `your_email_2`.
    static func key(from label: String, avoiding taken: Set<String>) -> String {
        var key = ""
        for scalar in label.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) { key.unicodeScalars.append(scalar) }
            else if !key.isEmpty, !key.hasSuffix("_") { key += "_" }
        }
        while key.hasSuffix("_") { key.removeLast() }
        if key.isEmpty { key = "field" } else if !(key.unicodeScalars.first.map { ("a"..."z").contains($0) } ?? false) { key = "field_" + key }
        key = String(key.prefix(60))
        var candidate = key, n = 2
        while taken.contains(candidate) { candidate = key + "_\(n)"; n += 1 }
        return candidate
    }
}
