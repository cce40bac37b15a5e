import OzziRuntime

/// `/api/v1/series`: recurring sends, made by `POST /messages` or `POST /emails` with a `recurrence`;
/// list, one with its occurrences, change what is not sent yet, stop.
extension RouteGroup {
    func addSeriesRoutes(_ s: RecurringDomain) {
        list("", "List recurring sends, newest first", tag: "series", of: .model(Series.self), filters: Series.parameters,
             key: { Cursor($0.created_at, $0.id).key }) { request, _, principal, page in
            try await s.series.list(principal.scope, try Self.seriesFilter(request), page: page)
        }

        one("One recurring send with its latest occurrences (each a message or email with its own status)", tag: "series", noun: "series",
            answers: .model(Series.self)) { try await s.series.get($0, id: $1) }

        authed("PATCH", "/:id", "Change a recurring send's rule, text or template (SMS), subject, HTML or text (email), or variables: the pending occurrence is rescheduled and re-rendered; sent ones stay as they went",
               tag: "series", body: .json(Series.change), answers: .json(.model(Series.self))) { request, context, principal in
            let scope = principal.scope
            guard let current = try await s.series.get(scope, id: context.parameter("id")) else { throw APIError.notFound("series") }
            guard current.state != .stopped else { throw APIError.conflict("a stopped series cannot be changed") }
            let change = try await s.change(scope, current, try JSONBody(request))
            switch try await s.series.update(scope, current, change) {
            case .stopped: throw APIError.conflict("a stopped series cannot be changed")
            case .changed(let jobs): try await s.queue.enqueue(jobs)
            }
            return .json(try await s.series.get(scope, id: current.id)!)
        }

        authed("POST", "/:id/stop", "Stop a recurring send: its pending occurrence is canceled and nothing more is planned; sent ones stay",
               tag: "series", answers: .json(.model(Series.self))) { _, context, principal in
            let id = context.parameter("id")
            guard try await s.series.get(principal.scope, id: id) != nil else { throw APIError.notFound("series") }
            guard try await s.series.stop(principal.scope, id: id) else { throw APIError.conflict("the series has finished") }
            return .json(try await s.series.get(principal.scope, id: id)!)
        }
    }

    private static func seriesFilter(_ request: Request) throws -> SeriesStore.Filter {
        SeriesStore.Filter(state: request.queryParameter("state").flatMap(Series.State.init), channel: request.queryParameter("channel").flatMap(MessageChannel.init),
                           contactID: request.queryParameter("contact_id"))
    }
}
