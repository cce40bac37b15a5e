import OzziRuntime

/// `/api/v1/sms/settings`: the workspace's provider, sender and help text (admins and owners).
extension RouteGroup {
    func addSMSSettingsRoutes(_ s: MessagingDomain) {
        authed("GET", "", "The workspace's SMS provider settings (the auth token is never shown)", tag: "messages") { _, _, principal in
            .json(try await s.smsSettings.get(principal.scope).json)
        }

        authed("PUT", "", "Set the SMS provider: simulated | twilio (account_sid, auth_token, from_number or messaging_service_sid) | external",
               tag: "messages", body: .json(.object([.required("provider", .string()), .optional("from_number", .string()), .optional("messaging_service_sid", .string()), .optional("account_sid", .string()), .optional("auth_token", .string()), .optional("help_text", .string())]))) { request, _, principal in
            try principal.require(.admin, to: "change SMS settings")
            let body = try JSONBody(request)
            guard let provider = try body.choice("provider", SMSSettings.providers) else { throw APIError.invalidField("provider", "is required") }
            let current = try await s.smsSettings.get(principal.scope)
            var settings = SMSSettings(provider: provider)
            settings.fromNumber = try body.string("from_number", max: 40).map { try ContactInput.phone($0, defaultCountry: s.defaultCountry, field: "from_number") }
            settings.messagingServiceSid = try body.string("messaging_service_sid", max: 64)
            settings.accountSid = try body.string("account_sid", max: 64)
            // An omitted token keeps the one stored, so a client can change other fields without holding it.
            settings.authToken = try body.string("auth_token", max: 128) ?? (settings.accountSid == current.accountSid ? current.authToken : nil)
            settings.helpText = try body.string("help_text", max: 320)
            if provider == "twilio" {
                guard let sid = settings.accountSid, sid.hasPrefix("AC"), sid.count == 34 else {
                    throw APIError.invalidField("account_sid", "a Twilio account sid is AC followed by 32 characters")
                }
                guard settings.authToken != nil else { throw APIError.invalidField("auth_token", "is required for twilio") }
                guard settings.fromNumber != nil || settings.messagingServiceSid != nil else {
                    throw APIError.invalidField("from_number", "give from_number or messaging_service_sid")
                }
            }
            do {
                try await s.smsSettings.save(principal.scope, settings)
            } catch let error as SQLError where error.isConstraintViolation {
                throw APIError.conflict("another workspace already uses the number \(settings.fromNumber ?? "")")
            }
            return .json(settings.json)
        }
    }
}
