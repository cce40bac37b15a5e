import OzziRuntime

/// `/api/v1/voice/numbers`: the numbers the voice agent answers and how. Changes need an admin: they
/// decide what callers hear and where their calls go.
extension RouteGroup {
    func addVoiceNumberRoutes(_ s: VoiceDomain) {
        authed("POST", "", "Add a number for the voice agent to answer", tag: "voice",
               body: .json(VoiceNumber.body(creating: true)), answers: .json(.model(VoiceNumber.self)), success: 201, creates: true) { request, _, principal in
            try principal.require(.admin, to: "manage voice numbers")
            let body = try JSONBody(request)
            let phone = try ContactInput.phone(try body.requiredString("phone_number", max: 40), defaultCountry: s.defaultCountry, field: "phone_number")
            let settings = try VoiceSettings().changed(by: body, defaultCountry: s.defaultCountry)
            let number = try await s.numbers.create(principal.scope, phoneNumber: phone, name: try body.requiredString("name", max: 100), settings: settings,
                                                    enabled: try body.bool("enabled") ?? true)
            return .json(number.answer, status: 201)
        }

        authed("POST", "/sync", "Bring the numbers in line with the provider account: Twilio's voice numbers, or the simulated account's",
               tag: "voice", answers: .json(.object([
                   .required("added", .array(.string())), .required("updated", .array(.string())),
                   .required("released", .array(.string()).described("Synced numbers the account no longer has: disabled")),
                   .required("taken", .array(.string()).described("The account's numbers another workspace has")),
               ], closed: true))) { _, _, principal in
            try principal.require(.admin, to: "manage voice numbers")
            return .json(try await s.sync.sync(principal.scope).json)
        }

        list("", "The workspace's voice numbers, oldest first", tag: "voice", of: .model(VoiceNumber.self), key: \.id, item: \.answer) { _, _, principal, page in
            try await s.numbers.list(principal.scope, page: page)
        }

        one("One voice number", tag: "voice", noun: "voice number", answers: .model(VoiceNumber.self), item: \.answer) { try await s.numbers.get($0, id: $1) }

        authed("POST", "/:id/test-calls", "Call the number from a simulated phone (simulated provider): the agent answers as it would a caller",
               tag: "voice", body: .json(SimulatedCalls.testCallSchema, optional: true), answers: .json(.model(Call.self)), success: 201,
               creates: true) { request, context, principal in
            guard let call = try await s.simulated.testCall(principal.scope, numberID: context.parameter("id"), try JSONBody(optional: request)) else {
                throw APIError.notFound("voice number")
            }
            return .json(call.answer(), status: 201)
        }

        authed("PATCH", "/:id", "Change a number's settings, or disable it (enabled: false)", tag: "voice",
               body: .json(VoiceNumber.body(creating: false)), answers: .json(.model(VoiceNumber.self))) { request, context, principal in
            try principal.require(.admin, to: "manage voice numbers")
            let id = context.parameter("id")
            guard let current = try await s.numbers.get(principal.scope, id: id) else { throw APIError.notFound("voice number") }
            let body = try JSONBody(request)
            let phone = try body.string("phone_number", max: 40).map { try ContactInput.phone($0, defaultCountry: s.defaultCountry, field: "phone_number") }
            let name = try body.string("name", max: 100)
            if name?.isEmpty == true { throw APIError.invalidField("name", "must not be empty") }
            let settings = try current.settings.changed(by: body, defaultCountry: s.defaultCountry)
            guard let number = try await s.numbers.update(principal.scope, id: id, phoneNumber: phone, name: name, settings: settings,
                                                          enabled: try body.bool("enabled")) else { throw APIError.notFound("voice number") }
            return .json(number.answer)
        }

        remove("Delete a voice number; its calls' records stay", tag: "voice", noun: "voice number") { principal, id in
            try principal.require(.admin, to: "manage voice numbers")
            return try await s.numbers.delete(principal.scope, id: id)
        }
    }
}
