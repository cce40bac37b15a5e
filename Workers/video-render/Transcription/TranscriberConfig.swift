import OzziRuntime

/// Which transcriber the worker's captions use, from its vars: `TRANSCRIPTION = "offline"` (the default:
/// PocketSphinx on this host) or `"deepgram"` (with the `DEEPGRAM_API_KEY` secret, and `DEEPGRAM_API_BASE`
/// to call another address than Deepgram's). Converted audio goes to `transcription/` in the data folder.
struct TranscriberConfig: Sendable {
    let transcriber: any Transcriber

    init(env: WorkerEnv) throws(TranscriptionError) {
        let scratch = env.dataDirectory + "/transcription"
        switch env.vars["TRANSCRIPTION"] ?? "offline" {
        case "offline":
            transcriber = PocketSphinxTranscriber(commands: env.commands, scratchDirectory: scratch)
        case "deepgram":
            guard let key = try? env.secret("DEEPGRAM_API_KEY"), !key.isEmpty else {
                throw .notConfigured("TRANSCRIPTION = \"deepgram\" needs the DEEPGRAM_API_KEY secret (worker '\(env.name)')")
            }
            let base = BaseURL.withoutTrailingSlashes(env.vars["DEEPGRAM_API_BASE"] ?? DeepgramTranscriber.defaultBaseURL)
            transcriber = DeepgramTranscriber(baseURL: base, apiKey: key, outbound: env.outbound, commands: env.commands, scratchDirectory: scratch)
        case let other:
            throw .notConfigured("TRANSCRIPTION must be \"offline\" or \"deepgram\", not \"\(other)\"")
        }
    }
}
