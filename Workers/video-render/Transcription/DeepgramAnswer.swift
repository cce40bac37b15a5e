import OzziRuntime
import VideoTimeline

/// Reads Deepgram's prerecorded answers: the words of `results.channels[0].alternatives[0]`, and the
/// message of a refusal. Leniently: a word without times is left out, `punctuated_word` (with
/// `smart_format` or `punctuate`) is preferred to `word`, fields we do not read may come and go.
enum DeepgramAnswer {
    /// The transcript's words; nil when the body is not a transcript at all.
    static func words(_ body: [UInt8]) -> [Captions.Word]? {
        guard let json = try? JSONValue(jsonBytes: body), let channels = json["results"]?["channels"]?.arrayValue else { return nil }
        // No speech: a channel with an empty transcript, or no alternatives.
        guard let alternative = channels.first?["alternatives"]?.arrayValue?.first else { return [] }
        return (alternative["words"]?.arrayValue ?? []).compactMap { word in
            guard let start = word["start"]?.numberValue, let end = word["end"]?.numberValue,
                  let text = word["punctuated_word"]?.stringValue ?? word["word"]?.stringValue, !text.isEmpty else { return nil }
            return Captions.Word(start: start, end: end, text: text)
        }
    }

    /// A refusal's words: `{"err_code", "err_msg", "request_id"}` (authentication, bad audio) or
    /// `{"category", "message", "details"}` (bad JSON and others), else the start of the body.
    static func message(_ body: [UInt8]) -> String {
        guard let json = try? JSONValue(jsonBytes: body), json.objectValue != nil else {
            let text = String(decoding: body.prefix(300), as: UTF8.self)
            return text.isEmpty ? "(no message)" : text
        }
        let code = json["err_code"]?.stringValue ?? json["category"]?.stringValue
        let text = json["err_msg"]?.stringValue ?? json["message"]?.stringValue ?? json["details"]?.stringValue ?? json.jsonText
        let request = json["request_id"]?.stringValue.map { " (request \($0))" } ?? ""
        return (code.map { $0 + ": " } ?? "") + text + request
    }
}
