/// The FREQ of an event's RRULE: the period each step of the series covers. Only the daily and longer
/// ones, so that a series has at most one occurrence a day, at its start's time of day.
enum RecurrenceFrequency: String, Sendable, CaseIterable {
    case daily = "DAILY", weekly = "WEEKLY", monthly = "MONTHLY", yearly = "YEARLY"
}
