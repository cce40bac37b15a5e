import OzziRuntime
import VideoTimeline

/// Deepgram's prerecorded transcription through outbound fetch: the file's audio as 16 kHz FLAC (ffmpeg),
/// `POST {base}/listen?model=nova-3&smart_format=true&punctuate=true&utterances=true&language=..` with
/// `Authorization: Token <key>` and the audio as the body. A 429, a 5xx or a connection that failed before
/// the request went out is retried once (after `Retry-After`, at most 5 s, else 1 s); a 4xx never is (a
/// wrong key or refused audio fails the same way again), nor a timeout (the audio went up and was paid for).
struct DeepgramTranscriber: Transcriber {
    /// `https://api.deepgram.com/v1` unless configured (`DEEPGRAM_API_BASE`), so tests can point it at a stub.
    let baseURL: String
    let apiKey: String
    let outbound: OutboundFetcher
    let commands: CommandRunner
    /// Where each transcription makes its own folder for the converted audio.
    let scratchDirectory: String
    /// The whole call, upload included.
    var timeoutMilliseconds = 300_000
    /// What waiting for a retry does: sleeping, unless a test says otherwise.
    var pause: @Sendable (Double) async -> Void = { try? await Task.sleep(for: .seconds($0)) }

    static let provider = "Deepgram"
    static let defaultBaseURL = "https://api.deepgram.com/v1"
    static let model = "nova-3"

    func transcribe(audioFile path: String, language: String) async throws(TranscriptionError) -> [Captions.Word] {
        guard let url = Self.url(base: baseURL, language: language) else { throw .unsupportedLanguage(provider: Self.provider, language: language) }
        let audio = try await ScratchFolder.using(under: scratchDirectory) { (folder) throws(TranscriptionError) -> [UInt8] in
            try await AudioExtraction.extract(path, to: folder.path + "/audio.flac", as: .flac, commands: commands)
            return try await folder.read("audio.flac")
        }
        let request = OutboundRequest(method: "POST", url: url,
                                      headers: ["authorization": "Token " + apiKey, "content-type": AudioExtraction.Format.flac.contentType,
                                                "accept": "application/json"],
                                      body: audio, timeoutMilliseconds: timeoutMilliseconds)
        var attempt = 0
        while true {
            attempt += 1
            let retryAfter: Double
            do {
                let response = try await outbound.fetch(request)
                switch response.status {
                case 200..<300:
                    guard let words = DeepgramAnswer.words(response.body) else {
                        throw TranscriptionError.failed(provider: Self.provider, message: "its answer has no results.channels: " + String(decoding: response.body.prefix(200), as: UTF8.self))
                    }
                    return words
                case 429, 500...599:
                    guard attempt == 1 else {
                        throw TranscriptionError.failed(provider: Self.provider, message: "it answered \(response.status) twice: " + DeepgramAnswer.message(response.body))
                    }
                    retryAfter = min(5, response.headers["retry-after"].flatMap(Double.init) ?? 1)
                default:
                    throw TranscriptionError.refused(provider: Self.provider, status: response.status, message: DeepgramAnswer.message(response.body))
                }
            } catch let error as TranscriptionError {
                throw error
            } catch let error as OutboundError {
                switch error {
                case .denied, .invalidURL: throw .notConfigured(error.description)
                case .timedOut: throw .timedOut(provider: Self.provider, seconds: timeoutMilliseconds / 1000)
                default:
                    guard attempt == 1, !error.requestSent else { throw .failed(provider: Self.provider, message: "it could not be reached: \(error)") }
                    retryAfter = 1
                }
            } catch {
                throw .failed(provider: Self.provider, message: "\(error)")
            }
            await pause(retryAfter)
        }
    }

    /// The request's URL, or nil when `language` is not a language tag (letters, digits and hyphens).
    static func url(base: String, language: String) -> String? {
        let tag = language.split(separator: "-", omittingEmptySubsequences: false)
        guard let primary = tag.first, (2...8).contains(primary.count), primary.allSatisfy({ $0.isASCII && $0.isLetter }),
              tag.dropFirst().allSatisfy({ (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }) else { return nil }
        return base + "/listen?model=\(model)&smart_format=true&punctuate=true&utterances=true&language=" + language
    }
}
