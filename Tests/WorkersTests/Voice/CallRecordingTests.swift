import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// Calls' recordings: a simulated inbound call is recorded as Twilio records one (its audio spoken by
/// espeak-ng), copied into the bucket and served with byte ranges beside its class and review; Twilio's
/// recordings are fetched with the account's credentials, absent ones marked, lost ones given up after the
/// last attempt.
@Suite struct CallRecordingTests {
    @Test func aSimulatedInboundCallEndsRecordedClassifiedAndReviewed() async throws {
        let host = try await WorkerTestHost.start("voice-agent", vars: ["TOOL_TIMEOUT_MS": "60000"])
        defer { Task { await host.stop() } }
        let token = try #require(try await host.signUp("recordings@example.com").string("access_token"))
        let number = try await host.call("POST", "/api/v1/voice/numbers", json: [
            "phone_number": "+12025550100", "name": "Desk", "knowledge": [["topic": "opening hours", "answer": "We are open from nine to five."]],
            "record_calls": true,
        ], token: token)
        let numberID = try #require(number.string("id"), "\(number.body)")
        #expect(number.json["record_calls"] == true, "\(number.body)")

        let placed = try await host.call("POST", "/api/v1/voice/numbers/\(numberID)/test-calls", json: [
            "from": "+12025550143", "script": ["Hello?", "What are your opening hours?", "Thank you, goodbye"],
        ], token: token)
        #expect(placed.status == 201 && placed.string("direction") == "inbound" && placed.string("from") == "+12025550143", "\(placed.body)")
        let id = try #require(placed.string("id"))
        var call = placed
        #expect(try await Poll.until(timeout: .seconds(300)) {
            call = try await host.call("GET", "/api/v1/calls/\(id)", token: token)
            return call.string("review_status") == "done" && call.json["has_recording"] == true
        }, "\(call.body)")
        #expect(call.string("status") == "completed" && call.json["classification"] != .null && call.json["review"]?["summary"] != nil, "\(call.body)")
        let recording = try #require(call.json["recordings"]?.arrayValue?.first, "\(call.body)")
        #expect(recording["status"] == "stored" && recording["content_type"] == "audio/wav" && recording["url"] == .string("/api/v1/calls/\(id)/recording"),
                "\(recording)")
        #expect((recording["duration_seconds"]?.numberValue ?? 0) >= 1, "\(recording)")
        #expect(try await host.call("GET", "/api/v1/calls?has_recording=true", token: token).data.compactMap { $0["id"]?.stringValue } == [id])

        // The whole file: a WAV whose header counts its own bytes.
        let whole = try await host.call("GET", "/api/v1/calls/\(id)/recording", token: token)
        let size = whole.bytes.count
        #expect(whole.status == 200 && whole.headers["content-type"] == "audio/wav" && whole.headers["accept-ranges"] == "bytes", "\(whole.headers)")
        #expect(Double(size) == recording["size_bytes"]?.numberValue && size > 10_000, "\(size) bytes, \(recording)")
        #expect(Array(whole.bytes.prefix(4)) == Array("RIFF".utf8) && Array(whole.bytes[8..<12]) == Array("WAVE".utf8))
        #expect(SpokenRecordingTests.uint32(whole.bytes, 4) == size - 8 && SpokenRecordingTests.uint32(whole.bytes, 40) == size - 44)
        let etag = try #require(whole.headers["etag"])

        // Ranges, as a player asks for them.
        let first = try await host.call("GET", "/api/v1/calls/\(id)/recording", token: token, headers: ["Range": "bytes=0-99"])
        #expect(first.status == 206 && first.headers["content-range"] == "bytes 0-99/\(size)" && first.bytes == Array(whole.bytes[0..<100]), "\(first.headers)")
        let open = try await host.call("GET", "/api/v1/calls/\(id)/recording", token: token, headers: ["Range": "bytes=\(size - 10)-"])
        #expect(open.status == 206 && open.bytes == Array(whole.bytes.suffix(10)), "\(open.headers)")
        let tail = try await host.call("GET", "/api/v1/calls/\(id)/recording", token: token, headers: ["Range": "bytes=-16"])
        #expect(tail.status == 206 && tail.headers["content-range"] == "bytes \(size - 16)-\(size - 1)/\(size)" && tail.bytes == Array(whole.bytes.suffix(16)))
        let past = try await host.call("GET", "/api/v1/calls/\(id)/recording", token: token, headers: ["Range": "bytes=\(size)-"])
        #expect(past.status == 416 && past.headers["content-range"] == "bytes */\(size)", "\(past.status) \(past.headers)")
        let cached = try await host.call("GET", "/api/v1/calls/\(id)/recording", token: token, headers: ["If-None-Match": etag])
        #expect(cached.status == 304 && cached.bytes.isEmpty)
        let changed = try await host.call("GET", "/api/v1/calls/\(id)/recording", token: token, headers: ["Range": "bytes=0-9", "If-Range": "\"other\""])
        #expect(changed.status == 200 && changed.bytes.count == size, "another copy than the client's is sent whole")

        // A number that does not record: its calls have none.
        let quiet = try await host.call("PATCH", "/api/v1/voice/numbers/\(numberID)", json: ["record_calls": false], token: token)
        #expect(quiet.status == 200 && quiet.json["record_calls"] == false, "\(quiet.body)")
        let unrecorded = try #require(try await host.call("POST", "/api/v1/voice/numbers/\(numberID)/test-calls", token: token).string("id"))
        #expect(try await Poll.until(timeout: .seconds(300)) {
            call = try await host.call("GET", "/api/v1/calls/\(unrecorded)", token: token)
            return call.string("review_status") == "done"
        }, "\(call.body)")
        #expect(call.json["has_recording"] == false && call.json["recordings"] == [], "\(call.body)")
        #expect(try await host.call("GET", "/api/v1/calls/\(unrecorded)/recording", token: token).status == 404)

        for (path, body, status, field) in [
            ("/api/v1/voice/numbers/vnum_nope/test-calls", [:], 404, nil),
            ("/api/v1/voice/numbers/\(numberID)/test-calls", ["from": "call me"], 422, "from"),
            ("/api/v1/voice/numbers/\(numberID)/test-calls", ["script": [""]], 422, "script[0]"),
            ("/api/v1/voice/numbers/\(numberID)/test-calls", ["to": "+12025550143"], 422, nil),
        ] as [(String, JSONValue, Int, String?)] {
            let refused = try await host.call("POST", path, json: body, token: token)
            #expect(refused.status == status, "\(path) \(body): \(refused.body)")
            if let field { #expect(refused.json["error"]?["details"]?["field"]?.stringValue == field, "\(refused.body)") }
        }

        let numberEvent = try await host.database("api", of: "api").prepare("SELECT seq FROM workspace_events WHERE type = 'voice_number.created'").first()?.integer("seq")
        let stream = try await host.call("GET", "/api/v1/stream?last_event_id=\(try #require(numberEvent))", token: token, maxSeconds: 1)
        #expect(stream.body.contains("event: call.recording_stored\n"), "\(stream.body.suffix(2_000))")
    }

    @Test func twilioRecordingsAreFetchedWithTheAccountsCredentialsAndNeverRetriedForever() async throws {
        let sid = "AC" + String(repeating: "a7", count: 16), secret = "recording-secret"
        let stub = try await StubServer("twilio_stub.py", [sid, secret])
        // Retries wait on this clock: the test moves it for the recording Twilio no longer has.
        let clock = ManualClock(milliseconds: 1_900_000_000_000)
        let api = try await APIHost.start(vars: ["TWILIO_API_BASE": stub.base], clock: clock)
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("twilio-recordings@example.com").string("access_token"))
        let key = try #require(try await api.call("POST", "/api/v1/api-keys", json: ["name": "recordings"], token: token).string("key"))
        #expect(try await api.call("PUT", "/api/v1/sms/settings", json: ["provider": "twilio", "account_sid": .string(sid), "auth_token": .string(secret),
                                                                      "from_number": "+12025550100"], token: key).status == 200)
        #expect(try await api.call("POST", "/api/v1/voice/numbers", json: ["phone_number": "+12025550100", "name": "Desk"], token: key).status == 201)
        let callSid = "CA" + String(repeating: "1", count: 32)
        #expect(try await VoiceNumberTests.incoming(api, callSid: callSid, account: sid, token: secret).status == 200)
        let id = try #require(try await api.call("GET", "/api/v1/calls", token: key).data.first?["id"]?.stringValue)
        #expect(try await api.call("POST", "/api/v1/voice/numbers/\(try #require(try await api.call("GET", "/api/v1/voice/numbers", token: key).data.first?["id"]?.stringValue))/test-calls",
                                   json: [:], token: key).status == 409, "test calls are the simulated provider's")

        func report(_ recordingSid: String, _ status: String, signedWith secret: String = secret, fields extra: [(String, String)] = []) async throws -> TestResponse {
            try await VoiceNumberTests.twilio(api, "/voice/recording-status", [
                ("AccountSid", sid), ("CallSid", callSid), ("RecordingSid", recordingSid), ("RecordingStatus", status),
                ("RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/\(sid)/Recordings/\(recordingSid)"), ("RecordingDuration", "12"),
                ("RecordingChannels", "2"), ("RecordingSource", "StartCallRecordingTwiML"),
            ] + extra, token: secret)
        }
        func recordings() async throws -> [String: JSONValue] {
            let call = try await api.call("GET", "/api/v1/calls/\(id)", token: key)
            return Dictionary(uniqueKeysWithValues: (call.json["recordings"]?.arrayValue ?? []).compactMap { r in r["sid"]?.stringValue.map { ($0, r) } })
        }
        func fetches(_ recordingSid: String) async throws -> [[String: Any]] {
            try await stub.requests().filter { $0["kind"] as? String == "recording" && ($0["path"] as? String)?.contains(recordingSid) == true }
        }

        // A completed recording: fetched once, with the account's Basic auth, from the account's API base.
        let kept = "RE" + String(repeating: "b", count: 32)
        #expect(try await report(kept, "completed").status == 204)
        var found: [String: JSONValue] = [:]
        #expect(try await Poll.until(timeout: .seconds(300)) {
            found = try await recordings()
            return found[kept]?["status"] == "stored"
        }, "\(found)")
        #expect(found[kept]?["content_type"] == "audio/mpeg" && found[kept]?["duration_seconds"] == 12, "\(found)")
        let asked = try await fetches(kept)
        #expect(asked.count == 1 && (asked.first?["problems"] as? [Any])?.isEmpty == true, "\(asked)")
        #expect(asked.first?["path"] as? String == "/2010-04-01/Accounts/\(sid)/Recordings/\(kept).mp3")
        let audio = try await api.call("GET", "/api/v1/calls/\(id)/recording", token: key)
        #expect(audio.status == 200 && audio.headers["content-type"] == "audio/mpeg" && Array(audio.bytes.prefix(3)) == Array("ID3".utf8), "\(audio.headers)")
        #expect(Double(audio.bytes.count) == found[kept]?["size_bytes"]?.numberValue)
        // Twilio repeats a callback: nothing is fetched again.
        #expect(try await report(kept, "completed").status == 204)

        // Reported in progress, then complete twice: fetched once. Twilio keeps this one elsewhere and
        // redirects: followed without the credentials.
        let moved = "RE302" + String(repeating: "a", count: 29)
        for status in ["in-progress", "completed", "completed"] { #expect(try await report(moved, status).status == 204) }
        #expect(try await Poll.until(timeout: .seconds(300)) {
            found = try await recordings()
            return found[moved]?["status"] == "stored"
        }, "\(found)")
        let media = try await stub.requests().filter { $0["kind"] as? String == "media" }
        #expect(try await fetches(moved).count == 1 && media.count == 1 && (media.first?["problems"] as? [Any])?.isEmpty == true, "\(media)")

        // Absent: too short or silent; marked, never fetched.
        let silent = "RE" + String(repeating: "c", count: 32)
        #expect(try await report(silent, "absent", fields: []).status == 204)
        found = try await recordings()
        #expect(found[silent]?["status"] == "absent" && found[silent]?["url"] == .null, "\(found)")

        // Twilio no longer has it: asked again with backoff, then failed after the last attempt, and left alone.
        let lost = "RE404" + String(repeating: "d", count: 29)
        #expect(try await report(lost, "completed").status == 204)
        #expect(try await Poll.until(timeout: .seconds(300), interval: .milliseconds(200)) {
            clock.advance(byMilliseconds: 600_000)
            found = try await recordings()
            return found[lost]?["status"] == "failed"
        }, "\(found)")
        #expect(found[lost]?["error"]?.stringValue?.contains("20404") == true, "\(found)")
        clock.advance(byMilliseconds: 3_600_000)
        #expect(try await fetches(lost).count == 6, "six attempts, then no more")
        let (silentFetches, keptFetches, movedFetches) = (try await fetches(silent), try await fetches(kept), try await fetches(moved))
        #expect(silentFetches.isEmpty && keptFetches.count == 1 && movedFetches.count == 1)
        // The call's player still plays the stored one.
        #expect(try await api.call("GET", "/api/v1/calls/\(id)/recording", token: key, headers: ["Range": "bytes=0-2"]).bytes == Array("ID3".utf8))

        // Refusals: an unsigned or foreign callback, a missing field, an unknown status, an unknown call.
        #expect(try await report("RE" + String(repeating: "e", count: 32), "completed", signedWith: "wrong").status == 403)
        let unsigned = try await VoiceNumberTests.twilio(api, "/voice/recording-status", [("AccountSid", sid), ("CallSid", callSid)], token: secret, signed: false)
        #expect(unsigned.status == 403, "\(unsigned.body)")
        let missing = try await VoiceNumberTests.twilio(api, "/voice/recording-status", [("AccountSid", sid), ("CallSid", callSid), ("RecordingStatus", "completed")],
                                                        token: secret)
        #expect(missing.status == 422 && missing.json["error"]?["details"]?["field"] == "RecordingSid", "\(missing.body)")
        #expect(try await report("RE" + String(repeating: "f", count: 32), "paused").status == 422)
        for sid in ["RE12", "RE" + String(repeating: "g", count: 32), "../" + String(repeating: "a", count: 31)] {
            let refused = try await report(sid, "completed")
            #expect(refused.status == 422 && refused.json["error"]?["details"]?["field"] == "RecordingSid", "\(sid): \(refused.body)")
        }
        let stranger = try await VoiceNumberTests.twilio(api, "/voice/recording-status", [
            ("AccountSid", sid), ("CallSid", "CA" + String(repeating: "9", count: 32)), ("RecordingSid", kept), ("RecordingStatus", "completed"),
        ], token: secret)
        #expect(stranger.status == 404, "\(stranger.body)")
    }
}
