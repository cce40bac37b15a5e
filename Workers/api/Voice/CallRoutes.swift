import OzziRuntime

/// `/api/v1/calls`: the calls the voice agent took or placed, newest first and narrowed by `CallFilters`,
/// as pages or a streamed CSV; one call with its timeline, transcript and review; people's classes,
/// ratings and corrections; the dashboard's numbers.
extension RouteGroup {
    func addCallRoutes(_ s: VoiceDomain) {
        list("", "The workspace's calls, newest first", tag: "calls", of: .model(Call.self), filters: CallFilters.parameters,
             key: { Cursor($0.started_at, $0.id).key }, item: { $0.answer() }) { request, _, principal, page in
            try await s.calls.list(principal.scope, filters: try CallFilters(request), page: page)
        }

        authed("GET", ".csv", "The calls as CSV, newest first, streamed, narrowed by the list's filters", tag: "calls", query: CallFilters.parameters,
               answers: .csv(columns: CallCSV.columns)) { request, _, principal in
            let scope = principal.scope, filters = try CallFilters(request)
            let first = try await s.calls.list(scope, filters: filters, page: PageRequest(limit: CallCSV.pageSize, after: nil))
            var response = Response.stream(contentType: "text/csv; charset=utf-8") { writer in
                try await writer.write(CSVWriter.line(CallCSV.columns))
                var page = first
                while true {
                    let shown = page.prefix(CallCSV.pageSize)
                    if !shown.isEmpty { try await writer.write(shown.map(CallCSV.line).joined()) }
                    guard page.count > CallCSV.pageSize, let last = shown.last else { break }
                    page = try await s.calls.list(scope, filters: filters, page: PageRequest(limit: CallCSV.pageSize, after: Cursor(last.started_at, last.id).key))
                }
            }
            response.headers["content-disposition"] = "attachment; filename=\"calls.csv\""
            return response
        }

        authed("GET", "/stats", "The dashboard: calls, completed and failed, durations, cost, live calls, by status and class, per day",
               tag: "calls", query: CallDashboard.parameters, answers: .json(CallDashboard.schema)) { request, _, principal in
            .json(try await s.dashboard.stats(principal.scope, request: request))
        }

        authed("POST", "", "Call someone from a voice number: the agent speaks with them, given the context and variables", tag: "calls",
               body: .json(OutboundCalls.bodySchema), answers: .json(.model(Call.self)), success: 201, creates: true) { request, _, principal in
            let call = try await s.outbound.place(principal.scope, try JSONBody(request))
            return .json(call.answer(), status: 201)
        }

        authed("GET", "/:id", "One call with its status timeline, transcript and review", tag: "calls", answers: .json(.model(Call.self))) { _, context, principal in
            guard let call = try await s.calls.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("call") }
            return .json(call.answer(try await s.calls.detail(call)))
        }

        authed("GET", "/:id/recording", "The call's recording (its latest stored), for a player: byte ranges, ETag", tag: "calls",
               query: [.header("Range", Schema.text(max: 200).example("bytes=0-1023"), "One byte range (bytes=first-last, first-, -suffix)")],
               answers: .file(mediaTypes: ["audio/mpeg", "audio/wav"])) { request, context, principal in
            guard let call = try await s.calls.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("call") }
            guard let recording = try await s.recordings.playable(call), let key = recording.object_key,
                  let response = try await BucketDownload.response(s.recordings.bucket, key: key, request: request, headers: [
                      "content-disposition": "inline; filename=\"\(call.id).\(key.hasSuffix(".wav") ? "wav" : "mp3")\"", "cache-control": "private, max-age=3600",
                  ]) else { throw APIError.notFound("recording") }
            return response
        }

        let judgement = Schema.object([
            .optional("classification", Schema.oneOf(CallClass.all).described("The call's class, as a person sees it (the review then leaves it)")),
            .optional("rating", Schema.integer(1...5).described("Stars for how the call went")),
        ], atLeastOne: [["classification", "rating"]], closed: true)
        authed("PATCH", "/:id", "Classify or rate a call", tag: "calls", body: .json(judgement), answers: .json(.model(Call.self))) { request, context, principal in
            let body = try JSONBody(request)
            let classification = try body.choice("classification", CallClass.all), rating = try body.int("rating", 1...5)
            guard classification != nil || rating != nil else { throw APIError.invalidField("classification", "or rating is required") }
            guard let call = try await s.calls.judge(principal.scope, id: context.parameter("id"), classification: classification, rating: rating,
                                                    by: principal.userID) else { throw APIError.notFound("call") }
            return .json(call.answer())
        }

        authed("POST", "/:id/review", "Review the call again (202: the review follows, with a call.reviewed event)", tag: "calls",
               answers: .json(.model(Call.self)), success: 202) { _, context, principal in
            guard let call = try await s.reviews.rerun(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("call") }
            return .json(call.answer(), status: 202)
        }

        let correction = Schema.object([
            .optional("summary", Schema.text(max: 2_000)), .optional("sentiment", Schema.oneOf(CallReview.sentiments)),
            .optional("success", Schema.boolean), .optional("score", Schema.integer(0...100)),
        ], atLeastOne: [CallReview.correctable], closed: true)
        authed("PATCH", "/:id/review", "Correct the call's review (a re-run keeps the corrections)", tag: "calls", body: .json(correction),
               answers: .json(CallReview.schema)) { request, context, principal in
            guard let review = try await s.reviews.correct(principal.scope, callID: context.parameter("id"), try JSONBody(request), by: principal.userID) else {
                throw APIError.notFound("call")
            }
            return .json(review.json)
        }
    }
}
