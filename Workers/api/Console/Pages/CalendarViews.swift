import OzziRuntime

/// The markup of the team's week: a row a member, a column a day (Monday first), each cell the member's
/// occurrences that day in the viewer's zone, all-day ones first; another member's private event says Busy.
enum CalendarViews {
    static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// Day numbers of the Monday on or before `day` (1970-01-01 was a Thursday).
    static func monday(of day: Int) -> Int { day - ((day % 7 + 7 + 3) % 7) }

    static func week(_ team: JSONValue, monday: Int, todayDay: Int) -> HTML {
        let days = (0..<7).map { monday + $0 }
        let head = days.enumerated().map { index, day -> HTML in
            let date = CivilDate.text(day)
            return "<th scope=\"col\"\(HTML.when(day == todayDay, " class=\"today\" aria-current=\"date\""))>\(weekdays[index]) <time datetime=\"\(date)\">\(String(date.suffix(5)))</time></th>"
        }
        let members = team["members"]?.arrayValue ?? []
        let rows = members.map { member -> HTML in
            var byDay: [Int: [(sortKey: String, html: HTML)]] = [:]
            for occurrence in member["occurrences"]?.arrayValue ?? [] {
                let start = occurrence["start"]?.stringValue ?? "", end = occurrence["end"]?.stringValue ?? ""
                let title = occurrence["title"]?.stringValue ?? ""
                if occurrence["all_day"] == true {
                    // An all-day event covers each day up to its (exclusive) end.
                    guard let first = CivilDate.day(String(start.prefix(10))), let last = CivilDate.day(String(end.prefix(10))) else { continue }
                    for day in max(first, monday)..<min(max(last, first + 1), monday + 7) {
                        byDay[day, default: []].append(("0", "<li class=\"all-day\">All day: \(title)</li>"))
                    }
                } else if let day = CivilDate.day(String(start.prefix(10))) {
                    let from = String(start.dropFirst(11).prefix(5)), to = String(end.dropFirst(11).prefix(5))
                    byDay[day, default: []].append(("1" + from, "<li><time datetime=\"\(start)\">\(from)</time>–<time datetime=\"\(end)\">\(to)</time> \(title)</li>"))
                }
            }
            let cells = days.map { day -> HTML in
                let items = (byDay[day] ?? []).sorted { $0.sortKey < $1.sortKey }.map(\.html)
                return "<td\(HTML.when(day == todayDay, " class=\"today\""))>\(items.isEmpty ? HTML.empty : "<ul class=\"day\">\(items)</ul>")</td>"
            }
            let name = member["name"]?.stringValue ?? member["email"]?.stringValue ?? member["user_id"]?.stringValue ?? ""
            return "<tr><th scope=\"row\">\(name)<br><span class=\"hint\">\(member["time_zone"]?.stringValue ?? "")</span></th>\(cells)</tr>"
        }
        let zone = team["time_zone"]?.stringValue ?? "UTC"
        return """
            <h1>Team calendar</h1>
            <nav class="week-nav" aria-label="Weeks">
            <a href="/console/calendars?week=\(CivilDate.text(monday - 7))">Previous week</a>
            <a href="/console/calendars">This week</a>
            <a href="/console/calendars?week=\(CivilDate.text(monday + 7))">Next week</a>
            <form method="get" action="/console/calendars" class="inline-form"><label for="week-of">Week of</label>
            <input id="week-of" name="week" type="date" value="\(CivilDate.text(monday))"><button type="submit" class="small">Show</button></form>
            </nav>
            <p class="hint">Times in \(zone), your calendar's zone.</p>
            <div class="scroll"><table class="week"><caption class="visually-hidden">The team's week of \(CivilDate.text(monday))</caption>
            <thead><tr><th scope="col">Member</th>\(head)</tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }
}
