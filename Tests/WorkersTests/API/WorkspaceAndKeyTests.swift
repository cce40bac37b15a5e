import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// Workspaces, members, invitations and API keys, end to end.
@Suite struct WorkspaceAndKeyTests {
    @Test func workspacesMembersAndInvitations() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let owner = try #require(try await api.signUp("owner@example.com").string("access_token"))
        let created = try await api.call("POST", "/api/v1/workspaces", json: ["name": "Acme"], token: owner)
        #expect(created.status == 201)
        #expect(created.string("role") == "owner")
        let workspace = try #require(created.string("id"))
        #expect(try await api.call("GET", "/api/v1/workspaces", token: owner).data.count == 2)

        let invite = try await api.call("POST", "/api/v1/workspaces/\(workspace)/invitations", json: ["email": "Carol@Example.com"], token: owner)
        #expect(invite.status == 201)
        #expect(invite.string("invitation", "email") == "carol@example.com")
        #expect(invite.string("invitation", "role") == "member")
        let inviteToken = try #require(invite.string("token"))
        let listed = try await api.call("GET", "/api/v1/workspaces/\(workspace)/invitations", token: owner)
        #expect(!listed.body.contains(inviteToken), "the token is shown once")

        let dave = try #require(try await api.signUp("dave@example.com").string("access_token"))
        #expect(try await api.call("GET", "/api/v1/workspaces/\(workspace)", token: dave).status == 404, "not a member: it does not exist")
        #expect(try await api.call("POST", "/api/v1/invitations/accept", json: ["token": .string(inviteToken)], token: dave).status == 403)
        let carol = try await api.signUp("carol@example.com")
        let carolToken = try #require(carol.string("access_token"))
        let joined = try await api.call("POST", "/api/v1/invitations/accept", json: ["token": .string(inviteToken)], token: carolToken)
        #expect(joined.status == 200)
        #expect(joined.string("role") == "member")
        #expect(try await api.call("POST", "/api/v1/invitations/accept", json: ["token": .string(inviteToken)], token: carolToken).status == 409,
                "a used invitation conflicts with accepting it again")
        #expect(try await api.call("POST", "/api/v1/invitations/accept", json: ["token": "inv_nope"], token: carolToken).status == 404)

        let members = try await api.call("GET", "/api/v1/workspaces/\(workspace)/members", token: carolToken)
        #expect(Set(members.data.compactMap { $0["email"]?.stringValue }) == ["owner@example.com", "carol@example.com"])
        #expect(try await api.call("POST", "/api/v1/workspaces/\(workspace)/invitations", json: ["email": "x@example.com"], token: carolToken).status == 403)
        #expect(try await api.call("GET", "/api/v1/audit-log", token: carolToken, headers: ["X-Workspace-Id": workspace]).status == 403)

        let carolID = try #require(carol.string("user", "id"))
        let promoted = try await api.call("PATCH", "/api/v1/workspaces/\(workspace)/members/\(carolID)", json: ["role": "admin"], token: owner)
        #expect(promoted.string("role") == "admin")
        let bad = try await api.call("PATCH", "/api/v1/workspaces/\(workspace)/members/\(carolID)", json: ["role": "emperor"], token: owner)
        #expect(bad.status == 422)
        let ownerID = try #require(try await api.call("GET", "/api/v1/me", token: owner).string("user", "id"))
        let lastOwner = try await api.call("PATCH", "/api/v1/workspaces/\(workspace)/members/\(ownerID)", json: ["role": "member"], token: owner)
        #expect(lastOwner.status == 409)
        #expect(try await api.call("DELETE", "/api/v1/workspaces/\(workspace)/members/\(carolID)", token: carolToken).status == 204)
        #expect(try await api.call("GET", "/api/v1/workspaces/\(workspace)", token: carolToken).status == 404)

        // The owner reads the workspace's audit log by choosing it with X-Workspace-Id.
        let audit = try await api.call("GET", "/api/v1/audit-log", token: owner, headers: ["X-Workspace-Id": workspace])
        let events = audit.data.compactMap { $0["event"]?.stringValue }
        #expect(events.contains("member_joined"))
    }

    @Test func apiKeysAuthenticateUntilDisabledAndHonourIdempotency() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let owner = try #require(try await api.signUp("keys@example.com").string("access_token"))
        let created = try await api.call("POST", "/api/v1/api-keys", json: ["name": "server"], token: owner, headers: ["Idempotency-Key": "k-1"])
        #expect(created.status == 201)
        let key = try #require(created.string("key"))
        let id = try #require(created.string("id"))
        #expect(key.hasPrefix("ozk_live_"))
        #expect(key.hasPrefix(created.string("prefix") ?? "-"))
        let replay = try await api.call("POST", "/api/v1/api-keys", json: ["name": "server"], token: owner, headers: ["Idempotency-Key": "k-1"])
        #expect(replay.status == 201)
        #expect(replay.string("id") == id, "a replayed Idempotency-Key answers the first response")
        #expect(replay.headers["idempotent-replayed"] == "true")
        #expect(try await api.call("POST", "/api/v1/api-keys", json: ["name": "other"], token: owner, headers: ["Idempotency-Key": "k-1"]).status == 409)
        #expect(try await api.call("GET", "/api/v1/api-keys", token: owner).data.count == 1)
        #expect(!(try await api.call("GET", "/api/v1/api-keys", token: owner).body.contains(key)), "the secret is never shown again")

        let me = try await api.call("GET", "/api/v1/me", token: key)
        #expect(me.status == 200)
        #expect(me.string("credential") == "api_key")
        #expect(me.string("api_key_id") == id)
        #expect(try await api.call("GET", "/api/v1/api-keys/\(id)", token: owner).json["last_used_at"] != .null)
        #expect(try await api.call("POST", "/api/v1/workspaces", json: ["name": "x"], token: key).status == 403, "keys cannot act as a person")

        let disabled = try await api.call("PATCH", "/api/v1/api-keys/\(id)", json: ["active": false], token: owner)
        #expect(disabled["active"] == false)
        #expect(try await api.call("GET", "/api/v1/me", token: key).status == 401, "a disabled key is refused at once")
        _ = try await api.call("PATCH", "/api/v1/api-keys/\(id)", json: ["active": true], token: owner)
        #expect(try await api.call("GET", "/api/v1/me", token: key).status == 200)
        #expect(try await api.call("PATCH", "/api/v1/api-keys/\(id)", json: ["active": "no"], token: owner).status == 422)
        #expect(try await api.call("DELETE", "/api/v1/api-keys/\(id)", token: owner).status == 204)
        #expect(try await api.call("GET", "/api/v1/me", token: key).status == 401, "a deleted key is refused at once")
        #expect(try await api.call("GET", "/api/v1/me", token: key.dropLast(2) + "xx").status == 401)

        let events = try await api.call("GET", "/api/v1/audit-log", token: owner).data.compactMap { $0["event"]?.stringValue }
        for event in ["api_key_created", "api_key_disabled", "api_key_enabled", "api_key_deleted"] {
            #expect(events.contains(event), "\(event) is in the audit log")
        }
    }

    @Test func pagesCarryACursor() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let owner = try #require(try await api.signUp("pages@example.com").string("access_token"))
        for i in 0..<5 { _ = try await api.call("POST", "/api/v1/api-keys", json: ["name": .string("k\(i)")], token: owner) }
        var names: [String] = []
        var cursor: String?
        repeat {
            let page = try await api.call("GET", "/api/v1/api-keys?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), token: owner)
            names += page.data.compactMap { $0["name"]?.stringValue }
            cursor = page.string("next_cursor")
        } while cursor != nil
        #expect(Set(names) == ["k0", "k1", "k2", "k3", "k4"])
        #expect(names.count == 5)
        #expect(try await api.call("GET", "/api/v1/api-keys?limit=0", token: owner).status == 422)
        #expect(try await api.call("GET", "/api/v1/api-keys?cursor=%%%", token: owner).status == 422)
    }
}

@Suite struct APIKeyFormatTests {
    @Test func keysWhoseSecretContainsUnderscoresStillAuthenticate() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let owner = try #require(try await api.signUp("underscore@example.com").string("access_token"))
        var sawUnderscore = false
        // About 40% of secrets contain '_'; twenty keys make missing one vanishingly unlikely.
        for i in 0..<20 {
            let key = try #require(try await api.call("POST", "/api/v1/api-keys", json: ["name": .string("k\(i)")], token: owner).string("key"))
            sawUnderscore = sawUnderscore || key.split(separator: "_").count > 4
            #expect(try await api.call("GET", "/api/v1/me", token: key).status == 200, "\(key)")
        }
        #expect(sawUnderscore)
    }
}
