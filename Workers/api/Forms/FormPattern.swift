import OzziRuntime

/// A field's `pattern`: a regular expression a workspace writes and anonymous visitors' answers are
/// matched against, here and in the browser (`new RegExp(pattern, "u")`). Two dangers, both refused when the
/// form is defined: a pattern the two engines read differently (look-arounds, inline flags, POSIX classes,
/// escapes ECMAScript's unicode mode refuses), and one a backtracking engine can take exponential or high
/// polynomial time on (a repetition of something that itself repeats or alternates, like `(a+)+` or
/// `(a|ab)*`; more than two unbounded repetitions, like `\d*\d*\d*x`). Classes match ASCII digits and
/// word characters only, as ECMAScript's do.
final class FormPattern: @unchecked Sendable {
    // A compiled Regex is only read once built (as `Pattern`'s is), so one serves every thread.
    let source: String
    private let regex: Regex<AnyRegexOutput>

    static let maxLength = 200
    /// The longest answer a field with a pattern takes: what the worst allowed pattern can match quickly.
    static let maxAnswerLength = 500

    init?(_ source: String) {
        guard Self.refusal(source) == nil, let regex = try? Regex(source) else { return nil }
        self.source = source
        self.regex = regex.matchingSemantics(.unicodeScalar).asciiOnlyDigits().asciiOnlyWordCharacters()
    }

    func matches(_ text: String) -> Bool {
        (try? regex.firstMatch(in: text)) != nil
    }

    /// An escape read: its length, or why it is refused.
    private enum Step {
        case length(Int)
        case refused(String)
    }

    /// Why `source` is not a pattern a form may use, or nil.
    static func refusal(_ source: String) -> String? {
        guard source.unicodeScalars.count <= maxLength else { return "must be at most \(maxLength) characters" }
        let chars = Array(source.unicodeScalars)
        // Per open group: whether it holds a repetition or an alternation.
        var groups: [Bool] = [], inClass = false, unbounded = 0, i = 0
        var lastAtomRepeats = false  // the atom just closed (a group) held a repetition or alternation
        func quantifier(at index: Int) -> (unbounded: Bool, repeats: Bool, length: Int)? {
            guard index < chars.count else { return nil }
            switch chars[index] {
            case "*", "+": return (true, true, 1)
            case "?": return (false, false, 1)
            case "{":
                var j = index + 1, text = ""
                while j < chars.count, chars[j] != "}" { text.unicodeScalars.append(chars[j]); j += 1 }
                guard j < chars.count else { return nil }
                let parts = text.split(separator: ",", omittingEmptySubsequences: false)
                guard (1...2).contains(parts.count), let low = Int(parts[0]), low <= 1_000 else { return nil }
                if parts.count == 1 { return (false, false, j - index + 1) }
                if parts[1].isEmpty { return (true, true, j - index + 1) }
                guard let high = Int(parts[1]), high >= low, high <= 1_000 else { return nil }
                return (false, high > low, j - index + 1)
            default: return nil
            }
        }
        /// Checks the escape at `i` (in a class or not); answers its length, or why it is refused.
        func escape(at i: Int) -> Step {
            guard i + 1 < chars.count else { return .refused("ends with a lone backslash") }
            let next = chars[i + 1]
            if next == "u" {
                // \uXXXX, or \u{X...}
                if i + 2 < chars.count, chars[i + 2] == "{" {
                    var j = i + 3
                    while j < chars.count, chars[j] != "}" { j += 1 }
                    return j < chars.count ? .length(j - i + 1) : .refused("has an unclosed \\u{")
                }
                return .length(min(6, chars.count - i))
            }
            let plain = "dDwWsSbBntrfv0^$\\.*+?()[]{}|/"
            guard plain.unicodeScalars.contains(next) || (inClass && next == "-") else {
                return .refused("uses \\\(Character(next)), which browsers and the server read differently (escape only . * + ? ( ) [ ] { } | ^ $ \\ /)")
            }
            return .length(2)
        }
        while i < chars.count {
            let c = chars[i]
            if inClass {
                if c == "\\" {
                    switch escape(at: i) {
                    case .length(let length): i += length
                    case .refused(let why): return why
                    }
                    continue
                }
                if c == "[", i + 1 < chars.count, chars[i + 1] == ":" { return "uses a POSIX class ([[:digit:]]); write [0-9]" }
                i += 1
                guard c == "]" else { continue }
                inClass = false
                lastAtomRepeats = false
            } else if c == "\\" {
                switch escape(at: i) {
                case .length(let length): i += length
                case .refused(let why): return why
                }
                lastAtomRepeats = false
            } else {
                switch c {
                case "[":
                    inClass = true
                    i += 1
                    continue
                case "(":
                    if i + 1 < chars.count, chars[i + 1] == "?" {
                        guard i + 2 < chars.count, chars[i + 2] == ":" else {
                            return "uses (?…) other than (?:…): look-arounds, named groups and inline flags are not for form patterns"
                        }
                        i += 3
                    } else {
                        i += 1
                    }
                    groups.append(false)
                    continue
                case ")":
                    guard let inner = groups.popLast() else { return "closes a group it never opened" }
                    lastAtomRepeats = inner
                    if inner, !groups.isEmpty { groups[groups.count - 1] = true }
                    i += 1
                case "|":
                    if !groups.isEmpty { groups[groups.count - 1] = true }
                    i += 1
                    continue
                case "*", "+", "?", "{":
                    if c == "{", quantifier(at: i) == nil { return "has a { that is not a repetition count {n}, {n,} or {n,m} (n, m at most 1000)" }
                    return "repeats nothing, or repeats a repetition (like a** or a+?+)"
                default:
                    lastAtomRepeats = false
                    i += 1
                }
            }
            // The atom that ended here may be repeated.
            guard let q = quantifier(at: i) else { continue }
            if lastAtomRepeats, q.repeats {
                return "repeats a group that itself repeats or alternates (like (a+)+ or (a|b)*), which can take exponential time"
            }
            if q.repeats, !groups.isEmpty { groups[groups.count - 1] = true }
            unbounded += q.unbounded ? 1 : 0
            i += q.length
            if i < chars.count, chars[i] == "?" { i += 1 }  // lazy
            if i < chars.count, "*+{".unicodeScalars.contains(chars[i]) { return "repeats a repetition (like a*+ or a{2}{3})" }
            lastAtomRepeats = false
        }
        if inClass { return "opens a [class] it never closes" }
        if !groups.isEmpty { return "opens a group it never closes" }
        if unbounded > 2 { return "has more than two unbounded repetitions (*, +, {n,}), which can take a long time on long answers" }
        return nil
    }
}
