import OzziRuntime

/// The api's side of a call, through the service binding: Twilio's signed requests handed over for the
/// api to check (it holds the auth tokens), call records, and the tools that touch the workspace's data.
struct VoiceDirectory: Sendable {
    let api: ServiceBinding

    /// A Twilio form the worker received: `{url, signature, fields}` to `/api/v1/internal/voice{path}`.
    func signed(_ path: String, url: String, request: Request) async throws -> Response {
        var fields: [String: JSONValue] = [:]
        for pair in Request.pairs(request.text) { fields[pair.name] = .string(pair.value) }
        return try await post(path, ["url": .string(url), "signature": request.headers["x-twilio-signature"].map { .string($0) } ?? .null,
                                     "fields": .object(fields)])
    }

    /// The session's start: the upgrade's signature (or a lab ticket) checked, then the call, its settings and transcript.
    func session(callID: String, url: String, signature: String?, ticket: String?) async throws -> Response {
        var body: [String: JSONValue] = ["url": .string(url), "signature": signature.map { .string($0) } ?? .null]
        if let ticket { body["ticket"] = .string(ticket) }
        return try await post("/calls/\(callID)/session", .object(body))
    }

    func record(callID: String, turns: [RelayConversation.Turn]) async throws {
        let response = try await post("/calls/\(callID)/turns", ["turns": .array(turns.map(\.json))])
        guard response.status == 204 else { throw VoiceError(status: 502, code: "record_failed", message: "the api refused the turns (\(response.status))") }
    }

    func tool(callID: String, name: String, arguments: [String: JSONValue]) async throws -> JSONValue {
        let response = try await post("/calls/\(callID)/tools/\(name)", ["arguments": .object(arguments)])
        let answer = (try? JSONValue(jsonBytes: response.bodyBytes)) ?? .null
        guard response.status == 200, let result = answer["result"] else {
            return ["error": .string(answer["error"]?["message"]?.stringValue ?? "the tool failed (\(response.status))")]
        }
        return result
    }

    private func post(_ path: String, _ body: JSONValue) async throws -> Response {
        try await api.fetch(Request(method: "POST", target: "/api/v1/internal/voice" + path, json: body))
    }
}

/// A refusal of the voice-agent worker, in the api's error shape.
struct VoiceError: HTTPError {
    let status: Int
    let code: String
    let message: String
    var details: JSONValue? = nil
    var headers: HTTPHeaders = [:]
}
