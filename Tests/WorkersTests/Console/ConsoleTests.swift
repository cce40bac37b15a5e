import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// The console's pages in process: signing in and out through its forms, CSRF on every change (the
/// console's forms and the API called with the session cookie), the session renewed from the refresh
/// cookie, escaping, and the workspace switcher. A browser drives the same pages in `BrowserTests`.
@Suite struct ConsoleTests {
    /// A browser's cookie jar, enough for these pages: every `Set-Cookie` on the console's paths kept by name,
    /// expired ones dropped (others, such as the expiry of the API's old cookie paths, are not the pages').
    struct Jar {
        var cookies: [String: String] = [:]

        mutating func take(_ response: TestResponse) {
            for line in response.cookies where line.contains("Path=/;") || line.contains("Path=/console;") {
                let pair = line.prefix { $0 != ";" }
                guard let equals = pair.firstIndex(of: "=") else { continue }
                let name = String(pair[..<equals]), value = String(pair[pair.index(after: equals)...])
                if line.contains("Max-Age=0") || value.isEmpty { cookies[name] = nil } else { cookies[name] = value }
            }
        }

        var header: [String: String] {
            cookies.isEmpty ? [:] : ["Cookie": cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]
        }
    }

    static let form = ["Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"]

    static func encoded(_ fields: [(String, String)]) -> String { FormEncoding.encode(fields) }

    /// The value of `<input name="_csrf" value="...">` or the page's csrf-token meta.
    static func csrf(in page: String) -> String? {
        for marker in ["name=\"_csrf\" value=\"", "name=\"csrf-token\" content=\""] {
            if let start = page.range(of: marker) { return String(page[start.upperBound...].prefix { $0 != "\"" }) }
        }
        return nil
    }

    /// Signs in through the console's form as a browser does; the jar then holds the session.
    static func signIn(_ api: WorkerTestHost, _ jar: inout Jar, email: String = "owner@example.com", password: String = "correct horse battery",
                       next: String = "/console/contacts") async throws -> TestResponse {
        let page = try await api.call("GET", "/console/signin", headers: jar.header)
        jar.take(page)
        let token = try #require(csrf(in: page.body))
        let answer = try await api.call("POST", "/console/signin", raw: encoded([("_csrf", token), ("email", email), ("password", password), ("next", next)]),
                                        headers: form.merging(jar.header) { $1 })
        jar.take(answer)
        return answer
    }

    @Test func theFirstRunPageShowsUntilSomeoneSignsIn() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let first = try await api.call("GET", "/")
        #expect(first.status == 200 && first.body.contains("Ozzi Edge is running") && (first.body.contains("SQLite") || first.body.contains("PostgreSQL")))
        #expect(first.headers["content-security-policy"]?.contains("script-src 'self'") == true)
        // Where the data lives on disk is told only on the host's own machine, not through a proxy.
        func on(_ remote: String, _ headers: HTTPHeaders = [:]) -> Bool {
            FirstRunPage.isOnThisMachine(Request(method: "GET", target: "/", headers: headers, remoteAddress: remote))
        }
        #expect(on("127.0.0.1:50412") && on("[::1]:50412") && on("127.8.0.1:1"))
        #expect(!on("203.0.113.9:50412") && !on("10.0.0.2:1") && !on("[2001:db8::1]:1") && !on("in-process"))
        #expect(!on("127.0.0.1:50412", ["x-forwarded-for": "203.0.113.9"]) && !on("127.0.0.1:50412", ["forwarded": "for=203.0.113.9"]))
        let worker = try #require(api.host.workers["api"] as? APIWorker)
        let console = try #require(worker.domains.compactMap { $0 as? ConsoleDomain }.first)
        let facts = console.firstRun
        #expect(FirstRunPage.html(facts, onThisMachine: true).text.contains(facts.dataDirectory))
        #expect(!FirstRunPage.html(facts, onThisMachine: false).text.contains(facts.dataDirectory))
        #expect(try await api.call("GET", "/console/contacts?q=ada").headers["location"] == "/console/signin?next=%2Fconsole%2Fcontacts%3Fq%3Dada")

        _ = try await api.signUp("owner@example.com")
        var jar = Jar()
        let signedIn = try await Self.signIn(api, &jar)
        #expect(signedIn.status == 303 && signedIn.headers["location"] == "/console/contacts")
        #expect(jar.cookies["ozzi_access"] != nil && jar.cookies["ozzi_refresh"] != nil)
        #expect(try await api.call("GET", "/", headers: jar.header).headers["location"] == "/console")
        #expect(try await api.call("GET", "/console", headers: jar.header).headers["location"] == "/console/contacts")
        let contacts = try await api.call("GET", "/console/contacts", headers: jar.header)
        #expect(contacts.status == 200 && contacts.body.contains("<h1>Contacts</h1>") && contacts.body.contains("owner@example.com"))
    }

    @Test func signInNamesWhatIsWrongAndGoesOnlyToConsolePages() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        _ = try await api.signUp("owner@example.com")
        var jar = Jar()
        let wrong = try await Self.signIn(api, &jar, password: "not the password")
        #expect(wrong.status == 401 && wrong.body.contains("the email or password is wrong") && jar.cookies["ozzi_access"] == nil)
        #expect(wrong.body.contains("value=\"owner@example.com\""), "the address typed stays in the form")

        // Without the page's token, or with another, the form is refused before the password is looked at.
        let forged = try await api.call("POST", "/console/signin", raw: Self.encoded([("email", "owner@example.com"), ("password", "correct horse battery")]),
                                        headers: Self.form)
        #expect(forged.status == 403 && forged.cookies.isEmpty)

        // `next` may only name a console page.
        let elsewhere = try await Self.signIn(api, &jar, next: "//evil.example/console")
        #expect(elsewhere.status == 303 && elsewhere.headers["location"] == "/console")
    }

    @Test func changesNeedTheSessionsCSRFToken() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let owner = try await api.signUp("owner@example.com")
        var jar = Jar()
        _ = try await Self.signIn(api, &jar)
        let page = try await api.call("GET", "/console/contacts", headers: jar.header)
        let token = try #require(Self.csrf(in: page.body))

        // The console's form.
        let add = [("name", "Ada <b>Lovelace</b>"), ("phone", "+1 415 555 0100")]
        #expect(try await api.call("POST", "/console/contacts", raw: Self.encoded(add), headers: Self.form.merging(jar.header) { $1 }).status == 403)
        #expect(try await api.call("POST", "/console/contacts", raw: Self.encoded(add + [("_csrf", "x" + token)]),
                                   headers: Self.form.merging(jar.header) { $1 }).status == 403)
        let added = try await api.call("POST", "/console/contacts", raw: Self.encoded(add + [("_csrf", token)]), headers: Self.form.merging(jar.header) { $1 })
        #expect(added.status == 303)
        let detail = try await api.call("GET", try #require(added.headers["location"]), headers: jar.header)
        #expect(detail.body.contains("<h1>Ada &lt;b&gt;Lovelace&lt;/b&gt;</h1>") && detail.body.contains("+14155550100"))

        // The same contact again: the form comes back with the reason.
        let again = try await api.call("POST", "/console/contacts", raw: Self.encoded(add + [("_csrf", token)]), headers: Self.form.merging(jar.header) { $1 })
        #expect(again.status == 409 && again.body.contains("already has the phone +14155550100") && again.body.contains("value=\"+1 415 555 0100\""))

        // The API, called with the session cookie: a change needs X-CSRF-Token; a read does not.
        let body: JSONValue = ["name": "Grace", "phone": "+14155550101"]
        let refused = try await api.call("POST", "/api/v1/contacts", json: body, headers: jar.header)
        #expect(refused.status == 403 && refused.string("error", "code") == "csrf_token_invalid")
        #expect(try await api.call("GET", "/api/v1/contacts", headers: jar.header).status == 200)
        #expect(try await api.call("POST", "/api/v1/contacts", json: body, headers: jar.header.merging(["X-CSRF-Token": token]) { $1 }).status == 201)
        // A bearer token needs none: a browser never attaches one by itself.
        #expect(try await api.call("POST", "/api/v1/contacts", json: ["phone": "+14155550102"], token: owner.string("access_token")).status == 201)

        // Another session's token is not this one's.
        var other = Jar()
        _ = try await Self.signIn(api, &other)
        let otherToken = try #require(Self.csrf(in: try await api.call("GET", "/console/contacts", headers: other.header).body))
        #expect(otherToken != token)
        #expect(try await api.call("POST", "/api/v1/contacts", json: ["phone": "+14155550103"], headers: jar.header.merging(["X-CSRF-Token": otherToken]) { $1 }).status == 403)
    }

    @Test func anExpiredAccessCookieIsRenewedFromTheRefreshCookie() async throws {
        let clock = ManualClock(milliseconds: 1_800_000_000_000)
        let api = try await APIHost.start(clock: clock)
        defer { Task { await api.stop() } }
        _ = try await api.signUp("owner@example.com")
        var jar = Jar()
        _ = try await Self.signIn(api, &jar)
        let before = try #require(jar.cookies["ozzi_access"])
        clock.advance(byMilliseconds: (SessionStore.accessTokenSeconds + 60) * 1000)
        #expect(try await api.call("GET", "/api/v1/me", headers: ["Cookie": "ozzi_access=\(before)"]).status == 401)

        let page = try await api.call("GET", "/console/contacts", headers: jar.header)
        #expect(page.status == 200 && page.body.contains("<h1>Contacts</h1>"))
        jar.take(page)
        let renewed = try #require(jar.cookies["ozzi_access"])
        #expect(renewed != before)
        #expect(try await api.call("GET", "/api/v1/me", headers: ["Cookie": "ozzi_access=\(renewed)"]).status == 200)

        // Signing out ends the session: no cookie opens a page after it.
        let token = try #require(Self.csrf(in: page.body))
        let out = try await api.call("POST", "/console/signout", raw: Self.encoded([("_csrf", token)]), headers: Self.form.merging(jar.header) { $1 })
        #expect(out.status == 303 && out.headers["location"] == "/console/signin")
        let stale = jar.header
        jar.take(out)
        #expect(jar.cookies["ozzi_access"] == nil && jar.cookies["ozzi_refresh"] == nil)
        #expect(try await api.call("GET", "/console/contacts", headers: stale).status == 303, "the old cookies do not open the console")
    }

    @Test func theSwitcherShowsOnlyTheViewersWorkspaces() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let owner = try #require(try await api.signUp("owner@example.com").string("access_token"))
        let stranger = try #require(try await api.signUp("stranger@example.com").string("access_token"))
        let shop = try #require(try await api.call("POST", "/api/v1/workspaces", json: ["name": "Corner <shop>"], token: owner).string("id"))
        let theirs = try #require(try await api.call("POST", "/api/v1/workspaces", json: ["name": "Theirs"], token: stranger).string("id"))
        let customer = try #require(try await api.call("POST", "/api/v1/contacts", json: ["name": "Shop customer", "phone": "+14155550120"], token: owner,
                                                       headers: ["X-Workspace-Id": shop]).string("id"))
        var jar = Jar()
        _ = try await Self.signIn(api, &jar)
        let page = try await api.call("GET", "/console/contacts", headers: jar.header)
        #expect(page.body.contains("Corner &lt;shop&gt;") && !page.body.contains("Theirs") && !page.body.contains("Shop customer"))
        let token = try #require(Self.csrf(in: page.body))

        let refused = try await api.call("POST", "/console/workspace", raw: Self.encoded([("_csrf", token), ("workspace_id", theirs)]),
                                         headers: Self.form.merging(jar.header) { $1 })
        #expect(refused.status == 404 && refused.cookies.isEmpty)
        let switched = try await api.call("POST", "/console/workspace", raw: Self.encoded([("_csrf", token), ("workspace_id", shop)]),
                                          headers: Self.form.merging(jar.header) { $1 })
        #expect(switched.status == 303)
        jar.take(switched)
        let inShop = try await api.call("GET", "/console/contacts", headers: jar.header)
        #expect(inShop.body.contains("Shop customer") && inShop.body.contains("<option value=\"\(shop)\" selected>"))
        // A cookie naming a workspace that is not theirs shows their personal one.
        jar.cookies["ozzi_workspace"] = theirs
        let fallback = try await api.call("GET", "/console/contacts", headers: jar.header)
        #expect(fallback.status == 200 && !fallback.body.contains("Shop customer") && !fallback.body.contains("Theirs"))

        // Another account's session finds no page for the shop's contact, even naming the shop.
        var strangerJar = Jar()
        _ = try await Self.signIn(api, &strangerJar, email: "stranger@example.com")
        strangerJar.cookies["ozzi_workspace"] = shop
        let foreign = try await api.call("GET", "/console/contacts/" + customer, headers: strangerJar.header)
        #expect(foreign.status == 404 && !foreign.body.contains("Shop customer"))
    }

    @Test func searchAnswersOnlyTheResultsPartWhenAsked() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let owner = try #require(try await api.signUp("owner@example.com").string("access_token"))
        for (name, phone) in [("Grace Hopper", "+14155550130"), ("Alan Turing", "+14155550131")] {
            #expect(try await api.call("POST", "/api/v1/contacts", json: ["name": .string(name), "phone": .string(phone)], token: owner).status == 201)
        }
        var jar = Jar()
        _ = try await Self.signIn(api, &jar)
        let part = try await api.call("GET", "/console/contacts?q=hopper&part=results", headers: jar.header)
        #expect(part.status == 200 && part.body.contains("Grace Hopper") && !part.body.contains("Alan Turing") && !part.body.contains("<html"))
        let none = try await api.call("GET", "/console/contacts?q=%3Cscript%3E&part=results", headers: jar.header)
        #expect(none.body.contains("No contact matches “&lt;script&gt;”."))
        let assets = try await api.call("GET", "/console/assets/console.js")
        #expect(assets.status == 200 && assets.headers["cache-control"]?.contains("immutable") == true && assets.body.contains("data-live-search"))
    }

    /// The import page's bar follows `contact_import.*` events on the live stream; its report part is what the
    /// page shows once the import has ended.
    @Test func anImportReportsOnTheLiveStreamAndOnItsPage() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let owner = try #require(try await api.signUp("owner@example.com").string("access_token"))
        // The stream is read back from the event of a contact made first.
        #expect(try await api.call("POST", "/api/v1/contacts", json: ["name": "Anchor", "phone": "+14155550139"], token: owner).status == 201)
        let anchor = try #require(try await api.database("api", of: "api").prepare("SELECT seq FROM workspace_events WHERE type = 'contact.created'").first()?.integer("seq"))
        let csv = "name,phone\nAda,+14155550140\nGrace,+14155550141\nNobody,\n"
        let started = try await api.call("POST", "/api/v1/contacts/imports", raw: csv, token: owner, headers: ["Content-Type": "text/csv"])
        let id = try #require(started.string("id"))
        #expect(try await Poll.until { try await api.call("GET", "/api/v1/contacts/imports/\(id)", token: owner).string("status") == "completed" })

        // The events were written before the stream opens, so its replay holds them; three seconds is for a loaded machine.
        let stream = try await api.call("GET", "/api/v1/stream?last_event_id=\(anchor)", token: owner, maxSeconds: 3)
        let events = stream.body.components(separatedBy: "\n\n").filter { $0.contains("contact_import.") }
        let progress = try #require(events.first { $0.contains("event: contact_import.progress") })
        #expect(progress.contains("\"import_id\":\"\(id)\"") && progress.contains("\"expected_rows\":3") && progress.contains("\"rows\":3"))
        let finished = try #require(events.first { $0.contains("event: contact_import.finished") })
        #expect(finished.contains("\"status\":\"completed\"") && finished.contains("\"created\":2") && finished.contains("\"rejected\":1"))

        var jar = Jar()
        _ = try await Self.signIn(api, &jar)
        let page = try await api.call("GET", "/console/contacts/imports/\(id)", headers: jar.header)
        #expect(page.status == 200 && page.body.contains("data-import-progress=\"\(id)\"") && page.body.contains("Done: 3 rows read"))
        let part = try await api.call("GET", "/console/contacts/imports/\(id)?part=report", headers: jar.header)
        #expect(!part.body.contains("<html") && part.body.contains("<td>4</td>") && part.body.contains("value=\"100\""))
        #expect(try await api.call("GET", "/console/contacts/imports/imp_nothing", headers: jar.header).status == 404)
    }

    /// The messages page: the day's chart, the status filter, and a failed message sent again from its row.
    @Test func aFailedMessageIsRetriedFromTheMessagesPage() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let owner = try #require(try await api.signUp("owner@example.com").string("access_token"))
        var ids: [String] = []
        for (name, phone) in [("Good", "+14155550150"), ("Invalid", "+15005550001")] {
            let contact = try #require(try await api.call("POST", "/api/v1/contacts", json: ["name": .string(name), "phone": .string(phone),
                                                                                               "sms_consent": ["status": "opted_in"]], token: owner).string("id"))
            let scheduled = try await api.call("POST", "/api/v1/messages", json: ["contact_id": .string(contact), "body": "Hello <b>there</b>"], token: owner)
            ids.append(try #require(scheduled.json["ids"]?.arrayValue?.first?.stringValue, "\(scheduled.body)"))
        }
        #expect(try await Poll.until {
            let failed = try await api.call("GET", "/api/v1/messages/\(ids[1])", token: owner).string("status") == "failed"
            let good = try await api.call("GET", "/api/v1/messages/\(ids[0])", token: owner).string("status") ?? ""
            return failed && ["sent", "delivered"].contains(good)
        })
        var jar = Jar()
        _ = try await Self.signIn(api, &jar)
        let page = try await api.call("GET", "/console/messages", headers: jar.header)
        #expect(page.status == 200 && page.body.contains("Hello &lt;b&gt;there&lt;/b&gt;") && page.body.contains("<svg viewBox"))
        #expect(page.body.contains("action=\"/console/messages/\(ids[1])/retry\"") && !page.body.contains("/console/messages/\(ids[0])/retry"))
        // The chart's table says what its bars show: this hour's one send, delivered or not reported yet (the failed
        // one never reached the provider), and nothing failed after sending.
        #expect(page.body.contains("</th><td>1</td><td>0</td><td>0</td></tr>") || page.body.contains("</th><td>0</td><td>1</td><td>0</td></tr>"))
        let failed = try await api.call("GET", "/console/messages?status=failed", headers: jar.header)
        #expect(failed.body.contains(ids[1]) && !failed.body.contains("+14155550150"))
        #expect(try await api.call("GET", "/console/messages?status=lost", headers: jar.header).status == 422)

        let token = try #require(Self.csrf(in: page.body))
        #expect(try await api.call("POST", "/console/messages/\(ids[1])/retry", raw: Self.encoded([("status", "failed")]),
                                   headers: Self.form.merging(jar.header) { $1 }).status == 403)
        let before = try await api.call("GET", "/api/v1/messages/\(ids[1])", token: owner).json["timeline"]?.arrayValue?.count ?? 0
        let retried = try await api.call("POST", "/console/messages/\(ids[1])/retry", raw: Self.encoded([("_csrf", token), ("status", "failed")]),
                                         headers: Self.form.merging(jar.header) { $1 })
        #expect(retried.status == 303 && retried.headers["location"] == "/console/messages?status=failed&retried=\(ids[1])")
        #expect(try await Poll.until { (try await api.call("GET", "/api/v1/messages/\(ids[1])", token: owner).json["timeline"]?.arrayValue?.count ?? 0) > before },
                "the retry made another attempt")
        // A message that did not fail cannot be retried: the page says why.
        let refused = try await api.call("POST", "/console/messages/\(ids[0])/retry", raw: Self.encoded([("_csrf", token)]), headers: Self.form.merging(jar.header) { $1 })
        #expect(refused.status == 409 && refused.body.contains("cannot be retried"))
    }

    /// An invitation's page accepts it with the session cookie: it asks `/console/csrf` for the session's
    /// token, which another site may request but not read; without the token the API refuses.
    @Test func anInvitationIsAcceptedWithTheSessionsTokenFromItsPage() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let owner = try #require(try await api.signUp("owner@example.com").string("access_token"))
        _ = try await api.signUp("member@example.com")
        let shop = try #require(try await api.call("POST", "/api/v1/workspaces", json: ["name": "Shop"], token: owner).string("id"))
        let invite = try await api.call("POST", "/api/v1/workspaces/\(shop)/invitations", json: ["email": "member@example.com", "role": "member"], token: owner)
        let token = try #require(invite.string("token"), "\(invite.body)")
        var jar = Jar()
        _ = try await Self.signIn(api, &jar, email: "member@example.com")
        #expect(try await api.call("GET", "/console/csrf").status == 401)
        #expect(try await api.call("POST", "/api/v1/invitations/accept", json: ["token": .string(token)], headers: jar.header).status == 403)
        let csrf = try #require(try await api.call("GET", "/console/csrf", headers: jar.header).string("token"))
        let accepted = try await api.call("POST", "/api/v1/invitations/accept", json: ["token": .string(token)], headers: jar.header.merging(["X-CSRF-Token": csrf]) { $1 })
        #expect(accepted.status == 200, "\(accepted.body)")
        // The API called with the cookie works in the workspace the console shows.
        jar.cookies["ozzi_workspace"] = shop
        let added = try await api.call("POST", "/api/v1/contacts", json: ["name": "Shop lead", "phone": "+14155550160"], headers: jar.header.merging(["X-CSRF-Token": csrf]) { $1 })
        #expect(added.status == 201)
        #expect(try await api.call("GET", "/api/v1/contacts?q=lead", token: owner, headers: ["X-Workspace-Id": shop]).body.contains("Shop lead"))
    }

    /// A limit a page cannot take is a 422, not a trap: the console's pages are not API operations checked first.
    @Test func aConsoleListRefusesALimitOutOfBounds() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        _ = try await api.signUp("owner@example.com")
        var jar = Jar()
        _ = try await Self.signIn(api, &jar)
        for limit in ["-1", "0", "101", "9223372036854775807", "x"] {
            for path in ["/console/contacts", "/console/messages"] {
                let answer = try await api.call("GET", "\(path)?limit=\(limit)", headers: jar.header)
                #expect(answer.status == 422 && answer.body.contains("limit"), "\(path)?limit=\(limit): \(answer.status)")
            }
        }
        #expect(try await api.call("GET", "/console/contacts?limit=100", headers: jar.header).status == 200)
    }
}
