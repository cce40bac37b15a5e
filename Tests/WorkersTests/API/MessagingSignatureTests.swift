import Foundation
import OzziRuntime
import Testing
@testable import APIWorker

/// The known answers from the providers' documentation (protocols.md), and the SSRF ranges.
@Suite struct MessagingSignatureTests {
    @Test func twilioFormSignature() {
        let params = [("CallSid", "CA1234567890ABCDE"), ("Caller", "+12349013030"), ("Digits", "1234"), ("From", "+12349013030"), ("To", "+18005551212")]
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
        #expect(TwilioSignature.sign(url: url, parameters: params, authToken: "12345") == "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
        #expect(TwilioSignature.isValid("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", url: url, parameters: params.reversed(), authToken: "12345"))
        #expect(TwilioSignature.isValid("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", url: "https://mycompany.com:443/myapp.php?foo=1&bar=2", parameters: params, authToken: "12345"),
                "an explicit default port is accepted")
        #expect(!TwilioSignature.isValid("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", url: url, parameters: params, authToken: "54321"))
        #expect(!TwilioSignature.isValid("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", url: url, parameters: params + [("Extra", "1")], authToken: "12345"))
    }

    @Test func twilioJSONSignature() {
        let body = Array(#"{"property": "value", "boolean": true}"#.utf8)
        #expect(Crypto.hex(Crypto.sha256(body)) == "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620")
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
        #expect(TwilioSignature.isValidJSON("a9nBmqA0ju/hNViExpshrM61xv4=", url: url, body: body, authToken: "12345"))
        #expect(!TwilioSignature.isValidJSON("a9nBmqA0ju/hNViExpshrM61xv4=", url: url, body: body + [32], authToken: "12345"))
    }

    @Test func svixSignature() {
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let signature = WebhookSignature.sign(secret: secret, id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body)
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(WebhookSignature.verify(secret: secret, id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body,
                                        header: "v1,bogus v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", now: 1_614_265_400))
        #expect(!WebhookSignature.verify(secret: secret, id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body,
                                         header: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", now: 1_614_266_000), "stale timestamps fail")
    }

    @Test func privateAddresses() {
        for address in ["127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1",
                        "::1", "[::1]", "::", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "not-an-ip"] {
            #expect(PrivateAddress.isPrivate(address), "\(address)")
        }
        for address in ["8.8.8.8", "172.32.0.1", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"] {
            #expect(!PrivateAddress.isPrivate(address), "\(address)")
        }
    }

    @Test func statusesOnlyMoveForward() {
        #expect(MessageStatus.sent.advances(to: .delivered))
        #expect(!MessageStatus.delivered.advances(to: .sent))
        #expect(!MessageStatus.delivered.advances(to: .failed))
        #expect(MessageStatus.review.advances(to: .delivered))
        #expect(MessageStatus(providerStatus: "queued") == nil)
        #expect(MessageStatus(providerStatus: "read") == .delivered)
    }

    @Test func scheduleTimes() throws {
        let now: Int64 = 1_795_000_000_000
        #expect(try ScheduleTime.resolve("2026-11-21T14:00:00Z", timeZone: nil, now: now) == 1_795_269_600_000)
        #expect(try ScheduleTime.resolve("2026-11-21T09:00:00-05:00", timeZone: nil, now: now) == 1_795_269_600_000)
        #expect(try ScheduleTime.resolve("2026-11-21T09:00:00.250", timeZone: "America/New_York", now: now) == 1_795_269_600_250)
        // 02:30 on a spring-forward day does not exist in New York; it moves on to 03:30 EDT.
        #expect(try ScheduleTime.resolve("2027-03-14T02:30:00", timeZone: "America/New_York", now: now) == 1_805_009_400_000)
        #expect(throws: APIError.self) { try ScheduleTime.resolve("2026-11-21T09:00:00", timeZone: nil, now: now) }
        #expect(throws: APIError.self) { try ScheduleTime.resolve("tomorrow", timeZone: nil, now: now) }
        #expect(throws: APIError.self) { try ScheduleTime.resolve("2026-11-21T09:00:00Z", timeZone: "Mars/Olympus", now: now) }
    }
}

@Suite struct StudyPlanTests {
    @Test func offsetsAreLocalDaysAcrossDaylightSaving() throws {
        var lesson = Lesson(id: "les_1", book_id: "bok_1", position: 1, title: "L", content: "", active: true, created_at: "", updated_at: "")
        lesson.messages = [("lsm_a", 0, "09:00"), ("lsm_b", 1, "09:00"), ("lsm_c", 31, "23:45")].map { id, day, time in
            LessonMessage(id: id, lesson_id: "les_1", workspace_id: nil, type: "reminder", body: "x", day_offset: day, send_time: time)
        }
        let zone = try #require(TimeZone(identifier: "America/New_York"))
        let sends = StudyPlan.sends(startDate: "2027-03-13", zone: zone, lessons: [lesson], selected: ["les_1"])
        #expect(sends.map { SQLDate.format(Date(timeIntervalSince1970: Double($0.dueMs) / 1000)) } == [
            "2027-03-13T14:00:00.000Z",  // EST
            "2027-03-14T13:00:00.000Z",  // EDT from 2 a.m. that day
            "2027-04-14T03:45:00.000Z",  // 13 March + 31 days = 13 April, 23:45 EDT
        ])
        #expect(StudyPlan.sends(startDate: "2027-03-13", zone: zone, lessons: [lesson], selected: []).isEmpty)
        #expect(CivilDate.day("2027-02-29") == nil)
        #expect(CivilDate.day("2028-02-29") != nil)
        #expect(CivilDate.civil(fromDays: CivilDate.day("2027-12-31")! + 1) == (2028, 1, 1))
    }
}
