import OzziRuntime

/// Renders schemas as OpenAPI 3.1 JSON, collecting each named model once into `components/schemas`.
struct SchemaRenderer {
    private(set) var components: [String: JSONValue] = [:]
    private var rendering: Set<String> = []

    mutating func render(_ schema: Schema) -> JSONValue {
        var object: [String: JSONValue]
        switch schema.kind {
        case .model(_, let resolve) where schema.allowsNull:
            // Inline, with null allowed: generators drop a property whose schema is `oneOf [$ref, null]`.
            var inline = resolve()
            inline.allowsNull = true
            return render(inline)
        case .model(let name, let resolve):
            if components[name] == nil, !rendering.contains(name) {
                rendering.insert(name)
                components[name] = render(resolve())
                rendering.remove(name)
            }
            return .object(["$ref": .string("#/components/schemas/\(name)")])
        case .any:
            object = [:]
        case .scalar(let maxLength):
            object = ["type": .array(["string", "number", "boolean", "null"]), "maxLength": .number(Double(maxLength))]
        case .string(let rules):
            object = ["type": "string"]
            if let allowed = rules.allowed { object["enum"] = .array(allowed.map(JSONValue.string)) }
            if rules.minLength > 0 { object["minLength"] = .number(Double(rules.minLength)) }
            if let max = rules.maxLength { object["maxLength"] = .number(Double(max)) }
            if let pattern = rules.pattern { object["pattern"] = .string(pattern.source) }
            if let format = rules.format { object["format"] = .string(format) }
        case .integer(let minimum, let maximum):
            object = ["type": "integer", "minimum": .number(Double(minimum)), "maximum": .number(Double(maximum))]
        case .number(let minimum, let maximum):
            object = ["type": "number"]
            if let minimum { object["minimum"] = .number(minimum) }
            if let maximum { object["maximum"] = .number(maximum) }
        case .boolean:
            object = ["type": "boolean"]
        case .array(let items, let minItems, let maxItems):
            object = ["type": "array", "items": render(items)]
            if minItems > 0 { object["minItems"] = .number(Double(minItems)) }
            if let maxItems { object["maxItems"] = .number(Double(maxItems)) }
        case .object(let shape):
            object = ["type": "object",
                      "properties": .object(Dictionary(uniqueKeysWithValues: shape.properties.map { ($0.name, render($0.schema)) }))]
            if !shape.required.isEmpty { object["required"] = .array(shape.required.map(JSONValue.string)) }
            if shape.closed { object["additionalProperties"] = false }
            // Each alternative restates its property: generators drop a property named only in `required`.
            let rendered = object["properties"]?.objectValue ?? [:]
            func branch(_ name: String) -> JSONValue {
                .object(["required": .array([.string(name)]), "properties": .object([name: rendered[name] ?? .object([:])])])
            }
            var groups: [JSONValue] = []
            for group in shape.exactlyOne { groups.append(.object(["oneOf": .array(group.map(branch))])) }
            for group in shape.atLeastOne { groups.append(.object(["anyOf": .array(group.map(branch))])) }
            // At most one: no two of the group together. (Client generators do not take `not`: the client is
            // generated from the document without these refusals, scripts/generate-client.sh.)
            for group in shape.atMostOne {
                let pairs = group.indices.flatMap { i in group[(i + 1)...].map { JSONValue.object(["required": .array([.string(group[i]), .string($0)])]) } }
                groups.append(.object(["not": .object(["anyOf": .array(pairs)])]))
            }
            // A time without an offset and no zone (absent or null) is what a zoned time refuses.
            for zoned in shape.zonedTimes {
                let local: JSONValue = ["required": [.string(zoned.time)],
                                        "properties": [zoned.time: ["type": "string", "not": ["pattern": .string(ZonedTime.offset.source)]]]]
                let noZone: JSONValue = ["anyOf": [["not": ["required": [.string(zoned.zone)]]], ["properties": [zoned.zone: ["type": "null"]]]]]
                groups.append(.object(["not": .object(["allOf": [local, noZone]])]))
            }
            // The groups beside the properties, not among them: generators read `allOf [object, oneOf...]` as a
            // struct of the fields plus one enum per group, and drop the fields of an object that has both.
            if !groups.isEmpty { object = ["allOf": .array([.object(object)] + groups)] }
        case .dictionary(let values, let maxProperties, let keys):
            object = ["type": "object", "additionalProperties": render(values)]
            if let keys { object["propertyNames"] = render(Schema(.string(keys))) }
            if let maxProperties { object["maxProperties"] = .number(Double(maxProperties)) }
        case .oneOf(let schemas):
            object = ["oneOf": .array(schemas.map { render($0) })]
        }
        if schema.allowsNull {
            if case .string(let type)? = object["type"] {
                object["type"] = .array([.string(type), "null"])
                if case .array(var allowed)? = object["enum"] { allowed.append(.null); object["enum"] = .array(allowed) }
            } else if case .array(var branches)? = object["oneOf"] {
                // One more branch, not a nested oneOf: the generator miscompiles a oneOf inside a oneOf.
                branches.append(.object(["type": "null"]))
                object["oneOf"] = .array(branches)
            }
        }
        if let description = schema.description { object["description"] = .string(description) }
        if let example = schema.example { object["examples"] = .array([example]) }
        return .object(object)
    }
}

extension Schema {
    /// A value that satisfies the schema, for the document's examples: the schema's own example where it
    /// has one, else one built from its parts.
    var exampleValue: JSONValue {
        if let example { return example }
        switch kind {
        case .model(_, let schema): return schema().exampleValue
        case .any: return .object([:])
        case .scalar: return "gold"
        case .string(let rules):
            if let first = rules.allowed?.first { return .string(first) }
            switch rules.format {
            case "date-time": return "2026-12-01T09:30:00.000Z"
            case "date": return "2026-12-01"
            case "email": return "ada@example.com"
            case "uri": return "https://example.com/"
            default: return .string(String(repeating: "x", count: max(rules.minLength, min(5, rules.maxLength ?? 5))))
            }
        case .integer(let minimum, let maximum): return .number(Double(Swift.min(Swift.max(minimum, 1), maximum)))
        case .number(let minimum, _): return .number(minimum ?? 1)
        case .boolean: return true
        case .array(let items, let minItems, _): return .array(Array(repeating: items.exampleValue, count: max(1, minItems)))
        case .dictionary: return .object([:])
        case .oneOf(let schemas): return schemas.first?.exampleValue ?? .null
        case .object(let shape):
            // Every field of an answer; of a body, the required ones, the first alternative of each group,
            // and those with an example of their own that no group rules out (the first of "at most one").
            let firsts = Set((shape.exactlyOne + shape.atLeastOne).compactMap(\.first))
            let others = Set(shape.exactlyOne.flatMap { $0.dropFirst() })
            let excluded = Set(shape.atMostOne.flatMap { $0.dropFirst() })
            func shown(_ property: Property) -> Bool {
                !excluded.contains(property.name) && (shape.closed || property.required || firsts.contains(property.name)
                    || property.schema.example != nil && !others.contains(property.name))
            }
            return .object(Dictionary(uniqueKeysWithValues: shape.properties.filter(shown).map { ($0.name, $0.schema.exampleValue) }))
        }
    }
}
