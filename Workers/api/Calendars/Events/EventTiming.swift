/// What an event's range depends on, from a body or a stored event.
struct EventTiming {
    let allDay: Bool
    let start: Int64
    let end: Int64
    let timeZone: String?
    let recurrence: EventRecurrence?

    init(allDay: Bool, start: Int64, end: Int64, timeZone: String?, recurrence: EventRecurrence?) {
        (self.allDay, self.start, self.end, self.timeZone, self.recurrence) = (allDay, start, end, timeZone, recurrence)
    }

    init(_ event: CalendarEvent) {
        (allDay, start, end, timeZone, recurrence) = (event.allDay, event.start, event.end, event.timeZone, event.recurrence)
    }

    init(_ input: EventInput) {
        (allDay, start, end, timeZone, recurrence) = (input.allDay, input.start, input.end, input.timeZone, input.recurrence)
    }
}
