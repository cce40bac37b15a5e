import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// Every test that drives headless Chromium (Debian's, through chromedriver and Python's selenium), one at a
/// time: a browser is the heaviest thing a test starts, and two at once on CI's two busy cores starve the
/// tests running beside them.
@Suite(.serialized) struct BrowserTests {
    /// Debian's chromium drives the page (Tests/clients/docs_browser.py says what it checks); the client
    /// lists what it found wrong.
    @Test func aReaderFindsFiltersAndOpensOperationsInABrowser() async throws {
        let api = try await APIHost.start(.live)
        defer { Task { await api.stop() } }
        let run = try await Subprocess.run("/usr/bin/env", ["python3", Subprocess.clientPath("docs_browser.py"), api.base])
        let report = try JSONValue(jsonBytes: Array(run.stdout.utf8))
        #expect(run.status == 0, "docs_browser.py: \(run.stderr)")
        #expect(report["failures"] == [])
        #expect((report["seen"]?["operations_listed"]?.numberValue ?? 0) > 30)
        #expect((report["seen"]?["search"]?["shown"]?.numberValue ?? 0) > 0)
    }

    /// Headless Chromium as the customer's site and its visitor (Tests/clients/widget_browser.py says what it
    /// checks); screenshots are kept under the system's temporary folder.
    @Test func theWidgetWorksInABrowserOnAnotherSite() async throws {
        let api = try await APIHost.start(.live)
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("owner@example.com").string("access_token"))
        let shots = NSTemporaryDirectory() + "widget-screenshots"
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        let run = try await Subprocess.run("/usr/bin/env", ["python3", Subprocess.clientPath("widget_browser.py"), api.base, token, shots])
        #expect(run.status == 0, "widget_browser.py: \(run.stderr)")
        let report = try JSONValue(jsonBytes: Array(run.stdout.utf8))
        #expect(report["failures"] == [], "\(run.stdout)")
        #expect(report["seen"]?["conversation"]?.stringValue?.hasPrefix("cnv_") == true)
    }

    /// Headless Chromium as the customer's site and its visitor, filling an embedded form by keyboard, and as
    /// two bots (Tests/clients/form_browser.py says what it checks); screenshots are kept under the system's
    /// temporary folder.
    @Test func theFormWorksInABrowserOnAnotherSite() async throws {
        let api = try await APIHost.start(.live)
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("owner@example.com").string("access_token"))
        let shots = NSTemporaryDirectory() + "form-screenshots"
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        let run = try await Subprocess.run("/usr/bin/env", ["python3", Subprocess.clientPath("form_browser.py"), api.base, token, shots])
        #expect(run.status == 0, "form_browser.py: \(run.stderr)")
        let report = try JSONValue(jsonBytes: Array(run.stdout.utf8))
        #expect(report["failures"] == [], "\(run.stdout)")
        #expect(report["seen"]?["answers"]?["campaign"] == "spring")
    }

    /// Headless Chromium as a team member in the console (Tests/clients/console_browser.py says what it
    /// checks, axe-core among it); screenshots at a phone's and a desktop's width are kept under the system's
    /// temporary folder.
    @Test func theConsoleWorksInABrowser() async throws {
        let api = try await APIHost.start(.live)
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("owner@example.com").string("access_token"))
        for (name, phone) in [("Alan Turing", "+14155550111"), ("Katherine Johnson", "+14155550112"), ("<img src=x onerror=window.__pwned=1>", "+14155550113")] {
            #expect(try await api.call("POST", "/api/v1/contacts", json: ["name": .string(name), "phone": .string(phone)], token: token).status == 201)
        }
        // A message that fails (the simulated provider's invalid number) and one that goes out.
        for (name, phone) in [("Invalid Number", "+15005550001"), ("Ada Lovelace", "+14155550114")] {
            let contact = try #require(try await api.call("POST", "/api/v1/contacts", json: ["name": .string(name), "phone": .string(phone),
                                                                                               "sms_consent": ["status": "opted_in"]], token: token).string("id"))
            #expect(try await api.call("POST", "/api/v1/messages", json: ["contact_id": .string(contact), "body": "Your order is ready"], token: token).status == 201)
        }
        #expect(try await Poll.until { try await api.call("GET", "/api/v1/messages?status=failed", token: token).json["data"]?.arrayValue?.count == 1 })
        let shots = NSTemporaryDirectory() + "console-screenshots"
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        let run = try await Subprocess.run("/usr/bin/env", ["python3", Subprocess.clientPath("console_browser.py"), api.base, token, "owner@example.com",
                                                            "correct horse battery", shots])
        #expect(run.status == 0, "console_browser.py: \(run.stderr)")
        let report = try JSONValue(jsonBytes: Array(run.stdout.utf8))
        #expect(report["failures"] == [], "\(run.stdout)")
        #expect(report["seen"]?["added"]?.stringValue?.hasPrefix("con_") == true)
        #expect(report["seen"]?["checked_pages"]?.arrayValue?.count == 8)
        #expect(report["seen"]?["signed_out"] == true)
    }

    /// Headless Chromium doing the console's daily work with a customer's shop open in another window
    /// (Tests/clients/console_work_browser.py says what it checks): answering a widget chat from the inbox,
    /// scheduling a campaign, building a form and seeing it embedded, reviewing a call, talking to the agent in the voice lab, approving a held post, rendering a video, each followed live; the week, SEO and platform pages; axe-core on every page, screenshots kept under the system's
    /// temporary folder.
    @Test func theConsolesDailyWorkRunsInABrowser() async throws {
        let api = try await APIHost.start(.live)
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("owner@example.com").string("access_token"))
        for i in 1...30 {
            #expect(try await api.call("POST", "/api/v1/contacts", json: ["first_name": .string("Guest\(i)"), "phone": .string("+1415555\(2000 + i)")], token: token).status == 201)
        }
        // A community with a channel that holds members' posts for approval, and a member to post there.
        let community = try #require(try await api.call("POST", "/api/v1/communities", json: ["name": "Tea lovers"], token: token).string("id"))
        #expect(try await api.call("POST", "/api/v1/communities/\(community)/channels", json: ["name": "intros", "review": "everyone"], token: token).status == 201)
        let member = try #require(try await api.signUp("member@example.com").string("access_token"))
        // This week's event, a tracker with two finished scans, a video project; the owner is a platform admin.
        let calendar = try #require(try await api.call("GET", "/api/v1/calendars", token: token).data.first?["id"]?.stringValue)
        let today = String(Timestamp.at(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)).prefix(10))
        #expect(try await api.call("POST", "/api/v1/calendars/\(calendar)/events", json: ["title": "Tea tasting", "start": .string(today)], token: token).status == 201)
        let (_, tracker) = try await LocalSEOTests.setUp(api, token)
        for _ in 0..<2 {
            let scan = try #require(try await api.call("POST", "/api/v1/seo/trackers/\(tracker)/scans", token: token).string("id"))
            #expect(try await LocalSEOTests.finished(api, token, scan).string("status") == "finished")
        }
        #expect(try await api.call("POST", "/api/v1/video/projects", json: [
            "name": "Teaser", "aspect_ratio": "1:1", "resolution": 360, "duration": 1, "tracks": [["kind": "text", "clips": [["text": "Hello", "start": 0, "duration": 1]]]],
        ], token: token).status == 201)
        #expect(try await #require(api.host.workers["api"] as? APIWorker).grantPlatformAdmin(email: "owner@example.com"))
        #expect(try await api.call("POST", "/api/v1/communities/\(community)/join", token: member).status == 200)
        let shots = NSTemporaryDirectory() + "console-screenshots"
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        let run = try await Subprocess.run("/usr/bin/env", ["MEMBER_TOKEN=\(member)", "python3", Subprocess.clientPath("console_work_browser.py"), api.base, token,
                                                            "owner@example.com", "correct horse battery", shots])
        #expect(run.status == 0, "console_work_browser.py: \(run.stderr)")
        let report = try JSONValue(jsonBytes: Array(run.stdout.utf8))
        #expect(report["failures"] == [], "\(run.stdout)")
        #expect(report["seen"]?["conversation"]?.stringValue?.hasPrefix("cnv_") == true)
        #expect(report["seen"]?["campaign"]?.stringValue?.hasPrefix("cmp_") == true)
        #expect(report["seen"]?["first_sent"]?.stringValue?.hasPrefix("Hi Guest") == true, "\(run.stdout)")
        #expect(report["seen"]?["preview_labels"]?.arrayValue?.prefix(2) == ["Your name", "Email"], "\(run.stdout)")
        #expect(report["seen"]?["checked_pages"]?.arrayValue?.count == 24)
    }

    /// Headless Chromium on the page the email links to (Tests/clients/portal_browser.py says what it
    /// checks); screenshots are kept under the system's temporary folder.
    @Test func theInvitationsPageWorksInABrowser() async throws {
        let f = try await PortalFixture.start(.live)
        defer { Task { await f.api.stop() } }
        try await f.enable()
        let ada = try await f.contact("Ada", email: "ada@example.com")
        let before = f.mailCount("ada@example.com")
        #expect(try await f.api.call("POST", "/api/v1/portal/invitations", json: ["contact_id": .string(ada)], token: f.token).status == 201)
        let link = try await f.mailedLink(to: "ada@example.com", after: before)
        let shots = NSTemporaryDirectory() + "portal-screenshots"
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        let run = try await Subprocess.run("/usr/bin/env", ["python3", Subprocess.clientPath("portal_browser.py"), f.api.base, f.workspace, "ada@example.com",
                                                            link, shots])
        #expect(run.status == 0, "portal_browser.py: \(run.stderr)")
        let report = try JSONValue(jsonBytes: Array(run.stdout.utf8))
        #expect(report["failures"] == [], "\(run.stdout)")
        #expect(report["seen"]?["sign_in"] == 200)
    }
}
