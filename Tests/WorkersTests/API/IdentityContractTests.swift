@testable import APIWorker
import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// The identity routes (auth, me, workspaces, API keys, audit log) as a contract: the document states the rules
/// the handlers keep, a request that breaks one is a 422 naming the field, and real answers match their models.
@Suite struct IdentityContractTests {
    @Test func theDocumentStatesWhatTheHandlersEnforce() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let document = try await api.call("GET", "/api/v1/openapi.json").json
        let schemas = try #require(document["components"]?["schemas"])
        func operation(_ method: String, _ path: String) -> JSONValue? { document["paths"]?[path]?[method] }
        func body(_ method: String, _ path: String) -> JSONValue? {
            operation(method, path)?["requestBody"]?["content"]?["application/json"]?["schema"]
        }

        let signUp = try #require(body("post", "/api/v1/auth/signup"))
        #expect(signUp["required"] == ["email", "password"])
        #expect(signUp["properties"]?["password"]?["minLength"] == .number(Double(PasswordPolicy.minimumLength)))
        #expect(signUp["properties"]?["password"]?["maxLength"] == .number(Double(PasswordPolicy.maximumLength)))
        #expect(signUp["properties"]?["email"]?["pattern"] == .string(EmailAddress.pattern))
        #expect(schemas["Role"]?["enum"] == .array(Role.allCases.map { .string($0.rawValue) }), "PATCH .../members/{user_id} takes any role")
        let invite = try #require(body("post", "/api/v1/workspaces/{id}/invitations"))
        #expect(invite["properties"]?["role"]?["enum"] == .array(Invitation.roles.map { .string($0.rawValue) } + [.null]))
        // Groups sit beside the fields: allOf [the object, anyOf [each alternative with its property]].
        let change = try #require(body("patch", "/api/v1/api-keys/{id}")?["allOf"]?.arrayValue)
        #expect(change.count == 2 && change[1]["anyOf"]?.arrayValue?.map { $0["required"] } == [["name"], ["active"]])
        #expect(schemas["Me"]?["properties"]?["credential"]?["enum"] == .array(RouteGroup.Me.Credential.allCases.map { .string($0.rawValue) }))
        let start = try #require(operation("get", "/api/v1/auth/oauth/{provider}/start"))
        #expect(start["responses"]?["302"]?["headers"]?["Location"] != nil)
        #expect(start["responses"]?["200"]?["content"]?["application/json"] != nil, "?format=json answers the URL with a 200")
        #expect(start["parameters"]?.arrayValue?.first { $0["name"] == "format" }?["schema"]?["enum"] == ["json"])

        // Every operation of these domains says what it answers: JSON, a page, a redirect or nothing (204).
        let paths = try #require(document["paths"]?.objectValue).filter { path, _ in
            path == "/api/v1/me" || path == "/api/v1/status"
                || ["/auth/", "/workspaces", "/invitations/", "/api-keys", "/audit-log"].contains { path.hasPrefix("/api/v1" + $0) }
        }
        #expect(paths.flatMap { $0.value.objectValue?.keys ?? [:].keys }.count == 42)
        for (path, methods) in paths {
            for (method, operation) in methods.objectValue ?? [:] {
                let success = operation["responses"]?.objectValue?.first { $0.key.hasPrefix("2") || $0.key == "302" }
                #expect(success?.value["content"] != nil || ["204", "302"].contains(success?.key), "\(method) \(path) documents no answer")
            }
        }
    }

    @Test func aRequestBreakingARuleIsRefusedNamingTheField() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        func refused(_ answer: TestResponse, _ field: String, _ message: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(answer.status == 422, "\(answer.body)", sourceLocation: sourceLocation)
            #expect(answer.string("error", "details", "field") == field, "\(answer.body)", sourceLocation: sourceLocation)
            if let message { #expect(answer.string("error", "message") == "\(field): \(message)", sourceLocation: sourceLocation) }
        }
        refused(try await api.signUp("ada@example"), "email", "is not an email address")
        refused(try await api.signUp("ada@example.com", password: "abababababab"), "password", "must not repeat one or two characters")
        let owner = try #require(try await api.signUp("owner@example.com").string("access_token"))
        let workspace = try #require(try await api.call("GET", "/api/v1/me", token: owner).string("workspace", "id"))
        let me = try #require(try await api.call("GET", "/api/v1/me", token: owner).string("user", "id"))
        refused(try await api.call("PATCH", "/api/v1/workspaces/\(workspace)/members/\(me)", json: ["role": "superuser"], token: owner), "role")
        refused(try await api.call("POST", "/api/v1/workspaces/\(workspace)/invitations", json: ["email": "grace@example.com", "role": "owner"],
                                   token: owner), "role")
        let key = try #require(try await api.call("POST", "/api/v1/api-keys", json: ["name": "ci"], token: owner).string("id"))
        refused(try await api.call("PATCH", "/api/v1/api-keys/\(key)", json: [:], token: owner), "name", "give at least one of name, active")
        refused(try await api.call("PATCH", "/api/v1/api-keys/\(key)", json: ["name": ""], token: owner), "name")
        refused(try await api.call("GET", "/api/v1/auth/oauth/google/start?format=xml"), "format")
    }

    @Test func realAnswersMatchTheirModels() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        func conforms(_ answer: TestResponse, _ schema: Schema, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect((200..<300).contains(answer.status), "\(answer.body)", sourceLocation: sourceLocation)
            #expect(throws: Never.self, "\(answer.body)", sourceLocation: sourceLocation) { try schema.validate(answer.json, at: "") }
        }
        let signUp = try await api.signUp("models@example.com")
        conforms(signUp, .model(AuthDomain.SignedIn.self))
        let token = try #require(signUp.string("access_token"))
        conforms(try await api.call("POST", "/api/v1/auth/anonymous"), .model(AuthDomain.SignedIn.self))
        conforms(try await api.call("GET", "/api/v1/me", token: token), .model(RouteGroup.Me.self))
        conforms(try await api.call("GET", "/api/v1/auth/sessions", token: token), Page<SessionStore.Session>.schema(of: .model(SessionStore.Session.self)))
        conforms(try await api.call("GET", "/api/v1/auth/identities", token: token), .model(RouteGroup.SignInMethods.self))
        let workspace = try await api.call("POST", "/api/v1/workspaces", json: ["name": "Acme"], token: token)
        conforms(workspace, .model(Workspace.self))
        let id = try #require(workspace.string("id"))
        conforms(try await api.call("GET", "/api/v1/workspaces", token: token), Page<Workspace>.schema(of: .model(Workspace.self)))
        conforms(try await api.call("GET", "/api/v1/workspaces/\(id)/members", token: token), Page<Member>.schema(of: .model(Member.self)))
        conforms(try await api.call("POST", "/api/v1/workspaces/\(id)/invitations", json: ["email": "grace@example.com"], token: token),
                 .model(RouteGroup.CreatedInvitation.self))
        conforms(try await api.call("GET", "/api/v1/workspaces/\(id)/invitations", token: token), Page<Invitation>.schema(of: .model(Invitation.self)))
        let key = try await api.call("POST", "/api/v1/api-keys", json: ["name": "ci"], token: token)
        conforms(key, .model(RouteGroup.CreatedKey.self))
        conforms(try await api.call("GET", "/api/v1/me", token: key.string("key")), .model(RouteGroup.Me.self))
        conforms(try await api.call("GET", "/api/v1/api-keys", token: token), Page<APIKey>.schema(of: .model(APIKey.self)))
        conforms(try await api.call("GET", "/api/v1/audit-log", token: token), Page<AuditLog.Event>.schema(of: .model(AuditLog.Event.self)))
        conforms(try await api.call("GET", "/api/v1/status"), .model(WorkerStatus.self))
    }

    /// The email pattern the document publishes and `EmailAddress.normalize` accept the same strings.
    @Test func theEmailPatternAndTheHandlerAgree() throws {
        func agree(_ text: String) -> Bool {
            let bySchema = (try? EmailAddress.schema.validate(.string(text), at: "email")) != nil
            let byHandler = (try? EmailAddress.normalize(text)) != nil
            return bySchema == byHandler
        }
        // Every scalar inside an address; the Basic Multilingual Plane holds every blank there is.
        let disagreeing = (0...0xFFFF).compactMap(Unicode.Scalar.init).filter { !agree("a\($0)b@c.d") }
        #expect(disagreeing.isEmpty, "\(disagreeing.map { String($0.value, radix: 16) })")
        let addresses = [
            "ada@example.com", " Ada@Example.COM\r\n", "\u{85}a@b.c\u{FEFF}", "a@b.c", "a@.b", "a@b.", "a@bc", "@b.c", "a@@b.c", "a@b@c.d",
            "a b@c.d", "ü@exämple.com", "a@\u{301}b.c", "a@b.\u{301}c", "a@b.c\u{1C}", "a@b.c \u{301}", "a\u{200B}@b.c",
            String(repeating: "a", count: 314) + "@b.com", String(repeating: "a", count: 315) + "@b.com",
        ]
        for address in addresses { #expect(agree(address), "\(address.debugDescription)") }
        #expect(try EmailAddress.normalize(" Ada@Example.COM\r\n") == "ada@example.com")
    }

    /// The password pattern (three different characters) and `PasswordPolicy.check` agree, counting scalars.
    @Test func thePasswordPatternAndThePolicyAgree() {
        for password in ["0000000000", "0101010101", "0120000000", "ab\u{301}ab\u{301}ab\u{301}a", "\n\n\n\n\n\r\r\r\r\r", "\n\r\t\n\r\t\n\r\t\n",
                         "é\u{301}é\u{301}é\u{301}é\u{301}é\u{301}", "correct horse battery"] {
            let bySchema = (try? PasswordPolicy.schema.validate(.string(password), at: "password")) != nil
            let byPolicy = (try? PasswordPolicy.check(password, email: nil)) != nil
            #expect(bySchema == byPolicy, "\(password.debugDescription)")
        }
    }
}
