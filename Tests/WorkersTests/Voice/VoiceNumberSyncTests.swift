import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// Numbers synced from the provider account: Twilio's, every page, against the stub; the simulated account's.
@Suite struct VoiceNumberSyncTests {
    @Test func twilioNumbersAreSyncedPageByPageAndReleasedOnesDisabled() async throws {
        let sid = "AC" + String(repeating: "d4", count: 16)
        // Seven numbers, three a page: three pages. Every third takes no calls.
        let stub = try await StubServer("twilio_stub.py", [sid, "sync-secret", "--numbers", "7", "--page-size", "3"])
        let api = try await APIHost.start(vars: ["TWILIO_API_BASE": stub.base])
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("sync@example.com").string("access_token"))
        #expect(try await api.call("PUT", "/api/v1/sms/settings", json: ["provider": "twilio", "account_sid": .string(sid), "auth_token": "sync-secret",
                                                                      "from_number": "+14155550100"], token: token).status == 200)
        // A number the workspace added by hand keeps its settings through the sync.
        let mine = try await api.call("POST", "/api/v1/voice/numbers", json: ["phone_number": "+14155550101", "name": "Front desk", "greeting": "Ahoy"],
                                      token: token)
        #expect(mine.status == 201, "\(mine.body)")

        let synced = try await api.call("POST", "/api/v1/voice/numbers/sync", token: token)
        #expect(synced.status == 200, "\(synced.body)")
        #expect(synced.json["added"] == ["+14155550100", "+14155550103", "+14155550104", "+14155550106"], "\(synced.body)")
        #expect(synced.json["updated"] == ["+14155550101"] && synced.json["released"] == [] && synced.json["taken"] == [])
        let requests = try await stub.requests()
        #expect(requests.compactMap { $0["path"] as? String } == [
            "/2010-04-01/Accounts/\(sid)/IncomingPhoneNumbers.json?PageSize=50",
            "/2010-04-01/Accounts/\(sid)/IncomingPhoneNumbers.json?PageSize=3&Page=1&PageToken=PA0001",
            "/2010-04-01/Accounts/\(sid)/IncomingPhoneNumbers.json?PageSize=3&Page=2&PageToken=PA0002",
        ], "every page, by next_page_uri")
        let list = try await api.call("GET", "/api/v1/voice/numbers?limit=50", token: token)
        let byPhone = Dictionary(uniqueKeysWithValues: list.data.map { ($0["phone_number"]?.stringValue ?? "", $0) })
        #expect(byPhone["+14155550101"]?["greeting"] == "Ahoy" && byPhone["+14155550101"]?["provider_sid"] == "PN00000000000000000000000000000002")
        #expect(byPhone["+14155550103"]?["name"] == "Line 4" && byPhone["+14155550103"]?["source"] == "twilio")

        // The account lets numbers go: the synced ones it no longer has are disabled, not deleted.
        try await stub.control("/set-numbers?n=4")
        let again = try await api.call("POST", "/api/v1/voice/numbers/sync", token: token)
        #expect(again.json["released"] == ["+14155550104", "+14155550106"], "\(again.body)")
        #expect(again.json["added"] == [], "\(again.body)")
        let released = try await api.call("GET", "/api/v1/voice/numbers?limit=50", token: token).data.first { $0["phone_number"] == "+14155550104" }
        #expect(released?["enabled"] == false && released?["released_at"]?.stringValue != nil)
    }

    @Test func theSimulatedAccountHasNumbersOfItsOwnPerWorkspace() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let first = try #require(try await api.signUp("first@example.com").string("access_token"))
        let second = try #require(try await api.signUp("second@example.com").string("access_token"))
        let one = try await api.call("POST", "/api/v1/voice/numbers/sync", token: first)
        #expect(one.status == 200 && one.json["added"]?.arrayValue?.count == 3, "\(one.body)")
        #expect(try await api.call("POST", "/api/v1/voice/numbers/sync", token: first).json["updated"] == one.json["added"], "a second sync changes nothing")
        let two = try await api.call("POST", "/api/v1/voice/numbers/sync", token: second)
        let firstNumbers = Set(one.json["added"]?.arrayValue ?? []), secondNumbers = Set((two.json["added"]?.arrayValue ?? []) + (two.json["taken"]?.arrayValue ?? []))
        #expect(secondNumbers.count == 3 && two.json["added"]?.arrayValue?.allSatisfy { !firstNumbers.contains($0) } == true, "\(two.body)")
        // A synced simulated number answers calls like any other.
        let numbers = try await api.call("GET", "/api/v1/voice/numbers", token: first)
        #expect(numbers.data.allSatisfy { $0["source"] == "simulated" && $0["enabled"] == true })
    }
}
