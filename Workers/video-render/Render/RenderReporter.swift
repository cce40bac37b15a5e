import Logging
import OzziRuntime

/// The api's side of a render, through the `API` service binding: progress (which is also the render's
/// heartbeat: a render the api hears nothing of for two minutes it asks for again) and the outcome.
struct RenderReporter: Sendable {
    let api: ServiceBinding
    let logger: Logger

    /// Where a render is; without `fraction`, only that it is alive.
    func progress(_ id: String, state: String, fraction: Double?) async {
        var body: [String: JSONValue] = ["state": .string(state)]
        if let fraction { body["progress"] = .number((fraction * 1000).rounded() / 1000) }
        _ = await post("/renders/\(id)/progress", .object(body))
    }

    /// The outcome, tried a few times: it is what the api waits for.
    func finished(_ id: String, _ outcome: RenderOutcome) async {
        for attempt in 0..<5 {
            if let status = await post("/renders/\(id)/finished", outcome.json), status < 500 { return }
            try? await Task.sleep(for: .milliseconds(200 << attempt))
        }
        logger.warning("video render outcome not delivered; the api will ask again", metadata: ["render_id": "\(id)"])
    }

    private func post(_ path: String, _ body: JSONValue) async -> Int? {
        do {
            let response = try await api.fetch(Request(method: "POST", target: "/api/v1/internal/video" + path, json: body))
            return response.status
        } catch {
            logger.warning("video render report failed", metadata: ["path": "\(path)", "error": "\(error)"])
            return nil
        }
    }
}
