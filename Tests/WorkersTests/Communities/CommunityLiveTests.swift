import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// A community's live WebSocket over a real socket, spoken by the `websockets` library
/// (Tests/clients/community_socket.py says what it does, step by step): two members' sockets see the same
/// changes in the same order through a forced reconnect — no gap, no duplicate, no reordering — a private
/// channel's changes never reach a member who is not in it, a replay gives exactly the later changes, and
/// a removed member's socket is told and closed.
@Suite struct CommunityLiveTests {
    struct Person {
        let token: String
        let id: String
    }

    static func person(_ api: WorkerTestHost, _ email: String) async throws -> Person {
        let signup = try await api.signUp(email)
        return Person(token: try #require(signup.string("access_token"), "\(signup.body)"), id: try #require(signup.string("user", "id"), "\(signup.body)"))
    }

    /// Whether `pair` is two equal numbers.
    static func samePair(_ pair: JSONValue?) -> Bool {
        guard let items = pair?.arrayValue, items.count == 2, items[0].numberValue != nil else { return false }
        return items[0] == items[1]
    }

    @Test func twoSocketsSeeTheSameChangesInTheSameOrderThroughAForcedReconnect() async throws {
        let api = try await APIHost.start(.live)
        defer { Task { await api.stop() } }
        // The owner runs the community; A and B are plain members (so only a private channel's listing lets
        // them see it); the outsider never joins.
        let owner = try await Self.person(api, "owner@example.com")
        let a = try await Self.person(api, "a@example.com")
        let b = try await Self.person(api, "b@example.com")
        let outsider = try await Self.person(api, "outsider@example.com")
        let made = try await api.call("POST", "/api/v1/communities", json: ["name": "Night owls", "visibility": "public", "join_policy": "open"],
                                      token: owner.token)
        #expect(made.status == 201, "\(made.body)")
        let community = try #require(made.string("id"), "\(made.body)")
        for member in [a, b] {
            let joined = try await api.call("POST", "/api/v1/communities/\(community)/join", token: member.token)
            #expect(joined.status == 200 && joined.string("role") == "member", "\(joined.body)")
        }

        let run = try await Subprocess.run("/usr/bin/python3", [Subprocess.clientPath("community_socket.py"), api.base, community,
                                                                owner.token, a.token, a.id, b.token, b.id, outsider.token])
        #expect(run.status == 0, "community_socket.py: \(run.stderr)")
        let seen = try #require(try? JSONValue(jsonBytes: Array(run.stdout.utf8)), "community_socket.py printed no JSON: \(run.stderr)")
        // What the client saw, for the messages of checks whose operands alone do not tell what went wrong.
        let all = "\(run.stdout) \(run.stderr)"
        #expect(seen["error"] == nil && seen["timeouts"] == [] && seen["posting_errors"] == [], "\(all)")
        #expect(seen["unexpected_frames"] == nil, "only events after ready: \(all)")
        #expect(seen["outsider_handshake"] == 403)
        #expect(Self.samePair(seen["ready"]), "both start at the same seq: \(all)")

        // The burst (the script's POSTERS, PER_POSTER, SECRET_POSTS, AWAY_POSTS): 3 x 40 messages into
        // #general at once, then one closing it, and 20 into #secret, with A's connection cut midway. A came
        // back after the last seq it had and was replayed what it missed (at least the 10 posts made while
        // it was away) before ready.
        let reconnects = seen["a_reconnect"]?.arrayValue ?? []
        let reconnect = reconnects.first
        #expect(reconnects.count == 1 && reconnect?["after"] == seen["a_cut_after_seq"], "\(all)")
        #expect((reconnect?["replayed"]?.numberValue ?? 0) >= 10, "\(all)")
        let posted = try #require(seen["posted_general"]?.arrayValue, "\(all)")
        #expect(posted.count == 3 * 40 + 1, "\(all)")
        // Each socket's message seqs are exactly the ids the posts answered, in increasing order: no gap,
        // no duplicate, no reordering — and so the two sockets' lists are the same.
        #expect(seen["a_general"] == seen["posted_general"], "A's #general")
        #expect(seen["b_general"] == seen["posted_general"], "B's #general")
        #expect(seen["a_secret"] == seen["posted_secret"] && seen["posted_secret"]?.arrayValue?.count == 20, "A's #secret")
        // Every event, not only messages, in seq order once; B's are A's less the private channels' (B is
        // listed in neither, so nothing of them reaches B: not the channels, their messages or changes).
        #expect(seen["a_seqs_increasing"] == true && seen["b_seqs_increasing"] == true, "\(all)")
        #expect(seen["b_private"] == [], "a private channel's event reached B")
        #expect(seen["b_is_a_without_private"] == true, "\(all)")

        // A replay from where both started gives exactly what each saw live (through A's cut), then ready
        // at the latest seq; one from the middle, exactly the later ones.
        for name in ["a", "b"] {
            #expect(seen["\(name)_replay_is_live"] == true && seen["\(name)_replay_from_middle_is_live"] == true, "\(name): \(all)")
            #expect(Self.samePair(seen["\(name)_replay_ready"]), "ready's last_seq is the last seq seen, \(name): \(all)")
        }

        // Edits, a delete and reactions arrive in the order they were made, each as [type, channel, what]
        // (messages named by the text they were posted with). A, listed in #secret-2 after its creation,
        // learns of it then; B sees only #general's.
        let aChanges: JSONValue = [
            ["channel.members_changed", "secret-2", ["A"]],
            ["message.created", "secret-2", "welcome"],
            ["message.edited", "general", ["owner 0", "owner 0, edited"]],
            ["reaction.added", "general", ["owner 1", "👍", 1, "A"]],
            ["message.deleted", "general", "owner 2"],
            ["message.edited", "secret", ["hush 0", "hush 0, edited"]],
            ["reaction.added", "secret", ["hush 0", "🎉", 1, "A"]],
            ["message.created", "general", "end of changes"],
        ]
        // The fan-out judges each event by what the member may see when it reaches the socket, as a replay
        // does: under load #secret-2's creation may reach A's socket after A was listed in it, and then A
        // is sent it too (never B, checked above).
        let aLive = seen["a_changes"]?.arrayValue ?? []
        let lateCreation: JSONValue = ["channel.created", "secret-2", "secret-2"]
        #expect(JSONValue.array(aLive.first == lateCreation ? Array(aLive.dropFirst()) : aLive) == aChanges, "\(all)")
        #expect(seen["b_changes"] == [
            ["message.edited", "general", ["owner 0", "owner 0, edited"]],
            ["reaction.added", "general", ["owner 1", "👍", 1, "A"]],
            ["message.deleted", "general", "owner 2"],
            ["message.created", "general", "end of changes"],
        ])
        // A replay answers by what the member may see now: A is replayed #secret-2's creation too.
        let aReplay = try #require(aChanges.arrayValue)
        #expect(seen["a_replay_of_changes"] == .array([["channel.created", "secret-2", "secret-2"]] + aReplay))
        #expect(seen["b_replay_of_changes_is_live"] == true, "\(all)")

        // Removed, B is told and its socket closes with 4403; its next handshake is refused. A is told too
        // and stays connected.
        #expect(seen["b_after_removal"] == [["member.removed", .null, "B"]] && seen["b_close_code"] == 4403)
        #expect(seen["b_handshake_after_removal"] == 403)
        #expect(seen["a_saw_removal"] == [["member.removed", .null, "B"]] && seen["a_still_open"] == true)
    }

    /// The review queue on the socket: a held post's changes reach the channel's moderators and its author,
    /// never another member (who sees the post only once it is approved, as a message).
    @Test func theReviewQueueReachesOnlyModeratorsAndTheSubmitter() async throws {
        let api = try await APIHost.start(.live)
        defer { Task { await api.stop() } }
        let owner = try await Self.person(api, "owner@example.com")
        let a = try await Self.person(api, "a@example.com")
        let b = try await Self.person(api, "b@example.com")
        let community = try #require(try await api.call("POST", "/api/v1/communities", json: ["name": "Reviewed"], token: owner.token).string("id"))
        for member in [a, b] { _ = try await api.call("POST", "/api/v1/communities/\(community)/join", token: member.token) }
        let path = "/api/v1/communities/\(community)"
        let channel = try #require(try await api.call("POST", path + "/channels", json: ["name": "intros", "review": "everyone"], token: owner.token).string("id"))
        let start = try #require(try await api.call("GET", path, token: owner.token)["last_seq"]?.numberValue.map { Int($0) })
        let held = try await api.call("POST", path + "/channels/\(channel)/submissions", json: ["body": "hello, I am A"], token: a.token)
        let id = try #require(held.string("id"), "\(held.body)")
        #expect(try await api.call("POST", path + "/submissions/\(id)/approve", token: owner.token).string("status") == "approved")

        func replay(_ who: Person) async throws -> [String] {
            let run = try await Subprocess.run("/usr/bin/python3", [Subprocess.clientPath("community_replay.py"), api.base, community, who.token, String(start)])
            let seen = try #require(try? JSONValue(jsonBytes: Array(run.stdout.utf8)), "community_replay.py: \(run.stderr)")
            return (seen["events"]?.arrayValue ?? []).compactMap { $0["event"]?.stringValue }
        }
        #expect(try await replay(owner) == ["submission.created", "message.created", "submission.decided"])
        #expect(try await replay(a) == ["submission.created", "message.created", "submission.decided"])
        #expect(try await replay(b) == ["message.created"])
    }
}
