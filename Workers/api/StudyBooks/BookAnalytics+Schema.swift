import OzziRuntime

extension BookAnalytics.Report: APIModel {
    static let schemaName = "BookAnalytics"
    static let schema = Schema.object([
        .required("book_id", Schema.string().example("bok_01jd3k5v7n0000000000000000")),
        .required("participants", .model(BookAnalytics.Participants.self)),
        .required("messages", .model(BookAnalytics.Delivery.self)),
        .required("replies", Schema.integer(min: 0).described("Inbound SMS from participants within reply_window_hours after a lesson message was sent")),
        .required("reply_window_hours", Schema.number().example(24)),
        .required("lessons", .array(.model(BookAnalytics.LessonFigures.self))),
    ], closed: true)
}

extension BookAnalytics.Participants: APIModel {
    static let schemaName = "BookParticipantFigures"
    static let schema = Schema.object(["enrolled", "active", "paused", "canceled", "completed"].map { .required($0, .integer(min: 0)) }, closed: true)
}

extension BookAnalytics.Delivery: APIModel {
    static let schemaName = "BookDeliveryFigures"
    static let schema = Schema.object(["scheduled", "pending", "sent", "delivered", "failed", "canceled"].map { .required($0, .integer(min: 0)) }
        + [.optional("success_rate", Schema.number(0...1).described("(sent + delivered) / (sent + delivered + failed); absent before any outcome"))],
        closed: true)
}

extension BookAnalytics.LessonFigures: APIModel {
    static let schemaName = "LessonFigures"
    static let schema = Schema.object([
        .required("lesson_id", Schema.string().example("les_01jd3k5v7n0000000000000000")),
        .required("title", Schema.string().example("The Shepherd")),
        .required("participants", Schema.integer(min: 0).described("Participants whose plan has this lesson")),
        .required("messages", .model(BookAnalytics.Delivery.self)),
        .required("replies", .integer(min: 0)),
    ], closed: true)
}
