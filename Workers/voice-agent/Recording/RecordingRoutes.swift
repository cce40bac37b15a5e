import OzziRuntime

/// Recordings: Twilio's recording status callback (`POST /recording-status`, signed; the api checks it and
/// copies the audio), and the simulated provider's audio for the api to fetch (`GET /recordings/:file`).
extension Router {
    mutating func addRecordingRoutes(_ voice: VoiceAgent) {
        post("/recording-status") { request, _ in
            let answer = try await voice.directory.signed("/recording", url: voice.config.url(of: request), request: request)
            return answer.status == 204 ? Response(status: 204) : answer
        }

        get("/recordings/:file", internal: true) { _, context in
            let file = context.parameter("file")
            guard file.hasSuffix(".wav"), let recording = await voice.recordings.recording(String(file.dropLast(4))) else {
                throw VoiceError(status: 404, code: "not_found", message: "no simulated recording \(file)")
            }
            return .bytes(recording.wav, contentType: "audio/wav")
        }
    }
}
