import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// Calling from the browser (Twilio's Voice SDK): the access token's signature and claims, and the TwiML
/// app's voice request answered with a Dial from one of the workspace's numbers — for the numbers the
/// member may call — and recorded.
@Suite struct BrowserCallingTests {
    static let account = "AC" + String(repeating: "e5", count: 16)
    static let authToken = "browser-auth-token"
    static let apiKey = "SK" + String(repeating: "ab", count: 16)
    static let apiSecret = "browser-api-key-secret"
    static let app = "AP" + String(repeating: "cd", count: 16)

    @Test func tokensAreSignedTwilioGrantsAndTheAppDialsWhatTheMemberMayCall() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let signup = try await api.signUp("owner@example.com")
        let owner = try #require(signup.string("access_token")), ownerID = try #require(signup.string("user", "id"))
        let workspace = try #require(signup.string("user", "personal_workspace_id"))
        let settingsBody: JSONValue = ["api_key_sid": .string(Self.apiKey), "api_key_secret": .string(Self.apiSecret), "twiml_app_sid": .string(Self.app)]
        #expect(try await api.call("PUT", "/api/v1/voice/settings", json: settingsBody, token: owner).status == 200)
        let noAccount = try await api.call("POST", "/api/v1/voice/browser-token", token: owner)
        #expect(noAccount.status == 409, "no Twilio account yet: \(noAccount.body)")
        #expect(try await api.call("PUT", "/api/v1/sms/settings", json: ["provider": "twilio", "account_sid": .string(Self.account),
                                                                      "auth_token": .string(Self.authToken), "from_number": "+12025550100"], token: owner).status == 200)
        #expect(try await api.call("POST", "/api/v1/voice/numbers", json: ["phone_number": "+12025550100", "name": "Desk"], token: owner).status == 201)
        let shown = try await api.call("GET", "/api/v1/voice/settings", token: owner)
        #expect(shown.json["api_key_secret_set"] == true && !shown.body.contains(Self.apiSecret), "\(shown.body)")
        let bad = try await api.call("PUT", "/api/v1/voice/settings", json: ["api_key_sid": "SK1", "twiml_app_sid": .string(Self.app)], token: owner)
        #expect(bad.status == 422 && bad.json["error"]?["details"]?["field"] == "api_key_sid", "\(bad.body)")

        // The token: HS256 over header.claims with the API key's secret, Twilio's content type, the grants.
        let minted = try await api.call("POST", "/api/v1/voice/browser-token", token: owner)
        #expect(minted.status == 200, "\(minted.body)")
        let parts = try #require(minted.string("token")).split(separator: ".").map(String.init)
        #expect(parts.count == 3)
        let mac = Crypto.hmacSHA256(key: Array(Self.apiSecret.utf8), Array((parts[0] + "." + parts[1]).utf8))
        #expect(Base64URL.encode(mac) == parts[2], "signed with the API key's secret")
        let header = try JSONValue(jsonBytes: try #require(Base64URL.decode(parts[0])))
        #expect(header == ["alg": "HS256", "typ": "JWT", "cty": "twilio-fpa;v=1"])
        let claims = try JSONValue(jsonBytes: try #require(Base64URL.decode(parts[1])))
        #expect(claims["iss"] == .string(Self.apiKey) && claims["sub"] == .string(Self.account))
        let issued = try #require(claims["iat"]?.numberValue), expires = try #require(claims["exp"]?.numberValue)
        #expect(expires - issued == 900, "short-lived: 15 minutes")
        #expect(claims["grants"]?["identity"] == .string("member_" + ownerID))
        #expect(claims["grants"]?["voice"]?["outgoing"]?["application_sid"] == .string(Self.app))
        #expect(claims["grants"]?["voice"]?["incoming"]?["allow"] == true)

        // A member who may call only the workspace's contacts.
        let invite = try await api.call("POST", "/api/v1/workspaces/\(workspace)/invitations", json: ["email": "carol@example.com"], token: owner)
        let carol = try await api.signUp("carol@example.com")
        let carolToken = try #require(carol.string("access_token")), carolID = try #require(carol.string("user", "id"))
        #expect(try await api.call("POST", "/api/v1/invitations/accept", json: ["token": .string(try #require(invite.string("token")))],
                                   token: carolToken).status == 200)
        #expect(try await api.call("POST", "/api/v1/contacts", json: ["first_name": "Ada", "phone": "+14155550142"], token: owner).status == 201)

        func dial(_ identity: String, to: String, sid: String, signed: Bool = true) async throws -> TestResponse {
            let fields = [("AccountSid", Self.account), ("ApplicationSid", Self.app), ("CallSid", sid), ("From", "client:" + identity), ("To", to)]
            var headers = ["Content-Type": "application/x-www-form-urlencoded"]
            if signed { headers["X-Twilio-Signature"] = TwilioSignature.sign(url: "http://127.0.0.1/voice/browser", parameters: fields, authToken: Self.authToken) }
            return try await api.call("POST", "/voice/browser", raw: FormEncoding.encode(fields), headers: headers)
        }
        let sid = "CA" + String(repeating: "f6", count: 16)
        #expect(try await dial("member_" + ownerID, to: "+14155550199", sid: sid, signed: false).status == 403)
        let ownerCall = try await dial("member_" + ownerID, to: "(415) 555-0199", sid: sid)
        #expect(ownerCall.body.hasSuffix("<Response><Dial callerId=\"+12025550100\"><Number>+14155550199</Number></Dial></Response>"), "\(ownerCall.body)")
        let refused = try await dial("member_" + carolID, to: "+14155550199", sid: "CA" + String(repeating: "a7", count: 16))
        #expect(refused.body.contains("<Say") && refused.body.contains("<Hangup/>"), "a member calls contacts only: \(refused.body)")
        let carolCall = try await dial("member_" + carolID, to: "+14155550142", sid: "CA" + String(repeating: "b8", count: 16))
        #expect(carolCall.body.contains("<Number>+14155550142</Number>"), "\(carolCall.body)")
        #expect(try await dial("member_usr_stranger", to: "+14155550142", sid: "CA" + String(repeating: "c9", count: 16)).status == 403)

        let calls = try await api.call("GET", "/api/v1/calls", token: owner)
        #expect(calls.data.compactMap { $0["placed_by"]?.stringValue }.sorted() == [carolID, ownerID].sorted(), "\(calls.body)")
        #expect(calls.data.allSatisfy { $0["direction"] == "outbound" && $0["from"] == "+12025550100" })
    }
}
