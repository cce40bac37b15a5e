import OzziRuntime

/// Calendars: the team's week (`?week=` any day of it), every member's events in the viewer's zone, read
/// through the same answer as `GET /calendars/team`.
extension ConsolePages {
    func addCalendarPages(_ console: ConsoleDomain) {
        let shell = console.shell
        let calendars = console.domains.calendars

        get("/console/calendars") { request, _, viewer in
            let today = Int(calendars.clock.milliseconds / 86_400_000)
            var asked = today
            if let week = request.queryParameter("week") {
                guard let day = CivilDate.day(week) else { throw APIError.invalidField("week", "is a date, YYYY-MM-DD") }
                asked = day
            }
            let monday = CalendarViews.monday(of: asked)
            let query = FormEncoding.encode([("from", CivilDate.text(monday)), ("to", CivilDate.text(monday + 7))])
            let team = try await calendars.teamAnswer(Request(method: "GET", target: "/?" + query), viewer.principal)
            return try await shell.page(viewer, title: "Team calendar", section: .calendars, CalendarViews.week(team, monday: monday, todayDay: today))
        }
    }
}
