import OzziRuntime

/// A community's settings as a body gives them; nil fields are left as they are (or take their default
/// when creating).
struct CommunityInput: Sendable {
    var name: String?
    var slug: String?
    var description: String?
    var visibility: String?
    var joinPolicy: String?
    var editWindowSeconds: Int?

    /// The fields given, by their names in the body.
    var changed: [String] {
        [("name", name != nil), ("slug", slug != nil), ("description", description != nil), ("visibility", visibility != nil),
         ("join_policy", joinPolicy != nil), ("edit_window_seconds", editWindowSeconds != nil)].filter(\.1).map(\.0)
    }

    static let slugPattern = "^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"

    init(_ request: Request, creating: Bool) throws {
        let body = try JSONBody(request)
        if creating {
            name = String(try body.requiredString("name", max: 100).trimmingPrefixAndSuffixSpaces())
            guard name?.isEmpty == false else { throw APIError.invalidField("name", "must not be blank") }
        } else if let given = try body.string("name", max: 100) {
            name = String(given.trimmingPrefixAndSuffixSpaces())
            guard name?.isEmpty == false else { throw APIError.invalidField("name", "must not be blank") }
        }
        slug = try body.string("slug", max: 64)
        if creating, slug == nil, let name { slug = Self.slug(from: name) }
        description = try body.string("description", max: 2000)
        visibility = try body.choice("visibility", Community.visibilities)
        joinPolicy = try body.choice("join_policy", Community.joinPolicies)
        editWindowSeconds = try body.int("edit_window_seconds", 0...604_800)
    }

    /// A slug made from a name: lower-case letters and digits, other runs as one hyphen, plus a random
    /// tail so two communities called the same do not collide.
    static func slug(from name: String) -> String {
        var out = ""
        for scalar in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty, out.last != "-" {
                out.append("-")
            }
            if out.count >= 40 { break }
        }
        while out.last == "-" { out.removeLast() }
        let tail = String(ResourceID.make("x").suffix(6)).lowercased()
        return out.isEmpty ? "community-" + tail : out + "-" + tail
    }

    static func body(creating: Bool) -> APIOperation.RequestBody {
        let name = Schema.text(max: 100).example("Trail runners")
        return .json(.object([
            creating ? .required("name", name) : .optional("name", name),
            .optional("slug", Schema.string(min: 1, max: 64, pattern: slugPattern).example("trail-runners")
                .described("Unique across the platform; made from the name when left out")),
            .optional("description", Schema.string(max: 2000)),
            .optional("visibility", Schema.oneOf(Community.visibilities).described("public: listed and open to view; private: listed, content for members; hidden: only members know it")),
            .optional("join_policy", Schema.oneOf(Community.joinPolicies)),
            .optional("edit_window_seconds", Schema.integer(0...604_800).described("How long after posting a message may be edited (default 900)")),
        ], closed: true))
    }
}
