import OzziRuntime

/// The markup of the call center: the dashboard (totals, live calls with a pulse, calls a day), the history
/// with filters, one call (recording, transcript with the agent's tool calls, timeline, the review and a
/// person's corrections), and the numbers with a test call.
enum CallViews {
    static let dashboardPart = LivePart(name: "dashboard", events: ["call.started", "call.status", "call.ended"])
    static let historyPart = LivePart(name: "calls", events: ["call.started", "call.ended", "call.judged", "call.reviewed"])

    static func callPart(_ id: String) -> LivePart {
        LivePart(name: "call", events: ["call.status", "call.ended", "call.turn", "call.handoff", "call.judged", "call.reviewed", "call.review_failed",
                                        "call.review_corrected", "call.priced", "call.recording_stored", "call.recording_absent", "call.recording_failed"],
                 key: "call_id", id: id)
    }

    static func duration(_ seconds: Int?) -> String {
        guard let seconds else { return "—" }
        return seconds >= 60 ? "\(seconds / 60) min \(seconds % 60) s" : "\(seconds) s"
    }

    static func money(_ amount: Double, _ currency: String) -> String {
        let cents = Int((amount * 100).rounded())
        return "\(currency == "USD" ? "$" : currency + " ")\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)"
    }

    /// The dashboard part: the last 30 days' totals, the calls going on now, and the calls a day.
    static func dashboard(_ stats: JSONValue) -> HTML {
        let totals = stats["totals"] ?? [:]
        func number(_ key: String) -> Double { totals[key]?.numberValue ?? 0 }
        let live = Int(number("live"))
        let rate = totals["completed_rate"]?.numberValue.map { "\(Int(($0 * 100).rounded())) %" } ?? "—"
        let average = totals["average_duration_seconds"]?.numberValue.map { duration(Int($0.rounded())) } ?? "—"
        let tiles: [(String, String, String)] = [
            ("Calls", String(Int(number("calls"))), "calls"), ("Completed", rate, "completed"), ("Failed", String(Int(number("failed"))), "failed"),
            ("Average length", average, "average"), ("Cost", money(number("cost"), totals["currency"]?.stringValue ?? "USD"), "cost"),
        ]
        let days = stats["days"]?.arrayValue ?? []
        let chart = StackedBars(title: "Calls each day of the last 30 (UTC), completed and not", slots: days.map { String(($0["day"]?.stringValue ?? "").suffix(5)) },
                                series: [StackedBars.Series(name: "completed", colour: "#15803d"), StackedBars.Series(name: "not completed", colour: "#b91c1c")],
                                values: days.map { day in
                                    let calls = Int(day["calls"]?.numberValue ?? 0), completed = Int(day["completed"]?.numberValue ?? 0)
                                    return [completed, calls - completed]
                                })
        return """
            <ul class="tiles">\(tiles.map { name, value, key -> HTML in "<li><span class=\"tile-name\">\(name)</span><span class=\"tile-value\" data-stat=\"\(key)\">\(value)</span></li>" })
            <li class="\(live > 0 ? "live on" : "live")"><span class="tile-name">Live now</span><span class="tile-value" data-stat="live">\(HTML.when(live > 0, "<span class=\"pulse\" aria-hidden=\"true\"></span>"))\(live)</span></li></ul>
            \(chart.html)
            """
    }

    static func list(request: Request, dashboard: HTML, history: HTML) -> HTML {
        func select(_ name: String, _ label: String, _ options: [(String, String)]) -> HTML {
            let current = request.queryParameter(name) ?? ""
            let items = options.map { value, text -> HTML in "<option value=\"\(value)\"\(HTML.when(value == current, " selected"))>\(text)</option>" }
            return "<div><label for=\"calls-\(name)\">\(label)</label><select id=\"calls-\(name)\" name=\"\(name)\"><option value=\"\">Any</option>\(items)</select></div>"
        }
        let statuses = ["completed", "in-progress", "ringing", "busy", "no-answer", "failed", "canceled"].map { ($0, $0) }
        return """
            <h1>Calls</h1>
            <p><a href="/console/calls/numbers">Numbers and test calls</a> · <a href="/console/calls/lab">Voice testing lab</a> · <a href="/api/v1/calls.csv">Download the history as CSV</a></p>
            <section class="panel" aria-labelledby="dashboard-heading"><h2 id="dashboard-heading">The last 30 days</h2>
            \(dashboardPart.html(dashboard))</section>
            <form class="panel call-filters" method="get" action="/console/calls">
            \(select("status", "Status", statuses))
            \(select("direction", "Direction", [("inbound", "inbound"), ("outbound", "outbound")]))
            \(select("classification", "Class", CallClass.all.map { ($0, $0.replacingOccurrences(of: "_", with: " ")) } + [("none", "not classified")]))
            \(select("rating", "Stars", (1...5).map { (String($0), String(repeating: "★", count: $0)) }))
            <div><button type="submit">Show</button></div>
            </form>
            \(historyPart.html(history))
            """
    }

    static func rows(_ page: Page<Call>, request: Request) -> HTML {
        guard !page.data.isEmpty else { return "<p class=\"panel\">No calls\(request.queryParameters().contains { $0.name != "part" } ? " match" : " yet").</p>" }
        let rows = page.data.map { call -> HTML in
            """
            <tr><td data-label="Started"><a href="/console/calls/\(call.id)"><time datetime="\(call.started_at)">\(call.started_at)</time></a></td>
            <td data-label="From">\(call.from_number)</td><td data-label="To">\(call.to_number)</td>
            <td data-label="Status"><span class="tag">\(call.status)</span></td>
            <td data-label="Length">\(duration(call.duration_seconds))</td>
            <td data-label="Class">\(call.classification?.replacingOccurrences(of: "_", with: " ") ?? "—")</td>
            <td data-label="Stars">\(call.rating.map { String(repeating: "★", count: $0) } ?? "—")</td></tr>
            """
        }
        return """
            <table class="rows"><caption class="visually-hidden">Calls, newest first</caption>
            <thead><tr><th scope="col">Started</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Status</th><th scope="col">Length</th>
            <th scope="col">Class</th><th scope="col">Stars</th></tr></thead>
            <tbody>\(rows)</tbody></table>\(NextPageLink.html("/console/calls", request: request, cursor: page.next_cursor, label: "Older calls", drop: ["part"]))
            """
    }

    /// The call's live part, then the forms that judge it: outside the part, so what a person is typing is
    /// not replaced when the call changes.
    static func page(_ viewer: ConsoleViewer, _ call: Call, review: CallReview?, part: HTML) -> HTML {
        """
        <p><a href="/console/calls">All calls</a></p>
        <h1>Call from \(call.from_number) to \(call.to_number)</h1>
        \(callPart(call.id).html(part))
        \(judging(viewer, call, review))
        """
    }

    /// The live part of one call: facts, player, timeline, review and transcript.
    /// One turn of a transcript: who, when, what (a tool's call with its arguments and result).
    static func turn(_ turn: CallTurn) -> HTML {
        let tool: HTML = turn.tool.map { "<pre class=\"tool\">\(String(decoding: $0.jsonBytes, as: UTF8.self))</pre>" } ?? .empty
        return """
            <li class="from-\(turn.role == "caller" ? "visitor" : turn.role == "agent" ? "agent" : "system")"><span class="author">\(turn.role)</span>\
            <time datetime="\(turn.at)">\(String(turn.at.dropFirst(11).prefix(8)))</time>\(HTML.when(turn.interrupted, " <span class=\"tag\">interrupted</span>"))\
            <p>\(turn.text)</p>\(tool)</li>
            """
    }

    static func call(_ call: Call, _ detail: Call.Detail) -> HTML {
        let turns = detail.turns.map(turn)
        let timeline = detail.events.map { event -> HTML in "<li><span class=\"tag\">\(event.status)</span> <time datetime=\"\(event.at)\">\(event.at)</time></li>" }
        let player: HTML = call.has_recording
            ? "<audio controls preload=\"metadata\" src=\"/api/v1/calls/\(call.id)/recording\" aria-label=\"The call's recording\"></audio>"
            : "<p class=\"hint\">No recording\(call.ended_at == nil ? " yet" : "").</p>"
        return """
            <div class="grid2">
            <section class="panel" aria-labelledby="call-facts"><h2 id="call-facts">The call</h2>
            <dl class="facts"><dt>Status</dt><dd><span class="tag" id="call-status">\(call.status)</span></dd>
            <dt>Direction</dt><dd>\(call.lab ? "the voice lab, in text" : call.direction)</dd>
            <dt>Started</dt><dd>\(call.started_at)</dd>
            <dt>Length</dt><dd>\(duration(call.duration_seconds))</dd>
            <dt>Cost</dt><dd>\(call.price.map { money($0, call.price_unit ?? "USD") } ?? "—")</dd>
            \(call.contact_id.map { "<dt>Contact</dt><dd><a href=\"/console/contacts/\($0)\">Open the contact</a></dd>" as HTML } ?? .empty)
            \(call.handoff_reason.map { "<dt>Handed off</dt><dd>\($0)</dd>" as HTML } ?? .empty)
            \(call.callback_note.map { "<dt>Call back</dt><dd>\($0)</dd>" as HTML } ?? .empty)</dl>
            \(player)
            <h3>Timeline</h3><ol class="timeline">\(timeline)</ol>
            </section>
            \(review(call, detail.review))
            </div>
            <section class="panel" aria-labelledby="transcript-heading"><h2 id="transcript-heading">Transcript</h2>
            \(turns.isEmpty ? "<p class=\"hint\">Nothing said yet.</p>" as HTML : "<ol class=\"thread transcript\">\(turns)</ol>")
            </section>
            """
    }

    private static func review(_ call: Call, _ review: CallReview?) -> HTML {
        guard let review else {
            let state = call.review_status.map { $0 == "failed" ? "The review failed." : "The review is on its way." }
                ?? (call.ended_at == nil ? "The review follows when the call ends." : "Not reviewed.")
            return "<section class=\"panel\" aria-labelledby=\"review-heading\"><h2 id=\"review-heading\">Review</h2><p id=\"review-state\">\(state)</p></section>"
        }
        let recommendations = (review.recommendations.arrayValue ?? []).compactMap(\.stringValue).map { "<li>\($0)</li>" as HTML }
        let corrected = (review.overrides.objectValue ?? [:]).keys.sorted()
        let shown = Shown(review)
        return """
            <section class="panel" aria-labelledby="review-heading"><h2 id="review-heading">Review</h2>
            <p id="review-state">Reviewed by \(review.model) at \(review.reviewed_at)\(corrected.isEmpty ? "" : "; corrected: " + corrected.joined(separator: ", ")).</p>
            <dl class="facts"><dt>Summary</dt><dd id="review-summary">\(shown.summary)</dd>
            <dt>Score</dt><dd id="review-score">\(shown.score) / 100</dd><dt>Sentiment</dt><dd>\(shown.sentiment)</dd>
            <dt>Went well</dt><dd>\(shown.success ? "yes" : "no")\(review.success_reason.isEmpty ? "" : ": " + review.success_reason)</dd>
            <dt>Class</dt><dd>\(call.classification?.replacingOccurrences(of: "_", with: " ") ?? "—")</dd>
            <dt>Stars</dt><dd>\(call.rating.map { String(repeating: "★", count: $0) } ?? "—")</dd></dl>
            \(HTML.when(!recommendations.isEmpty, "<h3>What to do better</h3><ul>\(recommendations)</ul>"))
            </section>
            """
    }

    /// The review as the team sees it: people's corrections over what the review said (`CallReview.json`).
    struct Shown {
        let summary: String
        let score: Int
        let sentiment: String
        let success: Bool

        init(_ review: CallReview) {
            let json = review.json
            summary = json["summary"]?.stringValue ?? review.summary
            score = json["score"]?.numberValue.map { Int($0) } ?? review.score
            sentiment = json["sentiment"]?.stringValue ?? review.sentiment
            success = json["success"]?.boolValue ?? review.success
        }
    }

    /// A person's judgement: the class and stars, a correction of the review (what is changed is kept
    /// through later re-runs), and a new review.
    private static func judging(_ viewer: ConsoleViewer, _ call: Call, _ review: CallReview?) -> HTML {
        let classes = CallClass.all.map { item -> HTML in
            "<option value=\"\(item)\"\(HTML.when(item == call.classification, " selected"))>\(item.replacingOccurrences(of: "_", with: " "))</option>"
        }
        let stars = (1...5).map { n -> HTML in
            "<label><input type=\"radio\" name=\"rating\" value=\"\(n)\"\(HTML.when(n == call.rating, " checked"))> \(n)<span class=\"visually-hidden\"> stars</span></label>"
        }
        let correction: HTML = review.map { review in
            let review = Shown(review)
            let sentiments = CallReview.sentiments.map { item -> HTML in "<option value=\"\(item)\"\(HTML.when(item == review.sentiment, " selected"))>\(item)</option>" }
            return """
                <details><summary>Correct the review</summary>
                <form method="post" action="/console/calls/\(call.id)/correct">\(Layout.csrfField(viewer))
                <label for="fix-summary">Summary</label><textarea id="fix-summary" name="summary" rows="3">\(review.summary)</textarea>
                <div class="grid2"><div><label for="fix-score">Score (0-100)</label><input id="fix-score" name="score" type="number" min="0" max="100" value="\(review.score)"></div>
                <div><label for="fix-sentiment">Sentiment</label><select id="fix-sentiment" name="sentiment">\(sentiments)</select></div></div>
                <label class="check"><input type="checkbox" name="success" value="1"\(HTML.when(review.success, " checked"))> The call went well</label>
                <div class="actions"><button type="submit">Save the correction</button></div></form></details>
                """
        } ?? .empty
        return """
            <section class="panel" aria-labelledby="judging-heading"><h2 id="judging-heading">Your judgement</h2>
            <form method="post" action="/console/calls/\(call.id)/judge">\(Layout.csrfField(viewer))
            <label for="call-class">Class</label><select id="call-class" name="classification"><option value="">Not classified</option>\(classes)</select>
            <fieldset class="choice"><legend>Stars</legend>\(stars)</fieldset>
            <div class="actions"><button type="submit">Save the class and stars</button></div></form>
            \(correction)
            \(HTML.when(call.ended_at != nil, "<form method=\"post\" action=\"/console/calls/\(call.id)/review\">\(Layout.csrfField(viewer))<button type=\"submit\" class=\"quiet-dark\">\(review == nil ? "Review it now" : "Review it again")</button></form>"))
            </section>
            """
    }

    static func numbers(_ viewer: ConsoleViewer, _ numbers: [VoiceNumber]) -> HTML {
        let rows = numbers.map { number -> HTML in
            """
            <tr><td data-label="Number">\(number.phoneNumber)</td><td data-label="Name">\(number.name)</td>
            <td data-label="State"><span class="tag">\(number.enabled ? "answering" : "off")</span></td>
            <td><form method="post" action="/console/calls/numbers/\(number.id)/test">\(Layout.csrfField(viewer))\
            <label class="visually-hidden" for="script-\(number.id)">What the test caller says to \(number.name), a line a turn</label>\
            <textarea id="script-\(number.id)" name="script" rows="2">Hello?\nWhat are your opening hours?\nThank you, goodbye</textarea>\
            <button type="submit"\(HTML.when(!number.enabled, " disabled"))>Make a test call<span class="visually-hidden"> to \(number.name)</span></button></form></td>
            <td><form method="post" action="/console/calls/numbers/\(number.id)/enabled">\(Layout.csrfField(viewer))\
            <input type="hidden" name="enabled" value="\(number.enabled ? "0" : "1")"><button type="submit" class="quiet-dark">\(number.enabled ? "Turn off" : "Turn on")<span class="visually-hidden"> \(number.name)</span></button></form></td></tr>
            """
        }
        return """
            <p><a href="/console/calls">All calls</a> · <a href="/console/calls/lab">Voice testing lab</a></p>
            <h1>Numbers</h1>
            \(numbers.isEmpty ? "<p class=\"panel\">No voice numbers yet: add one through the API (POST /api/v1/voice/numbers) or bring in the provider's.</p>" as HTML : """
                <table class="rows"><caption class="visually-hidden">Voice numbers</caption>
                <thead><tr><th scope="col">Number</th><th scope="col">Name</th><th scope="col">State</th><th scope="col">Test call</th><th scope="col"><span class="visually-hidden">On or off</span></th></tr></thead>
                <tbody>\(rows)</tbody></table>
                """)
            <form class="panel" method="post" action="/console/calls/numbers/sync">\(Layout.csrfField(viewer))
            <p class="hint">Bring the numbers in line with the provider account (Twilio's voice numbers, or the simulated account's).</p>
            <button type="submit">Sync with the provider</button></form>
            """
    }
}
