import OzziRuntime

/// Reputation: the levels points reach and what they unlock, and a full recount (members' points are kept
/// up to date by every action; the recount is for checking that they are, and repairs any that are not).
extension RouteGroup {
    func addReputationRoutes(_ s: CommunitiesDomain) {
        authed("PUT", "/:id/levels", "Set the reputation levels: each one's points and the permissions it unlocks (manage_roles; only permissions the caller has)",
               tag: "communities", body: .json(ReputationLevels.body), answers: .json(.model(CommunityView.self))) { request, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            try access.require(.manage_roles, to: "change reputation levels")
            let levels = try ReputationLevels(validating: try JSONBody.parse(request)["levels"] ?? .array([]))
            let own = access.permissions()
            let current = access.community.levelTable.grants(upTo: ReputationLevels.limit)
            let asked = levels.grants(upTo: ReputationLevels.limit)
            // As with roles: a level cannot hand out, or stop handing out, what the caller does not hold.
            if let beyond = asked.symmetricDifference(current).first(where: { !own.contains($0) }) {
                throw APIError.forbidden("you cannot grant or take away \(beyond.rawValue), which your own role does not have")
            }
            return .json(try await s.communities.setLevels(access, levels))
        }

        authed("POST", "/:id/reputation/recount", "Recount every member's points from their messages, reactions received and approved submissions (manage_roles)",
               tag: "communities", answers: .json(.object([
                   .required("members", Schema.integer(min: 0).described("Members counted")),
                   .required("corrected", Schema.integer(min: 0).described("Of them, those whose running total was not what the recount found")),
               ], closed: true))) { _, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            try access.require(.manage_roles, to: "recount reputation")
            let (members, corrected) = try await s.communities.recount(access)
            return .json(["members": .number(Double(members)), "corrected": .number(Double(corrected))] as JSONValue)
        }
    }
}
