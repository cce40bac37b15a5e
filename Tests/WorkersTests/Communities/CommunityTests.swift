import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// Communities through the api's routes: roles and what each may do, the hierarchy nobody can act above,
/// channels (private ones invisible to outsiders), messages and threads, unread counts, and moderation.
@Suite struct CommunityTests {
    struct Person {
        let token: String
        let id: String
    }

    struct World {
        let api: WorkerTestHost
        let clock: ManualClock
        let owner: Person, admin: Person, moderator: Person, member: Person, outsider: Person
        let community: String
        let general: String

        func call(_ method: String, _ path: String, _ who: Person, json: JSONValue? = nil) async throws -> TestResponse {
            try await api.call(method, "/api/v1/communities/\(community)" + path, json: json, token: who.token)
        }
    }

    static func person(_ api: WorkerTestHost, _ email: String) async throws -> Person {
        let signup = try await api.signUp(email)
        return Person(token: try #require(signup.string("access_token"), "\(signup.body)"), id: try #require(signup.string("user", "id")))
    }

    /// A public, open community with one member of each role and someone who is not in it.
    func world() async throws -> World {
        let clock = ManualClock(milliseconds: 1_900_000_000_000)
        let api = try await APIHost.start(clock: clock)
        let owner = try await Self.person(api, "owner@example.com")
        let made = try await api.call("POST", "/api/v1/communities", json: ["name": "Trail runners", "description": "Weekend runs"], token: owner.token)
        #expect(made.status == 201 && made.string("my_role") == "owner" && made["member_count"] == 1, "\(made.body)")
        let community = try #require(made.string("id"))
        var people: [Person] = []
        for (email, role) in [("admin@example.com", "admin"), ("mod@example.com", "moderator"), ("member@example.com", "member")] {
            let person = try await Self.person(api, email)
            let joined = try await api.call("POST", "/api/v1/communities/\(community)/join", token: person.token)
            #expect(joined.status == 200 && joined.string("role") == "member", "\(joined.body)")
            if role != "member" {
                let promoted = try await api.call("PATCH", "/api/v1/communities/\(community)/members/\(person.id)", json: ["role": .string(role)], token: owner.token)
                #expect(promoted.string("role") == role, "\(promoted.body)")
            }
            people.append(person)
        }
        let outsider = try await Self.person(api, "outsider@example.com")
        let channels = try await api.call("GET", "/api/v1/communities/\(community)/channels", token: owner.token)
        let general = try #require(channels.data.first?["id"]?.stringValue, "\(channels.body)")
        return World(api: api, clock: clock, owner: owner, admin: people[0], moderator: people[1], member: people[2], outsider: outsider,
                     community: community, general: general)
    }

    @Test func eachRoleMayDoWhatItsPermissionsSay() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        let posted = try await w.call("POST", "/channels/\(w.general)/messages", w.owner, json: ["body": "Welcome!"])
        let messageID = try #require(posted["id"]?.numberValue.map { Int($0) }, "\(posted.body)")

        // Each action, and what it answers when allowed. The default sets: members view, post, react and
        // attach; moderators also moderate and read the audit log; admins and the owner do everything.
        let actions: [(String, (Person) async throws -> Int)] = [
            ("view", { try await w.call("GET", "/channels", $0).status }),
            ("post", { try await w.call("POST", "/channels/\(w.general)/messages", $0, json: ["body": "hi"]).status }),
            ("react", { try await w.call("PUT", "/channels/\(w.general)/messages/\(messageID)/reactions/%F0%9F%91%8D", $0).status }),
            ("attach", { try await w.api.call("POST", "/api/v1/communities/\(w.community)/channels/\(w.general)/files?name=a.txt", raw: "hello",
                                              token: $0.token, headers: ["Content-Type": "text/plain"]).status }),
            ("moderate", { try await w.call("GET", "/bans", $0).status }),
            ("manage_channels", { try await w.call("POST", "/channels", $0, json: ["name": .string("c-\(UUID().uuidString.prefix(8).lowercased())")]).status }),
            ("manage_roles", { try await w.call("PUT", "/roles/member", $0, json: ["permissions": ["view", "post", "react", "attach"]]).status }),
            ("view_audit_log", { try await w.call("GET", "/audit-log", $0).status }),
        ]
        let allowed: [String: Set<String>] = [
            "owner": ["view", "post", "react", "attach", "moderate", "manage_channels", "manage_roles", "view_audit_log"],
            "admin": ["view", "post", "react", "attach", "moderate", "manage_channels", "manage_roles", "view_audit_log"],
            "moderator": ["view", "post", "react", "attach", "moderate", "view_audit_log"],
            "member": ["view", "post", "react", "attach"],
            "outsider": [],
        ]
        for (role, person) in [("owner", w.owner), ("admin", w.admin), ("moderator", w.moderator), ("member", w.member), ("outsider", w.outsider)] {
            for (action, attempt) in actions {
                let status = try await attempt(person)
                if allowed[role]!.contains(action) {
                    #expect((200..<300).contains(status), "\(role) may \(action), got \(status)")
                } else {
                    #expect(status == 403, "\(role) may not \(action), got \(status)")
                }
            }
        }

        // A changed set applies at once: members lose react; a channel override gives it back there only.
        #expect(try await w.call("PUT", "/roles/member", w.admin, json: ["permissions": ["view", "post"]]).status == 200)
        #expect(try await w.call("PUT", "/channels/\(w.general)/messages/\(messageID)/reactions/x", w.member).status == 403)
        let cheers = try await w.call("POST", "/channels", w.admin, json: ["name": "cheers", "overrides": ["member": ["react": true]]])
        #expect(cheers.status == 201, "\(cheers.body)")
        let cheersID = try #require(cheers.string("id"))
        let there = try await w.call("POST", "/channels/\(cheersID)/messages", w.member, json: ["body": "go team"])
        let thereID = try #require(there["id"]?.numberValue.map { Int($0) })
        #expect(try await w.call("PUT", "/channels/\(cheersID)/messages/\(thereID)/reactions/%F0%9F%8E%89", w.member).status == 200)
        // An announcements channel: members may read but not post.
        let news = try await w.call("POST", "/channels", w.admin, json: ["name": "news", "overrides": ["member": ["post": false]]])
        #expect(try await w.call("POST", "/channels/\(news.string("id") ?? "")/messages", w.member, json: ["body": "x"]).status == 403)
        #expect(try await w.call("POST", "/channels/\(news.string("id") ?? "")/messages", w.moderator, json: ["body": "x"]).status == 201)
    }

    @Test func nobodyActsOrGrantsAboveTheirOwnRole() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        // Role changes: only below one's own role, to a role below one's own.
        #expect(try await w.call("PATCH", "/members/\(w.admin.id)", w.admin, json: ["role": "member"]).status == 403)  // oneself
        #expect(try await w.call("PATCH", "/members/\(w.owner.id)", w.admin, json: ["role": "member"]).status == 403)
        #expect(try await w.call("PATCH", "/members/\(w.member.id)", w.admin, json: ["role": "admin"]).status == 403)
        #expect(try await w.call("PATCH", "/members/\(w.member.id)", w.admin, json: ["role": "moderator"])["role"] == "moderator")
        #expect(try await w.call("PATCH", "/members/\(w.member.id)", w.admin, json: ["role": "member"])["role"] == "member")
        #expect(try await w.call("PATCH", "/members/\(w.moderator.id)", w.moderator, json: ["role": "member"]).status == 403)
        // Permission sets: only for roles below, only permissions one has.
        #expect(try await w.call("PUT", "/roles/admin", w.admin, json: ["permissions": ["view"]]).status == 403)
        #expect(try await w.call("PUT", "/roles/owner", w.owner, json: ["permissions": ["view"]]).status == 409)
        _ = try await w.call("PUT", "/roles/moderator", w.owner, json: ["permissions": ["view", "post", "react", "attach", "moderate", "manage_roles"]])
        #expect(try await w.call("PUT", "/roles/member", w.moderator, json: ["permissions": ["view", "post", "manage_channels"]]).status == 403)
        #expect(try await w.call("PUT", "/roles/member", w.moderator, json: ["permissions": ["view", "post", "react"]]).status == 200)
        // A channel override cannot grant what the caller lacks, nor touch a role at or above theirs.
        _ = try await w.call("PUT", "/roles/moderator", w.owner, json: ["permissions": ["view", "post", "react", "moderate", "manage_channels", "view_audit_log"]])
        #expect(try await w.call("POST", "/channels", w.moderator, json: ["name": "x1", "overrides": ["member": ["manage_roles": true]]]).status == 403)
        #expect(try await w.call("POST", "/channels", w.moderator, json: ["name": "x2", "overrides": ["admin": ["post": false]]]).status == 403)
        #expect(try await w.call("POST", "/channels", w.moderator, json: ["name": "x3", "overrides": ["member": ["post": false]]]).status == 201)
        // Timeouts and bans: not on one's equal or better; admins and the owner never timed out.
        #expect(try await w.call("POST", "/members/\(w.admin.id)/timeout", w.owner, json: ["seconds": 60]).status == 403)
        #expect(try await w.call("POST", "/members/\(w.owner.id)/timeout", w.admin, json: ["seconds": 60]).status == 403)
        #expect(try await w.call("POST", "/members/\(w.moderator.id)/timeout", w.moderator, json: ["seconds": 60]).status == 403)
        #expect(try await w.call("PUT", "/bans/\(w.admin.id)", w.moderator, json: ["reason": "no"]).status == 403)
        #expect(try await w.call("DELETE", "/members/\(w.admin.id)", w.moderator).status == 403)
        // A moderator cannot delete an admin's message; the admin can delete the moderator's.
        let adminSays = try await w.call("POST", "/channels/\(w.general)/messages", w.admin, json: ["body": "rules"])
        let modSays = try await w.call("POST", "/channels/\(w.general)/messages", w.moderator, json: ["body": "hello"])
        #expect(try await w.call("DELETE", "/channels/\(w.general)/messages/\(Int(adminSays["id"]?.numberValue ?? 0))", w.moderator).status == 403)
        #expect(try await w.call("DELETE", "/channels/\(w.general)/messages/\(Int(modSays["id"]?.numberValue ?? 0))?reason=off-topic", w.admin).status == 204)
        let log = try await w.call("GET", "/audit-log?action=message_deleted", w.owner)
        #expect(log.data.count == 1 && log.data[0]["actor_id"]?.stringValue == w.admin.id && log.data[0]["reason"] == "off-topic", "\(log.body)")
    }

    @Test func aTimeoutLetsAMemberReadButNotPostUntilTheMomentItEnds() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        let timedOut = try await w.call("POST", "/members/\(w.member.id)/timeout", w.moderator, json: ["seconds": 600, "reason": "cool off"])
        #expect(timedOut.status == 200 && timedOut.string("timed_out_until") != nil, "\(timedOut.body)")
        #expect(try await w.call("GET", "/channels/\(w.general)/messages", w.member).status == 200)
        let refused = try await w.call("POST", "/channels/\(w.general)/messages", w.member, json: ["body": "but"])
        #expect(refused.status == 403 && refused.body.contains("timed out"), "\(refused.body)")
        // One millisecond before its end it holds; at its end it is over (checked against the clock, not the lifting job).
        w.clock.advance(byMilliseconds: 600_000 - 1)
        #expect(try await w.call("POST", "/channels/\(w.general)/messages", w.member, json: ["body": "now?"]).status == 403)
        w.clock.advance(byMilliseconds: 1)
        #expect(try await w.call("POST", "/channels/\(w.general)/messages", w.member, json: ["body": "back"]).status == 201)
        // The job clears it and tells everyone; the audit log has both the action and its end.
        #expect(try await Poll.until { try await w.call("GET", "/members/\(w.member.id)", w.owner)["timed_out_until"] == nil })
        let log = try await w.call("GET", "/audit-log", w.owner)
        #expect(log.data.map { $0["action"]?.stringValue ?? "" }.prefix(2) == ["timeout_lifted", "member_timed_out"], "\(log.body)")
        #expect(log.data.first?["actor_id"] == "system" && log.data.last(where: { $0["action"] == "member_timed_out" })?["reason"] == "cool off")
    }

    @Test func aBanRemovesAndKeepsOutUntilItEnds() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        let banned = try await w.call("PUT", "/bans/\(w.member.id)", w.moderator, json: ["seconds": 300, "reason": "spam"])
        #expect(banned.status == 200 && banned.string("reason") == "spam" && banned.string("until") != nil, "\(banned.body)")
        #expect(try await w.call("GET", "/members/\(w.member.id)", w.owner).status == 404)
        #expect(try await w.call("GET", "/channels", w.member).status == 403)
        let again = try await w.call("POST", "/join", w.member)
        #expect(again.status == 403 && again.body.contains("banned"), "\(again.body)")
        w.clock.advance(byMilliseconds: 300_000)
        #expect(try await Poll.until { try await w.call("GET", "/bans", w.owner).data.isEmpty })
        #expect(try await w.call("POST", "/join", w.member).status == 200)
        // A ban for good, of someone never in it, keeps them from joining.
        #expect(try await w.call("PUT", "/bans/\(w.outsider.id)", w.admin)["until"] == nil)
        #expect(try await w.call("POST", "/join", w.outsider).status == 403)
    }

    @Test func privateChannelsAndHiddenCommunitiesDoNotExistForOutsiders() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        let staff = try await w.call("POST", "/channels", w.admin, json: ["name": "staff", "private": true, "member_ids": .array([.string(w.moderator.id)])])
        #expect(staff.status == 201, "\(staff.body)")
        let staffID = try #require(staff.string("id"))
        #expect(try await w.call("GET", "/channels", w.member).data.map { $0["name"] } == ["general"])
        #expect(try await w.call("GET", "/channels/\(staffID)", w.member).status == 404)
        #expect(try await w.call("GET", "/channels/\(staffID)/messages", w.member).status == 404)
        #expect(try await w.call("POST", "/channels/\(staffID)/messages", w.member, json: ["body": "x"]).status == 404)
        #expect(try await w.call("GET", "/channels", w.moderator).data.contains { $0["name"] == "staff" })
        // A mention of someone who cannot see the channel is dropped.
        let said = try await w.call("POST", "/channels/\(staffID)/messages", w.moderator, json: ["body": .string("ping <@\(w.member.id)> and <@\(w.admin.id)>")])
        #expect(said["mentions"] == .array([.string(w.admin.id)]), "\(said.body)")
        #expect(try await w.call("POST", "/channels/\(staffID)/members", w.admin, json: ["add": .array([.string(w.outsider.id)])]).status == 409)
        #expect(try await w.call("POST", "/channels/\(staffID)/members", w.admin, json: ["add": .array([.string(w.member.id)])])["data"]?.arrayValue?.count == 2)
        #expect(try await w.call("GET", "/channels/\(staffID)/messages", w.member).data.count == 1)

        // Outsiders see a public community but nothing in it; a hidden one not at all.
        #expect(try await w.call("GET", "", w.outsider).string("my_role") == nil)
        #expect(try await w.call("GET", "/channels", w.outsider).status == 403)
        #expect(try await w.call("PATCH", "", w.owner, json: ["visibility": "hidden"]).string("visibility") == "hidden")
        for path in ["", "/channels", "/members", "/audit-log"] {
            #expect(try await w.call("GET", path, w.outsider).status == 404, "\(path)")
        }
        #expect(try await w.call("POST", "/join", w.outsider).status == 404)
        #expect(try await w.api.call("GET", "/api/v1/communities", token: w.outsider.token).data.isEmpty)
        #expect(try await w.api.call("GET", "/api/v1/communities", token: w.member.token).data.count == 1)
    }

    @Test func messagesThreadsEditsAndUnreadCounts() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        var ids: [Int] = []
        for n in 1...5 {
            let posted = try await w.call("POST", "/channels/\(w.general)/messages", w.owner, json: ["body": .string("message \(n) for <@\(w.member.id)>")])
            ids.append(try #require(posted["id"]?.numberValue.map { Int($0) }, "\(posted.body)"))
        }
        #expect(ids == ids.sorted() && Set(ids).count == 5)
        func state(_ who: Person) async throws -> JSONValue {
            try await w.call("GET", "/channels/\(w.general)", who).json
        }
        let fresh = try await state(w.member)
        #expect(fresh["unread_count"] == 5 && fresh["mention_count"] == 5, "\(fresh)")
        #expect(try await state(w.owner)["unread_count"] == 0)  // one's own messages are read
        // Pages: latest, before, after, around.
        #expect(try await w.call("GET", "/channels/\(w.general)/messages?limit=2", w.member).data.map { Int($0["id"]?.numberValue ?? 0) } == Array(ids.suffix(2)))
        #expect(try await w.call("GET", "/channels/\(w.general)/messages?before=\(ids[2])", w.member).data.map { Int($0["id"]?.numberValue ?? 0) } == Array(ids.prefix(2)))
        #expect(try await w.call("GET", "/channels/\(w.general)/messages?after=\(ids[2])", w.member).data.map { Int($0["id"]?.numberValue ?? 0) } == Array(ids.suffix(2)))
        #expect(try await w.call("GET", "/channels/\(w.general)/messages?around=\(ids[2])&limit=3", w.member).data.map { Int($0["id"]?.numberValue ?? 0) } == Array(ids[1...3]))

        // Read up to the second: 3 unread. An edit changes nothing; deleting an unread one takes it off.
        #expect(try await w.call("POST", "/channels/\(w.general)/read", w.member, json: ["message_id": .number(Double(ids[1]))])["unread_count"] == 3)
        let edited = try await w.call("PATCH", "/channels/\(w.general)/messages/\(ids[4])", w.owner, json: ["body": "message 5, edited"])
        #expect(edited.string("edited_at") != nil && edited["mentions"] == .array([]), "\(edited.body)")
        let afterEdit = try await state(w.member)
        #expect(afterEdit["unread_count"] == 3 && afterEdit["mention_count"] == 2, "\(afterEdit)")
        #expect(try await w.call("GET", "/channels/\(w.general)/messages/\(ids[4])/history", w.owner).data.first?["body"] == .string("message 5 for <@\(w.member.id)>"))
        #expect(try await w.call("DELETE", "/channels/\(w.general)/messages/\(ids[3])", w.owner).status == 204)
        let afterDelete = try await state(w.member)
        #expect(afterDelete["unread_count"] == 2 && afterDelete["mention_count"] == 1, "\(afterDelete)")
        #expect(try await w.call("GET", "/channels/\(w.general)/messages/\(ids[3])", w.member).status == 404)
        // Reading never goes back; reading past the end stops at the latest.
        #expect(try await w.call("POST", "/channels/\(w.general)/read", w.member, json: ["message_id": 1])["last_read_id"] == .number(Double(ids[1])))
        #expect(try await w.call("POST", "/channels/\(w.general)/read", w.member, json: ["message_id": 999_999])["unread_count"] == 0)

        // Only the author edits, and only inside the window (a minute here; the access tokens last longer).
        #expect(try await w.call("PATCH", "/channels/\(w.general)/messages/\(ids[0])", w.admin, json: ["body": "mine now"]).status == 403)
        #expect(try await w.call("PATCH", "", w.owner, json: ["edit_window_seconds": 60])["edit_window_seconds"] == 60)
        w.clock.advance(byMilliseconds: 61_000)
        let late = try await w.call("PATCH", "/channels/\(w.general)/messages/\(ids[0])", w.owner, json: ["body": "too late"])
        #expect(late.status == 409 && late.string("error", "details", "state") == "edit_window_closed", "\(late.body)")

        // Threads: replies are not top-level messages, and count on their first message.
        let reply = try await w.call("POST", "/channels/\(w.general)/messages", w.member, json: ["body": "count me in", "thread_id": .number(Double(ids[0]))])
        #expect(reply.status == 201 && reply["thread_id"] == .number(Double(ids[0])), "\(reply.body)")
        let replyID = Int(reply["id"]?.numberValue ?? 0)
        #expect(try await w.call("POST", "/channels/\(w.general)/messages", w.member, json: ["body": "x", "thread_id": .number(Double(replyID))]).status == 409)
        #expect(try await w.call("GET", "/channels/\(w.general)/messages/\(ids[0])", w.member)["reply_count"] == 1)
        #expect(try await w.call("GET", "/channels/\(w.general)/messages/\(ids[0])/replies", w.member).data.map { $0["body"] } == ["count me in"])
        #expect(!(try await w.call("GET", "/channels/\(w.general)/messages", w.member).data.contains { $0["id"] == .number(Double(replyID)) }))

        // Reactions count once per person and emoji.
        for who in [w.member, w.admin, w.member] {
            _ = try await w.call("PUT", "/channels/\(w.general)/messages/\(ids[0])/reactions/%F0%9F%91%8D", who)
        }
        let reacted = try await w.call("GET", "/channels/\(w.general)/messages/\(ids[0])", w.member)
        #expect(reacted["reactions"] == [["emoji": "👍", "count": 2, "me": true]], "\(reacted.body)")
        #expect(try await w.call("PUT", "/channels/\(w.general)/messages/\(ids[0])/reactions/%01", w.member).status == 404)
    }

    /// Every community route that names a channel, walked by a member who is not in a private channel:
    /// each answers 404 and none shows what is in it (routes added later are walked too: the walk reads the router).
    @Test func aMemberOutsideAPrivateChannelFindsNothingOfIt() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        let vault = try await w.call("POST", "/channels", w.admin, json: ["name": "vault", "private": true, "member_ids": .array([.string(w.moderator.id)])])
        let vaultID = try #require(vault.string("id"), "\(vault.body)")
        let said = try await w.call("POST", "/channels/\(vaultID)/messages", w.moderator, json: ["body": "the vault code is 4711"])
        let secretID = try #require(said["id"]?.numberValue.map { String(Int($0)) })
        _ = try await w.call("POST", "/channels/\(vaultID)/messages", w.moderator, json: ["body": "a reply in the vault", "thread_id": .number(Double(secretID)!)])

        let worker = try #require(w.api.host.workers["api"] as? any RoutedWorker)
        // A body each route takes, so the answer is the lookup's, not the schema's.
        func body(_ method: String, _ route: String) -> JSONValue? {
            if method == "GET" || method == "DELETE" || route.hasSuffix("/reactions/:emoji") { return nil }
            if route.hasSuffix("/members") { return ["add": .array([.string(w.member.id)])] }
            if route.hasSuffix("/read") { return ["message_id": 1] }
            if route.hasSuffix("/flags") { return ["note": "walk"] }
            if route.hasSuffix("/:channel_id") { return ["name": "walk"] }
            return ["body": "walk"]
        }
        var walked = 0
        for route in worker.router.routes where route.path.contains(":channel_id") {
            var path = route.path.replacingOccurrences(of: ":id", with: w.community).replacingOccurrences(of: ":channel_id", with: vaultID)
                .replacingOccurrences(of: ":message_id", with: secretID).replacingOccurrences(of: ":emoji", with: "x")
            path = path.replacingOccurrences(of: ":user_id", with: w.moderator.id).replacingOccurrences(of: ":file_id", with: "cfl_walk")
            if route.path.hasSuffix("/files") { path += "?name=walk.txt" }
            let answer: TestResponse
            if route.path.hasPrefix("/console/") {
                // The console's pages take the member's session in its cookie, and a form its CSRF token.
                let cookie = ["Cookie": "ozzi_access=\(w.member.token)"]
                let page = try await w.api.call("GET", "/console/communities", headers: cookie).body
                let csrf = page.range(of: "name=\"csrf-token\" content=\"").map { String(page[$0.upperBound...].prefix { $0 != "\"" }) } ?? ""
                answer = try await w.api.call(route.method, path, raw: route.method == "GET" ? nil : "_csrf=\(csrf)&body=walk",
                                              headers: cookie.merging(["Content-Type": "application/x-www-form-urlencoded"]) { $1 })
            } else {
                answer = try await w.api.call(route.method, path, json: body(route.method, route.path), token: w.member.token)
            }
            walked += 1
            #expect(answer.status == 404, "\(route.method) \(path) answered \(answer.status): \(answer.body)")
            #expect(!answer.body.contains("4711") && !answer.body.contains("vault"), "\(route.method) \(path) revealed the vault")
        }
        #expect(walked >= 10)
        // Nothing of it in the member's view of the community either, nor in the message the walk did not reach.
        for path in ["", "/channels", "/members"] {
            let answer = try await w.call("GET", path, w.member)
            #expect(!answer.body.contains("vault") && !answer.body.contains("4711"), "\(path): \(answer.body)")
        }
        #expect(try await w.call("GET", "/channels/\(vaultID)/messages", w.moderator).data.count == 1)
    }

    @Test func joiningByRequestAndByInvitation() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        // By request: asked once, decided by a moderator, recorded.
        #expect(try await w.call("PATCH", "", w.owner, json: ["join_policy": "request"]).string("join_policy") == "request")
        #expect(try await w.call("POST", "/join", w.outsider).string("error", "details", "state") == "request")
        let asked = try await w.call("POST", "/join-requests", w.outsider, json: ["message": "I run on Saturdays"])
        #expect(asked.status == 201 && asked.string("status") == "pending", "\(asked.body)")
        #expect(try await w.call("POST", "/join-requests", w.outsider).status == 409)
        #expect(try await w.call("GET", "/join-requests", w.member).status == 403)
        let pending = try await w.call("GET", "/join-requests?status=pending", w.moderator)
        #expect(pending.data.map { $0["message"] } == ["I run on Saturdays"], "\(pending.body)")
        let approved = try await w.call("POST", "/join-requests/\(asked.string("id") ?? "")/approve", w.moderator, json: ["reason": "welcome"])
        #expect(approved.string("status") == "approved" && approved.string("decided_by") == w.moderator.id, "\(approved.body)")
        #expect(try await w.call("GET", "/members/\(w.outsider.id)", w.owner).string("role") == "member")
        #expect(try await w.call("POST", "/join-requests/\(asked.string("id") ?? "")/reject", w.moderator).string("error", "details", "state") == "approved")
        #expect(try await w.call("GET", "/audit-log?action=join_approved", w.owner).data.count == 1)

        // By invitation: a link for two people as moderators (from an admin, whose role is above that).
        #expect(try await w.call("PATCH", "", w.owner, json: ["join_policy": "invitation"]).status == 200)
        #expect(try await w.call("POST", "/invitations", w.moderator, json: ["role": "moderator"]).status == 403)
        let link = try await w.call("POST", "/invitations", w.admin, json: ["role": "moderator", "max_uses": 2, "expires_in_seconds": 3600])
        #expect(link.status == 201 && link.string("invitation", "role") == "moderator", "\(link.body)")
        let code = try #require(link.string("code"))
        let guests = [try await Self.person(w.api, "guest1@example.com"), try await Self.person(w.api, "guest2@example.com"), try await Self.person(w.api, "guest3@example.com")]
        for guest in guests.prefix(2) {
            let joined = try await w.api.call("POST", "/api/v1/community-invitations/accept", json: ["token": .string(code)], token: guest.token)
            #expect(joined.status == 200 && joined.string("my_role") == "moderator", "\(joined.body)")
        }
        let third = try await w.api.call("POST", "/api/v1/community-invitations/accept", json: ["token": .string(code)], token: guests[2].token)
        #expect(third.string("error", "details", "state") == "used_up", "\(third.body)")
        #expect(try await w.api.call("POST", "/api/v1/community-invitations/accept", json: ["token": "cin_nothing"], token: guests[2].token).status == 404)
        // Expired and withdrawn links open nothing; a ban outlasts any invitation.
        let shortLived = try await w.call("POST", "/invitations", w.admin, json: ["expires_in_seconds": 60])
        w.clock.advance(byMilliseconds: 60_000)
        #expect(try await w.api.call("POST", "/api/v1/community-invitations/accept", json: ["token": .string(shortLived.string("code") ?? "")],
                                     token: guests[2].token).string("error", "details", "state") == "expired")
        let withdrawn = try await w.call("POST", "/invitations", w.admin)
        #expect(try await w.call("DELETE", "/invitations/\(withdrawn.string("invitation", "id") ?? "")", w.admin).status == 204)
        #expect(try await w.api.call("POST", "/api/v1/community-invitations/accept", json: ["token": .string(withdrawn.string("code") ?? "")],
                                     token: guests[2].token).string("error", "details", "state") == "revoked")
        _ = try await w.call("PUT", "/bans/\(guests[2].id)", w.admin)
        let open = try await w.call("POST", "/invitations", w.admin)
        #expect(try await w.api.call("POST", "/api/v1/community-invitations/accept", json: ["token": .string(open.string("code") ?? "")],
                                     token: guests[2].token).status == 403)

        // By email: the link in the mail works for that address only.
        let invitee = "invitee@example.com"
        let before = AccountMailbox.emails(in: w.api.dataDirectory, to: invitee).count
        let mailed = try await w.call("POST", "/invitations", w.admin, json: ["email": .string(invitee)])
        #expect(mailed.status == 201 && mailed.string("invitation", "email") == invitee && mailed["invitation"]?["max_uses"] == 1, "\(mailed.body)")
        let token = try await w.api.mailedToken(to: invitee, after: before, path: "/api/v1/community-invitations/accept")
        #expect(token == mailed.string("code"))
        let stranger = try await Self.person(w.api, "someone-else@example.com")
        #expect(try await w.api.call("POST", "/api/v1/community-invitations/accept", json: ["token": .string(token)], token: stranger.token)
            .string("error", "details", "state") == "other_address")
        let right = try await Self.person(w.api, invitee)
        #expect(try await w.api.call("POST", "/api/v1/community-invitations/accept", json: ["token": .string(token)], token: right.token).string("my_role") == "member")
        #expect(try await w.api.call("GET", "/api/v1/community-invitations/accept").status == 200)
    }

    @Test func theDirectoryListsPublicAndPrivateCommunitiesNeverHiddenOnes() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        let other = try await Self.person(w.api, "other-owner@example.com")
        for (name, visibility) in [("Quiet readers", "private"), ("Secret society", "hidden"), ("Night owls 100%", "public")] {
            #expect(try await w.api.call("POST", "/api/v1/communities", json: ["name": .string(name), "visibility": .string(visibility)], token: other.token).status == 201)
        }
        _ = try await w.call("POST", "/channels/\(w.general)/messages", w.member, json: ["body": "busy here"])
        let byMembers = try await w.api.call("GET", "/api/v1/communities/discover", token: w.outsider.token)
        // Most members first; equals by id, so oldest first.
        #expect(byMembers.data.map { $0["name"] } == ["Trail runners", "Quiet readers", "Night owls 100%"], "\(byMembers.body)")
        #expect(byMembers.data.first?["member_count"] == 4 && byMembers.data.first?["messages_last_week"] == 1)
        #expect(!byMembers.body.contains("Secret society"))
        let found = try await w.api.call("GET", "/api/v1/communities/discover?q=100%25", token: w.outsider.token)
        #expect(found.data.map { $0["name"] } == ["Night owls 100%"], "a % is itself, not a wildcard: \(found.body)")
        let first = try await w.api.call("GET", "/api/v1/communities/discover?sort=active&limit=1", token: w.outsider.token)
        #expect(first.data.map { $0["name"] } == ["Trail runners"])
        let rest = try await w.api.call("GET", "/api/v1/communities/discover?sort=active&limit=5&cursor=\(first.string("next_cursor") ?? "")", token: w.outsider.token)
        #expect(rest.data.count == 2 && !rest.data.contains { $0["name"] == "Trail runners" }, "\(rest.body)")
    }

    /// The workspace's stream carries community changes, but a private channel's only to the workspace's
    /// admins: a plain workspace member resuming the stream gets the public channel's message, not the vault's.
    @Test func theWorkspaceStreamKeepsPrivateChannelsToAdmins() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        let workspace = try #require(try await w.call("GET", "", w.owner).string("workspace_id"))
        let invitation = try await w.api.call("POST", "/api/v1/workspaces/\(workspace)/invitations", json: ["email": "member@example.com", "role": "member"],
                                              token: w.owner.token)
        #expect(try await w.api.call("POST", "/api/v1/invitations/accept", json: ["token": .string(invitation.string("token") ?? "")],
                                     token: w.member.token).status == 200)
        let vault = try await w.call("POST", "/channels", w.admin, json: ["name": "vault", "private": true, "member_ids": .array([.string(w.moderator.id)])])
        _ = try await w.call("POST", "/channels/\(vault.string("id") ?? "")/messages", w.moderator, json: ["body": "vault plans"])
        _ = try await w.call("POST", "/channels/\(w.general)/messages", w.owner, json: ["body": "general news"])
        let first = try #require(try await w.api.database("api").prepare("SELECT min(seq) AS seq FROM workspace_events WHERE workspace_id = ?")
            .bind(workspace).first()?.integer("seq"))
        func stream(_ who: Person) async throws -> String {
            try await w.api.call("GET", "/api/v1/stream", token: who.token, headers: ["Last-Event-ID": String(first), "X-Workspace-Id": workspace],
                                 maxSeconds: 1).body
        }
        let member = try await stream(w.member)
        #expect(member.contains("general news") && member.contains("community.message_created"), "\(member)")
        #expect(!member.contains("vault plans") && !member.contains("\"private_channel\":true"), "\(member)")
        let owner = try await stream(w.owner)
        #expect(owner.contains("vault plans") && owner.contains("general news"), "\(owner)")
    }
}
