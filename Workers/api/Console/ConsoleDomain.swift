import OzziRuntime

/// The console: the pages a team works in, served by the api worker at `/` and below `/console` (routes of
/// the worker, not of the API, so not in its document). Server-rendered HTML on the API's own browser
/// session; every form and every change carries the session's CSRF token; one stylesheet and one small
/// script of its own, nothing fetched from elsewhere. Each section's pages are a file in `Pages/` that asks
/// its domain's stores directly, so a page costs what its queries cost.
struct ConsoleDomain: APIDomain {
    let shell: ConsoleShell
    let auth: AuthDomain
    let domains: Sections
    /// The workspace's events: a change made from a page is flushed to the live stream at once.
    let events: WorkspaceEvents
    let groups: GroupStore
    let books: BookStore
    /// Where the host says it is (`PUBLIC_URL`): a URL below it is the console's own origin.
    let publicURL: String
    let firstRun: FirstRunFacts

    /// The domains whose pages it shows (each also registers its own API).
    struct Sections {
        let contacts: ContactsDomain
        let messaging: MessagingDomain
        let campaigns: CampaignsDomain
        let conversations: ConversationsDomain
        let forms: FormsDomain
        let voice: VoiceDomain
        let communities: CommunitiesDomain
        let calendars: CalendarsDomain
        let seo: LocalSEODomain
        let video: VideoDomain
    }

    init(_ api: APIEnvironment, auth: AuthDomain, _ sections: Sections) {
        let sessions = ConsoleSessions(principals: api.accounts.authenticator.principals, sessions: api.accounts.sessions,
                                       csrf: api.accounts.authenticator.csrf)
        shell = ConsoleShell(sessions: sessions, workspaces: api.accounts.workspaces)
        self.auth = auth
        domains = sections
        events = api.events
        groups = sections.contacts.groups
        books = BookStore(database: api.database, clock: api.clock)
        publicURL = api.publicURL
        firstRun = FirstRunFacts(api)
    }

    func routes(_ v1: RouteGroup) {
        let pages = ConsolePages(routes: v1.routes, shell: shell)
        pages.addAccessPages(self)
        pages.addContactPages(self)
        pages.addComposePages(self)
        pages.addInboxPages(self)
        pages.addMessagePages(self)
        pages.addCampaignPages(self)
        pages.addFormPages(self)
        pages.addCallPages(self)
        pages.addCallLabPages(self)
        pages.addCommunityPages(self)
        pages.addCalendarPages(self)
        pages.addSEOPages(self)
        pages.addVideoPages(self)
        pages.addAdminPages(self)
    }

    /// Where a sign-in may send the browser afterwards: a console page, never another site.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/console"), !next.hasPrefix("//"), !next.contains("\\"),
              !next.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return "/console" }
        return next
    }
}
