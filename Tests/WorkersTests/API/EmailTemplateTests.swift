import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// HTML to text, as the text part of an email whose author wrote only HTML.
@Suite struct HTMLTextTests {
    @Test func blocksBreaksAndBlanks() {
        #expect(HTMLText.plain("<p>Hello   there,\n  friend.</p><p>Second</p>") == "Hello there, friend.\n\nSecond")
        #expect(HTMLText.plain("<div>one</div><div>two</div>line<br>break<br/><br>two breaks") == "one\ntwo\nline\nbreak\n\ntwo breaks")
        #expect(HTMLText.plain("<h1>Title</h1>Body") == "Title\n\nBody")
        #expect(HTMLText.plain("a<hr>b") == "a\n\n---\n\nb")
        #expect(HTMLText.plain("<P CLASS=x>Upper</P>") == "Upper")
    }

    @Test func linksListsTablesAndImages() {
        #expect(HTMLText.plain(#"Read <a href="https://ozzi.example/a?x=1&amp;y=2">our news</a> now."#) == "Read our news (https://ozzi.example/a?x=1&y=2) now.")
        #expect(HTMLText.plain(#"<a href="https://ozzi.example">https://ozzi.example</a>"#) == "https://ozzi.example")
        #expect(HTMLText.plain(#"<a href="mailto:help@ozzi.example">Write to us</a>"#) == "Write to us (help@ozzi.example)")
        #expect(HTMLText.plain(##"<a href="#top">Top</a> <a href='https://x.example/i'><img src="i.png" alt=""></a>"##) == "Top https://x.example/i")
        #expect(HTMLText.plain("<ul><li>one</li><li>two<ol><li>a</li><li>b</li></ol></li></ul>after") == "- one\n- two\n  1. a\n  2. b\n\nafter")
        #expect(HTMLText.plain("<table><tr><td>Item</td><td>$5</td></tr><tr><td>Tax</td><td>$1</td></tr></table>") == "Item $5\nTax $1")
        #expect(HTMLText.plain(#"<img src="logo.png" alt="Ozzi logo"> news"#) == "Ozzi logo news")
    }

    @Test func entitiesScriptsStylesAndComments() {
        #expect(HTMLText.plain("Fish &amp; chips &lt;3 &quot;ok&quot; &#39;x&#x27; caf&eacute;? &euro;5&nbsp;now &mdash; AT&T") ==
            "Fish & chips <3 \"ok\" 'x' caf&eacute;? €5 now — AT&T")
        #expect(HTMLText.plain("<html><head><title>T</title><style>p { color: red }</style></head><body><script>alert('<p>x</p>')</script>Shown<!-- hidden --></body></html>") == "Shown")
        #expect(HTMLText.plain("<pre>  keep\n    this</pre>then") == "keep\n    this\n\nthen")
        #expect(HTMLText.plain("1 < 2 and 3 > 2") == "1 < 2 and 3 > 2")
        #expect(HTMLText.plain("") == "")
    }

    @Test func variablesSurvive() {
        #expect(HTMLText.plain(#"<p>Hi {{ first_name | there }},</p><p><a href="https://x.example/o/{{order_id}}">Your order</a></p>"#) ==
            "Hi {{ first_name | there }},\n\nYour order (https://x.example/o/{{order_id}})")
    }
}

/// Rendering an email for a recipient.
@Suite struct EmailRendererTests {
    func contact(first: String = "Ada", custom: JSONValue = [:]) -> Contact {
        Contact(id: "con_1", name: "\(first) Lovelace", first_name: first, last_name: "Lovelace", phone: "+14155550123", email: "ada@example.org", notes: "",
                custom_fields: custom, source: "api", sms_consent: Contact.Consent(status: "unknown", changed_at: nil, method: nil),
                created_at: "", updated_at: "")
    }

    @Test func valuesAreEscapedInHTMLOnly() throws {
        let renderer = try EmailRenderer(subject: "Hi {{first_name}}", html: "<p>Hi {{first_name}} <b>{{custom.plan|basic}}</b></p>", text: "Hi {{first_name}}")
        let evil = contact(first: "<script>alert('x')</script>&", custom: ["plan": "\"pro\""])
        let email = try renderer.render(contact: evil, variables: [:])
        #expect(email.subject == "Hi <script>alert('x')</script>&")
        #expect(email.html == "<p>Hi &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp; <b>&quot;pro&quot;</b></p>")
        #expect(email.text == "Hi <script>alert('x')</script>&")
    }

    @Test func textIsDerivedWithPlainValues() throws {
        let renderer = try EmailRenderer(subject: "Order {{order_id}}",
                                         html: #"<h1>Thanks, {{first_name|friend}}!</h1><p>Order <a href="https://shop.example/o/{{order_id}}">{{order_id}}</a> ships &amp; arrives soon.</p>"#,
                                         text: nil)
        let email = try renderer.render(contact: contact(first: "Bo & Co"), variables: ["order_id": "A<1>"])
        #expect(email.subject == "Order A<1>")
        #expect(email.html == #"<h1>Thanks, Bo &amp; Co!</h1><p>Order <a href="https://shop.example/o/A&lt;1&gt;">A&lt;1&gt;</a> ships &amp; arrives soon.</p>"#)
        #expect(email.text == "Thanks, Bo & Co!\n\nOrder A<1> (https://shop.example/o/A<1>) ships & arrives soon.")
        #expect(try renderer.render(contact: nil, variables: ["order_id": "7"]).subject == "Order 7")
        #expect(try renderer.render(contact: nil, variables: ["order_id": "7"]).text.hasPrefix("Thanks, friend!"))
    }

    /// A fallback whose `<` reads as the start of a tag that swallows the variable's `}}`: the text cannot be
    /// derived once from the source, so it is derived from each rendered HTML.
    @Test func textIsDerivedPerEmailWhenTheMarkupHidesAVariable() throws {
        #expect(throws: (any Error).self) { try TemplateText(HTMLText.plain("<p>Hi {{first_name|a<b}}, welcome</p>"), variables: true) }
        let renderer = try EmailRenderer(subject: "Hi", html: "<p>Hi {{first_name|a<b}}, welcome</p>", text: nil)
        let email = try renderer.render(contact: contact(first: "Bo & Co"), variables: [:])
        #expect(email.html == "<p>Hi Bo &amp; Co, welcome</p>")
        #expect(email.text == "Hi Bo & Co, welcome", "\(email.text)")
    }

    @Test func missingVariablesAreNamed() throws {
        let renderer = try EmailRenderer(subject: "{{order_id}} for {{first_name}}", html: "<p>{{total}} {{coupon|none}}</p>", text: nil)
        do {
            _ = try renderer.render(contact: nil, variables: [:])
            Issue.record("rendered without its variables")
        } catch {
            #expect(error.code == "variables_missing")
            #expect(error.message.contains("{{order_id}}") && error.message.contains("{{total}}") && !error.message.contains("first_name"))
        }
        #expect(try renderer.render(contact: nil, variables: ["order_id": "1", "total": "2"]).html == "<p>2 none</p>")
        #expect(try renderer.render(contact: contact(), variables: ["order_id": "1", "total": "2", "first_name": "Override"]).subject == "1 for Override")
    }

    @Test func sourcesAreChecked() throws {
        do {
            _ = try EmailRenderer(subject: "s", html: nil, text: "")
            Issue.record("an email without html or text")
        } catch {
            #expect(error.message == "html: an email needs html or text")
        }
        #expect(throws: APIError.self) { try EmailRenderer(subject: "{{first-name}}", html: "x", text: nil) }
        do {
            _ = try EmailRenderer(subject: "ok", html: "<p>{{frist name}}</p>", text: nil)
            Issue.record("an unknown variable passed")
        } catch {
            #expect(error.details?["field"] == "html")
        }
        #expect(throws: TemplateText.Invalid.self) { try TemplateText("Hi {{order_id}}") }
        #expect(try TemplateText("Hi {{order_id}}", variables: true).parts.count == 2)
        #expect(TemplateText.variablesPattern.matches("Hi {{ order_id | n/a }} {{custom.plan}}"))
        #expect(!TemplateText.variablesPattern.matches("Hi {{1x}}"))
        #expect(!TemplateText.pattern.matches("Hi {{order_id}}"))
    }
}

/// `/api/v1/templates` with email templates, and previews of both channels.
@Suite struct EmailTemplateRouteTests {
    @Test func createListUpdateAndPreviewEmailTemplates() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("templates@example.com").string("access_token"))
        let contact = try await api.call("POST", "/api/v1/contacts", json: ["name": "<script>x</script> Evil", "phone": "+14155550123",
                                                                           "custom_fields": ["plan": "pro"]], token: token)
        let contactID = try #require(contact.string("id"))

        let created = try await api.call("POST", "/api/v1/templates", json: [
            "name": "Receipt", "channel": "email", "subject": "Receipt {{order_id}} for {{first_name|you}}",
            "html": #"<p>Hi {{first_name}}, your {{custom.plan}} order <a href="https://shop.example/o/{{order_id}}">{{order_id}}</a>.</p>"#,
        ], token: token)
        #expect(created.status == 201, "\(created.body)")
        #expect(created.string("channel") == "email")
        #expect(created.json["body"] == .null && created.json["sms"] == .null && created.json["text"] == .null)
        #expect(created.string("subject") == "Receipt {{order_id}} for {{first_name|you}}")
        let id = try #require(created.string("id"))

        let sms = try await api.call("POST", "/api/v1/templates", json: ["name": "Ping", "body": "Hi {{first_name|there}}"], token: token)
        #expect(sms.string("channel") == "sms" && sms.json["subject"] == .null && sms.json["sms"]?["segments"] == 1)
        #expect(try await api.call("GET", "/api/v1/templates?channel=email", token: token).data.map { $0["name"] } == ["Receipt"])
        #expect(try await api.call("GET", "/api/v1/templates", token: token).data.count == 2)

        let preview = try await api.call("POST", "/api/v1/templates/\(id)/preview",
                                         json: ["contact_id": .string(contactID), "variables": ["order_id": "A-1", "unused": 5]], token: token)
        #expect(preview.status == 200, "\(preview.body)")
        #expect(preview.string("channel") == "email")
        #expect(preview.string("subject") == "Receipt A-1 for <script>x</script>")
        #expect(preview.string("html") == #"<p>Hi &lt;script&gt;x&lt;/script&gt;, your pro order <a href="https://shop.example/o/A-1">A-1</a>.</p>"#)
        #expect(preview.string("text") == "Hi <script>x</script>, your pro order A-1 (https://shop.example/o/A-1).")
        #expect(preview.json["sms"] == nil)

        let missing = try await api.call("POST", "/api/v1/templates/\(id)/preview", json: ["contact_id": .string(contactID)], token: token)
        // A preview renders what it can and names what a send would still need.
        #expect(missing.status == 200 && missing.json["missing_variables"] == ["order_id"], "\(missing.body)")
        #expect(preview.json["missing_variables"] == [])
        let noContact = try await api.call("POST", "/api/v1/templates/\(id)/preview", json: ["variables": ["order_id": "9"]], token: token)
        #expect(noContact.string("subject") == "Receipt 9 for you")
        #expect(try await api.call("POST", "/api/v1/templates/\(id)/preview", json: ["contact_id": "con_nope"], token: token).status == 404)

        let smsPreview = try await api.call("POST", "/api/v1/templates/\(sms.string("id")!)/preview", json: ["contact_id": .string(contactID)], token: token)
        #expect(smsPreview.string("channel") == "sms" && smsPreview.string("text") == "Hi <script>x</script>")
        #expect(smsPreview.json["sms"]?["segments"] == 1 && smsPreview.json["subject"] == nil && smsPreview.json["html"] == nil)
        #expect(try await api.call("POST", "/api/v1/templates/\(sms.string("id")!)/preview", json: [:], token: token).string("text") == "Hi there")

        // Update: a text part of its own, then no HTML; clearing both is refused.
        let withText = try await api.call("PATCH", "/api/v1/templates/\(id)", json: ["text": "Order {{order_id}}", "subject": "New {{order_id}}"], token: token)
        #expect(withText.status == 200 && withText.string("text") == "Order {{order_id}}" && withText.string("html")?.hasPrefix("<p>") == true)
        let textOnly = try await api.call("PATCH", "/api/v1/templates/\(id)", json: ["html": .null], token: token)
        #expect(textOnly.status == 200 && textOnly.json["html"] == .null && textOnly.string("subject") == "New {{order_id}}")
        let rendered = try await api.call("POST", "/api/v1/templates/\(id)/preview", json: ["variables": ["order_id": "3"]], token: token)
        #expect(rendered.string("text") == "Order 3" && rendered.json["html"] == .null)
        // A change the stored template cannot take is a conflict with it, naming the field.
        let empty = try await api.call("PATCH", "/api/v1/templates/\(id)", json: ["text": ""], token: token)
        #expect(empty.status == 409 && empty.string("error", "details", "field") == "text", "\(empty.body)")
        let renamed = try await api.call("PATCH", "/api/v1/templates/\(id)", json: ["name": "Receipt v2"], token: token)
        #expect(renamed.string("name") == "Receipt v2" && renamed.string("text") == "Order {{order_id}}")

        // An email template cannot be an SMS's: a conflict with the stored template, naming the field.
        let message = try await api.call("POST", "/api/v1/messages", json: ["contact_id": .string(contactID), "template_id": .string(id)], token: token)
        #expect(message.status == 409 && message.string("error", "details", "field") == "template_id", "\(message.body)")
    }

    @Test func emailFieldsAreValidated() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("checks@example.com").string("access_token"))
        func field(_ json: JSONValue) async throws -> String? {
            let answer = try await api.call("POST", "/api/v1/templates", json: json, token: token)
            #expect(answer.status == 422, "\(json): \(answer.body)")
            return answer.string("error", "details", "field")
        }
        #expect(try await field(["name": "a", "channel": "email", "html": "<p>x</p>"]) == "subject")
        #expect(try await field(["name": "a", "channel": "email", "subject": "s"]) == "html")
        #expect(try await field(["name": "a", "channel": "email", "subject": "s", "html": "<p>x</p>", "body": "sms"]) == "body")
        #expect(try await field(["name": "a", "channel": "email", "subject": "s", "html": "<p>{{first name}}</p>"]) == "html")
        #expect(try await field(["name": "a", "channel": "email", "subject": "{{x-y}}", "text": "t"]) == "subject")
        #expect(try await field(["name": "a", "body": "Hi", "subject": "s"]) == "subject")
        #expect(try await field(["name": "a", "body": "Hi {{order_id}}"]) == "body")
        #expect(try await field(["name": "a", "channel": "fax", "body": "Hi"]) == "channel")
        let sms = try await api.call("POST", "/api/v1/templates", json: ["name": "s", "body": "Hi"], token: token)
        let patched = try await api.call("PATCH", "/api/v1/templates/\(sms.string("id")!)", json: ["html": "<p>x</p>"], token: token)
        #expect(patched.status == 409 && patched.string("error", "details", "field") == "html", "\(patched.body)")
    }
}
