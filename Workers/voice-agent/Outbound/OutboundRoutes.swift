import OzziRuntime

/// `POST /outbound`: start a call from a voice number, the agent given a context and variables. With an
/// API key or access token (`Authorization`) it is the api's `POST /api/v1/calls`; another worker may call
/// it through a service binding, naming the workspace (`workspace_id`). The api places the call with
/// Twilio, or asks this worker (`POST /simulate`, internal) to play it as the simulated provider.
extension Router {
    mutating func addOutboundRoutes(_ voice: VoiceAgent) {
        post("/outbound") { request, _ in
            var headers: HTTPHeaders = ["content-type": "application/json"]
            if request.isInternal {
                return try await voice.directory.api.fetch(Request(method: "POST", target: "/api/v1/internal/voice/outbound", headers: headers, body: request.body))
            }
            for name in ["authorization", "idempotency-key"] {
                if let value = request.headers[name] { headers.add(name, value) }
            }
            return try await voice.directory.api.fetch(Request(method: "POST", target: "/api/v1/calls", headers: headers, body: request.body))
        }

        post("/simulate", internal: true) { request, context in
            let call = try SimulatedCall(request, voice: voice)
            // The call plays out after this answer, as a real one would after Twilio's 201.
            Task(executorPreference: context.loop) { await call.play(context: context) }
            return Response(status: 202)
        }
    }
}
