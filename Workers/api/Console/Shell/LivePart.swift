/// A part of a page that follows the workspace's live stream: when one of `events` arrives (for `id`, when
/// the event's `key` field must match), and when the stream (re)connects, the console's script fetches the
/// same page with `?part=name` and puts the answer in place of the part's content. The server renders the
/// part once for the page and again for the script, so both always show the same thing; no polling.
struct LivePart {
    let name: String
    let events: [String]
    var key: String?
    var id: String?

    /// The part's element around `content`; `polite` makes a screen reader read what changed.
    func html(_ content: HTML, element: String = "div", polite: Bool = false, label: String? = nil) -> HTML {
        let match: HTML = key.map { key in " data-live-key=\"\(key)\" data-live-id=\"\(id ?? "")\"" } ?? .empty
        return """
            <\(HTML(raw: element)) id="live-\(name)" data-live-part="\(name)" data-live-events="\(events.joined(separator: " "))"\(match)\
            \(HTML.when(polite, " aria-live=\"polite\""))\(label.map { " aria-label=\"\($0)\"" as HTML } ?? .empty)>\(content)</\(HTML(raw: element))>
            """
    }
}
