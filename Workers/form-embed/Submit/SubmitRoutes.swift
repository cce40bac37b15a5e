import OzziRuntime

extension Router {
    /// `POST /submit`: a submission from the form's page (JSON, from its script) or from a page without
    /// script (`application/x-www-form-urlencoded`, answered with a page); `POST /start`: the visitor began.
    /// Both come from a browser page of this worker's origin, or of one the form allows: `Origin` is
    /// required and checked, and `Sec-Fetch-Site` must agree with it. The api runs the form's own checks.
    mutating func addSubmitRoutes(_ directory: FormDirectory) {
        post("/submit") { request, _ in
            guard request.body.count <= Submission.maxBodyBytes else {
                throw FormEmbedError(status: 413, code: "too_large", message: "the submission is larger than \(Submission.maxBodyBytes / 1024) KiB")
            }
            let submission = try Submission(request)
            try await Submission.checkOrigin(request, key: submission.key, directory)
            let answer = try await directory.call(submission.key, "/submissions", submission.forwarded(network: request.clientNetwork))
            return submission.html ? Submission.page(answer) : answer
        }

        post("/start") { request, _ in
            guard request.body.count <= 1_024, let body = try? JSONValue(jsonBytes: request.body), let key = body["key"]?.stringValue,
                  FormDirectory.isKey(key) else {
                throw FormEmbedError(status: 422, code: "invalid_field", message: "key: must be a form's key", details: ["field": "key"])
            }
            try await Submission.checkOrigin(request, key: key, directory)
            return try await directory.call(key, "/starts", ["token": body["token"] ?? .null])
        }
    }
}
