/// Caption segments as the two files players load beside a video: SubRip (`.srt`) and WebVTT (`.vtt`).
///
/// Times are written to the millisecond (rounded); an hour count past 99 keeps all its digits (both formats'
/// parsers read the hours as a number). A segment's text keeps its line breaks but loses blank lines, which
/// both formats read as the end of a cue; a segment left with no text is not written.
public enum CaptionFiles {
    /// SubRip: numbered cues, `00:00:01,000 --> 00:00:02,500`, a blank line after each.
    ///
    /// The text is written as typed: SubRip has no escapes, and the players that read `<b>` in it read it as
    /// markup whatever we do (an entity would show as `&lt;` in those that do not).
    public static func srt(_ segments: [Captions.Segment]) -> String {
        var out = ""
        var number = 0
        for segment in segments {
            let lines = textLines(segment.text)
            guard !lines.isEmpty else { continue }
            number += 1
            out += "\(number)\n\(timestamp(segment.start, separator: ",")) --> \(timestamp(max(segment.end, segment.start), separator: ","))\n"
            out += lines.joined(separator: "\n") + "\n\n"
        }
        return out
    }

    /// WebVTT: the `WEBVTT` header, then cues `00:00:01.000 --> 00:00:02.500`, a blank line after each.
    ///
    /// `&`, `<` and `>` become character references: in a cue `<` starts a tag and `&` a reference, and a
    /// cue's text must not hold `-->` (escaping `>` takes care of that too).
    public static func webVTT(_ segments: [Captions.Segment]) -> String {
        var out = "WEBVTT\n\n"
        for segment in segments {
            let lines = textLines(segment.text)
            guard !lines.isEmpty else { continue }
            out += "\(timestamp(segment.start, separator: ".")) --> \(timestamp(max(segment.end, segment.start), separator: "."))\n"
            out += lines.map(escapedForWebVTT).joined(separator: "\n") + "\n\n"
        }
        return out
    }

    /// `HH:MM:SS,mmm` (SubRip) or `HH:MM:SS.mmm` (WebVTT); a negative time is written as 0.
    static func timestamp(_ seconds: Double, separator: Character) -> String {
        let total = seconds.isFinite && seconds > 0 ? Int((seconds * 1000).rounded()) : 0
        let hours = total / 3_600_000, minutes = total / 60_000 % 60, secs = total / 1000 % 60, millis = total % 1000
        return "\(padded(hours, 2)):\(padded(minutes, 2)):\(padded(secs, 2))\(separator)\(padded(millis, 3))"
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The text's lines without the blank ones (and without the `\r` of a `\r\n`).
    private static func textLines(_ text: String) -> [String] {
        text.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
            .map(String.init)
            .filter { !$0.allSatisfy(\.isWhitespace) }
    }

    private static func escapedForWebVTT(_ line: String) -> String {
        var out = ""
        for character in line {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }
}
