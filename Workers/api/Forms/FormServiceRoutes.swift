import OzziRuntime

/// What the form-embed worker asks the api through its service binding (`internal`: no other caller
/// reaches these routes). The worker has checked the caller's origin and size; here the form's own rules
/// run: the token, the honeypot, the minimum fill time, the fields, the per-network and per-address rates.
extension RouteGroup {
    func addFormServiceRoutes(_ s: FormsDomain) {
        /// The form's public side (what the loader is built from): 404 for an unknown key.
        service("GET", "/:key") { _, context in
            guard let form = try await s.forms.byPublicKey(context.parameter("key")) else { throw APIError.notFound("form") }
            return .json(form.publicConfig)
        }

        /// The form is being shown: counted as a view (unless the console's builder previews it, `?preview=1`),
        /// and given a submission token.
        service("POST", "/:key/views") { request, context in
            guard let form = try await s.forms.byPublicKey(context.parameter("key")), form.enabled else { throw APIError.notFound("form") }
            if request.queryParameter("preview") != "1" { try await s.submissions.count(formID: form.id, views: 1) }
            var config = form.publicConfig.objectValue ?? [:]
            config["token"] = .string(s.tokens.issue(publicKey: form.publicKey, nowMs: s.clock.milliseconds))
            return .json(JSONValue.object(config))
        }

        /// A visitor began to fill the form shown with `token` (counted once per showing, by the page).
        service("POST", "/:key/starts") { request, context in
            guard let form = try await s.forms.byPublicKey(context.parameter("key")), form.enabled,
                  let token = try JSONBody(request).string("token", max: 100), s.tokens.issued(token, publicKey: form.publicKey) != nil else {
                throw APIError.notFound("form")
            }
            try await s.submissions.count(formID: form.id, starts: 1)
            return Response(status: 204)
        }

        /// A submission: `{token, answers, honeypot, referrer, utm, network}`. Spam (the honeypot filled, sent
        /// sooner than the minimum fill time) gets the answer a real submission gets and creates nothing.
        service("POST", "/:key/submissions") { request, context in
            guard let form = try await s.forms.byPublicKey(context.parameter("key")), form.enabled else { throw APIError.notFound("form") }
            let body = try JSONBody(request)
            let settings = form.definition.settings
            let accepted = Response.json(["ok": .bool(true), "message": .string(settings.successMessage),
                                          "redirect_url": settings.redirectURL.map { .string($0) } ?? .null] as JSONValue, status: 201)
            guard let token = try body.string("token", max: 100), let issued = s.tokens.issued(token, publicKey: form.publicKey) else {
                throw APIError(status: 422, code: "invalid_token", message: "token: the form was not loaded from this server; reload the page",
                               details: ["field": "token"])
            }
            let now = s.clock.milliseconds
            guard now - issued <= FormTokens.lifetimeMs else {
                throw APIError(status: 422, code: "expired_token", message: "token: the form was open too long; reload the page", details: ["field": "token"])
            }
            let honeypot = try body.string("honeypot", max: 1_000) ?? ""
            if (settings.spam.honeypot && !honeypot.isEmpty) || now - issued < Int64(settings.spam.minFillSeconds) * 1_000 {
                try await s.submissions.count(formID: form.id, spam: 1)
                return accepted
            }
            guard case .object(let given)? = body.fields["answers"] else { throw APIError.invalidField("answers", "must be an object of field key -> answer") }
            let answers: [String: JSONValue]
            switch form.definition.check(given, defaultCountry: s.defaultCountry) {
            case .success(let checked): answers = checked
            case .failure(let errors): throw errors.apiError
            }
            let network = try body.string("network", max: 64) ?? ""
            try await s.limiter.check(RateLimit("form-network-\(settings.spam.perNetworkPerMinute)", settings.spam.perNetworkPerMinute, per: 60),
                                      form.id + ":" + network)
            // Per address, email or phone (a phone-only form with an SMS workflow must not become a way to text
            // any number over and over).
            for target in ["email", "phone"] {
                guard let address = form.definition.fields.first(where: { $0.mapsTo == target }).flatMap({ answers[$0.key]?.stringValue }) else { continue }
                try await s.limiter.check(RateLimit("form-address-\(settings.spam.perEmailPerHour)", settings.spam.perEmailPerHour, per: 3_600),
                                          form.id + ":" + address)
            }
            let arrival = FormSubmissionStore.Arrival(
                tokenHash: Crypto.sha256Hex(token), referrer: (try body.string("referrer", max: 2_000)).flatMap { FormSettings.isWebURL($0) ? $0 : nil } ?? "",
                utm: Self.utm(body.fields["utm"]), ipHash: Crypto.hex(Array(Crypto.hmacSHA256(key: s.networkKey, Array(network.utf8)).prefix(16))))
            _ = try await s.submissions.submit(form, answers: answers, arrival)
            return accepted
        }
    }

    /// The page's `utm_*` parameters (up to ten, 200 characters each); anything else is dropped.
    static func utm(_ value: JSONValue?) -> [String: JSONValue] {
        guard case .object(let given)? = value else { return [:] }
        var kept: [String: JSONValue] = [:]
        for (key, value) in given.sorted(by: { $0.key < $1.key }) where key.hasPrefix("utm_") && key.utf8.count <= 40 && kept.count < 10 {
            if case .string(let text) = value { kept[key] = .string(String(text.prefix(200))) }
        }
        return kept
    }
}
