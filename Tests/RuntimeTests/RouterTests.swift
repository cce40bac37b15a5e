import OzziTestSupport
import Testing
@testable import OzziRuntime

@Suite struct RouterTests {
    func router() -> Router {
        var router = Router()
        let ok: Router.Handler = { _, _ in .text("") }
        router.get("/contacts", ok)
        router.post("/contacts", ok)
        router.get("/contacts/export", ok)
        router.get("/contacts/:id", ok)
        router.patch("/contacts/:id", ok)
        router.get("/groups/:group/members/:member", ok)
        router.get("/assets/*", ok)
        return router
    }

    func parameters(_ match: Router.Match) -> [String: String]? {
        if case .found(_, let parameters, _) = match { return parameters }
        return nil
    }

    @Test func literalBeatsParameter() {
        #expect(parameters(router().match(method: "GET", path: "/contacts/export")) == [:])
        #expect(parameters(router().match(method: "GET", path: "/contacts/42")) == ["id": "42"])
    }

    @Test func parametersAreDecoded() {
        let match = router().match(method: "GET", path: "/groups/a%20b/members/%E2%9C%93")
        #expect(parameters(match) == ["group": "a b", "member": "✓"])
    }

    @Test func wildcardTakesTheRest() {
        #expect(parameters(router().match(method: "GET", path: "/assets/js/app.js")) == ["*": "js/app.js"])
        #expect(parameters(router().match(method: "GET", path: "/assets")) == ["*": ""])
    }

    @Test func wrongMethodIs405WithAllowedMethods() {
        guard case .methodNotAllowed(let allowed) = router().match(method: "DELETE", path: "/contacts/1") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == ["GET", "HEAD", "PATCH"])
    }

    @Test func headFallsBackToGet() {
        #expect(parameters(router().match(method: "HEAD", path: "/contacts/9")) == ["id": "9"])
    }

    @Test func unknownPathIs404() {
        guard case .notFound = router().match(method: "GET", path: "/nothing/here") else {
            Issue.record("expected 404")
            return
        }
        guard case .notFound = router().match(method: "GET", path: "/contacts/1/extra") else {
            Issue.record("a parameter matches one segment only")
            return
        }
    }

    @Test func emptySegmentDoesNotMatchParameter() {
        guard case .notFound = router().match(method: "GET", path: "/contacts/") else {
            Issue.record("'/contacts/' must not bind an empty id")
            return
        }
    }

    @Test func onlyStreamingRoutesHaveABodyLimit() {
        #expect(router().streamedBodyLimit(method: "POST", path: "/contacts") == nil, "a router without streamed routes")
        var streaming = router()
        let ok: Router.Handler = { _, _ in .text("") }
        streaming.post("/imports/:id/rows", streamBody: 1 << 30, ok)
        streaming.put("/internal/blob", internal: true, streamBody: 1 << 20, ok)
        #expect(streaming.streamedBodyLimit(method: "POST", path: "/imports/7/rows") == 1 << 30)
        #expect(streaming.streamedBodyLimit(method: "post", path: "/imports/7/rows") == 1 << 30, "methods compare as upper case")
        #expect(streaming.streamedBodyLimit(method: "POST", path: "/contacts") == nil, "a buffered route of the same method")
        #expect(streaming.streamedBodyLimit(method: "PATCH", path: "/imports/7/rows") == nil, "another method")
        #expect(streaming.streamedBodyLimit(method: "PUT", path: "/internal/blob") == nil, "an internal route is not reached from outside")
    }

    @Test func routesAreListedInOrder() {
        #expect(router().routes.first! == ("GET", "/contacts"))
        #expect(router().routes.count == 7)
    }
}
