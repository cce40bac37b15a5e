@testable import APIWorker
import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// Study books as a contract: their lists page like every other list, the document states the rules the
/// handlers keep (dates, time zones, HH:MM, the message types, one way to name whom to enroll), and a
/// request breaking each rule is a 422 naming its field.
@Suite struct StudyBookContractTests {
    /// A host with a platform admin's key and a workspace's key.
    func host() async throws -> (api: WorkerTestHost, adminKey: String, key: String) {
        let api = try await APIHost.start()
        let admin = try #require(try await api.signUp("curator@example.com").string("access_token"))
        let worker = try #require(api.host.workers["api"] as? APIWorker)
        #expect(try await worker.grantPlatformAdmin(email: "curator@example.com"))
        let adminKey = try #require(try await api.call("POST", "/api/v1/api-keys", json: ["name": "admin"], token: admin).string("key"))
        let owner = try #require(try await api.signUp("church@example.com").string("access_token"))
        let key = try #require(try await api.call("POST", "/api/v1/api-keys", json: ["name": "ws"], token: owner).string("key"))
        return (api, adminKey, key)
    }

    /// Every item of a list, `limit` at a time, following `next_cursor`.
    func all(_ api: WorkerTestHost, _ path: String, limit: Int, token: String) async throws -> [JSONValue] {
        var items: [JSONValue] = [], cursor: String?
        repeat {
            let page = try await api.call("GET", path + "?limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token)
            #expect(page.status == 200, "\(page.body)")
            #expect(page.data.count <= limit)
            items += page.data
            cursor = page.string("next_cursor")
        } while cursor != nil && items.count < 100
        return items
    }

    @Test func booksAndParticipantsPageLikeEveryList() async throws {
        let (api, adminKey, key) = try await host()
        defer { Task { await api.stop() } }
        // Titles repeat: the cursor goes on by id among equal titles, neither skipping nor repeating a book.
        var published: [(title: String, id: String)] = []
        for (title, isPublished) in [("Romans", true), ("Acts", true), ("Psalms", true), ("Acts", true), ("Draft", false), ("Acts", true)] {
            let book = try await api.call("POST", "/api/v1/admin/books", json: ["title": .string(title), "published": .bool(isPublished)], token: adminKey)
            let id = try #require(book.string("id"), "\(book.body)")
            if isPublished { published.append((title, id)) }
        }
        let expected = published.sorted { ($0.title, $0.id) < ($1.title, $1.id) }.map(\.id)
        #expect(try await all(api, "/api/v1/books", limit: 2, token: key).compactMap { $0["id"]?.stringValue } == expected)
        #expect(try await all(api, "/api/v1/admin/books", limit: 4, token: adminKey).count == 6, "drafts too, for admins")

        for (path, token) in [("/api/v1/books", key), ("/api/v1/admin/books", adminKey), ("/api/v1/books/\(expected[0])/participants", key)] {
            let negative = try await api.call("GET", path + "?limit=-1", token: token)
            #expect(negative.status == 422 && negative.string("error", "details", "field") == "limit", "\(path): \(negative.body)")
            let garbage = try await api.call("GET", path + "?cursor=garbage!", token: token)
            #expect(garbage.status == 422 && garbage.string("error", "details", "field") == "cursor", "\(path): \(garbage.body)")
        }

        var contacts: [String] = []
        for n in 1...3 {
            let contact = try await api.call("POST", "/api/v1/contacts", json: ["name": .string("Reader \(n)"), "phone": .string("+1415555060\(n)")], token: key)
            contacts.append(try #require(contact.string("id"), "\(contact.body)"))
        }
        let enrolled = try await api.call("POST", "/api/v1/books/\(expected[0])/participants",
                                          json: ["contact_ids": .array(contacts.map(JSONValue.string)), "start_date": "2027-03-02", "time_zone": "UTC"], token: key)
        #expect(enrolled.status == 201, "\(enrolled.body)")
        let participants = try await all(api, "/api/v1/books/\(expected[0])/participants", limit: 2, token: key)
        #expect(Set(participants.compactMap { $0["contact_id"]?.stringValue }) == Set(contacts) && participants.count == 3)
    }

    @Test func theDocumentStatesWhatTheHandlersKeep() async throws {
        let (api, adminKey, key) = try await host()
        defer { Task { await api.stop() } }
        let document = try await api.call("GET", "/api/v1/openapi.json").json
        let schemas = document["components"]?["schemas"]
        func body(_ method: String, _ path: String) -> JSONValue? {
            document["paths"]?[path]?[method]?["requestBody"]?["content"]?["application/json"]?["schema"]
        }
        func strings(_ value: JSONValue?) -> [String] { value?.arrayValue?.compactMap(\.stringValue) ?? [] }

        // A body with a field group is allOf [its fields, oneOf [each alternative]] (see SchemaRenderer).
        let enrollmentParts = try #require(body("post", "/api/v1/books/{id}/participants")?["allOf"]?.arrayValue)
        let enrollment = enrollmentParts.first
        #expect(enrollment?["properties"]?["time_zone"]?["$ref"] == "#/components/schemas/TimeZoneName")
        #expect(strings(schemas?["TimeZoneName"]?["enum"]) == TimeZoneName.all)
        #expect(TimeZoneName.isKnown("UTC"), "read by TimeZone, though not listed by it")
        #expect(enrollment?["properties"]?["start_date"]?["pattern"]?.stringValue == CivilDate.pattern)
        #expect(enrollmentParts.last?["oneOf"]?.arrayValue?.map { strings($0["required"]) } == [["contact_id"], ["contact_ids"], ["users"]])
        let adminMessage = body("post", "/api/v1/admin/books/{id}/lessons/{lessonId}/messages")
        #expect(strings(adminMessage?["properties"]?["type"]?["enum"]) == LessonMessage.types)
        #expect(Set(strings(adminMessage?["required"])) == ["type", "body", "day_offset", "send_time"])
        #expect(adminMessage?["properties"]?["send_time"]?["pattern"]?.stringValue == LessonMessage.sendTimePattern)
        let ownMessage = body("post", "/api/v1/books/{id}/lessons/{lessonId}/messages")
        #expect(Set(strings(ownMessage?["required"])) == ["body", "day_offset", "send_time"], "a workspace's own message is custom by default")
        #expect(strings(body("patch", "/api/v1/participants/{id}")?["properties"]?["status"]?["enum"]) == Participant.changeableStatuses)
        let list = document["paths"]?["/api/v1/books"]?["get"]
        #expect(Set(list?["parameters"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []) == ["limit", "cursor"])
        #expect(list?["responses"]?["200"]?["content"]?["application/json"]?["schema"]?["properties"]?["data"]?["items"]?["$ref"]
                == "#/components/schemas/Book")

        // Each rule, broken once.
        let bookID = try #require(try await api.call("POST", "/api/v1/admin/books", json: ["title": "Psalms", "published": true], token: adminKey).string("id"))
        let lessonID = try #require(try await api.call("POST", "/api/v1/admin/books/\(bookID)/lessons", json: ["title": "One"], token: adminKey).string("id"))
        let contact = try #require(try await api.call("POST", "/api/v1/contacts", json: ["name": "Ada", "phone": "+14155550611"], token: key).string("id"))
        let enroll = "/api/v1/books/\(bookID)/participants"
        let start: [String: JSONValue] = ["contact_id": .string(contact), "start_date": "2028-02-29", "time_zone": "Europe/London"]
        let refused: [(method: String, path: String, token: String, body: [String: JSONValue], field: String)] = [
            ("POST", enroll, key, start.merging(["contact_ids": [.string(contact)]]) { $1 }, "contact_id"),
            ("POST", enroll, key, start.filter { $0.key != "contact_id" }, "contact_id"),
            ("POST", enroll, key, start.merging(["start_date": "2027-02-29"]) { $1 }, "start_date"),
            ("POST", enroll, key, start.merging(["start_date": "+202-03-02"]) { $1 }, "start_date"),
            ("POST", enroll, key, start.merging(["time_zone": "Mars/Olympus_Mons"]) { $1 }, "time_zone"),
            ("POST", enroll, key, start.merging(["lesson_ids": []]) { $1 }, "lesson_ids"),
            ("POST", "/api/v1/admin/books/\(bookID)/lessons/\(lessonID)/messages", adminKey,
             ["type": "sermon", "body": "Go", "day_offset": 1, "send_time": "09:00"], "type"),
            ("POST", "/api/v1/admin/books/\(bookID)/lessons/\(lessonID)/messages", adminKey,
             ["type": "reminder", "body": "Go", "day_offset": 3651, "send_time": "09:00"], "day_offset"),
            ("POST", "/api/v1/books/\(bookID)/lessons/\(lessonID)/messages", key, ["body": "Go", "day_offset": 1, "send_time": "+9:30"], "send_time"),
            ("POST", "/api/v1/books/\(bookID)/lessons/\(lessonID)/messages", key, ["body": "", "day_offset": 1, "send_time": "09:30"], "body"),
            ("PATCH", "/api/v1/admin/books/\(bookID)", adminKey, ["title": ""], "title"),
        ]
        for request in refused {
            let answer = try await api.call(request.method, request.path, json: .object(request.body), token: request.token)
            #expect(answer.status == 422 && answer.string("error", "details", "field") == request.field,
                    "\(request.method) \(request.path) \(request.body): \(answer.body)")
        }
        let unknownLesson = try await api.call("POST", enroll, json: .object(start.merging(["lesson_ids": ["les_nothing"]]) { $1 }), token: key)
        #expect(unknownLesson.status == 404, "an id that names nothing, as anywhere: \(unknownLesson.body)")
        // What the rules allow is taken (a leap day; a workspace's own message with no type), and every answer
        // is what its schema says, field for field.
        let message = try await api.call("POST", "/api/v1/admin/books/\(bookID)/lessons/\(lessonID)/messages",
                                         json: ["type": "scripture", "body": "Read Psalm 1", "day_offset": 2, "send_time": "07:00"], token: adminKey)
        let own = try await api.call("POST", "/api/v1/books/\(bookID)/lessons/\(lessonID)/messages", json: ["body": "Hi", "day_offset": 0, "send_time": "23:59"], token: key)
        #expect(own.status == 201 && own["type"] == "custom", "\(own.body)")
        let enrolled = try await api.call("POST", enroll, json: .object(start), token: key)
        #expect(enrolled.status == 201, "\(enrolled.body)")
        let participant = try #require(enrolled["enrolled"]?.arrayValue?.first?["id"]?.stringValue)
        let canceled = try await api.call("PATCH", "/api/v1/participants/\(participant)", json: ["status": "canceled"], token: key)
        #expect(canceled.status == 422 && canceled.string("error", "details", "field") == "status", "removing is DELETE: \(canceled.body)")
        let answers: [(TestResponse, Schema)] = [
            (message, .model(LessonMessage.self)), (own, .model(LessonMessage.self)), (enrolled, .model(ParticipantStore.Enrolled.self)),
            (try await api.call("GET", "/api/v1/books/\(bookID)", token: key), .model(Book.self)),
            (try await api.call("GET", "/api/v1/books", token: key), Page<Book>.schema(of: .model(Book.self))),
            (try await api.call("GET", "/api/v1/books/\(bookID)/analytics", token: key), .model(BookAnalytics.Report.self)),
            (try await api.call("PATCH", "/api/v1/participants/\(participant)", json: ["status": "paused"], token: key), .model(Participant.self)),
        ]
        for (answer, schema) in answers {
            #expect((200...201).contains(answer.status), "\(answer.body)")
            do { try schema.validate(answer.json, at: "") } catch { Issue.record("\(error.message): \(answer.body)") }
        }
        #expect(answers[3].0["lessons"]?.arrayValue?.first?["messages"]?.arrayValue?.count == 2, "the book's message and the workspace's own")
    }

    /// The document's date pattern and the handlers' `CivilDate.day` agree on every day of years that test
    /// the leap rules, and on dates spelled another way.
    @Test func theDatePatternIsExactlyTheDatesTheHandlersRead() {
        let pattern = Pattern(CivilDate.pattern)
        for year in ["0000", "1900", "2000", "2024", "2027", "2100", "2400", "9999"] {
            for month in 0...13 {
                for day in 0...32 {
                    let text = year + "-" + String(format: "%02d-%02d", month, day)
                    #expect(pattern.matches(text) == (CivilDate.day(text) != nil), "\(text)")
                }
            }
        }
        for text in ["+202-03-02", "2027-3-022", "20273-1-01", "2027-03-2 ", "2027/03/02", "", "２０２７-03-02"] {
            #expect(!pattern.matches(text) && CivilDate.day(text) == nil, "\(text)")
        }
    }
}
