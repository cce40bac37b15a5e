import Testing
@testable import OzziRuntime

/// A request built from a JSON value (what a worker sends through a service binding) carries the value with
/// its bytes, so the callee need not parse them again; the two never disagree.
@Suite struct RequestJSONTests {
    @Test func carriesTheValueItsBodyWasWrittenFrom() throws {
        let value: JSONValue = ["token": "abc", "answers": ["email": "ada@example.org", "count": 3]]
        let request = Request(method: "POST", target: "/api/v1/internal/forms/k/submissions", json: value)
        #expect(request.json == value)
        #expect(request.body == value.jsonBytes)
        #expect(request.headers["content-type"] == "application/json")
        #expect(try JSONValue(jsonBytes: request.body) == value)
    }

    @Test func aReplacedBodyDropsTheValue() {
        var request = Request(method: "POST", target: "/x", headers: ["content-type": "application/merge-patch+json"], json: ["a": 1])
        #expect(request.headers["content-type"] == "application/merge-patch+json", "a given content type is kept")
        request.body = Array(#"{"a":2}"#.utf8)
        #expect(request.json == nil)
        #expect(Request(method: "POST", target: "/x", body: Array("{}".utf8)).json == nil, "bytes alone carry no value")
    }
}
