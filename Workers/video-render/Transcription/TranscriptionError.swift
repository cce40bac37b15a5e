import OzziRuntime

/// Why a transcription gave no words, in the api's error shape (the api passes it on).
enum TranscriptionError: HTTPError, Equatable, CustomStringConvertible {
    /// The worker's settings do not allow it (a missing secret, a command or host it may not use).
    case notConfigured(String)
    case unsupportedLanguage(provider: String, language: String)
    /// The file has no audio track ffmpeg can decode (or is not media at all).
    case noAudio(String)
    /// The provider answered a 4xx: the request, the audio or the API key was refused. Not retried.
    case refused(provider: String, status: Int, message: String)
    /// The provider failed (a 429 or 5xx twice, no connection, an answer that is not a transcript) or the
    /// recogniser did.
    case failed(provider: String, message: String)
    case timedOut(provider: String, seconds: Int)
    case cancelled

    var status: Int {
        switch self {
        case .notConfigured, .cancelled: 503
        case .unsupportedLanguage, .noAudio: 422
        case .refused, .failed: 502
        case .timedOut: 504
        }
    }

    var code: String {
        switch self {
        case .notConfigured: "transcription_not_configured"
        case .unsupportedLanguage: "unsupported_language"
        case .noAudio: "no_audio"
        case .refused: "transcription_refused"
        case .failed: "transcription_failed"
        case .timedOut: "transcription_timeout"
        case .cancelled: "transcription_cancelled"
        }
    }

    var message: String {
        switch self {
        case .notConfigured(let reason): "transcription is not configured: \(reason)"
        case .unsupportedLanguage(let provider, let language): "\(provider) cannot transcribe the language '\(language)'"
        case .noAudio(let reason): "no audio to transcribe: \(reason)"
        case .refused(let provider, let status, let message) where status == 401 || status == 403:
            "\(provider) refused the API key (\(status)): \(message)"
        case .refused(let provider, let status, let message): "\(provider) refused the transcription (\(status)): \(message)"
        case .failed(let provider, let message): "\(provider) failed: \(message)"
        case .timedOut(let provider, let seconds): "\(provider) did not finish within \(seconds) s"
        case .cancelled: "the transcription was cancelled"
        }
    }

    var description: String { message }

    /// A program's failure to run (not its exit status, which the caller reads).
    init(_ error: CommandError) {
        switch error {
        case .cancelled: self = .cancelled
        case .timedOut(let command, let milliseconds): self = .timedOut(provider: command, seconds: milliseconds / 1000)
        case .outputTooLarge(let command, _), .failedToStart(let command, _): self = .failed(provider: command, message: error.description)
        case .denied, .notInstalled: self = .notConfigured(error.description)
        }
    }
}
