import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// The client portal as its users meet it: an invitation mailed as the workspace's own email, the link
/// spent once for a password, sign-in, refresh and sign-out; a walk of what a portal user can reach (their
/// own records only); and the line between portal and workspace credentials, both ways.
@Suite struct PortalTests {
    @Test func anInvitedContactSignsInAndSeesOnlyTheirOwnRecords() async throws {
        let f = try await PortalFixture.start()
        defer { Task { await f.api.stop() } }
        let ada = try await f.contact("Ada Lovelace", email: "ada@example.com", phone: "+14155550100")
        let bob = try await f.contact("Bob Babbage", email: "bob@example.com")
        let noEmail = try #require(try await f.api.call("POST", "/api/v1/contacts", json: ["name": "Phone only", "phone": "+14155550111"], token: f.token)
            .string("id"))
        let adaChat = try await f.chat(as: "ada@example.com", user: "u-ada", text: "Where is my order?")
        let bobChat = try await f.chat(as: "bob@example.com", user: "u-bob", text: "Bob's secret question")
        let tomorrow = JSONValue.string(SQLDate.format(Date().addingTimeInterval(86_400)))
        let sms = try await f.api.call("POST", "/api/v1/messages", json: ["contact_id": .string(ada), "body": "Your table is ready", "scheduled_at": tomorrow],
                                       token: f.token)
        #expect(sms.status == 201, "\(sms.body)")

        // Invitations: only with the portal on, to a contact with an address.
        let off = try await f.api.call("POST", "/api/v1/portal/invitations", json: ["contact_id": .string(ada)], token: f.token)
        #expect(off.status == 409 && off.string("error", "details", "field") == "contact_id", "\(off.body)")
        try await f.enable()
        let phoneOnly = try await f.api.call("POST", "/api/v1/portal/invitations", json: ["contact_id": .string(noEmail)], token: f.token)
        #expect(phoneOnly.status == 409, "\(phoneOnly.body)")
        #expect(try await f.api.call("POST", "/api/v1/portal/invitations", json: ["contact_id": "con_missing"], token: f.token).status == 404)

        let before = f.mailCount("ada@example.com")
        let invited = try await f.api.call("POST", "/api/v1/portal/invitations", json: ["contact_id": .string(ada)], token: f.token)
        #expect(invited.status == 201 && invited.string("portal_user", "status") == "invited", "\(invited.body)")
        let messageID = try #require(invited.string("message_id"))
        let link = try await f.mailedLink(to: "ada@example.com", after: before)
        // The invitation is the workspace's own email: its sender, in the contact's history.
        let email = try await f.api.call("GET", "/api/v1/emails/\(messageID)", token: f.token)
        #expect(email.string("contact_id") == ada && email.string("from")?.contains("help@sandbox.ozzi.test") == true, "\(email.body)")
        let page = try await f.api.call("GET", PortalFixture.acceptPath)
        #expect(page.status == 200 && page.body.contains("Open your portal access"))

        let weak = try await f.api.call("POST", "/api/v1/client-portal/accept", json: ["token": .string(link), "password": "short"])
        #expect(weak.status == 422 && weak.string("error", "details", "field") == "password", "\(weak.body)")
        let accepted = try await f.api.call("POST", "/api/v1/client-portal/accept", json: ["token": .string(link), "password": "portal pass phrase"])
        #expect(accepted.status == 201 && accepted.string("portal_user", "status") == "active" && accepted.string("token_type") == "Bearer", "\(accepted.body)")
        let again = try await f.api.call("POST", "/api/v1/client-portal/accept", json: ["token": .string(link), "password": "portal pass phrase"])
        #expect(again.status == 401, "a link opens once: \(again.body)")
        let access = try #require(accepted.string("access_token"))
        #expect(access.split(separator: ".").count == 3)
        let reinvite = try await f.api.call("POST", "/api/v1/portal/invitations", json: ["contact_id": .string(ada)], token: f.token)
        #expect(reinvite.status == 409 && reinvite.string("error", "details", "portal_user_id") == accepted.string("portal_user", "id"))

        // Who they are, as the business holds them.
        let me = try await f.api.call("GET", "/api/v1/client-portal/me", token: access)
        #expect(me.status == 200 && me.string("contact", "id") == ada && me.string("contact", "email") == "ada@example.com", "\(me.body)")

        // Their history on every channel, and nothing of Bob's.
        let history = try await f.api.call("GET", "/api/v1/client-portal/me/history", token: access)
        #expect(history.status == 200, "\(history.body)")
        let texts = history.data.compactMap { $0["text"]?.stringValue }
        #expect(texts.contains("Where is my order?") && texts.contains("Re: Where is my order?"), "\(texts)")
        #expect(!texts.contains("Your table is ready"), "an SMS not sent yet is not theirs to see: \(texts)")
        #expect(!history.body.contains("Bob"), "\(history.body)")
        let conversations = try await f.api.call("GET", "/api/v1/client-portal/me/conversations", token: access)
        #expect(conversations.data.map { $0["id"] } == [.string(adaChat)] && conversations.data[0]["assignee_id"] == nil, "\(conversations.body)")
        let thread = try await f.api.call("GET", "/api/v1/client-portal/me/conversations/\(adaChat)/messages", token: access)
        #expect(thread.data.compactMap { $0["from"]?.stringValue } == ["visitor", "agent"], "\(thread.body)")
        let bobs = try await f.api.call("GET", "/api/v1/client-portal/me/conversations/\(bobChat)/messages", token: access)
        #expect(bobs.status == 404 && !bobs.body.contains("secret"), "another person's conversation is not there: \(bobs.body)")

        // Neither side's credential opens the other's API.
        for path in ["/api/v1/contacts", "/api/v1/me", "/api/v1/conversations/\(adaChat)", "/api/v1/portal/users"] {
            let refused = try await f.api.call("GET", path, token: access)
            #expect(refused.status == 401, "a portal token on \(path): \(refused.body)")
        }
        let apiKey = try #require(try await f.api.call("POST", "/api/v1/api-keys", json: ["name": "k"], token: f.token).string("key"))
        for credential in [f.token, apiKey] {
            let refused = try await f.api.call("GET", "/api/v1/client-portal/me", token: credential)
            #expect(refused.status == 401, "\(refused.body)")
        }
        #expect(try await f.api.call("GET", "/api/v1/client-portal/me", headers: ["Cookie": "ozzi_access=\(f.token)"]).status == 401)

        // Consent they change themselves: withdrawing email consent suppresses the address.
        let consent = try await f.api.call("PATCH", "/api/v1/client-portal/me/consent", json: ["email": "opted_out", "sms": "opted_in"], token: access)
        #expect(consent.status == 200 && consent.string("email", "status") == "opted_out" && consent.string("sms", "status") == "opted_in", "\(consent.body)")
        let contact = try await f.api.call("GET", "/api/v1/contacts/\(ada)", token: f.token)
        #expect(contact.string("email_consent", "method") == "client portal" && contact.string("email_consent", "status") == "opted_out")
        #expect(try await f.api.call("GET", "/api/v1/email/suppressions", token: f.token).body.contains("ada@example.com"))
        _ = try await f.api.call("PATCH", "/api/v1/client-portal/me/consent", json: ["email": "opted_in"], token: access)
        #expect(!(try await f.api.call("GET", "/api/v1/email/suppressions", token: f.token).body.contains("ada@example.com")))
        let empty = try await f.api.call("PATCH", "/api/v1/client-portal/me/consent", json: [:], token: access)
        #expect(empty.status == 422, "\(empty.body)")

        // Signing in, refreshing (each refresh token once), signing out.
        #expect(try await f.signIn("ada@example.com", password: "wrong password!").status == 401)
        let stranger = try await f.signIn("nobody@example.com")
        #expect(stranger.status == 401 && stranger.string("error", "message") == "the email or password is wrong")
        let signedIn = try await f.signIn("ADA@example.com")
        #expect(signedIn.status == 200, "\(signedIn.body)")
        let refresh = try #require(signedIn.string("refresh_token"))
        let rotated = try await f.api.call("POST", "/api/v1/client-portal/sessions/refresh", json: ["refresh_token": .string(refresh)])
        #expect(rotated.status == 200 && rotated.string("refresh_token") != refresh, "\(rotated.body)")
        let rotatedAccess = try #require(rotated.string("access_token"))
        #expect(try await f.api.call("GET", "/api/v1/client-portal/me", token: rotatedAccess).status == 200)
        let reused = try await f.api.call("POST", "/api/v1/client-portal/sessions/refresh", json: ["refresh_token": .string(refresh)])
        #expect(reused.status == 401, "\(reused.body)")
        #expect(try await f.api.call("GET", "/api/v1/client-portal/me", token: rotatedAccess).status == 401, "a reused refresh token signs the device out")
        #expect(try await f.api.call("GET", "/api/v1/client-portal/me", token: access).status == 200, "another device stays signed in")
        #expect(try await f.api.call("DELETE", "/api/v1/client-portal/sessions/current", token: access).status == 204)
        #expect(try await f.api.call("GET", "/api/v1/client-portal/me", token: access).status == 401)
        let audit = try await f.api.call("GET", "/api/v1/audit-log", token: f.token).body
        #expect(audit.contains("portal.refresh_token_reused") && audit.contains("portal.login_failed"), "\(audit)")

        // A forgotten password: a link by email (the answer the same for anyone); the new one signs every device out.
        let otherDevice = try #require(try await f.signIn("ada@example.com").string("access_token"))
        let mails = f.mailCount("ada@example.com")
        let reset = try await f.api.call("POST", "/api/v1/client-portal/password-reset", json: ["workspace_id": .string(f.workspace), "email": "ada@example.com"])
        let nobody = try await f.api.call("POST", "/api/v1/client-portal/password-reset", json: ["workspace_id": .string(f.workspace), "email": "nobody@example.com"])
        #expect(reset.status == 202 && reset.body == nobody.body, "\(reset.body)")
        let resetLink = try await f.mailedLink(to: "ada@example.com", after: mails)
        let chosen = try await f.api.call("POST", "/api/v1/client-portal/accept", json: ["token": .string(resetLink), "password": "a brand new phrase"])
        #expect(chosen.status == 201, "\(chosen.body)")
        #expect(try await f.api.call("GET", "/api/v1/client-portal/me", token: otherDevice).status == 401, "a new password signs other devices out")
        #expect(try await f.signIn("ada@example.com").status == 401)
        #expect(try await f.signIn("ada@example.com", password: "a brand new phrase").status == 200)

        // The workspace sees who has access, and ends it.
        let users = try await f.api.call("GET", "/api/v1/portal/users", token: f.token)
        let userID = try #require(users.data.first?["id"]?.stringValue)
        #expect(users.data.count == 1 && users.data[0]["status"] == "active" && users.data[0]["contact_id"] == .string(ada))
        let fresh = try #require(try await f.signIn("ada@example.com", password: "a brand new phrase").string("access_token"))
        #expect(try await f.api.call("DELETE", "/api/v1/portal/users/\(userID)", token: f.token).status == 204)
        #expect(try await f.api.call("GET", "/api/v1/client-portal/me", token: fresh).status == 401, "removed access ends at once")
        _ = bob
    }

    /// Tokens are EdDSA JWTs under a rotating key: anything else, anything altered, or anything expired is a 401.
    @Test func portalTokensAreCheckedForAlgorithmSignatureAndTime() async throws {
        let clock = MessagingTests.manualClock()
        let f = try await PortalFixture.start(clock: clock)
        defer { Task { await f.api.stop() } }
        try await f.enable()
        let ada = try await f.contact("Ada", email: "ada@example.com")
        let accepted = try await f.invite(ada, email: "ada@example.com")
        let access = try #require(accepted.string("access_token"), "\(accepted.body)")
        let parts = access.split(separator: ".").map(String.init)
        let header = try #require(Base64URL.decode(parts[0]).flatMap { try? JSONBody.parse($0) })
        #expect(header["alg"] == "EdDSA" && header["typ"] == "JWT")
        let kid = try #require(header["kid"]?.stringValue)
        let claims = try #require(Base64URL.decode(parts[1]).flatMap { try? JSONBody.parse($0) })
        #expect(claims["iss"] == "https://api.test" && claims["aud"] == "https://api.test/api/v1/client-portal")
        #expect(claims["exp"]?.numberValue.map { $0 - (claims["iat"]?.numberValue ?? 0) } == 600)
        let jwks = try await f.api.call("GET", "/api/v1/client-portal/jwks.json")
        #expect(jwks.status == 200 && jwks["keys"]?.arrayValue?.first?["kid"] == .string(kid) && jwks["keys"]?.arrayValue?.first?["crv"] == "Ed25519")
        let publicKey = try #require(jwks["keys"]?.arrayValue?.first?["x"]?.stringValue)

        func refused(_ token: String) async throws -> String? {
            let answer = try await f.api.call("GET", "/api/v1/client-portal/me", token: token)
            return answer.status == 401 ? answer.string("error", "message") : nil
        }
        func encode(_ value: JSONValue) -> String { Base64URL.encode(value.jsonBytes) }
        // alg none, and HS256 "signed" with the public key (the classic confusion).
        let noneHeader = encode(["alg": "none", "typ": "JWT", "kid": .string(kid)])
        #expect(try await refused(noneHeader + "." + parts[1] + ".")?.contains("only EdDSA") == true)
        let hsHeader = encode(["alg": "HS256", "typ": "JWT", "kid": .string(kid)])
        let hsSignature = Base64URL.encode(Crypto.hmacSHA256(key: Array(publicKey.utf8), Array((hsHeader + "." + parts[1]).utf8)))
        #expect(try await refused(hsHeader + "." + parts[1] + "." + hsSignature)?.contains("only EdDSA") == true)
        // Claims changed after signing; a token signed by a key of our own making under the real kid.
        guard case .object(var changed) = claims else { Issue.record("claims"); return }
        changed["sub"] = "pru_someone_else"
        #expect(try await refused(parts[0] + "." + encode(.object(changed)) + "." + parts[2])?.contains("signature") == true)
        let mine = try EdDSAToken.sign(payload: Array(parts[1].utf8).isEmpty ? [] : Base64URL.decode(parts[1])!, kid: kid, key: try Ed25519Key.generate())
        #expect(try await refused(mine)?.contains("signature") == true)
        let unknown = try EdDSAToken.sign(payload: Base64URL.decode(parts[1])!, kid: "pk_unknown", key: try Ed25519Key.generate())
        #expect(try await refused(unknown)?.contains("unknown or retired") == true)
        #expect(try await refused("not-a-jwt")?.contains("malformed") == true)

        // Expiry: ten minutes and the leeway, by the host's clock; the refresh token goes on.
        #expect(try await refused(access) == nil)
        clock.advance(byMilliseconds: 631_000)
        #expect(try await refused(access)?.contains("expired") == true)
        let refreshed = try await f.api.call("POST", "/api/v1/client-portal/sessions/refresh", json: ["refresh_token": .string(try #require(accepted.string("refresh_token")))])
        let renewed = try #require(refreshed.string("access_token"), "\(refreshed.body)")
        #expect(try await refused(renewed) == nil)

        // Rotation: after 30 days the sweep makes a new signing key; the old one verifies what it signed
        // until that expired, then leaves the JWKS.
        clock.advance(byMilliseconds: 30 * 86_400_000 - 700_000)
        let late = try #require(try await f.signIn("ada@example.com").string("access_token"))
        clock.advance(byMilliseconds: 120_000)
        try await f.trigger("* * * * *")
        #expect(try await refused(late) == nil, "a token of the retired key still works until it expires")
        let newer = try #require(try await f.signIn("ada@example.com").string("access_token"))
        let newKid = try #require(Base64URL.decode(String(newer.split(separator: ".")[0])).flatMap { try? JSONBody.parse($0) }?["kid"]?.stringValue)
        #expect(newKid != kid)
        #expect(try await f.api.call("GET", "/api/v1/client-portal/jwks.json")["keys"]?.arrayValue?.count == 2)
        clock.advance(byMilliseconds: 15 * 60_000)
        try await f.trigger("* * * * *")
        let keys = try await f.api.call("GET", "/api/v1/client-portal/jwks.json")["keys"]?.arrayValue ?? []
        #expect(keys.count == 1 && keys[0]["kid"] == .string(newKid))
        let lateRefusal = try await refused(late)
        #expect(lateRefusal?.contains("unknown or retired") == true || lateRefusal?.contains("expired") == true, "\(lateRefusal ?? "accepted")")
    }

    /// Self sign-up where the workspace allows it: the address is confirmed by a mailed link before anything opens.
    @Test func selfSignUpConfirmsTheAddressFirst() async throws {
        let f = try await PortalFixture.start()
        defer { Task { await f.api.stop() } }
        let workspace = f.workspace
        func signUp(_ email: String) async throws -> TestResponse {
            try await f.api.call("POST", "/api/v1/client-portal/signup", json: ["workspace_id": .string(workspace), "email": .string(email)])
        }
        try await f.enable()
        let closed = try await signUp("new@example.com")
        #expect(closed.status == 409 && closed.string("error", "details", "field") == "workspace_id", "\(closed.body)")
        try await f.enable(selfSignup: true)
        #expect(try await signUp("not an address").status == 422)

        // A new address: a contact is made only once the link is used.
        var before = f.mailCount("new@example.com")
        #expect(try await signUp("New@Example.com").status == 202)
        let link = try await f.mailedLink(to: "new@example.com", after: before)
        #expect(try await f.api.call("GET", "/api/v1/contacts", token: f.token).data.isEmpty)
        let accepted = try await f.api.call("POST", "/api/v1/client-portal/accept", json: ["token": .string(link), "password": "portal pass phrase"])
        #expect(accepted.status == 201, "\(accepted.body)")
        let contacts = try await f.api.call("GET", "/api/v1/contacts", token: f.token).data
        #expect(contacts.count == 1 && contacts[0]["email"] == "new@example.com" && accepted.string("portal_user", "contact_id") == contacts[0]["id"]?.stringValue)

        // An existing contact's address is linked to that contact; asking again once active sends nothing.
        let ada = try await f.contact("Ada", email: "ada@example.com")
        before = f.mailCount("ada@example.com")
        #expect(try await signUp("ada@example.com").status == 202)
        let adaLink = try await f.mailedLink(to: "ada@example.com", after: before)
        let adaIn = try await f.api.call("POST", "/api/v1/client-portal/accept", json: ["token": .string(adaLink), "password": "portal pass phrase"])
        #expect(adaIn.string("portal_user", "contact_id") == ada, "\(adaIn.body)")
        let database = try await f.api.database("api")
        let links = { try await database.prepare("SELECT count(*) AS n FROM portal_links").first()?.integer("n") }
        let count = try await links()
        let repeated = try await signUp("ada@example.com")
        let other = try await signUp("someone.else@example.com")
        #expect(repeated.status == 202 && repeated.body == other.body, "the answer tells nobody who has access")
        #expect(try await links() == count! + 1, "only the new address got a link")
    }
}
