import Logging
import OzziRuntime

/// Brings a chosen Google calendar's events into its local copy: incrementally from the sync token the
/// last sync ended with, or in full when there is none or Google no longer honours it (410
/// `fullSyncRequired`), a full sync then deleting what it no longer saw. Pages are applied as they come,
/// the sync token kept only once the last page is in, so a sync cut short is made again from where the
/// last whole one ended. One sync of a calendar runs at a time (`GoogleLinkStore.claim`).
struct GoogleCalendarSync: Sendable {
    let access: GoogleAccess
    let connections: GoogleConnectionStore
    let links: GoogleLinkStore
    let database: any SQLDatabase
    let clock: any WallClock

    /// Syncs the calendar, or has the sync running it go round once more.
    func sync(calendarID: String) async throws {
        guard var link = try await links.get(id: calendarID), let holder = try await links.claim(link) else { return }
        do {
            repeat {
                link = try await links.get(id: calendarID) ?? link
                try await run(link, holder: holder)
            } while !(try await links.release(link, holder: holder))
        } catch {
            try? await links.abandon(link, holder: holder)
            try? await links.failed(link, "\(error)")
            throw error
        }
    }

    private func run(_ link: GoogleCalendarLink, holder: String) async throws {
        let listedFromMs = clock.milliseconds
        guard let connection = try await connections.get(id: link.connectionID) else { return }
        var syncToken = link.syncToken
        var pageToken: String?
        var seen: [String] = []
        var waiting: [GoogleEvent] = []
        while true {
            // A full listing asks for cancelled events too: an occurrence cancelled in a series is one.
            var query: [(String, String)] = [("maxResults", "250"), syncToken.map { ("syncToken", $0) } ?? ("showDeleted", "true")]
            if let pageToken { query.append(("pageToken", pageToken)) }
            let answer = try await access.send(connection, "GET", link.eventsPath, query: query)
            if answer.status == 410, syncToken != nil {
                (syncToken, pageToken, seen, waiting) = (nil, nil, [], [])
                continue
            }
            guard answer.status == 200, let json = answer.json else { throw GoogleCalendarError.failed(status: answer.status, message: answer.message) }
            let items = json["items"]?.arrayValue?.compactMap(GoogleEvent.init) ?? []
            if syncToken == nil { seen += items.filter { !$0.cancelled }.map(\.id) }
            // An occurrence can come on a page before its series: it waits for the pages after.
            waiting = try await apply(waiting + items, to: link)
            if let next = json["nextPageToken"]?.stringValue {
                // A sync that lost its lease (it ran past it, and another took over) stops: the other one finishes.
                guard try await links.renew(link, holder: holder) else { return }
                pageToken = next
                continue
            }
            if syncToken == nil { _ = try await links.removeUnseen(link, seen: seen, listedFromMs: listedFromMs) }
            try await links.synced(link, token: json["nextSyncToken"]?.stringValue)
            return
        }
    }

    /// Applies a page in one transaction; answers the occurrences whose series is not here yet.
    func apply(_ items: [GoogleEvent], to link: GoogleCalendarLink) async throws -> [GoogleEvent] {
        guard !items.isEmpty else { return [] }
        return try await database.transaction { [clock] tx in
            let now = Timestamp.now(clock)
            var applier = GoogleEventApplier(tx, link: link, now: now)
            for item in items where item.recurringEventID == nil { try applier.applySeries(item) }
            var waiting: [GoogleEvent] = []
            for item in items where item.recurringEventID != nil {
                if try !applier.applyInstance(item) { waiting.append(item) }
            }
            try WorkspaceEvents.record(tx, applier.recorded, at: now)
            return waiting
        }
    }
}
