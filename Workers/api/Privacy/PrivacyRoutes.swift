import OzziRuntime

/// `/api/v1/privacy`: the workspace's side of data protection — a contact's data as a file, erasure
/// requests (listed, completed), and the retention policy.
extension RouteGroup {
    func addPrivacyRoutes(_ s: PrivacyDomain) {
        authed("GET", "/contacts/:id/export", "Everything held about a contact, as one JSON file (to answer a GDPR access request)", tag: "privacy",
               answers: .json(PersonalData.schema)) { request, context, principal in
            try principal.require(.admin, to: "export a contact's personal data")
            let id = context.parameter("id")
            guard let document = try await s.personalData.export(principal.scope, contactID: id) else { throw APIError.notFound("contact") }
            await s.audit.record("privacy.data_exported", workspace: principal.workspace.id, user: principal.userID, ip: request.clientIP,
                                 details: ["contact_id": .string(id)])
            return PersonalData.download(document, name: "personal-data-\(id).json")
        }

        list("/erasure-requests", "Erasure requests from the client portal, oldest first", tag: "privacy", of: .model(ErasureRequest.self),
             filters: [.query("status", .oneOf(["pending", "completed"]), "Only requests in this status")], key: \.id) { request, _, principal, page in
            try await s.erasures.list(principal.scope, status: request.queryParameter("status"), page: page)
        }

        group("/erasure-requests").one("One erasure request", tag: "privacy", noun: "erasure request", answers: .model(ErasureRequest.self)) {
            try await s.erasures.get($0, id: $1)
        }

        authed("POST", "/erasure-requests/:id/complete", "Erase everything held about the person and close the request", tag: "privacy",
               answers: .json(.model(ErasureRequest.self))) { request, context, principal in
            try principal.require(.admin, to: "complete erasure requests")
            switch try await s.erasures.complete(principal.scope, id: context.parameter("id"), by: principal.userID) {
            case .notFound: throw APIError.notFound("erasure request")
            case .alreadyCompleted: throw APIError.conflict("the erasure request is already completed", details: ["field": "id"])
            case .completed(let erasure):
                await s.audit.record("privacy.erasure_completed", workspace: principal.workspace.id, user: principal.userID, ip: request.clientIP,
                                     details: ["erasure_request_id": .string(erasure.id), "erased": erasure.erased ?? .null])
                return .json(erasure)
            }
        }

        authed("GET", "/retention", "How long conversations and messages are kept", tag: "privacy", answers: .json(.model(RetentionPolicy.self))) { _, _, principal in
            .json(try await RetentionPolicy.get(s.database, principal.scope))
        }

        authed("PUT", "/retention", "Keep conversations and messages this many days (null: until deleted); applied daily at 01:00 UTC", tag: "privacy",
               body: .json(RetentionPolicy.body), answers: .json(.model(RetentionPolicy.self))) { request, _, principal in
            try principal.require(.owner, to: "set the retention policy")
            let body = try JSONBody(request)
            var days: Int?
            if let value = body.fields["days"], value != .null {
                guard let number = value.numberValue, number == number.rounded(), number >= 1, number <= Double(RetentionPolicy.maxDays) else {
                    throw APIError.invalidField("days", "must be a whole number of days from 1 to \(RetentionPolicy.maxDays), or null")
                }
                days = Int(number)
            }
            try await RetentionPolicy.set(s.database, principal.scope, days: days, now: Timestamp.now(s.clock))
            await s.audit.record("privacy.retention_changed", workspace: principal.workspace.id, user: principal.userID, ip: request.clientIP,
                                 details: ["days": days.map { .number(Double($0)) } ?? .null])
            return .json(try await RetentionPolicy.get(s.database, principal.scope))
        }
    }
}
