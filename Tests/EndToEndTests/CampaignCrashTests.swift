import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// kill -9 while a campaign of 1,500 contacts is sending (its audience expanded 500 at a time, one
/// second ahead of its pace, so the restart goes on from the durable cursor), then a restart on the same
/// data: the campaign resumes and finishes, and the simulated provider's send log (one line per accepted
/// send, written before it answers) shows every recipient got exactly one message. Sends caught
/// mid-attempt by the kill go to `review`, as the engine promises; the test then does what a person does
/// with them: those the provider's log shows it took stay as they are, the others are retried.
@Suite struct CampaignCrashTests {
    static let audience = 1500
    /// Six seconds of sending at this pace: a kill after 500 sends lands mid-campaign.
    static let throttle = 250
    static let killAfter = 500

    /// `ozzi serve` on the repository's configuration under `[env.test]`: rates above the throttle, fast
    /// simulated deliveries, expansion one second ahead of the pace (so the kill finds it unfinished);
    /// with `haltAfter`, the simulated providers stop answering after that many sends.
    func serve(_ data: String, haltAfter: Int? = nil) throws -> OzziProcess {
        try OzziProcess(["serve", "--config", WorkerTestHost.configFile, "--env", "test", "--data-dir", data,
                         "--var", "api.SIM_HALT_AFTER_SENDS=\(haltAfter.map(String.init) ?? "")",
                         "--var", "api.SMS_RATE_PER_WORKSPACE=100000", "--var", "api.SMS_RATE_PER_USER=100000",
                         "--var", "api.EMAIL_RATE_PER_WORKSPACE=100000", "--var", "api.EMAIL_RATE_PER_USER=100000",
                         "--var", "api.SIM_SMS_LATENCY_MS=20", "--var", "api.SIM_SMS_DELIVERY_MS=100", "--var", "api.SIM_EMAIL_DELIVERY_MS=100",
                         "--var", "api.CAMPAIGN_EXPAND_AHEAD_SECONDS=1"])
    }

    func call(_ port: Int, _ method: String, _ path: String, token: String? = nil, json: String? = nil, csv: String? = nil) async throws -> JSONValue {
        var arguments = ["--max-time", "120", "-X", method]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        if json != nil { arguments += ["-H", "Content-Type: application/json", "--data-binary", "@-"] }
        if csv != nil { arguments += ["-H", "Content-Type: text/csv", "--data-binary", "@-"] }
        let output = try await Subprocess.curl(arguments + ["http://127.0.0.1:\(port)\(path)"], stdin: (json ?? csv).map { Data($0.utf8) })
        return (try? JSONValue(jsonBytes: Array(output.stdout.utf8))) ?? .null
    }

    /// The provider's log: message id -> the recipients of its lines (one per accepted send).
    func sends(_ log: String) -> [String: [String]] {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        var sends: [String: [String]] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 3 else { continue }
            sends[String(parts[0]), default: []].append(String(parts[2]))
        }
        return sends
    }

    /// Every message of the campaign: id -> (status, to), page by page.
    func messages(_ port: Int, _ token: String, campaign: String) async throws -> [String: (status: String, to: String)] {
        var all: [String: (status: String, to: String)] = [:]
        var cursor: String?
        repeat {
            let page = try await call(port, "GET", "/api/v1/messages?campaign=\(campaign)&limit=100" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token)
            for message in page["data"]?.arrayValue ?? [] {
                guard let id = message["id"]?.stringValue, let status = message["status"]?.stringValue, let to = message["to"]?.stringValue else { continue }
                all[id] = (status, to)
            }
            cursor = page["next_cursor"]?.stringValue
        } while cursor != nil
        return all
    }

    @Test func sigkillMidEmailCampaignSendsEachRecipientOneEmail() async throws {
        try await sigkillMidCampaign(channel: "email", log: "simulated-email.log", content: """
            {"from":"Acme <news@sandbox.ozzi.test>","subject":"News for {{first_name|you}}","html":"<p>Hi {{first_name|friend}}, our news.</p>"}
            """)
    }

    @Test func sigkillMidSMSCampaignSendsEachRecipientOneSMS() async throws {
        try await sigkillMidCampaign(channel: "sms", log: "simulated-sms.log", content: #"{"body":"Hi {{first_name|friend}}, our news."}"#)
    }

    func sigkillMidCampaign(channel: String, log name: String, content: String) async throws {
        let data = NSTemporaryDirectory() + "ozzi-campaign-crash-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: data) }
        let log = data + "/api/" + name
        let first = try serve(data, haltAfter: Self.killAfter)
        let port = try await first.listeningPort()
        let signup = try await MessagingCrashTests().signUp(port, "crash@example.com", data: data)
        let token = try #require(signup["access_token"]?.stringValue, "\(signup)")
        var csv = "name,phone,email\n"
        for i in 0..<Self.audience { csv += "Person \(i),+1415\(2_000_000 + i),person\(i)@example.com\n" }
        let started = try await call(port, "POST", "/api/v1/contacts/imports", token: token, csv: csv)
        let importID = try #require(started["id"]?.stringValue, "\(started)")
        _ = try await Poll.until(interval: .milliseconds(50)) {
            try await call(port, "GET", "/api/v1/contacts/imports/\(importID)", token: token)["status"] != "running"
        }
        let created = try await call(port, "POST", "/api/v1/campaigns", token: token, json: """
            {"name":"Crash","channel":"\(channel)","audience":{"type":"all"},"throttle_per_second":\(Self.throttle),"content":\(content)}
            """)
        let campaign = try #require(created["id"]?.stringValue, "\(created)")
        #expect(try await call(port, "POST", "/api/v1/campaigns/\(campaign)/send", token: token)["state"] == "running")

        // The provider stops answering after `killAfter` sends (a starved host catching up on its pace could
        // otherwise send them all before the kill); frozen (SIGSTOP, from a thread of its own) the moment
        // its log holds them, then killed: the kill lands mid-campaign, with sends hanging mid-attempt.
        let seen = await MessagingCrashTests.freeze(first.process.pid, whenLinesIn: log, reach: Self.killAfter)
        kill(first.process.pid, SIGKILL)
        _ = try await first.waitForExit()
        let atKill = sends(log).values.reduce(0) { $0 + $1.count }
        let dispatched = try await Subprocess.python("sms_crash_check.py", [data])["dispatched"] as? Int
        #expect(seen >= Self.killAfter && atKill < Self.audience, "killed mid-campaign after \(atKill) sends")

        let second = try serve(data)
        defer { second.process.signal(SIGTERM) }
        let restarted = try await second.listeningPort()
        var state = JSONValue.null
        _ = try await Poll.until(timeout: .seconds(300), interval: .milliseconds(100)) {
            state = try await call(restarted, "GET", "/api/v1/campaigns/\(campaign)", token: token)
            return state["state"] == "finished"
        }
        #expect(state["state"] == "finished", "\(state)")
        #expect(state["recipients"] == .number(Double(Self.audience)) && state["expanded"] == true, "\(state)")

        // What the kill caught mid-attempt is in review; the person deciding reads the provider's log: what
        // it took stays, what it never took is sent again.
        let afterRestart = try await messages(restarted, token, campaign: campaign)
        let logged = sends(log)
        let review = afterRestart.filter { $0.value.status == "review" }.map(\.key)
        let taken = review.filter { logged[$0] != nil }
        let untaken = review.filter { logged[$0] == nil }
        if !untaken.isEmpty {
            let retried = try await call(restarted, "POST", "/api/v1/messages/bulk", token: token, json: String(decoding: JSONValue.object([
                "action": "retry", "message_ids": .array(untaken.sorted().map(JSONValue.string)),
            ]).jsonBytes, as: UTF8.self))
            #expect(retried["affected"] == .number(Double(untaken.count)), "\(retried)")
        }
        // Settled: every message sent (and delivered) but the reviewed ones the provider took.
        let settled = Self.audience - taken.count
        _ = try await Poll.until(timeout: .seconds(300), interval: .milliseconds(100)) {
            state = try await call(restarted, "GET", "/api/v1/campaigns/\(campaign)", token: token)
            return state["stats"]?["delivered"] == .number(Double(settled))
        }

        // Exactly one send per recipient: no message taken twice, every message taken, every address once
        // (of the campaign's sends: the log also holds whatever else the host sent, e.g. account email).
        let messages = try await messages(restarted, token, campaign: campaign)
        let final = sends(log).filter { messages[$0.key] != nil }
        #expect(messages.count == Self.audience)
        #expect(final.values.allSatisfy { $0.count == 1 }, "a message the provider took twice: \(final.filter { $0.value.count > 1 }.prefix(5))")
        #expect(Set(final.keys) == Set(messages.keys), "\(Set(messages.keys).subtracting(final.keys).count) messages never taken")
        let recipients = final.values.flatMap { $0 }
        #expect(Set(recipients).count == Self.audience && recipients.count == Self.audience)
        #expect(Set(recipients) == Set(messages.values.map(\.to)))
        // Review holds exactly the claims the kill caught marked dispatched: the provider took some of them.
        #expect(review.count == dispatched, "\(review.count) in review, \(dispatched ?? -1) dispatched at the kill")
        #expect(state["stats"] == .object([
            "recipients": .number(Double(Self.audience)), "pending": 0, "sent": .number(Double(settled)), "delivered": .number(Double(settled)),
            "failed": 0, "bounced": 0, "opened": 0, "clicked": 0, "unsubscribed": 0, "complained": 0, "canceled": 0,
            "review": .number(Double(taken.count)),
        ]), "\(state)")
    }
}
