import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// Files in community channels: uploaded with the attach permission, seen only by the uploader until posted,
/// downloaded as attachments, found by search (never from a channel the searcher cannot read), and gone
/// from the bucket once their message is deleted or when an upload is never posted.
@Suite struct CommunityFileTests {
    func domain(_ w: CommunityTests.World) throws -> CommunitiesDomain {
        let worker = try #require(w.api.host.workers["api"] as? APIWorker)
        return try #require(worker.domains.lazy.compactMap { $0 as? CommunitiesDomain }.first)
    }

    func upload(_ w: CommunityTests.World, _ channel: String, _ who: CommunityTests.Person, name: String, description: String = "",
                bytes: String, type: String = "application/pdf") async throws -> TestResponse {
        let query = "name=" + name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! + "&description="
            + description.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        return try await w.api.call("POST", "/api/v1/communities/\(w.community)/channels/\(channel)/files?\(query)", raw: bytes, token: who.token,
                                    headers: ["Content-Type": type])
    }

    @Test func aFileIsPostedWithItsMessageDownloadedAndFound() async throws {
        let w = try await CommunityTests().world()
        defer { Task { await w.api.stop() } }
        let bytes = "%PDF-1.7 the Saturday route, 10 km along the river"
        let made = try await upload(w, w.general, w.member, name: "Übersicht route-map_final.pdf", description: "riverside loop", bytes: bytes)
        #expect(made.status == 201 && made["size"]?.numberValue == Double(bytes.utf8.count) && made.string("content_type") == "application/pdf", "\(made.body)")
        let fileID = try #require(made.string("id"))
        let download = "/channels/\(w.general)/files/\(fileID)"
        // Until it is posted only the uploader sees it, and search does not.
        #expect(try await w.call("GET", download, w.member).body == bytes)
        #expect(try await w.call("GET", download, w.moderator).status == 404)
        #expect(try await w.api.call("GET", "/api/v1/search?q=riverside&types=files", token: w.owner.token).data.isEmpty)
        // Someone else cannot post it.
        let stolen = try await w.call("POST", "/channels/\(w.general)/messages", w.moderator, json: ["body": "mine now", "file_ids": [.string(fileID)]])
        #expect(stolen.status == 409 && stolen.body.contains("file_ids"), "\(stolen.body)")

        let posted = try await w.call("POST", "/channels/\(w.general)/messages", w.member, json: ["body": "", "file_ids": [.string(fileID), .string(fileID)]])
        #expect(posted.status == 201 && posted["files"]?.arrayValue?.count == 1, "\(posted.body)")
        let messageID = try #require(posted["id"]?.numberValue.map { Int($0) })
        // Posted once: it cannot go with a second message.
        #expect(try await w.call("POST", "/channels/\(w.general)/messages", w.member, json: ["body": "again", "file_ids": [.string(fileID)]]).status == 409)
        let read = try await w.call("GET", "/channels/\(w.general)/messages/\(messageID)", w.moderator)
        #expect(read["files"]?.arrayValue?.first?["name"] == "Übersicht route-map_final.pdf", "\(read.body)")

        let got = try await w.call("GET", download, w.moderator)
        #expect(got.status == 200 && got.body == bytes)
        #expect(got.headers["content-type"] == "application/pdf" && got.headers["x-content-type-options"] == "nosniff")
        #expect(got.headers["content-disposition"] == "attachment; filename=\"_bersicht route-map_final.pdf\"; filename*=UTF-8''%C3%9Cbersicht%20route-map_final.pdf",
                "\(got.headers)")
        #expect(try await w.call("GET", download, w.outsider).status == 403)

        // Search finds it by a word of its name, by its description, and by the start of a word.
        for q in ["route", "riverside", "map", "fin"] {
            let found = try await w.api.call("GET", "/api/v1/search?q=\(q)&types=files", token: w.moderator.token)
            #expect(found.data.first?["id"]?.stringValue == fileID && found.data.first?["type"] == "file", "\(q): \(found.body)")
        }
        let marked = try await w.api.call("GET", "/api/v1/search?q=route", token: w.moderator.token)
        #expect(marked.data.contains { $0["type"] == "file" && $0["snippet"]?.stringValue?.contains("<mark>route</mark>") == true }, "\(marked.body)")

        // The message deleted, the file is gone: not served, not found, and its object leaves the bucket.
        #expect(try await w.call("DELETE", "/channels/\(w.general)/messages/\(messageID)", w.member).status == 204)
        #expect(try await w.call("GET", download, w.member).status == 404)
        #expect(try await w.api.call("GET", "/api/v1/search?q=riverside&types=files", token: w.owner.token).data.isEmpty)
        let domain = try domain(w)
        let key = CommunityFile.bucketKey(community: w.community, id: fileID)
        #expect(try await domain.files.bucket.head(key) != nil)
        try await domain.maintain()
        #expect(try await domain.files.bucket.head(key) == nil)
    }

    @Test func attachingNeedsThePermissionAndPrivateFilesStayPrivate() async throws {
        let w = try await CommunityTests().world()
        defer { Task { await w.api.stop() } }
        // Members lose attach: their uploads, and posts naming files, are refused.
        #expect(try await w.call("PUT", "/roles/member", w.owner, json: ["permissions": ["view", "post", "react"]]).status == 200)
        let refused = try await upload(w, w.general, w.member, name: "a.txt", bytes: "hello", type: "text/plain")
        #expect(refused.status == 403 && refused.body.contains("attach"), "\(refused.body)")
        #expect(try await upload(w, w.general, w.moderator, name: "empty.txt", bytes: "", type: "text/plain").status == 422)
        #expect(try await upload(w, w.general, w.moderator, name: "/\"", bytes: "x", type: "text/plain").status == 422)

        // A file in a private channel: its members find it, nobody else does.
        let vault = try await w.call("POST", "/channels", w.admin, json: ["name": "vault", "private": true, "member_ids": [.string(w.moderator.id)]])
        let vaultID = try #require(vault.string("id"))
        let secret = try await upload(w, vaultID, w.moderator, name: "combination.txt", description: "vault combination", bytes: "4711", type: "text/html")
        let secretID = try #require(secret.string("id"), "\(secret.body)")
        #expect(try await w.call("POST", "/channels/\(vaultID)/messages", w.moderator, json: ["body": "see file", "file_ids": [.string(secretID)]]).status == 201)
        #expect(try await w.api.call("GET", "/api/v1/search?q=combination", token: w.moderator.token).data.contains { $0["id"]?.stringValue == secretID })
        #expect(try await w.api.call("GET", "/api/v1/search?q=combination", token: w.member.token).data.isEmpty)
        #expect(try await w.call("GET", "/channels/\(vaultID)/files/\(secretID)", w.member).status == 404)
        // Served as an attachment that cannot run as a page, whatever type it claimed.
        let html = try await w.call("GET", "/channels/\(vaultID)/files/\(secretID)", w.moderator)
        #expect(html.headers["content-security-policy"]?.hasPrefix("sandbox") == true && html.headers["content-disposition"]?.hasPrefix("attachment") == true)
    }

    @Test func heldFilesWaitWithTheirPostAndUnpostedUploadsAreSwept() async throws {
        let w = try await CommunityTests().world()
        defer { Task { await w.api.stop() } }
        let made = try await w.call("POST", "/channels", w.admin, json: ["name": "showcase", "review": "everyone"])
        let showcase = try #require(made.string("id"))
        let held = try #require(try await upload(w, showcase, w.member, name: "held.png", bytes: "png bytes", type: "image/png").string("id"))
        let dropped = try #require(try await upload(w, showcase, w.member, name: "dropped.png", bytes: "png bytes", type: "image/png").string("id"))
        let left = try #require(try await upload(w, showcase, w.member, name: "left.png", bytes: "png bytes", type: "image/png").string("id"))
        let first = try await w.call("POST", "/channels/\(showcase)/submissions", w.member, json: ["body": "my photo", "file_ids": [.string(held)]])
        #expect(first.status == 201 && first["file_ids"]?.arrayValue == [.string(held)], "\(first.body)")
        let second = try await w.call("POST", "/channels/\(showcase)/submissions", w.member, json: ["body": "another", "file_ids": [.string(dropped)]])
        let approved = try await w.call("POST", "/submissions/\(try #require(first.string("id")))/approve", w.moderator)
        let messageID = try #require(approved["message_id"]?.numberValue.map { Int($0) }, "\(approved.body)")
        #expect(try await w.call("GET", "/channels/\(showcase)/messages/\(messageID)", w.admin)["files"]?.arrayValue?.first?["id"]?.stringValue == held)
        #expect(try await w.call("POST", "/submissions/\(try #require(second.string("id")))/reject", w.moderator).string("status") == "rejected")

        // A day on, the sweep takes the rejected post's file and the upload never posted; the posted one stays.
        let domain = try domain(w)
        w.clock.advance(byMilliseconds: CommunityFileStore.unpostedMs + 1)
        try await domain.maintain()
        let bucket = domain.files.bucket
        #expect(try await bucket.head(CommunityFile.bucketKey(community: w.community, id: held)) != nil)
        #expect(try await bucket.head(CommunityFile.bucketKey(community: w.community, id: dropped)) == nil)
        #expect(try await bucket.head(CommunityFile.bucketKey(community: w.community, id: left)) == nil)
        let rows = try await w.api.database("api").prepare("SELECT id FROM community_files ORDER BY id").all().compactMap { $0.text("id") }
        #expect(rows == [held])
    }
}
