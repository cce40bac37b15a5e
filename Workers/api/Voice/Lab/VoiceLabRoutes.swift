import OzziRuntime

/// `/api/v1/voice/lab`: talk to a number's agent in text. Opening a conversation answers the relay socket's
/// path (with its ticket); the caller speaks ConversationRelay there as Twilio would, and ends it here.
extension RouteGroup {
    func addVoiceLabRoutes(_ s: VoiceDomain) {
        authed("POST", "", "Open a conversation with a number's agent in text: a lab call, and the ConversationRelay socket to speak on",
               tag: "voice", body: .json(VoiceLab.schema), answers: .json(VoiceLab.Opened.schema), success: 201, creates: true) { request, _, principal in
            guard let opened = try await s.lab.open(principal.scope, try JSONBody(request), by: principal.userID) else {
                throw APIError.notFound("voice number")
            }
            return .json(opened.json, status: 201)
        }

        authed("POST", "/:id/end", "Hang up a lab conversation: the call completes and is reviewed as any call",
               tag: "voice", answers: .json(.model(Call.self))) { _, context, principal in
            guard let call = try await s.lab.end(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("call") }
            return .json(call.answer())
        }
    }
}
