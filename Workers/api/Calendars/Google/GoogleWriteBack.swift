import OzziRuntime

/// Changes to a Google calendar's events are made in Google first, then kept: the API answers only what
/// Google accepted. A change carries `If-Match` with the etag last synced, so an event edited in Google
/// meanwhile is not overwritten: Google's version is fetched and applied, and the change answers 412 (a
/// caller without If-Match has it made again on that version, as for local races). A new event's Google id
/// is derived from its local id and sent with the insert, so a retried or repeated insert is refused as a
/// duplicate instead of making a second event — the round trip never duplicates.
struct GoogleWriteBack: Sendable {
    let access: GoogleAccess
    let connections: GoogleConnectionStore
    let links: GoogleLinkStore
    let sync: GoogleCalendarSync
    let events: CalendarEventStore

    /// Base32hex (`a-v0-9`, as Google requires of client ids): the local id's SHA-256 in hex is within it.
    static func googleID(for localID: String) -> String {
        String(Crypto.sha256Hex(localID).prefix(32))
    }

    /// The Google side of a calendar: nil for a built-in one.
    func target(_ calendar: MemberCalendar) async throws -> (GoogleCalendarLink, GoogleConnection)? {
        guard calendar.source == "google" else { return nil }
        guard let link = try await links.get(id: calendar.id), let connection = try await connections.get(id: link.connectionID) else {
            throw APIError.notFound("calendar")
        }
        guard connection.isConnected else {
            throw APIError.conflict("the Google account behind this calendar is disconnected: connect it again to change its events",
                                    details: ["state": "disconnected"])
        }
        return (link, connection)
    }

    /// Inserts the event (already kept with its Google id and no etag) in Google and keeps Google's version.
    /// When Google refuses it, the local row goes too and the error is the caller's; when Google does not
    /// answer, the event stays (accepted) and the sweep finishes the insert.
    func insert(_ event: CalendarEvent, googleID: String, input: EventInput, into target: (GoogleCalendarLink, GoogleConnection)) async throws {
        let (link, connection) = target
        do {
            let answer = try await access.send(connection, "POST", link.eventsPath, body: GoogleEventBody.insert(GoogleEventBody.series(input), id: googleID))
            switch answer.status {
            case 200:
                if let version = GoogleVersion(answer.json) { try await events.adopt(event.id, remote: version) }
            case 409 where answer.reason == "duplicate":
                // Made by an earlier attempt whose answer was lost: adopt it.
                try await refresh(googleID, event: event.id, in: target)
            case 429, 500...599:
                // Google may yet take it: kept, and sent again by the sweep (`finishInserts`) with the same id.
                return
            default:
                throw GoogleCalendarError.failed(status: answer.status, message: answer.message)
            }
        } catch GoogleCalendarError.unreachable {
            // The insert may have landed: the sweep sends it again, and a duplicate id says it did.
            return
        } catch {
            try? await events.delete(link.scope, event, ifMatch: nil)
            throw Self.apiError(error)
        }
    }

    /// Events made here whose insert into Google never finished (the host stopped between keeping the row and
    /// Google's answer): sent again with the same id, so Google either takes it now or says it has it.
    func finishInserts(startedBefore: String) async throws {
        let rows = try await events.database.prepare("""
            SELECT e.id, e.workspace_id, e.calendar_id, e.google_id FROM calendar_events e JOIN calendars c ON c.id = e.calendar_id
            WHERE e.google_id IS NOT NULL AND e.google_etag IS NULL AND e.created_at < ? AND c.source = 'google' ORDER BY e.created_at LIMIT 100
            """).bind(startedBefore).all()
        for row in rows {
            guard let id = row.text("id"), let workspace = row.text("workspace_id"), let calendarID = row.text("calendar_id"),
                  let googleID = row.text("google_id"), let link = try await links.get(id: calendarID),
                  let connection = try await connections.get(id: link.connectionID), connection.isConnected,
                  let event = try await events.get(TenantScope(workspaceID: workspace), id: id) else { continue }
            let body = GoogleEventBody.series(title: event.title, description: event.description, location: event.location, timing: EventTiming(event),
                                              busy: event.busy, isPrivate: event.isPrivate, attendees: event.attendees)
            // One event's failure is its own: the others are still sent.
            guard let answer = try? await access.send(connection, "POST", link.eventsPath, body: GoogleEventBody.insert(body, id: googleID)) else { continue }
            switch answer.status {
            case 200:
                if let version = GoogleVersion(answer.json) { try? await events.adopt(id, remote: version) }
            case 409:
                try? await refresh(googleID, event: id, in: (link, connection))
            case 400..<500 where answer.status != 429:
                // Google will never take it: it is not kept here either.
                try? await events.delete(link.scope, event, ifMatch: nil)
            default:
                continue
            }
        }
    }

    /// Patches the series in Google as `input` says; answers Google's new version.
    func update(_ event: CalendarEvent, input: EventInput, in target: (GoogleCalendarLink, GoogleConnection)) async throws -> GoogleVersion? {
        guard let (googleID, etag) = try await events.googleIdentity(event), let changes = GoogleEventBody.changes(from: event, to: input) else { return nil }
        let answer = try await send(target, "PATCH", "/" + GoogleCalendarAPI.segment(googleID), body: .object(changes),
                                    ifMatch: etag, googleID: googleID, event: event)
        return GoogleVersion(answer.json)
    }

    func delete(_ event: CalendarEvent, in target: (GoogleCalendarLink, GoogleConnection)) async throws {
        guard let (googleID, etag) = try await events.googleIdentity(event) else { return }
        _ = try await send(target, "DELETE", "/" + GoogleCalendarAPI.segment(googleID), body: nil, ifMatch: etag, googleID: googleID, event: event,
                           goneIsDone: true)
    }

    /// One occurrence changed, moved or cancelled: Google's instance of it (`<id>_<original start>`).
    func occurrence(_ exception: EventException, of event: CalendarEvent, in target: (GoogleCalendarLink, GoogleConnection)) async throws {
        guard let (googleID, _) = try await events.googleIdentity(event) else { return }
        let instance = googleID + "_" + GoogleTime.instanceSuffix(exception.originalStart, allDay: event.allDay, zone: event.zone ?? .utc)
        if exception.cancelled {
            _ = try await send(target, "DELETE", "/" + GoogleCalendarAPI.segment(instance), body: nil, ifMatch: nil, googleID: googleID, event: event,
                               goneIsDone: true)
        } else {
            _ = try await send(target, "PATCH", "/" + GoogleCalendarAPI.segment(instance), body: .object(GoogleEventBody.occurrence(exception, of: event)),
                               ifMatch: nil, googleID: googleID, event: event)
        }
    }

    private func send(_ target: (GoogleCalendarLink, GoogleConnection), _ method: String, _ path: String, body: JSONValue?, ifMatch: String?,
                      googleID: String, event: CalendarEvent, goneIsDone: Bool = false) async throws -> GoogleCalendarAPI.Answer {
        let (link, connection) = target
        let answer: GoogleCalendarAPI.Answer
        do {
            answer = try await access.send(connection, method, link.eventsPath + path, body: body, ifMatch: ifMatch)
        } catch {
            throw Self.apiError(error)
        }
        switch answer.status {
        case 200..<300:
            return answer
        case 404 where goneIsDone, 410 where goneIsDone:
            return answer
        case 412:
            // Edited in Google since the last sync: Google's version is applied here, and the change is the caller's to make again.
            try await refresh(googleID, event: event.id, in: target)
            let current = try await events.get(link.scope, id: event.id)
            throw APIError.preconditionFailed("the event (it changed in Google Calendar)", etag: current?.etag ?? event.etag)
        default:
            throw Self.apiError(GoogleCalendarError.failed(status: answer.status, message: answer.message))
        }
    }

    /// Reads the event from Google and applies it here.
    private func refresh(_ googleID: String, event: String, in target: (GoogleCalendarLink, GoogleConnection)) async throws {
        let (link, connection) = target
        let answer = try await access.send(connection, "GET", link.eventsPath + "/" + GoogleCalendarAPI.segment(googleID))
        guard answer.status == 200, let json = answer.json, let item = GoogleEvent(json) else { return }
        _ = try await sync.apply([item], to: link)
    }

    static func apiError(_ error: any Error) -> any Error {
        switch error {
        case let error as GoogleCalendarError:
            switch error {
            case .disconnected:
                return APIError.conflict(error.description, details: ["state": "disconnected"])
            case .failed(let status, let message) where status == 400:
                return APIError(status: 422, code: "provider_rejected", message: "Google Calendar refused the change: \(message)")
            case .failed(let status, let message) where [403, 404].contains(status):
                return APIError.conflict("Google Calendar does not let this account change it (\(status)): \(message)",
                                         details: ["state": "refused"])
            default:
                return APIError(status: 502, code: "provider_error", message: error.description)
            }
        default:
            return error
        }
    }
}
