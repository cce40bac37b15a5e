import OzziRuntime

/// Where a reported recording's audio comes from: Twilio's Recordings resource, or the simulated
/// provider's recordings in the voice-agent worker.
protocol RecordingAudioSource: Sendable {
    /// The audio and its media type; throws when it cannot be had now (the job asks again later).
    func audio(of recording: CallRecording) async throws -> (bytes: [UInt8], contentType: String)
}

/// Twilio's audio of a recording: `RecordingUrl + ".mp3"` with the account's Basic auth. The URL is
/// rebuilt on the account's configured API base from the sids, so the credentials go only where the
/// account's other requests go, whatever host a callback names.
struct TwilioRecordingAudio: RecordingAudioSource {
    let account: TwilioAccount

    func audio(of recording: CallRecording) async throws -> (bytes: [UInt8], contentType: String) {
        let request = OutboundRequest(
            method: "GET", url: "\(account.baseURL)/2010-04-01/Accounts/\(account.accountSid)/Recordings/\(recording.recording_sid).mp3",
            headers: ["authorization": account.authorization, "accept": "audio/mpeg"], body: [], timeoutMilliseconds: max(account.timeoutMilliseconds, 60_000))
        let response = try await account.outbound.fetch(request)
        guard response.status == 200, !response.body.isEmpty else {
            throw TwilioAccount.refusal("the recording's audio", status: response.status, json: try? JSONValue(jsonBytes: response.body))
        }
        return (response.body, "audio/mpeg")
    }
}

/// The simulated provider's audio (a WAV the voice-agent worker spoke with espeak-ng), through its binding.
struct SimulatedRecordingAudio: RecordingAudioSource {
    let voice: ServiceBinding

    func audio(of recording: CallRecording) async throws -> (bytes: [UInt8], contentType: String) {
        let response = try await voice.fetch(Request(method: "GET", target: "/recordings/\(recording.recording_sid).wav"))
        guard response.status == 200 else {
            throw APIError(status: 502, code: "recording_unavailable", message: "the simulated provider has no audio for \(recording.recording_sid) (\(response.status))")
        }
        return (response.bodyBytes, "audio/wav")
    }
}
