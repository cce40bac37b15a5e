import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
import APIWorker

/// Text the api takes in (see `TextInput`): a U+0000 is a 4xx naming where it is, before anything is stored,
/// on SQLite and PostgreSQL alike (whose `text` cannot hold one); a lone surrogate escape is not JSON; tabs,
/// line breaks, emoji and surrogate pairs are stored and answered as sent.
@Suite struct TextInputTests {
    struct World {
        let api: WorkerTestHost
        let token: String
        let ada: String
    }

    func world() async throws -> World {
        let api = try await APIHost.start(vars: MessagingTests.fastVars)
        let token = try await MessagingTests().owner(api, "text@example.com", number: "+15550003333")
        let ada = try await MessagingTests().contact(api, token, "+14155550101")
        return World(api: api, token: token, ada: ada)
    }

    func count(_ w: World, _ table: String) async throws -> Int {
        let database = try await w.api.database("api")
        return try await database.prepare("SELECT id FROM \(table)").all().count
    }

    func expectRefused(_ answer: TestResponse, field: String, _ comment: Comment? = nil) {
        #expect(answer.status == 422, comment ?? "\(answer.body)")
        #expect(answer.string("error", "code") == "invalid_field", "\(answer.body)")
        #expect(answer.string("error", "details", "field") == field, "\(answer.body)")
        #expect(answer.string("error", "message") == "\(field): must not contain U+0000 (NUL)", "\(answer.body)")
    }

    @Test func nulIsRefusedNamingItsFieldAndNothingIsStored() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        let contacts = try await count(w, "contacts")

        // JSON bodies: a value, a nested value, a key.
        expectRefused(try await w.api.call("POST", "/api/v1/contacts", json: ["name": "Ada\u{0}", "phone": "+14155550102"], token: w.token), field: "name")
        expectRefused(try await w.api.call("POST", "/api/v1/contacts", json: ["name": "Ada", "phone": "+14155550102", "custom_fields": ["plan": "pro\u{0}"]],
                                           token: w.token), field: "custom_fields.plan")
        let key = try await w.api.call("POST", "/api/v1/contacts", json: ["name": "Ada", "phone": "+14155550102", "custom_fields": ["p\u{0}": "pro"]], token: w.token)
        #expect(key.status == 422)
        #expect(key.string("error", "message") == "custom_fields: has a key that must not contain U+0000 (NUL)", "\(key.body)")
        expectRefused(try await w.api.call("PATCH", "/api/v1/contacts/\(w.ada)", json: ["name": "Grace\u{0}Hopper"], token: w.token), field: "name")
        #expect(try await w.api.call("GET", "/api/v1/contacts/\(w.ada)", token: w.token).string("name") == "Ada Lovelace")
        #expect(try await count(w, "contacts") == contacts)

        expectRefused(try await w.api.call("POST", "/api/v1/messages", json: ["contact_id": .string(w.ada), "body": "Hi\u{0}"], token: w.token), field: "body")
        #expect(try await count(w, "messages") == 0)

        let campaign: JSONValue = ["name": "Spring\u{0}", "channel": "sms", "audience": ["type": "all"], "content": ["body": "Hi"]]
        expectRefused(try await w.api.call("POST", "/api/v1/campaigns", json: campaign, token: w.token), field: "name")
        let content: JSONValue = ["name": "Spring", "channel": "sms", "audience": ["type": "all"], "content": ["body": "Hi \u{0}{{first_name}}"]]
        expectRefused(try await w.api.call("POST", "/api/v1/campaigns", json: content, token: w.token), field: "content.body")
        #expect(try await count(w, "campaigns") == 0)

        // A form body (Twilio's webhook): the STOP would opt Ada out.
        let stop = [("MessageSid", "SMnul"), ("AccountSid", "AC00000000000000000000000000000000"), ("From", "+14155550101"),
                    ("To", "+15550003333"), ("Body", "STOP\u{0}"), ("NumMedia", "0")]
        let (code, answer) = try await MessagingTests().twilioPost(w.api, "/api/v1/webhooks/twilio/sms", stop)
        #expect(code == 422, "\(answer)")
        #expect(answer.contains("Body: must not contain U+0000 (NUL)"), "\(answer)")
        #expect(try await w.api.call("GET", "/api/v1/contacts/\(w.ada)", token: w.token).string("sms_consent", "status") != "opted_out")
        #expect(try await count(w, "inbound_messages") == 0)

        // Query and path parameters (percent-encoded), declared or not.
        expectRefused(try await w.api.call("GET", "/api/v1/contacts?q=a%00b", token: w.token), field: "q")
        expectRefused(try await w.api.call("GET", "/api/v1/contacts?custom.plan=%00", token: w.token), field: "custom.plan")
        expectRefused(try await w.api.call("GET", "/api/v1/contacts/con_%00", token: w.token), field: "id")

        // A CSV upload: refused as it streams, at its line, and no import is kept.
        let csv = "name,phone\nGrace,+14155550103\n\"Alan\nTuring\u{0}\",+14155550104\n"
        let upload = try await w.api.call("POST", "/api/v1/contacts/imports", raw: csv, token: w.token, headers: ["Content-Type": "text/csv"])
        #expect(upload.status == 400, "\(upload.body)")
        #expect(upload.string("error", "code") == "invalid_csv")
        #expect(upload.string("error", "message")?.hasPrefix("the CSV holds U+0000 (NUL) on line 4") == true, "\(upload.body)")
        #expect(try await count(w, "contact_imports") == 0)
        let mapping = try await w.api.call("POST", "/api/v1/contacts/imports?mapping=" + FormEncodingForTests.escape(#"{"phone":"pho\u0000ne"}"#),
                                           raw: "name,phone\n", token: w.token, headers: ["Content-Type": "text/csv"])
        expectRefused(mapping, field: "mapping.phone")
        #expect(try await count(w, "contacts") == contacts)
    }

    @Test func loneSurrogateEscapesAreInvalidJSON() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        let contacts = try await count(w, "contacts")
        for (body, offset) in [(#"{"name": "Ada \ud800", "phone": "+14155550102"}"#, 14), (#"{"name": "\udc00Ada", "phone": "+14155550102"}"#, 10)] {
            let answer = try await w.api.call("POST", "/api/v1/contacts", raw: body, token: w.token)
            #expect(answer.status == 400, "\(answer.body)")
            #expect(answer.string("error", "code") == "invalid_json")
            #expect(answer.string("error", "message") == "the body is not valid JSON (invalid JSON at byte \(offset): unpaired surrogate)", "\(answer.body)")
        }
        let message = try await w.api.call("POST", "/api/v1/messages", raw: #"{"contact_id": "\#(w.ada)", "body": "\ud83d"}"#, token: w.token)
        #expect(message.status == 400, "\(message.body)")
        #expect(try await count(w, "contacts") == contacts)
        #expect(try await count(w, "messages") == 0)
    }

    @Test func tabsLineBreaksEmojiAndSurrogatePairsRoundTrip() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        let text = "Line one\tcol\r\nLine two 😀 𝄞 \u{7}é"
        // Escaped as pairs in the JSON text, and sent as raw UTF-8.
        let created = try await w.api.call("POST", "/api/v1/contacts", raw: #"{"name": "Ada \ud83d\ude00", "phone": "+14155550102", "notes": "a\tb\nc \uD834\uDD1E"}"#,
                                           token: w.token)
        #expect(created.status == 201, "\(created.body)")
        #expect(created.string("name") == "Ada 😀")
        let id = try #require(created.string("id"))
        #expect(try await w.api.call("GET", "/api/v1/contacts/\(id)", token: w.token).string("notes") == "a\tb\nc 𝄞")

        let sent = try await w.api.call("POST", "/api/v1/messages", json: ["contact_id": .string(w.ada), "body": .string(text)], token: w.token)
        let messageID = try #require(sent.string("message", "id"), "\(sent.body)")
        #expect(try await w.api.call("GET", "/api/v1/messages/\(messageID)", token: w.token).string("body") == text)

        let campaign: JSONValue = ["name": "Spring 🌷\tsale", "channel": "sms", "audience": ["type": "all"], "content": ["body": .string(text)]]
        let made = try await w.api.call("POST", "/api/v1/campaigns", json: campaign, token: w.token)
        #expect(made.status == 201, "\(made.body)")
        let campaignID = try #require(made.string("id"))
        let read = try await w.api.call("GET", "/api/v1/campaigns/\(campaignID)", token: w.token)
        #expect(read.string("name") == "Spring 🌷\tsale")
        #expect(read.string("content", "body") == text)

        let csv = "name,phone,notes\n\"Grace\tHopper 😀\",+14155550103,\"two\nlines 𝄞\"\n"
        let upload = try await w.api.call("POST", "/api/v1/contacts/imports", raw: csv, token: w.token, headers: ["Content-Type": "text/csv"])
        let importID = try #require(upload.string("id"), "\(upload.body)")
        var report = upload
        _ = try await Poll.until(interval: .milliseconds(20)) {
            report = try await w.api.call("GET", "/api/v1/contacts/imports/\(importID)", token: w.token)
            // A request that got no answer (a timeout on a busy machine) is asked again, not taken for the end.
            return report.status == 200 && report.string("status") != "running"
        }
        #expect(report["created"] == 1, "\(report.body)")
        let grace = try await w.api.call("GET", "/api/v1/contacts?q=hopper", token: w.token).data.first
        #expect(grace?["name"] == "Grace\tHopper 😀")
        #expect(grace?["notes"] == "two\nlines 𝄞")
    }
}
