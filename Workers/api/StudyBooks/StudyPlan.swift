import Foundation

/// When each lesson message goes to a participant: `day_offset` days after the start date, at
/// `send_time` in the participant's time zone (a time in a DST gap moves forward). Pure.
enum StudyPlan {
    struct Send: Equatable, Sendable {
        let lessonID: String
        let lessonMessageID: String
        let body: String
        let dueMs: Int64
    }

    /// The sends of the selected, active lessons, in time order.
    static func sends(startDate: String, zone: TimeZone, lessons: [Lesson], selected: Set<String>) -> [Send] {
        guard let start = CivilDate.day(startDate) else { return [] }
        var sends: [Send] = []
        for lesson in lessons where lesson.active && selected.contains(lesson.id) {
            for message in lesson.messages ?? [] {
                let (y, m, d) = CivilDate.civil(fromDays: start + message.day_offset)
                let (hour, minute) = message.hourMinute
                guard let due = ScheduleTime.localInstant(year: y, month: m, day: d, hour: hour, minute: minute, in: zone) else { continue }
                sends.append(Send(lessonID: lesson.id, lessonMessageID: message.id, body: message.body, dueMs: due))
            }
        }
        return sends.sorted { $0.dueMs < $1.dueMs }
    }
}
