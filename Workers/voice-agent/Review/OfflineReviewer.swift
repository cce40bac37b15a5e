import OzziRuntime

/// The reviewer that needs no network (the default, `AGENT_MODEL = "offline"`): it reads the transcript with
/// word lists and counts, so the same call always gets the same review, and a workspace without a model
/// still gets a useful one.
///
/// - classification, first that applies: `spam` (the caller said nothing); `follow_up_required` (a callback
///   was asked for, or the call was handed to a person: someone must act); `complaint` (an unhappy caller
///   outranks what they called about); the topic with the most keyword hits among `billing`,
///   `support_request`, `appointment`, `sales_inquiry` (a tie goes to the earlier: money and broken things
///   before a booking or a lead); `resolved` (no topic, the caller thanked and got an answer);
///   `general_inquiry`.
/// - sentiment: the caller's positive words against their negative ones ("not happy" is negative).
/// - score: 100, less 20 when the caller's last words got no answer, 5 per interruption (up to 25), 10 per
///   failed tool (up to 30), 5 per answer over 60 words (up to 15), 10 for a handoff; 50 when the caller
///   said nothing (there was nothing to handle).
/// - success: every line or sentence of the rubric has its key words (not its instruction words: "the agent
///   must offer") among the agent's words and tools' names, compared by stem; with no rubric, the call
///   completed and the caller got an answer.
/// - recommendations: from what went wrong, in that order: rubric points missed, failed tools,
///   interruptions, long answers, last words unanswered.
struct OfflineReviewer: CallReviewer {
    static let model = "offline"
    static let longAnswerWords = 60

    func review(_ request: ReviewRequest) -> CallReview {
        let facts = Facts(request)
        let rubric = Self.rubricCheck(request, facts)
        return CallReview(summary: Self.summary(request, facts), classification: Self.classification(request, facts),
                          score: Self.score(request, facts), sentiment: Self.sentiment(facts.callerWords), success: rubric.success, successReason: rubric.reason,
                          recommendations: Self.recommendations(rubric.missed, facts), model: Self.model)
    }

    /// What a review is made of, read from the transcript in one pass.
    private struct Facts {
        /// Every word the caller said, lowercased, in order.
        var callerWords: [String] = []
        var firstCallerLine: String?
        var answers = 0
        var interruptions = 0
        var longAnswers = 0
        /// The caller got at least one answer.
        var answered = false
        /// The caller's last words got no answer, and were not a goodbye.
        var lastWordsUnanswered = false
        /// Distinct tools in the order first used, and each failed call's tool.
        var tools: [String] = []
        var failedTools: [String] = []
        /// The stems of the agent's words and its tools' names, for the rubric.
        var agentStems: Set<String> = []

        init(_ request: ReviewRequest) {
            var waiting = false
            var waitingOnGoodbye = false
            for turn in request.turns {
                switch turn.role {
                case .caller:
                    let words = OfflineReviewer.words(turn.text)
                    guard !words.isEmpty else { continue }
                    callerWords += words
                    if firstCallerLine == nil { firstCallerLine = turn.text.split(whereSeparator: \.isNewline).joined(separator: " ") }
                    if !waiting { waitingOnGoodbye = false }
                    waiting = true
                    waitingOnGoodbye = waitingOnGoodbye || OfflineReviewer.hits(OfflineReviewer.goodbyes, in: words) > 0
                case .agent:
                    if turn.interrupted { interruptions += 1 }
                    let words = OfflineReviewer.words(turn.text)
                    guard !words.isEmpty else { continue }
                    answers += 1
                    if words.count > OfflineReviewer.longAnswerWords { longAnswers += 1 }
                    agentStems.formUnion(words.map(OfflineReviewer.stem))
                    if waiting { answered = true }
                    waiting = false
                case .tool:
                    let name = turn.tool?.name ?? turn.text
                    guard !name.isEmpty else { continue }
                    if !tools.contains(name) { tools.append(name) }
                    if turn.tool?.failed == true { failedTools.append(name) }
                    agentStems.formUnion(OfflineReviewer.words(name).map(OfflineReviewer.stem))
                }
            }
            lastWordsUnanswered = waiting && !waitingOnGoodbye
        }
    }

    // MARK: - Classification and sentiment

    static let topics: [(CallClass, [String])] = [
        (.billing, ["invoice", "invoices", "bill", "bills", "billed", "billing", "charge", "charged", "charges", "overcharged", "refund",
                    "refunds", "refunded", "payment", "payments", "receipt", "credit card"]),
        (.supportRequest, ["broken", "not working", "isn't working", "doesn't work", "does not work", "stopped working", "won't work",
                           "need help", "help me with", "problem", "problems", "issue", "issues", "error", "errors", "fix", "crash",
                           "crashed", "crashes", "outage", "stuck", "reset"]),
        (.appointment, ["appointment", "appointments", "book", "booking", "booked", "schedule", "reschedule", "rescheduled", "slot"]),
        (.salesInquiry, ["price", "prices", "pricing", "cost", "costs", "how much", "buy", "buying", "purchase", "quote", "quotes",
                         "discount", "demo", "trial"]),
    ]
    static let complaints = ["angry", "terrible", "complain", "complaining", "complaint", "awful", "unacceptable", "furious", "worst",
                             "disappointed", "ridiculous", "horrible", "rude", "disgusted", "outrageous"]
    static let thanks = ["thank", "thanks", "thx", "cheers", "appreciate", "appreciated"]
    static let goodbyes = ["bye", "goodbye", "thank", "thanks", "that's all"]
    static let positiveWords: Set<String> = ["thank", "thanks", "great", "perfect", "excellent", "wonderful", "awesome", "happy", "love",
                                             "appreciate", "appreciated", "helpful", "glad", "brilliant", "amazing", "fantastic", "lovely", "cheers"]
    static let negativeWords: Set<String> = ["angry", "terrible", "awful", "bad", "horrible", "worst", "unacceptable", "ridiculous", "frustrated",
                                             "frustrating", "annoyed", "annoying", "disappointed", "upset", "hate", "useless", "complain",
                                             "complaint", "rude", "furious", "disgusted", "outrageous"]
    static let negations: Set<String> = ["not", "never", "no", "isn't", "wasn't", "don't", "didn't"]

    private static func classification(_ request: ReviewRequest, _ facts: Facts) -> CallClass {
        let words = facts.callerWords
        if words.isEmpty { return .spam }
        if request.call.callbackRequested || request.call.handoffReason != nil { return .followUpRequired }
        if hits(complaints, in: words) > 0 { return .complaint }
        var best: (CallClass, Int)?
        for (topic, keywords) in topics {
            let count = hits(keywords, in: words)
            if count > (best?.1 ?? 0) { best = (topic, count) }
        }
        if let best { return best.0 }
        if facts.answered, hits(thanks, in: words) > 0 { return .resolved }
        return .generalInquiry
    }

    static func sentiment(_ words: [String]) -> CallReview.Sentiment {
        var balance = 0
        for (index, word) in words.enumerated() {
            let negated = index > 0 && negations.contains(words[index - 1])
            if positiveWords.contains(word) { balance += negated ? -1 : 1 }
            if negativeWords.contains(word) { balance += negated ? 1 : -1 }
        }
        return balance > 0 ? .positive : balance < 0 ? .negative : .neutral
    }

    // MARK: - Summary and score

    private static func summary(_ request: ReviewRequest, _ facts: Facts) -> String {
        let call = request.call
        var parts = [(call.direction == .inbound ? "Inbound" : "Outbound") + " call, " + call.status
            + (call.durationSeconds.map { ", \($0) seconds." } ?? ".")]
        parts.append(facts.firstCallerLine.map { "The caller said: \"\(clip($0, 200))\"." } ?? "The caller said nothing.")
        if facts.answers == 0 {
            parts.append("The agent did not answer.")
        } else {
            let used = facts.tools.isEmpty ? "" : " and used " + list(Array(facts.tools.prefix(5))) + (facts.tools.count > 5 ? " and more" : "")
            parts.append("The agent answered \(times(facts.answers))\(used).")
        }
        if !facts.failedTools.isEmpty { parts.append("\(counted(facts.failedTools.count, "tool call")) failed.") }
        if let reason = call.handoffReason { parts.append("It handed the call to a person: \(clip(reason, 200)).") }
        if call.callbackRequested { parts.append("The caller asked to be called back.") }
        return clip(parts.joined(separator: " "), CallReview.summaryLimit)
    }

    private static func score(_ request: ReviewRequest, _ facts: Facts) -> Int {
        if facts.callerWords.isEmpty { return 50 }
        var score = 100
        if facts.lastWordsUnanswered { score -= 20 }
        score -= min(25, 5 * facts.interruptions)
        score -= min(30, 10 * facts.failedTools.count)
        score -= min(15, 5 * facts.longAnswers)
        if request.call.handoffReason != nil { score -= 10 }
        return max(0, min(100, score))
    }

    // MARK: - Rubric and recommendations

    /// Words that say what to do rather than what the call must contain ("the agent must offer ...").
    static let instructionWords: Set<String> = [
        "the", "and", "for", "are", "but", "not", "you", "your", "with", "that", "this", "they", "them", "their", "there", "what", "when",
        "where", "which", "who", "how", "why", "from", "have", "has", "had", "been", "was", "were", "will", "would", "should", "could",
        "must", "can", "may", "might", "shall", "does", "did", "into", "about", "any", "all", "each", "every", "some", "than", "then",
        "also", "only", "just", "very", "its", "our", "his", "her", "she", "him", "agent", "caller", "callers", "customer", "customers",
        "call", "calls", "called", "successful", "success", "succeeds", "counts", "ask", "asks", "asked", "tell", "tells", "told", "give",
        "gives", "offer", "offers", "offered", "mention", "mentions", "mentioned", "provide", "provides", "explain", "explains", "confirm",
        "confirms", "make", "makes", "sure", "get", "gets", "let", "lets", "need", "needs", "want", "wants", "able", "always", "least",
        "once", "during", "before", "after", "without", "one", "it's",
    ]

    private struct RubricCheck {
        var success: Bool
        var reason: String
        /// The rubric's points the agent did not cover, as written.
        var missed: [String]
    }

    private static func rubricCheck(_ request: ReviewRequest, _ facts: Facts) -> RubricCheck {
        let lines = request.rubric.split { "\n.;!?".contains($0) }.map { $0.trimmed(while: \.isWhitespace) }
        let points = lines.compactMap { point -> (String, [String])? in
            var keys: [String] = []
            for word in words(point) where word.count >= 3 && !instructionWords.contains(word) && !keys.contains(word) { keys.append(word) }
            return keys.isEmpty ? nil : (point, keys)
        }
        guard !points.isEmpty else {
            let completed = request.call.status == "completed"
            let reason = !completed ? "No rubric: the call did not complete (\(request.call.status))."
                : facts.answered ? "No rubric: the call completed and the caller got an answer." : "No rubric: the caller got no answer."
            return RubricCheck(success: completed && facts.answered, reason: clip(reason, CallReview.reasonLimit), missed: [])
        }
        var missed: [(point: String, words: [String])] = []
        for (point, keys) in points {
            let absent = keys.filter { !facts.agentStems.contains(stem($0)) }
            if !absent.isEmpty { missed.append((point, absent)) }
        }
        guard let first = missed.first else {
            return RubricCheck(success: true, reason: clip("The agent covered every point of the rubric (\(counted(points.count, "point"))).",
                                                           CallReview.reasonLimit), missed: [])
        }
        let more = missed.count > 1 ? " and \(counted(missed.count - 1, "other point"))" : ""
        let reason = "The agent did not cover \"\(clip(first.point, 200))\" (it never said \(list(first.words.map { "\"\($0)\"" })))\(more)."
        return RubricCheck(success: false, reason: clip(reason, CallReview.reasonLimit), missed: missed.map { $0.point })
    }

    private static func recommendations(_ missed: [String], _ facts: Facts) -> [String] {
        var advice: [String] = []
        if !missed.isEmpty {
            advice.append("Have the agent cover " + list(missed.prefix(3).map { "\"\(clip($0, 80))\"" })
                          + ": put it in the agent's instructions or the number's knowledge.")
        }
        if !facts.failedTools.isEmpty {
            var names: [String] = []
            for name in facts.failedTools where !names.contains(name) { names.append(name) }
            advice.append("\(counted(facts.failedTools.count, "tool call")) failed (\(list(Array(names.prefix(5))))): check what the tools need, "
                          + "and what the agent offers when one fails.")
        }
        if facts.interruptions > 0 {
            advice.append("The caller interrupted the agent \(times(facts.interruptions)): keep answers short and end them with a question.")
        }
        if facts.longAnswers > 0 {
            advice.append("\(counted(facts.longAnswers, "answer")) ran over \(longAnswerWords) words: answer in one or two sentences.")
        }
        if facts.lastWordsUnanswered { advice.append("The caller's last words got no answer: make sure the agent answers before the call ends.") }
        return advice.prefix(CallReview.maxRecommendations).map { clip($0, CallReview.recommendationLimit) }
    }

    // MARK: - Words

    /// Lowercased words (letters, digits and inner apostrophes), typographic apostrophes made plain.
    static func words(_ text: String) -> [String] {
        text.lowercased().replacing("\u{2019}", with: "'").split { !$0.isLetter && !$0.isNumber && $0 != "'" }
            .map { $0.trimmed { $0 == "'" } }.filter { !$0.isEmpty }
    }

    /// How many times the keywords (a word, or words in a row) occur in `words`.
    static func hits(_ keywords: [String], in words: [String]) -> Int {
        keywords.reduce(0) { total, keyword in
            let phrase = keyword.split(separator: " ").map(String.init)
            guard words.count >= phrase.count else { return total }
            return total + (0...(words.count - phrase.count)).count(where: { words[$0..<($0 + phrase.count)].elementsEqual(phrase) })
        }
    }

    /// A crude stem, the same for a word and its plural or tense ("books", "booked", "booking" -> "book";
    /// "schedule", "scheduled" -> "schedul"): enough to match a rubric's words to an answer's.
    static func stem(_ word: String) -> String {
        var stem = Substring(word)
        if stem.count > 3, stem.hasSuffix("s"), !stem.hasSuffix("ss") { stem = stem.dropLast() }
        if stem.count > 5, stem.hasSuffix("ing") { stem = stem.dropLast(3) } else if stem.count > 4, stem.hasSuffix("ed") { stem = stem.dropLast(2) }
        if stem.count > 3, stem.hasSuffix("e") { stem = stem.dropLast() }
        return String(stem)
    }

    static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    static func counted(_ n: Int, _ noun: String) -> String {
        n == 1 ? "1 \(noun)" : "\(n) \(noun)s"
    }

    static func times(_ n: Int) -> String {
        n == 1 ? "once" : n == 2 ? "twice" : "\(n) times"
    }
}

private extension Substring {
    func trimmed(while edge: (Character) -> Bool) -> String {
        guard let start = firstIndex(where: { !edge($0) }), let end = lastIndex(where: { !edge($0) }) else { return "" }
        return String(self[start...end])
    }
}
