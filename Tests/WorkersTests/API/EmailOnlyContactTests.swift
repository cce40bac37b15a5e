import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// Contacts with only an email address (newsletter subscribers): created, unique by address, imported
/// (rows keyed by phone, else by email), refused by SMS and left out of SMS campaigns, reached by email
/// campaigns; and the migration that made the phone optional and the address unique.
@Suite struct EmailOnlyContactTests {
    let campaigns = CampaignTests()

    func world() async throws -> CampaignTests.World {
        let api = try await APIHost.start(vars: CampaignTests.vars.merging(CampaignEmailTests.vars) { $1 })
        return CampaignTests.World(api: api, token: try await MessagingTests().owner(api, "subscribers@example.com"))
    }

    func create(_ w: CampaignTests.World, _ fields: JSONValue) async throws -> TestResponse {
        try await w.api.call("POST", "/api/v1/contacts", json: fields, token: w.token)
    }

    /// Imports a CSV; its report, once completed.
    func importCSV(_ w: CampaignTests.World, _ csv: String, onDuplicate: String = "skip") async throws -> TestResponse {
        let report = try await campaigns.importCSV(w, csv, onDuplicate: onDuplicate)
        #expect(report.string("status") == "completed", "\(report.body)")
        return report
    }

    func contact(_ w: CampaignTests.World, email: String) async throws -> JSONValue? {
        try await w.api.call("GET", "/api/v1/contacts?q=" + FormEncodingForTests.escape(email), token: w.token).data.first {
            $0["email"]?.stringValue == email
        }
    }

    @Test func createDuplicateNeitherChangeSearchAndExport() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        let created = try await create(w, ["name": "Grace Hopper", "email": " Grace@Navy.example "])
        #expect(created.status == 201, "\(created.body)")
        #expect(created.json["phone"] == nil, "no phone: absent, as other empty fields are")
        #expect(created.string("email") == "grace@navy.example")
        #expect(created.string("first_name") == "Grace")
        let id = try #require(created.string("id"))

        let duplicate = try await create(w, ["name": "Someone", "email": "GRACE@navy.example"])
        #expect(duplicate.status == 409, "\(duplicate.body)")
        #expect(duplicate.string("error", "details", "field") == "email")
        #expect(duplicate.string("error", "details", "existing_contact_id") == id)
        // With a phone of its own, the address still belongs to Grace.
        let withPhone = try await create(w, ["name": "Other", "phone": "+14155550111", "email": "grace@navy.example"])
        #expect(withPhone.status == 409 && withPhone.string("error", "details", "field") == "email", "\(withPhone.body)")

        let neither = try await create(w, ["name": "Nobody"])
        #expect(neither.status == 422)
        let message = neither.string("error", "message") ?? ""
        #expect(message.contains("phone") && message.contains("email"), "\(message)")
        #expect(try await create(w, ["name": "Nobody", "email": ""]).status == 422, "creating, an empty address is no address")

        // Clearing the address of a contact without a phone would leave it unreachable: a 409 naming the field.
        let cleared = try await w.api.call("PATCH", "/api/v1/contacts/\(id)", json: ["email": .null], token: w.token)
        #expect(cleared.status == 409 && cleared.string("error", "details", "field") == "email", "\(cleared.body)")
        let phoned = try await w.api.call("PATCH", "/api/v1/contacts/\(id)", json: ["phone": "+1 415 555 0122"], token: w.token)
        #expect(phoned.string("phone") == "+14155550122", "\(phoned.body)")
        #expect(try await w.api.call("PATCH", "/api/v1/contacts/\(id)", json: ["email": .null], token: w.token).status == 200,
                "with a phone, the address may go")
        #expect(try await w.api.call("PATCH", "/api/v1/contacts/\(id)", json: ["email": "grace@navy.example"], token: w.token).status == 200)
        // Another contact taking Grace's address by a change: the same 409.
        let ada = try await create(w, ["name": "Ada", "email": "ada@engine.example"])
        let taken = try await w.api.call("PATCH", "/api/v1/contacts/\(try #require(ada.string("id")))", json: ["email": "grace@navy.example"], token: w.token)
        #expect(taken.status == 409 && taken.string("error", "details", "existing_contact_id") == id, "\(taken.body)")

        // Search finds the address; typeahead its start.
        #expect(try await w.api.call("GET", "/api/v1/contacts?q=engine", token: w.token).data.first?["name"] == "Ada")
        #expect(try await w.api.call("GET", "/api/v1/contacts?prefix=ada", token: w.token).data.first?["email"] == "ada@engine.example")
        // The export leaves the phone cell empty.
        let export = try await w.api.call("GET", "/api/v1/contacts/export", token: w.token)
        let line = try #require(export.body.split(separator: "\r\n").first { $0.contains("ada@engine.example") })
        #expect(line.split(separator: ",", omittingEmptySubsequences: false)[4] == "", "\(line)")
    }

    @Test func importEmailOnlyAndMixedRows() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        // A file with no phone column at all.
        let subscribers = try await importCSV(w, "name,email\nAnn Subscriber,ann@letters.example\nBob Subscriber,BOB@letters.example\n,not-an-email\n")
        #expect(subscribers["created"] == 2 && subscribers["rows"] == 3, "\(subscribers.body)")
        #expect(subscribers["rejected"]?.arrayValue?.first?["reason"] == "email: is not an email address")
        #expect(try await contact(w, email: "bob@letters.example")?["phone"] == nil)

        let existing = try await create(w, ["name": "Cat", "phone": "+14155550133", "email": "cat@letters.example"])
        let catID = try #require(existing.string("id"))
        let mixed = """
            name,phone,email,custom.plan
            Ann Again,,ann@letters.example,gold
            Dan Both,+1 415 555 0144,dan@letters.example,
            Dan Twice,+1 415 555 0144,,silver
            Eve Email,,eve@letters.example,
            Eve Twice,,EVE@letters.example,bronze
            Thief,+1 415 555 0155,cat@letters.example,
            Copycat,+1 415 555 0166,eve@letters.example,
            Nobody,,,
            Cat Update,+1 415 555 0133,,platinum

            """
        let report = try await importCSV(w, mixed, onDuplicate: "update")
        #expect(report["rows"] == 9)
        // Created: Dan, Eve. Updated: Ann (by email), Dan's and Eve's second rows, Cat (by phone).
        #expect(report["created"] == 2 && report["updated"] == 4 && report["skipped"] == 0, "\(report.body)")
        let rejected = report["rejected"]?.arrayValue ?? []
        #expect(rejected.compactMap { $0["line"]?.numberValue.map(Int.init) } == [7, 8, 9], "\(report.body)")
        #expect(rejected.first?["reason"]?.stringValue?.contains(catID) == true, "a row keyed by its phone whose address is another contact's")
        #expect(rejected.dropFirst().first?["reason"]?.stringValue?.hasPrefix("email: eve@letters.example is on line 5 too") == true, "\(report.body)")
        #expect(rejected.last?["reason"]?.stringValue?.contains("phone") == true && rejected.last?["reason"]?.stringValue?.contains("email") == true)
        #expect(try await contact(w, email: "ann@letters.example")?["custom_fields"]?["plan"] == "gold")
        #expect(try await contact(w, email: "ann@letters.example")?["name"] == "Ann Again")
        #expect(try await contact(w, email: "eve@letters.example")?["custom_fields"]?["plan"] == "bronze")
        let dan = try await contact(w, email: "dan@letters.example")
        #expect(dan?["phone"] == "+14155550144" && dan?["custom_fields"]?["plan"] == "silver" && dan?["name"] == "Dan Twice")
        #expect(try await w.api.call("GET", "/api/v1/contacts/\(catID)", token: w.token)["custom_fields"]?["plan"] == "platinum")
        #expect(try await w.api.call("GET", "/api/v1/contacts?q=thief", token: w.token).data.isEmpty)

        // A row that moves a contact's email address frees the old one for an email-only row of the same
        // batch: the move is applied first, so that row adds a contact instead of being skipped.
        let gus = try #require(try await create(w, ["name": "Gus", "phone": "+14155550177", "email": "gus@letters.example"]).string("id"))
        let moved = try await importCSV(w, "name,phone,email\nGus Moved,+1 415 555 0177,gus@new.example\nOld Gus Address,,gus@letters.example\n",
                                        onDuplicate: "update")
        #expect(moved["created"] == 1 && moved["updated"] == 1 && moved["skipped"] == 0, "\(moved.body)")
        #expect(try await w.api.call("GET", "/api/v1/contacts/\(gus)", token: w.token)["email"] == "gus@new.example")
        #expect(try await contact(w, email: "gus@letters.example")?["name"] == "Old Gus Address")

        // Skipping: a row for a known address changes nothing.
        let again = try await importCSV(w, "name,email\nAnn Third,ann@letters.example\nFay New,fay@letters.example\n")
        #expect(again["created"] == 1 && again["skipped"] == 1, "\(again.body)")
        #expect(try await contact(w, email: "ann@letters.example")?["name"] == "Ann Again")

        // Neither column: refused before the upload is kept.
        let noColumn = try await w.api.call("POST", "/api/v1/contacts/imports", raw: "name,notes\nA,b\n", token: w.token, headers: ["Content-Type": "text/csv"])
        #expect(noColumn.status == 422 && noColumn.string("error", "details", "field") == "mapping", "\(noColumn.body)")
    }

    @Test func smsRefusesAnEmailOnlyContactAndSMSCampaignsLeaveItOut() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        let subscriber = try #require(try await create(w, ["name": "Sub Scriber", "email": "sub@letters.example"]).string("id"))
        let phoned = try #require(try await create(w, ["name": "Phil", "phone": "+14155550177", "email": "phil@letters.example"]).string("id"))

        let alone = try await w.api.call("POST", "/api/v1/messages", json: ["contact_id": .string(subscriber), "body": "Hi"], token: w.token)
        #expect(alone.status == 409, "\(alone.body)")
        #expect(alone.string("error", "details", "field") == "contact_id")
        let both = try await w.api.call("POST", "/api/v1/messages", json: ["contact_ids": [.string(subscriber), .string(phoned)], "body": "Hi"], token: w.token)
        #expect(both.status == 201, "\(both.body)")
        #expect(both["scheduled"] == 1)
        #expect(both["skipped"] == [["contact_id": .string(subscriber), "reason": "no_phone"]])

        // An SMS campaign to everyone: the subscriber is not in its audience, nor in its count.
        let sms = try await campaigns.create(w, ["name": "SMS to all"])
        #expect(try await campaigns.action(w, sms, "send").string("state") == "running")
        let smsDone = try await campaigns.wait(w, sms) { $0.string("state") == "finished" && campaigns.stat($0, "delivered") == 1 }
        #expect(smsDone["recipients"] == 1, "\(smsDone.body)")
        let smsTo = try await w.api.database("api").prepare("SELECT contact_id FROM messages WHERE campaign_id = ?").bind(sms).all().compactMap { $0.text("contact_id") }
        #expect(smsTo == [phoned])

        // An email campaign to everyone reaches both.
        let email = try await CampaignEmailTests().emailCampaign(w)
        #expect(try await campaigns.action(w, email, "send").string("state") == "running")
        let emailDone = try await campaigns.wait(w, email) { $0.string("state") == "finished" && campaigns.stat($0, "delivered") == 2 }
        #expect(emailDone["recipients"] == 2, "\(emailDone.body)")
        #expect(Set(try await CampaignEmailTests().emails(w, campaign: email).keys) == ["sub@letters.example", "phil@letters.example"])

        // And the other way: an email to a contact with only a phone is refused for the contact's state.
        let phoneOnly = try #require(try await create(w, ["name": "Pat", "phone": "+14155550178"]).string("id"))
        let unmailable = try await w.api.call("POST", "/api/v1/emails", json: [
            "contact_id": .string(phoneOnly), "from": "News <news@sandbox.ozzi.test>", "subject": "Hi", "text": "x",
        ], token: w.token)
        #expect(unmailable.status == 409 && unmailable.string("error", "details", "field") == "contact_id", "\(unmailable.body)")
    }

    // MARK: - The migration

    /// Migrates to just before 0019, stores contacts sharing an address, then applies 0019.
    func migrateSharedAddresses(_ database: any SQLDatabase, _ engine: SQLDialect,
                                migrate: ([SQLMigration]) async throws -> [String]) async throws {
        let all = try SQLMigration.load(directory: APIMigrationTests.directory, for: engine)
        _ = try await migrate(all.filter { $0.name < "0019" })
        try await database.prepare("INSERT INTO workspaces (id, name, created_by, created_at) VALUES ('w1', 'One', 'u', 't'), ('w2', 'Two', 'u', 't')").run()
        for (id, workspace, phone, email, notes) in [("c1", "w1", "+14155550101", "a@x.example", ""), ("c2", "w1", "+14155550102", "a@x.example", "met at the fair"),
                                                     ("c3", "w1", "+14155550103", "a@x.example", ""), ("c4", "w2", "+14155550101", "a@x.example", "")] {
            try await database.prepare("""
                INSERT INTO contacts (id, workspace_id, phone, email, notes, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'api', 't', 't')
                """).bind(id, workspace, phone, email, notes).run()
        }
        #expect(try await migrate(all.filter { $0.name < "0020" }) == ["0019_email_contacts"])
        _ = try await migrate(all)
        let rows = try await database.prepare("SELECT id, email, notes FROM contacts ORDER BY id").all()
        #expect(rows.map { $0.text("email") ?? "-" } == ["a@x.example", "-", "-", "a@x.example"], "the oldest keeps the address, per workspace")
        #expect(rows[1].text("notes") == "met at the fair [email a@x.example removed: contact c1 has it, and an email address belongs to one contact]")
        #expect(rows[2].text("notes") == "[email a@x.example removed: contact c1 has it, and an email address belongs to one contact]")
        // The phone may be missing now; an address may not be taken twice.
        try await database.prepare("INSERT INTO contacts (id, workspace_id, email, source, created_at, updated_at) VALUES ('c5', 'w1', 'b@x.example', 'api', 't', 't')").run()
        await #expect(throws: SQLError.self) {
            try await database.prepare("INSERT INTO contacts (id, workspace_id, email, source, created_at, updated_at) VALUES ('c6', 'w1', 'b@x.example', 'api', 't', 't')").run()
        }
    }

    @Test func migrationOnSQLite() async throws {
        let path = NSTemporaryDirectory() + "ozzi-email-contacts-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let database = try SQLiteDatabase(path: path)
        try await migrateSharedAddresses(database, .sqlite) { try await database.migrate($0) }
        // Another connection sees the phone optional too (the schema change reached the file, not only the migrating connection).
        let other = try SQLiteDatabase(path: path)
        try await other.prepare("INSERT INTO contacts (id, workspace_id, email, source, created_at, updated_at) VALUES ('c7', 'w2', 'c@x.example', 'api', 't', 't')").run()
        #expect(try await other.prepare("SELECT count(*) AS n FROM contacts WHERE phone IS NULL").first()?.integer("n") == 2)
    }

    @Test func migrationOnPostgreSQL() async throws {
        let database = try PostgresDatabase(url: try await TestPostgres.shared.database(), schema: "api")
        try await migrateSharedAddresses(database, .postgres) { try await database.migrate($0) }
    }
}
