import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// The form builder in process: a form made from the console, fields added (keys from their labels),
/// edited, moved and removed as new versions, a mistake named by the field's label, a change from a stale
/// page refused, the preview framed from the host without counting a view, and the submissions page.
@Suite struct ConsoleFormTests {
    @Test func aFormIsBuiltFieldByFieldFromTheConsole() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let s = try await ConsoleCampaignTests.signedIn(api)
        let refused = try await s.post("/console/forms", [("name", "Newsletter"), ("origin", "not a site")])
        #expect(refused.status == 422 && refused.body.contains("allowed_origins") && refused.body.contains("value=\"Newsletter\""), "\(refused.body)")
        let made = try await s.post("/console/forms", [("name", "Newsletter"), ("origin", "https://shop.example")])
        let path = try #require(made.headers["location"], "\(made.body)")
        let id = String(path.dropFirst("/console/forms/".count))

        func fields() async throws -> [String] {
            try await api.call("GET", "/api/v1/forms/\(id)", token: s.token)["fields"]?.arrayValue?.compactMap { $0["key"]?.stringValue } ?? []
        }
        func change(_ op: String, _ extra: [(String, String)]) async throws -> TestResponse {
            let version = try #require(try await api.call("GET", "/api/v1/forms/\(id)", token: s.token)["version"]?.numberValue)
            return try await s.post(path + "/fields", [("op", op), ("version", String(Int(version)))] + extra)
        }
        let page = try await s.get(path)
        #expect(page.status == 200 && page.body.contains("src=\"/forms/embed?key=fpk_") && page.body.contains("preview=1"))
        #expect(page.headers["content-security-policy"]?.contains("frame-src 'self'") == true, "\(page.headers["content-security-policy"] ?? "")")
        #expect(try await s.get("/console/forms").headers["content-security-policy"]?.contains("frame-src") == false, "only the builder frames")

        #expect(try await change("add", [("label", "Your name"), ("type", "text"), ("maps_to", "name"), ("required", "1")]).status == 303)
        #expect(try await change("add", [("label", "Favourite tea"), ("type", "select"), ("options", "Green\r\nBlack\r\n\r\nOolong")]).status == 303)
        #expect(try await fields() == ["email", "your_name", "favourite_tea"])
        let form = try await api.call("GET", "/api/v1/forms/\(id)", token: s.token)
        #expect(form["fields"]?.arrayValue?[2]["options"]?.arrayValue?.count == 3 && form["version"] == 3, "\(form.body)")

        let noChoices = try await change("add", [("label", "Size"), ("type", "radio")])
        #expect(noChoices.status == 422 && noChoices.body.contains("The field “Size”"), "\(noChoices.body)")
        #expect(noChoices.body.contains("value=\"Size\""), "the refused field stays in the add form")
        #expect(try await change("up", [("index", "1")]).status == 303)
        #expect(try await fields() == ["your_name", "email", "favourite_tea"])
        #expect(try await change("down", [("index", "2")]).status == 422)
        #expect(try await change("edit", [("index", "2"), ("label", "Favourite tea"), ("key", "tea"), ("type", "radio"), ("options", "Green\nBlack")]).status == 303)
        #expect(try await change("remove", [("index", "0")]).status == 303)
        #expect(try await fields() == ["email", "tea"])
        let stale = try await s.post(path + "/fields", [("op", "remove"), ("index", "0"), ("version", "1")])
        #expect(stale.status == 409 && stale.body.contains("changed meanwhile"))
        #expect(try await fields() == ["email", "tea"])
        #expect(try await s.post(path + "/fields", [("op", "remove"), ("index", "0"), ("version", "7")], csrf: false).status == 403)

        // The preview counts no view; the embed itself does.
        let key = try #require(form["public_key"]?.stringValue)
        let preview = try await api.call("GET", "/forms/embed?key=\(key)&preview=1")
        #expect(preview.status == 200 && preview.headers["content-security-policy"]?.contains("frame-ancestors 'self'") == true)
        #expect(try await api.call("GET", "/api/v1/forms/\(id)/stats", token: s.token)["totals"]?["views"] == 0)
        #expect(try await api.call("GET", "/forms/embed?key=\(key)").headers["content-security-policy"]?.contains("frame-ancestors https://shop.example") == true)
        #expect(try await api.call("GET", "/api/v1/forms/\(id)/stats", token: s.token)["totals"]?["views"] == 1)

        // Settings: turned off, the builder says so.
        let version = Int(try #require(try await api.call("GET", "/api/v1/forms/\(id)", token: s.token)["version"]?.numberValue))
        let off = try await s.post(path + "/settings", [("version", String(version)), ("submit_label", "Join"), ("success_message", "Welcome!"),
                                                        ("allowed_origins", "https://shop.example\nhttps://blog.example")])
        #expect(off.status == 303)
        let after = try await api.call("GET", "/api/v1/forms/\(id)", token: s.token)
        #expect(after["enabled"] == false && after["settings"]?["submit_label"] == "Join" && after["settings"]?["allowed_origins"]?.arrayValue?.count == 2)
        #expect(try await s.get(path).body.contains("The form is off"))

        let submissions = try await s.get(path + "/submissions")
        #expect(submissions.status == 200 && submissions.body.contains("No submissions yet") && submissions.body.contains("data-live-key=\"form_id\""))
        #expect(try await s.get("/console/forms").body.contains("href=\"/console/forms/\(id)\""))
    }

    @Test func anEmbedElsewhereIsFramedAtItsOrigin() {
        #expect(FormViews.origin(of: "https://forms.example:8443/x/y") == "https://forms.example:8443")
        #expect(FormViews.origin(of: "http://forms.localhost") == "http://forms.localhost")
    }

    @Test func keysComeFromLabels() {
        #expect(FormFieldDraft.key(from: "Your email!", avoiding: []) == "your_email")
        #expect(FormFieldDraft.key(from: "Your email", avoiding: ["your_email"]) == "your_email_2")
        #expect(FormFieldDraft.key(from: "2nd line", avoiding: []) == "field_2nd_line")
        #expect(FormFieldDraft.key(from: "¿Qué?", avoiding: []) == "qu")
        #expect(FormFieldDraft.key(from: "!!!", avoiding: []) == "field")
    }
}
