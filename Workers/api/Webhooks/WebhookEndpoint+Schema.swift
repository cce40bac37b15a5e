import OzziRuntime

extension WebhookEndpoint: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("whe_01jd3k5v7n0000000000000000")),
        .required("url", Schema.string(format: "uri").example("https://example.com/hooks/ozzi")),
        .required("event_types", Schema.array(Schema.string().example("message.status")).described("The event types it receives; * for all")),
        .required("description", .string()),
        .required("active", Schema.boolean.described("False after repeated failures (see disabled_reason) or when turned off")),
        .optional("disabled_reason", Schema.string().described("Why it was disabled; absent while it has not been")),
        .required("consecutive_failures", .integer(min: 0)),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
        .optional("secret", Schema.string().example("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .described("Only in the answer to creation: the key its deliveries are signed with (webhook-signature)")),
    ], closed: true)

    /// An endpoint as a body: `url` to create one, any field to change one. `url` is an `https` URL of at
    /// most 2,048 characters (`http` too where private targets are allowed, for local development); its
    /// host must resolve to public addresses, which only the server can check.
    static func body(creating: Bool, eventTypes: [String], allowPrivate: Bool) -> Schema {
        let url = Schema.string(min: 1, max: 2048, pattern: urlPattern(allowHTTP: allowPrivate), format: "uri").example("https://example.com/hooks/ozzi")
            .patternMeaning(allowPrivate ? "an http or https URL (RFC 3986)" : "an https URL (RFC 3986)")
        let types = Schema.array(.oneOf(["*"] + eventTypes), min: 1).example(["*"]).described("Event types to receive, or * for all (the default)")
        var fields: [Property] = [
            creating ? .required("url", url) : .optional("url", url.nullable),
            .optional("event_types", types.nullable),
            .optional("description", Schema.string(max: 200).nullable.example("Our CRM")),
        ]
        if !creating {
            fields.append(.optional("active", Schema.boolean.nullable.described("true re-enables a disabled endpoint and clears its failures")))
        }
        return .object(fields)
    }

    /// An absolute `http(s)` URI as RFC 3986 spells one (what `format: uri` means) that `OutboundURL` also
    /// reads: the scheme in any case, user info, a host (a name, an IPv4 address, or an IPv6 literal in
    /// brackets), a port 1-65535, then path, query and fragment, each in URI characters.
    static func urlPattern(allowHTTP: Bool) -> String {
        let scheme = allowHTTP ? "[Hh][Tt][Tt][Pp][Ss]?" : "[Hh][Tt][Tt][Pp][Ss]"
        func uriCharacter(_ extra: String) -> String { "(?:[A-Za-z0-9._~!$&'()*+,;=\(extra)-]|%[0-9A-Fa-f]{2})" }
        let h16 = "[0-9A-Fa-f]{1,4}", octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
        let ls32 = "(?:\(h16):\(h16)|\(octet)(?:\\.\(octet)){3})"
        // RFC 3986's IPv6address: eight groups, or up to seven around one "::" (the last two may be an IPv4 address).
        let tails = (0...4).map { "(?:\(h16):){\(4 - $0)}\(ls32)" } + [h16, ""]
        let ipv6 = ["(?:\(h16):){6}\(ls32)", "::(?:\(h16):){5}\(ls32)"]
            + tails.enumerated().map { before, tail in "(?:\(before == 0 ? "" : "(?:\(h16):){0,\(before)}")\(h16))?::\(tail)" }
        let host = "(?:\\[(?:\(ipv6.joined(separator: "|")))\\]|\(uriCharacter(""))+)"
        let port = "(?::(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?"
        return "^\(scheme)://(?:\(uriCharacter(":"))*@)?\(host)\(port)(?:/\(uriCharacter(":@/"))*)?(?:\\?\(uriCharacter(":@/?"))*)?(?:#\(uriCharacter(":@/?"))*)?$"
    }
}

extension WebhookDelivery: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("whd_3f9a1c0b7e2d4a5b6c7d8e9f0a")),
        .required("event_id", Schema.string().example("42")),
        .required("event_type", Schema.string().example("message.status")),
        .required("status", .oneOf(statuses)),
        .required("attempts", .integer(min: 0)),
        .optional("response_status", Schema.integer(100...599).described("The endpoint's answer to the latest attempt, if it answered")),
        .optional("error", Schema.string().described("What went wrong with the latest attempt")),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
    ], closed: true)
}

extension RouteGroup.EndpointWithDeliveries: APIModel {
    static let schemaName = "WebhookEndpointWithDeliveries"
    static let schema = Schema.object([
        .required("endpoint", .model(WebhookEndpoint.self)),
        .required("deliveries", Schema.array(.model(WebhookDelivery.self)).described("Newest first")),
    ], closed: true)
}
