import OzziRuntime

/// `/api/v1/books`, `/api/v1/participants` and `/api/v1/admin/books`: study books (lessons of messages
/// sent day by day from each participant's start date), their participants and analytics.
struct StudyBooksDomain: APIDomain {
    let books: BookStore
    let participants: ParticipantStore
    let study: StudyScheduler
    let bookAnalytics: BookAnalytics
    let contacts: ContactStore
    let workspaces: WorkspaceStore
    let defaultCountry: String

    init(_ api: APIEnvironment) {
        books = BookStore(database: api.database, clock: api.clock)
        participants = ParticipantStore(database: api.database, clock: api.clock)
        study = StudyScheduler(books: books, messages: api.messaging.messages, queue: api.messaging.deliveryQueue, events: api.events)
        bookAnalytics = BookAnalytics(database: api.database,
                                      replyWindowMs: (Int64(api.env.var("STUDY_REPLY_WINDOW_HOURS", default: "24")) ?? 24) * 3_600_000)
        contacts = ContactStore(database: api.database, clock: api.clock)
        workspaces = api.accounts.workspaces
        defaultCountry = api.defaultCountry
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/admin/books").addBookAdminRoutes(self)
        v1.addBookRoutes(self)
    }
}
