import OzziRuntime

/// The markup of the voice testing lab: a number to talk to, then the conversation — what the agent said so
/// far (its greeting first), a box for what the caller says, and hanging up. The script (`VoiceLabScript`)
/// speaks ConversationRelay on the socket the page names and adds the agent's words as they stream and its
/// tools as they run.
enum CallLabViews {
    static func start(_ viewer: ConsoleViewer, _ numbers: [VoiceNumber], error: String? = nil) -> HTML {
        let answering = numbers.filter(\.enabled)
        let options = answering.map { number -> HTML in "<option value=\"\(number.id)\">\(number.name) (\(number.phoneNumber))</option>" }
        return """
            <p><a href="/console/calls">All calls</a> · <a href="/console/calls/numbers">Numbers</a></p>
            <h1>Voice testing lab</h1>
            <p class="hint">Talk to a number's agent in text before anyone calls it. The lab speaks ConversationRelay to the agent as Twilio \
            does: its words appear as they stream, and its tools run for real (a caller lookup, a message kept, a text to the number you call as).</p>
            \(error.map { "<p class=\"error\" role=\"alert\">\($0)</p>" as HTML } ?? .empty)
            \(answering.isEmpty ? "<p class=\"panel\">No number answers yet: add one, or turn one on, on the <a href=\"/console/calls/numbers\">numbers page</a>.</p>" as HTML : """
                <form class="panel" method="post" action="/console/calls/lab">\(Layout.csrfField(viewer))
                <label for="lab-number">The number whose agent answers</label><select id="lab-number" name="number_id">\(options)</select>
                <label for="lab-from">Call as (optional)</label>
                <input id="lab-from" name="from" type="tel" autocomplete="off" placeholder="\(SimulatedCalls.defaultCaller)" aria-describedby="lab-from-hint">
                <p class="hint" id="lab-from-hint">The agent looks the caller up by this number and texts it; a simulated caller when left empty.</p>
                <div class="actions"><button type="submit">Start talking</button></div></form>
                """)
            """
    }

    /// The conversation: `opened` names the socket; `turns` is what was said before a reload.
    static func conversation(_ viewer: ConsoleViewer, _ opened: VoiceLab.Opened, number: VoiceNumber?, turns: [CallTurn]) -> HTML {
        let call = opened.call
        let settings = number?.settings ?? VoiceSettings()
        let said: HTML = turns.isEmpty
            ? "<li class=\"from-agent\"><span class=\"author\">agent</span><p>\(settings.greeting)</p></li>"
            : "\(turns.map(CallViews.turn))"
        return """
            <p><a href="/console/calls">All calls</a> · <a href="/console/calls/lab">Voice testing lab</a></p>
            <h1>Talking to \(number?.name ?? "the agent")</h1>
            <section class="panel lab" aria-labelledby="lab-heading" data-voice-lab="\(opened.socketPath)" data-call-id="\(call.id)" \
            data-call-sid="\(call.call_sid)" data-from="\(call.from_number)" data-to="\(call.to_number)" data-language="\(settings.language)">
            <h2 id="lab-heading">The conversation, as the caller \(call.from_number)</h2>
            <p id="lab-state" role="status">Connecting to the agent…</p>
            <ol class="thread lab-thread" id="lab-thread" tabindex="0" aria-label="What was said" aria-live="polite" aria-relevant="additions">\(said)</ol>
            <form id="lab-say" class="reply">
            <label for="lab-text">What the caller says</label>
            <textarea id="lab-text" name="text" rows="2" maxlength="2000" data-submit-on-enter aria-describedby="lab-say-hint"></textarea>
            <p class="hint" id="lab-say-hint">Enter sends; saying something while the agent speaks interrupts it, as a caller would.</p>
            <div class="actions"><button type="submit" disabled>Say it</button></div>
            </form>
            <form method="post" action="/console/calls/lab/\(call.id)/end">\(Layout.csrfField(viewer))
            <button type="submit" class="quiet-dark">Hang up and see the call</button></form>
            </section>
            """
    }
}
