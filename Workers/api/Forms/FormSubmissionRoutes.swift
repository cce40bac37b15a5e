import OzziRuntime

/// `/api/v1/forms/:id/submissions`: list (newest first, by contact and time), one with its workflow's
/// actions, delete, re-run a failed action, and the lot as CSV, streamed.
extension RouteGroup {
    func addFormSubmissionRoutes(_ s: FormsDomain) {
        let filters: [Parameter] = [
            .query("contact_id", Schema.string(min: 1, max: 64), "Only this contact's submissions"),
            .query("since", Schema.timestamp, "Submitted at or after this instant"),
            .query("until", Schema.timestamp, "Submitted before this instant"),
        ]
        list("", "The form's submissions, newest first", tag: "forms", of: .model(FormSubmission.self), filters: filters,
             key: { Cursor($0.created_at, $0.id).key }) { request, context, principal, page in
            guard let form = try await s.forms.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("form") }
            return try await s.submissions.list(principal.scope, formID: form.id, contactID: request.queryParameter("contact_id"),
                                                since: try Self.instant(request, "since"), until: try Self.instant(request, "until"), page: page)
        }

        authed("GET", ".csv", "The form's submissions as CSV, newest first, streamed: one column per field of the current version",
               tag: "forms", query: filters.filter { $0.name != "contact_id" }, answers: .csv(columns: ["id", "created_at", "version", "contact_id", "referrer", "…fields"])) {
            request, context, principal in
            guard let form = try await s.forms.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("form") }
            let scope = principal.scope, since = try Self.instant(request, "since"), until = try Self.instant(request, "until")
            let keys = form.definition.fields.map(\.key)
            let first = try await s.submissions.list(scope, formID: form.id, contactID: nil, since: since, until: until, page: PageRequest(limit: 1000, after: nil))
            var response = Response.stream(contentType: "text/csv; charset=utf-8") { writer in
                try await writer.write(CSVWriter.line(["id", "created_at", "version", "contact_id", "referrer"] + keys))
                var page = first
                while true {
                    var chunk = ""
                    for submission in page.prefix(1000) {
                        let answers = submission.answers.objectValue ?? [:]
                        chunk += CSVWriter.line([submission.id, submission.created_at, String(submission.version), submission.contact_id ?? "", CSVWriter.cell(submission.referrer)]
                            + keys.map { CSVWriter.cell(FormSubmission.text(of: answers[$0])) })
                    }
                    if !chunk.isEmpty { try await writer.write(chunk) }
                    guard page.count > 1000, let last = page.prefix(1000).last else { break }
                    page = try await s.submissions.list(scope, formID: form.id, contactID: nil, since: since, until: until,
                                                        page: PageRequest(limit: 1000, after: Cursor(last.created_at, last.id).key))
                }
            }
            response.headers["content-disposition"] = "attachment; filename=\"submissions.csv\""
            return response
        }

        authed("GET", "/:submissionId", "One submission with its workflow's actions and how each went", tag: "forms",
               answers: .json(.model(FormSubmission.self))) { _, context, principal in
            guard let submission = try await s.submissions.get(principal.scope, formID: context.parameter("id"), id: context.parameter("submissionId")) else {
                throw APIError.notFound("submission")
            }
            return .json(submission)
        }

        authed("DELETE", "/:submissionId", "Delete a submission (its contact stays)", tag: "forms", answers: .empty, success: 204) { _, context, principal in
            guard try await s.submissions.delete(principal.scope, formID: context.parameter("id"), id: context.parameter("submissionId")) else {
                throw APIError.notFound("submission")
            }
            return Response(status: 204)
        }

        authed("POST", "/:submissionId/actions/:position/rerun", "Run a failed workflow action of the submission again", tag: "forms",
               answers: .json(.model(FormSubmission.self)), success: 202) { _, context, principal in
            let scope = principal.scope, id = context.parameter("submissionId")
            guard try await s.submissions.get(scope, formID: context.parameter("id"), id: id) != nil else { throw APIError.notFound("submission") }
            guard let position = Int(context.parameter("position")), position >= 0 else { throw APIError.notFound("action") }
            switch try await s.submissions.rerun(scope, submissionID: id, position: position) {
            case nil: throw APIError.notFound("action")
            case false?: throw APIError.conflict("only a failed action can be run again", details: ["field": "position"])
            case true?: try await s.workflow.start([id])
            }
            return .json(try await s.submissions.get(scope, formID: context.parameter("id"), id: id), status: 202)
        }
    }
}
