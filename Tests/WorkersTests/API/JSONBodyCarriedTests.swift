import OzziRuntime
import Testing
@testable import APIWorker

/// A body a service binding's caller built as JSON is read as that value, under the same rules as bytes.
@Suite struct JSONBodyCarriedTests {
    @Test func readsTheCarriedValue() throws {
        let request = Request(method: "POST", target: "/api/v1/internal/forms/k/submissions", json: ["token": "t", "answers": ["name": "Ada"]])
        let body = try JSONBody(request)
        #expect(try body.string("token") == "t")
        #expect(body.fields["answers"] == ["name": "Ada"])
    }

    @Test func refusesANULInTheCarriedValue() {
        let request = Request(method: "POST", target: "/x", json: ["answers": ["name": "A\u{0}da"]])
        #expect(throws: APIError.self) { try JSONBody(request) }
        do {
            _ = try JSONBody.parse(request)
            Issue.record("a NUL was let through")
        } catch {
            #expect(error.message.contains("answers.name"), "\(error.message)")
        }
    }
}
