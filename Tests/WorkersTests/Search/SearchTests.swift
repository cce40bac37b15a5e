import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// The one search box: what it finds (the moment it is written), how it ranks and marks it, and what it
/// never shows — a private channel's messages to someone not in it, another workspace's contacts.
@Suite struct SearchTests {
    typealias Person = CommunityTests.Person

    func search(_ w: CommunityTests.World, _ who: Person, _ query: String) async throws -> TestResponse {
        try await w.api.call("GET", "/api/v1/search?" + query, token: who.token)
    }

    @Test func aMessageIsFoundTheMomentItIsPostedWithItsWordsMarked() async throws {
        let w = try await CommunityTests().world()
        defer { Task { await w.api.stop() } }
        let posted = try await w.call("POST", "/channels/\(w.general)/messages", w.owner, json: ["body": "Saturday's trail run starts at the <b>old mill</b>"])
        let id = try #require(posted["id"]?.numberValue.map { String(Int($0)) })
        // Typed as far as "tra": the last word is a prefix.
        let found = try await search(w, w.member, "q=saturday%20tra&types=messages")
        #expect(found.data.count == 1, "\(found.body)")
        let hit = try #require(found.data.first)
        #expect(hit["type"] == "message" && hit["id"] == .string(id) && hit["channel_id"] == .string(w.general) && hit["community_id"] == .string(w.community))
        #expect(hit["snippet"]?.stringValue.map { $0.contains("<mark>Saturday</mark>") && $0.contains("<mark>trail</mark>") && $0.contains("&lt;b&gt;old mill") } == true,
                "\(found.body)")
        // Edited: the new words are found, the old ones not; deleted: gone.
        _ = try await w.call("PATCH", "/channels/\(w.general)/messages/\(id)", w.owner, json: ["body": "Sunday's hill run instead"])
        #expect(try await search(w, w.member, "q=trail&types=messages").data.isEmpty)
        #expect(try await search(w, w.member, "q=hill&types=messages").data.count == 1)
        _ = try await w.call("DELETE", "/channels/\(w.general)/messages/\(id)", w.owner)
        #expect(try await search(w, w.member, "q=hill&types=messages").data.isEmpty)
        // Nothing for a text without words.
        #expect(try await search(w, w.member, "q=%21%21%21").data.isEmpty)
    }

    @Test func aPrivateChannelIsNeverSearchedForSomeoneOutsideIt() async throws {
        let w = try await CommunityTests().world()
        defer { Task { await w.api.stop() } }
        let vault = try await w.call("POST", "/channels", w.admin, json: ["name": "vault", "private": true, "topic": "plans for the marathon",
                                                                         "member_ids": .array([.string(w.moderator.id)])])
        let vaultID = try #require(vault.string("id"))
        _ = try await w.call("POST", "/channels/\(vaultID)/messages", w.moderator, json: ["body": "the marathon budget is secret"])
        _ = try await w.call("POST", "/channels/\(w.general)/messages", w.member, json: ["body": "anyone for the marathon?"])
        // The member finds only the public message; nothing says there is more.
        let seen = try await search(w, w.member, "q=marathon")
        #expect(seen.data.map { $0["type"] } == ["message"] && seen.data.first?["snippet"]?.stringValue?.contains("anyone") == true, "\(seen.body)")
        #expect(!seen.body.contains("budget") && !seen.body.contains(vaultID) && !seen.body.contains("vault"))
        #expect(try await search(w, w.member, "q=budget").data.isEmpty)
        #expect(try await search(w, w.member, "q=marathon&channel_id=\(vaultID)").data.isEmpty)
        // Listed, the moderator finds both messages and the channel by its topic; so does an admin (who manages channels).
        let listed = try await search(w, w.moderator, "q=marathon")
        #expect(Set(listed.data.compactMap { $0["type"]?.stringValue }) == ["message", "channel"] && listed.data.count == 3, "\(listed.body)")
        #expect(try await search(w, w.admin, "q=budget&types=messages").data.count == 1)
        // Outsiders (not in the community) find none of it.
        #expect(try await search(w, w.outsider, "q=marathon").data.isEmpty)
        // Scoped to one channel: its messages and itself only.
        let scoped = try await search(w, w.moderator, "q=marathon&channel_id=\(vaultID)")
        #expect(Set(scoped.data.compactMap { $0["channel_id"]?.stringValue }) == [vaultID], "\(scoped.body)")
    }

    @Test func everyTypeIsFoundAndMergedByRank() async throws {
        let w = try await CommunityTests().world()
        defer { Task { await w.api.stop() } }
        // A member with a name (given at sign-up).
        let before = AccountMailbox.emails(in: w.api.dataDirectory, to: "rowan@example.com").count
        _ = try await w.api.call("POST", "/api/v1/auth/signup", json: ["email": "rowan@example.com", "password": "correct horse battery", "name": "Rowan Trailblazer"])
        let link = try await w.api.mailedToken(to: "rowan@example.com", after: before, path: "/api/v1/auth/verify-email")
        let rowan = try #require(try await w.api.call("POST", "/api/v1/auth/verify-email", json: ["token": .string(link)]).string("access_token"))
        #expect(try await w.api.call("POST", "/api/v1/communities/\(w.community)/join", token: rowan).status == 200)
        _ = try await w.call("POST", "/channels", w.admin, json: ["name": "trail-maps", "topic": "where the trails go"])
        _ = try await w.call("POST", "/channels/\(w.general)/messages", w.owner, json: ["body": "new trail markers are up"])
        _ = try await w.api.call("POST", "/api/v1/contacts", json: ["name": "Trail Shop Ltd", "email": "hello@trailshop.example"], token: w.owner.token)
        let all = try await search(w, w.owner, "q=trail")
        let types = all.data.compactMap { $0["type"]?.stringValue }
        #expect(Set(types) == ["message", "channel", "community", "member", "contact"], "\(all.body)")
        // Each type's best comes before any type's second: rank fusion interleaves the lists.
        #expect(Set(types.prefix(5)).count == 5)
        let scores = all.data.compactMap { $0["score"]?.numberValue }
        #expect(scores == scores.sorted(by: >))
        #expect(try await search(w, w.owner, "q=trail&types=members").data.map { $0["title"] } == ["Rowan Trailblazer"])
        #expect(try await search(w, w.owner, "q=trail&types=contacts,channels&limit=1").data.count == 1)
        // Another workspace's people see none of the contacts (their own workspace has none).
        #expect(try await search(w, w.member, "q=trail&types=contacts").data.isEmpty)
        // Contacts' own q takes the last word as a prefix too.
        #expect(try await w.api.call("GET", "/api/v1/contacts?q=trail%20sh", token: w.owner.token).data.count == 1)
    }

    @Test func bm25FavoursRareWordsAndShortTexts() {
        // "marathon" is in 10 of 1,000 messages, "run" in 500: a text with the rare word wins, and of two
        // texts with the same words the shorter one; the last word counts as a prefix ("run" finds "running").
        let ranking = MessageRanking(terms: SearchTerms("marathon run"), documentCounts: [10, 500], totalDocuments: 1000)
        let texts = ["run run run run", "the marathon is long and then we go running for a while", "marathon running", "nothing here"]
        #expect(ranking.order(texts) == [2, 1, 0, 3])
    }

    @Test func rankFusionAddsReciprocalRanks() {
        let merged = RankFusion.merge([["a", "b", "c"], ["b", "d"]]) { $0 }
        #expect(merged.map(\.item) == ["b", "a", "d", "c"])
        #expect(abs(merged[0].score - (1 / 62.0 + 1 / 61.0)) < 1e-12)
        #expect(RankFusion.merge([[String]]()) { $0 }.isEmpty)
    }

    @Test func snippetsAreEscapedBeforeTheyAreMarked() {
        #expect(Snippet.html("a \u{1}<script>\u{2} & \"b\"") == "a <mark>&lt;script&gt;</mark> &amp; &quot;b&quot;")
    }
}
