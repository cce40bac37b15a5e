/// Why an RRULE was refused, naming the part at fault so that the message can go back to whoever wrote
/// the rule as it is (an API client, a calendar import).
struct RecurrenceRuleError: Error, CustomStringConvertible, Equatable {
    let description: String
}
