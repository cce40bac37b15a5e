import Logging
import OzziRuntime

/// Google Calendar for members' calendars, when a `google` OAuth client is configured: connecting an
/// account (OAuth with offline access and PKCE), choosing its calendars, keeping them in sync both ways
/// (`GoogleCalendarSync`, `GoogleWriteBack`), and the push channels and periodic sync that keep them current.
struct GoogleCalendars: Sendable {
    let config: GoogleCalendarConfig
    let oauth: OAuthFlow
    let connections: GoogleConnectionStore
    let links: GoogleLinkStore
    let access: GoogleAccess
    let sync: GoogleCalendarSync
    let channels: GoogleChannels
    let writeBack: GoogleWriteBack
    let jobs: any QueueProducer
    let clock: any WallClock
    let logger: Logger
    /// How often each calendar is synced whatever the pushes say: a lost notification is caught by it.
    let syncIntervalMs: Int64

    init?(_ api: APIEnvironment, events: CalendarEventStore) throws {
        guard let config = try GoogleCalendarConfig.load(api.env, publicURL: api.publicURL) else { return nil }
        let env = api.env
        self.config = config
        oauth = OAuthFlow(providers: [config.provider.name: config.provider], kv: try env.kv("KV"), outbound: env.outbound)
        connections = GoogleConnectionStore(database: api.database, clock: api.clock,
                                            key: CredentialKey.derive(api.sealingKey, for: "google-calendar-tokens"))
        links = GoogleLinkStore(database: api.database, clock: api.clock)
        access = GoogleAccess(config: config, connections: connections, api: GoogleCalendarAPI(base: config.apiBase, outbound: env.outbound),
                              outbound: env.outbound, clock: api.clock)
        sync = GoogleCalendarSync(access: access, connections: connections, links: links, database: api.database, clock: api.clock)
        channels = GoogleChannels(config: config, access: access, connections: connections, links: links, clock: api.clock)
        writeBack = GoogleWriteBack(access: access, connections: connections, links: links, sync: sync, events: events)
        jobs = try env.queue("JOBS")
        clock = api.clock
        logger = api.logger
        // 0: every sweep (tests, and hosts that cannot take pushes and want changes soonest).
        syncIntervalMs = Int64(max(0, Double(env.var("GOOGLE_CALENDAR_SYNC_MINUTES", default: "15")) ?? 15) * 60_000)
    }

    func queueSync(_ calendarIDs: [String]) async throws {
        try await jobs.sendAll(calendarIDs.map { GoogleCalendarSyncJob(calendarID: $0).message })
    }

    /// The every-minute sweep: channels due for renewal are replaced, and calendars not synced for an
    /// interval are synced (the backstop for a notification that never came).
    func maintain() async throws {
        let now = clock.milliseconds
        let due = try await links.due(syncedBefore: now - syncIntervalMs, queuedBefore: now - max(syncIntervalMs, 600_000), renewBy: now,
                                      watching: config.watches)
        var stale: [String] = []
        var renewed = 0
        for link in due {
            // At most 50 channels a sweep, so one sweep is over well before the next.
            if config.watches, renewed < 50, link.channelRenewMs.map({ $0 <= now }) ?? true {
                renewed += 1
                do {
                    try await channels.watch(link)
                } catch {
                    logger.warning("google calendar channel renewal failed", metadata: ["calendar_id": "\(link.id)", "error": "\(error)"])
                }
            }
            if link.syncedAtMs.map({ $0 < now - syncIntervalMs }) ?? true { stale.append(link.id) }
        }
        try await queueSync(stale)
        try await links.queued(stale)
        try await writeBack.finishInserts(startedBefore: Timestamp.at(milliseconds: now - 60_000))
    }

    /// A sync job: a calendar whose account was disconnected is left until it is connected again.
    func run(_ job: GoogleCalendarSyncJob, _ message: QueueMessage) async {
        do {
            try await sync.sync(calendarID: job.calendarID)
            message.ack()
        } catch GoogleCalendarError.disconnected {
            message.ack()
        } catch {
            logger.warning("google calendar sync failed", metadata: ["calendar_id": "\(job.calendarID)", "attempt": "\(message.attempts)", "error": "\(error)"])
            if message.attempts >= 8 { message.ack() } else { message.retry(delaySeconds: min(600, 5 * Double(1 << min(message.attempts, 7)))) }
        }
    }
}

extension GoogleCalendars {
    /// The member's connection, when it is connected.
    func connected(_ principal: Principal) async throws -> GoogleConnection {
        guard let connection = try await connections.get(principal.scope, userID: principal.userID) else {
            throw APIError.conflict("connect your Google account first (POST /api/v1/calendars/google/connect)", details: ["state": "not_connected"])
        }
        guard connection.isConnected else {
            throw APIError.conflict(GoogleCalendarError.disconnected.description, details: ["state": "disconnected"])
        }
        return connection
    }

    /// The account's calendars, every page.
    func calendarList(_ connection: GoogleConnection) async throws -> [GoogleCalendarListEntry] {
        var entries: [GoogleCalendarListEntry] = []
        var pageToken: String?
        repeat {
            let answer: GoogleCalendarAPI.Answer
            do {
                answer = try await access.send(connection, "GET", "/users/me/calendarList", query: [("maxResults", "250")] + (pageToken.map { [("pageToken", $0)] } ?? []))
            } catch {
                throw GoogleWriteBack.apiError(error)
            }
            guard answer.status == 200, let json = answer.json else {
                throw APIError(status: 502, code: "provider_error", message: "Google's calendar list answered \(answer.status): \(answer.message)")
            }
            entries += (json["items"]?.arrayValue ?? []).compactMap { GoogleCalendarListEntry($0, defaultZone: "UTC") }
            pageToken = json["nextPageToken"]?.stringValue
        } while pageToken != nil && entries.count < 5_000
        return entries
    }

    /// A calendar just chosen: watched, and synced by a job.
    func started(_ link: GoogleCalendarLink) async throws {
        do {
            try await channels.watch(link)
        } catch {
            // The periodic sync stands in until the every-minute sweep makes the channel.
            logger.warning("google calendar watch failed", metadata: ["calendar_id": "\(link.id)", "error": "\(error)"])
        }
        try await queueSync([link.id])
    }

    func status(_ connection: GoogleConnection) async throws -> JSONValue {
        var object: [String: JSONValue] = ["status": .string(connection.status)]
        if let email = connection.googleEmail { object["email"] = .string(email) }
        if let reason = connection.statusReason { object["reason"] = .string(reason) }
        object["calendars"] = .array(try await links.all(connectionID: connection.id).map { link in
            var calendar: [String: JSONValue] = ["calendar_id": .string(link.id), "google_calendar_id": .string(link.googleCalendarID),
                                                 "push": .bool(link.channelID != nil)]
            if let synced = link.syncedAtMs { calendar["synced_at"] = .string(Timestamp.at(milliseconds: synced)) }
            if let error = link.syncError { calendar["sync_error"] = .string(error) }
            return .object(calendar)
        })
        return .object(object)
    }

    static let statusSchema = Schema.object([
        .required("status", Schema.oneOf(["not_connected", "connected", "disconnected"])
            .described("disconnected: Google no longer honours the grant (revoked or expired); connect again")),
        .optional("email", Schema.string().example("ada@example.com")),
        .optional("reason", Schema.string().example("revoked")),
        .required("calendars", Schema.array(Schema.object([
            .required("calendar_id", Schema.string()), .required("google_calendar_id", Schema.string()),
            .required("push", Schema.boolean.described("Whether a push channel watches it (else the periodic sync alone keeps it current)")),
            .optional("synced_at", Schema.timestamp), .optional("sync_error", Schema.string()),
        ], closed: true))),
    ], closed: true)

    static let listedSchema = Schema.object([
        .required("google_calendar_id", Schema.string().example("ada@example.com")), .required("name", Schema.string()),
        .required("time_zone", Schema.string().example("America/New_York")), .required("primary", Schema.boolean),
        .required("access_role", Schema.string().example("owner")),
        .optional("calendar_id", Schema.string().described("Set when it is shown here: its calendar id")),
    ], closed: true)
}
