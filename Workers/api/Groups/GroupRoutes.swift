import OzziRuntime

/// `/api/v1/groups` and their members.
extension RouteGroup {
    func addGroupRoutes(_ s: GroupsDomain) {
        list("", "List groups with member counts", tag: "groups", of: .any, key: \.name) { _, _, principal, page in
            try await s.groups.list(principal.scope, page: page)
        }

        authed("POST", "", "Create a group (name unique per workspace)", tag: "groups",
               body: .json(.object([.required("name", .string()), .optional("description", .string()), .optional("color", .string())])), success: 201, creates: true) { request, _, principal in
            let body = try JSONBody(request)
            let name = try body.requiredString("name", max: 100)
            let color = try Self.color(body) ?? "#6b7280"
            let group = try await s.groups.create(principal.scope, name: name, description: try body.string("description", max: 1000) ?? "",
                                                  color: color)
            return .json(group, status: 201)
        }

        one("One group", tag: "groups", noun: "group", answers: .any) { try await s.groups.get($0, id: $1) }

        authed("PATCH", "/:id", "Rename or recolour a group", tag: "groups",
               body: .json(.object([.optional("name", .string()), .optional("description", .string()), .optional("color", .string())]))) { request, context, principal in
            let body = try JSONBody(request)
            let name = try body.string("name", max: 100)
            if name?.isEmpty == true { throw APIError.invalidField("name", "must not be empty") }
            guard let group = try await s.groups.update(principal.scope, id: context.parameter("id"), name: name,
                                                        description: try body.string("description", max: 1000), color: try Self.color(body)) else {
                throw APIError.notFound("group")
            }
            return .json(group)
        }

        remove("Delete a group; its contacts stay", tag: "groups", noun: "group") { principal, id in
            try await s.groups.delete(principal.scope, id: id)
        }

        authed("GET", "/:id/members", "List a group's contacts (same search, filters and paging as contacts)",
               tag: "groups") { request, context, principal in
            guard try await s.groups.get(principal.scope, id: context.parameter("id")) != nil else { throw APIError.notFound("group") }
            return .json(try await s.contacts.page(principal.scope, request, groupID: context.parameter("id")))
        }

        authed("POST", "/:id/members", "Add contacts to a group", tag: "groups",
               body: .json(.object([.required("contact_ids", .array(.any))]))) { request, context, principal in
            guard try await s.groups.get(principal.scope, id: context.parameter("id")) != nil else { throw APIError.notFound("group") }
            let ids = try JSONBody(request).ids()
            let added = try await s.groups.add(principal.scope, groupID: context.parameter("id"), contactIDs: ids)
            return .json(["added": added])
        }

        authed("DELETE", "/:id/members", "Remove contacts from a group", tag: "groups",
               body: .json(.object([.required("contact_ids", .array(.any))]))) { request, context, principal in
            guard try await s.groups.get(principal.scope, id: context.parameter("id")) != nil else { throw APIError.notFound("group") }
            let ids = try JSONBody(request).ids()
            let removed = try await s.groups.remove(principal.scope, groupID: context.parameter("id"), contactIDs: ids)
            return .json(["removed": removed])
        }
    }

    /// `#rgb` or `#rrggbb`, lower-cased.
    static func color(_ body: JSONBody) throws -> String? {
        guard let color = try body.string("color", max: 7) else { return nil }
        let hex = color.dropFirst()
        guard color.hasPrefix("#"), hex.count == 3 || hex.count == 6, hex.allSatisfy(\.isHexDigit) else {
            throw APIError.invalidField("color", "must be a hex colour such as #1a2b3c")
        }
        return color.lowercased()
    }
}
