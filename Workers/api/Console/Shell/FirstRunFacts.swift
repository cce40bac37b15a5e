import OzziRuntime

/// What the first-run page tells someone who just started the host: where each part answers and where
/// the data lives, from the api worker's own configuration.
struct FirstRunFacts: Sendable {
    let publicURL: String
    let database: String
    let dataDirectory: String
    let widgetURL: String
    let formsURL: String
    let voiceURL: String
    let systemEmail: String

    init(_ api: APIEnvironment) {
        publicURL = api.publicURL
        database = api.database.dialect == .sqlite ? "SQLite (embedded)" : "PostgreSQL (shared with the other hosts)"
        dataDirectory = api.env.dataDirectory
        widgetURL = api.env.var("WIDGET_URL", default: api.publicURL + "/widget")
        formsURL = api.env.var("FORMS_URL", default: api.publicURL + "/forms")
        voiceURL = api.env.var("VOICE_URL", default: api.publicURL + "/voice")
        systemEmail = api.env.var("SYSTEM_EMAIL_PROVIDER", default: "simulated")
    }
}
