import OzziRuntime

/// Where a reported recording's audio comes from: Twilio's Recordings resource, or the simulated
/// provider's recordings in the voice-agent worker.
protocol RecordingAudioSource: Sendable {
    /// The audio as it arrives, and its media type; throws when it cannot be had now (the job asks again later).
    func audio(of recording: CallRecording) async throws -> RecordingAudio
}

/// A recording's audio in pieces, written into the bucket as they come: an hour's call need not fit in memory.
struct RecordingAudio: Sendable {
    let chunks: AsyncThrowingStream<[UInt8], Error>
    let contentType: String

    init(chunks: AsyncThrowingStream<[UInt8], Error>, contentType: String) {
        self.chunks = chunks
        self.contentType = contentType
    }

    init(bytes: [UInt8], contentType: String) {
        let (chunks, pieces) = AsyncThrowingStream<[UInt8], Error>.makeStream()
        pieces.yield(bytes)
        pieces.finish()
        self.init(chunks: chunks, contentType: contentType)
    }
}

/// Twilio's audio of a recording: `RecordingUrl + ".mp3"` with the account's Basic auth. The URL is
/// rebuilt on the account's configured API base from the sids, so the credentials go only where the
/// account's other requests go, whatever host a callback names. Twilio may answer with a redirect to
/// where the media is kept: it is followed once, over https (or to the API base's own origin), without
/// the credentials.
struct TwilioRecordingAudio: RecordingAudioSource {
    let account: TwilioAccount

    /// Long calls make large files (a dual-channel hour is tens of megabytes): streamed, up to this.
    static let maxBytes = 512 << 20

    func audio(of recording: CallRecording) async throws -> RecordingAudio {
        let url = "\(account.baseURL)/2010-04-01/Accounts/\(account.accountSid)/Recordings/\(recording.recording_sid).mp3"
        var response = try await get(url, authorized: true)
        if [301, 302, 303, 307, 308].contains(response.status), let location = response.headers["location"] {
            guard let media = Self.redirect(location, from: account.baseURL) else {
                throw CallRecordings.RecordingUnavailable(description: "Twilio redirected the recording to \(location.prefix(200)), which is not https")
            }
            response = try await get(media, authorized: false)
        }
        guard response.status == 200 else {
            var body: [UInt8] = []
            for try await piece in response.body where body.count < 64 << 10 { body += piece }
            throw TwilioAccount.refusal("the recording's audio", status: response.status, json: try? JSONValue(jsonBytes: body))
        }
        return RecordingAudio(chunks: response.body, contentType: "audio/mpeg")
    }

    private func get(_ url: String, authorized: Bool) async throws -> OutboundStream {
        var headers: HTTPHeaders = ["accept": "audio/mpeg"]
        if authorized { headers.add("authorization", account.authorization) }
        var request = OutboundRequest(method: "GET", url: url, headers: headers, body: [], timeoutMilliseconds: max(account.timeoutMilliseconds, 600_000))
        request.maxResponseBytes = Self.maxBytes
        return try await account.outbound.stream(request)
    }

    /// Where a redirect goes: an absolute https URL, or a path on the API base's origin.
    static func redirect(_ location: String, from base: String) -> String? {
        if location.hasPrefix("https://") { return location }
        guard location.hasPrefix("/"), !location.hasPrefix("//"), let scheme = base.range(of: "://") else { return nil }
        let origin = base[..<scheme.upperBound] + base[scheme.upperBound...].prefix { $0 != "/" }
        return origin + location
    }
}

/// The simulated provider's audio (a WAV the voice-agent worker spoke with espeak-ng), through its binding.
struct SimulatedRecordingAudio: RecordingAudioSource {
    let voice: ServiceBinding

    func audio(of recording: CallRecording) async throws -> RecordingAudio {
        let response = try await voice.fetch(Request(method: "GET", target: "/recordings/\(recording.recording_sid).wav"))
        guard response.status == 200 else {
            throw APIError(status: 502, code: "recording_unavailable", message: "the simulated provider has no audio for \(recording.recording_sid) (\(response.status))")
        }
        return RecordingAudio(bytes: response.bodyBytes, contentType: "audio/wav")
    }
}
