import OzziRuntime

/// The call center: the dashboard and the history (both live), one call with its recording, transcript and
/// review (live while the call goes on and the review arrives), classing, rating and correcting it; the
/// numbers, each with a test call through the simulated phone, and the sync with the provider.
extension ConsolePages {
    func addCallPages(_ console: ConsoleDomain) {
        let shell = console.shell
        let voice = console.domains.voice

        get("/console/calls") { request, _, viewer in
            let scope = viewer.principal.scope, part = request.queryParameter("part")
            // The dashboard reads only its own range (the list's filters are not its parameters).
            let dashboard = part == CallViews.historyPart.name ? .empty
                : CallViews.dashboard(try await voice.dashboard.stats(scope, request: Request(method: "GET", target: "/")))
            if part == CallViews.dashboardPart.name { return .html(dashboard.text) }
            let page = try PageRequest(request, defaultLimit: 50)
            let calls = try await voice.calls.list(scope, filters: try CallFilters(request), page: page)
            let history = CallViews.rows(page.page(calls, key: { Cursor($0.started_at, $0.id).key }, item: { $0 }), request: request)
            if part == CallViews.historyPart.name { return .html(history.text) }
            return try await shell.page(viewer, title: "Calls", section: .calls, CallViews.list(request: request, dashboard: dashboard, history: history))
        }

        get("/console/calls/numbers") { _, _, viewer in
            let numbers = try await voice.numbers.list(viewer.principal.scope, page: PageRequest(limit: 100, after: nil))
            return try await shell.page(viewer, title: "Numbers", section: .calls, CallViews.numbers(viewer, numbers))
        }

        post("/console/calls/numbers/sync") { _, _, viewer, _ in
            try viewer.principal.require(.admin, to: "manage voice numbers")
            _ = try await voice.sync.sync(viewer.principal.scope)
            voice.events.flushSoon()
            return ConsoleShell.redirect("/console/calls/numbers")
        }

        post("/console/calls/numbers/:id/enabled") { _, context, viewer, form in
            try viewer.principal.require(.admin, to: "manage voice numbers")
            let scope = viewer.principal.scope
            guard let number = try await voice.numbers.get(scope, id: context.parameter("id")),
                  try await voice.numbers.update(scope, id: number.id, phoneNumber: nil, name: nil, settings: number.settings, enabled: form["enabled"] == "1") != nil else {
                throw APIError.notFound("voice number")
            }
            voice.events.flushSoon()
            return ConsoleShell.redirect("/console/calls/numbers")
        }

        post("/console/calls/numbers/:id/test") { _, context, viewer, form in
            let script = (form.fields["script"] ?? "").split(whereSeparator: \.isNewline).map { String($0.trimmingASCIISpaces()) }.filter { !$0.isEmpty }
            guard script.count <= 20 else { throw APIError.invalidField("script", "holds at most 20 lines") }
            guard let call = try await voice.simulated.testCall(viewer.principal.scope, numberID: context.parameter("id"),
                                                                JSONBody(fields: script.isEmpty ? [:] : ["script": .array(script.map(JSONValue.string))])) else {
                throw APIError.notFound("voice number")
            }
            voice.events.flushSoon()
            return ConsoleShell.redirect("/console/calls/" + call.id)
        }

        get("/console/calls/:id") { request, context, viewer in
            guard let call = try await voice.calls.get(viewer.principal.scope, id: context.parameter("id")) else { throw APIError.notFound("call") }
            let detail = try await voice.calls.detail(call)
            let part = CallViews.call(call, detail)
            if request.queryParameter("part") == "call" { return .html(part.text) }
            return try await shell.page(viewer, title: "Call", section: .calls, CallViews.page(viewer, call, review: detail.review, part: part))
        }

        post("/console/calls/:id/judge") { _, context, viewer, form in
            // Whose call it is first: another workspace's is not found, whatever the form says.
            guard try await voice.calls.get(viewer.principal.scope, id: context.parameter("id")) != nil else { throw APIError.notFound("call") }
            let classification = try form["classification"].map { value in
                guard CallClass.all.contains(value) else { throw APIError.invalidField("classification", "is not a class of call") }
                return value
            }
            let rating = try form["rating"].map { value in
                guard let stars = Int(value), (1...5).contains(stars) else { throw APIError.invalidField("rating", "is 1 to 5 stars") }
                return stars
            }
            guard classification != nil || rating != nil else { throw APIError.invalidField("classification", "or stars: choose one") }
            guard try await voice.calls.judge(viewer.principal.scope, id: context.parameter("id"), classification: classification, rating: rating,
                                              by: viewer.principal.userID) != nil else { throw APIError.notFound("call") }
            voice.events.flushSoon()
            return ConsoleShell.redirect("/console/calls/" + context.parameter("id"))
        }

        /// Only what the person changed is a correction (each is kept through later re-runs of the review).
        post("/console/calls/:id/correct") { _, context, viewer, form in
            let scope = viewer.principal.scope
            guard let call = try await voice.calls.get(scope, id: context.parameter("id")) else { throw APIError.notFound("call") }
            guard let reviewed = try await voice.calls.review(call) else { throw APIError.conflict("the call has no review to correct yet") }
            let review = CallViews.Shown(reviewed)
            var fields: [String: JSONValue] = [:]
            if let summary = form["summary"], summary != review.summary { fields["summary"] = .string(summary) }
            if let sentiment = form["sentiment"], sentiment != review.sentiment { fields["sentiment"] = .string(sentiment) }
            if let score = form["score"] {
                guard let value = Int(score) else { throw APIError.invalidField("score", "is a number from 0 to 100") }
                if value != review.score { fields["score"] = .number(Double(value)) }
            }
            if (form["success"] != nil) != review.success { fields["success"] = .bool(form["success"] != nil) }
            if !fields.isEmpty {
                guard try await voice.reviews.correct(scope, callID: call.id, JSONBody(fields: fields), by: viewer.principal.userID) != nil else {
                    throw APIError.notFound("call")
                }
                voice.events.flushSoon()
            }
            return ConsoleShell.redirect("/console/calls/" + call.id)
        }

        post("/console/calls/:id/review") { _, context, viewer, _ in
            guard try await voice.reviews.rerun(viewer.principal.scope, id: context.parameter("id")) != nil else { throw APIError.notFound("call") }
            voice.events.flushSoon()
            return ConsoleShell.redirect("/console/calls/" + context.parameter("id"))
        }
    }
}
