import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// The community pages in process, over the same world as `CommunityTests`: a channel's chat and posting
/// to it, a held post approved from the review queue, a member timed out and let back, the audit log, and
/// what a member or an outsider may not open.
@Suite struct ConsoleCommunityTests {
    @Test func aModeratorWorksTheirCommunityFromTheConsole() async throws {
        let w = try await CommunityTests().world()
        defer { Task { await w.api.stop() } }
        var jar = ConsoleTests.Jar()
        _ = try await ConsoleTests.signIn(w.api, &jar)
        var s = ConsoleCampaignTests.Signed(api: w.api, token: w.owner.token, jar: jar)
        s.csrf = try #require(ConsoleTests.csrf(in: try await s.get("/console/communities").body))
        let base = "/console/communities/\(w.community)"

        #expect(try await s.get("/console/communities").body.contains("href=\"\(base)\""))
        #expect(try await s.get(base).headers["location"] == "\(base)/channels/\(w.general)")
        let posted = try await s.post("\(base)/channels/\(w.general)", [("body", "Saturday: 10k at <8am>")])
        #expect(posted.status == 303)
        let chat = try await s.get("\(base)/channels/\(w.general)?part=chat")
        #expect(chat.body.contains("Saturday: 10k at &lt;8am&gt;") && !chat.body.contains("<h1>"), "\(chat.body)")
        #expect(try await s.post("\(base)/channels/\(w.general)", [("body", "   ")]).status == 422)
        #expect(try await s.post("\(base)/channels/\(w.general)", [("body", "forged")], csrf: false).status == 403)

        // A held post, approved from the queue with a reason, appears; the audit log keeps it.
        let intros = try #require(try await w.call("POST", "/channels", w.admin, json: ["name": "intros", "review": "everyone"]).string("id"))
        let held = try await w.call("POST", "/channels/\(intros)/submissions", w.member, json: ["body": "hello, zebrafish keeper here"])
        let heldID = try #require(held.string("id"))
        let queue = try await s.get("\(base)/review")
        #expect(queue.body.contains("hello, zebrafish keeper here") && queue.body.contains("data-live-part=\"queue\""), "\(queue.body)")
        let decided = try await s.post("\(base)/review/\(heldID)", [("decision", "approve"), ("reason", "welcome aboard")])
        #expect(decided.status == 303)
        #expect(try await s.get("\(base)/review?part=queue").body.contains("Nothing waits"))
        #expect(try await s.get("\(base)/channels/\(intros)?part=chat").body.contains("hello, zebrafish keeper here"))
        #expect(try await s.post("\(base)/review/\(heldID)", [("decision", "reject")]).status == 409, "decided once")

        // A timeout stops the member posting until it is lifted.
        #expect(try await s.post("\(base)/members/\(w.member.id)/timeout", [("seconds", "forever")]).status == 422)
        #expect(try await s.post("\(base)/members/\(w.member.id)/timeout", [("seconds", "600"), ("reason", "cool off")]).status == 303)
        #expect(try await w.call("POST", "/channels/\(w.general)/messages", w.member, json: ["body": "let me talk"]).status == 403)
        let members = try await s.get("\(base)/members")
        #expect(members.body.contains("End the timeout"), "\(members.body)")
        #expect(try await s.post("\(base)/members/\(w.member.id)/timeout", [("lift", "1")]).status == 303)
        #expect(try await w.call("POST", "/channels/\(w.general)/messages", w.member, json: ["body": "thanks"]).status == 201)
        let audit = try await s.get("\(base)/audit")
        #expect(audit.body.contains("submission approved") && audit.body.contains("welcome aboard") && audit.body.contains("member timed out")
                && audit.body.contains("cool off"), "\(audit.body)")

        // A plain member sees no queue to decide and no audit log; an outsider, nothing.
        var memberJar = ConsoleTests.Jar()
        _ = try await ConsoleTests.signIn(w.api, &memberJar, email: "member@example.com")
        let asMember = ConsoleCampaignTests.Signed(api: w.api, token: w.member.token, jar: memberJar)
        #expect(try await asMember.get("\(base)/channels/\(w.general)").body.contains("href=\"\(base)/audit\"") == false)
        #expect(try await asMember.get("\(base)/audit").status == 403)
        #expect(try await asMember.get("\(base)/review?part=queue").body.contains("Nothing waits"))
        var outsiderJar = ConsoleTests.Jar()
        _ = try await ConsoleTests.signIn(w.api, &outsiderJar, email: "outsider@example.com")
        #expect(try await ConsoleCampaignTests.Signed(api: w.api, token: w.outsider.token, jar: outsiderJar).get(base).status == 403)
    }
}
