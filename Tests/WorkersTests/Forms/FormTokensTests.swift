import OzziRuntime
import Testing
@testable import APIWorker

/// A submission token verifies only for the form and key it was issued with, exactly as issued.
@Suite struct FormTokensTests {
    let tokens = FormTokens(key: Array("a key of thirty-two bytes, made.".utf8))

    @Test func anIssuedTokenGivesItsTime() {
        let token = tokens.issue(publicKey: "frm_pub_1", nowMs: 1_800_000_000_123)
        #expect(token.hasPrefix("fst_1800000000123."))
        #expect(tokens.issued(token, publicKey: "frm_pub_1") == 1_800_000_000_123)
    }

    @Test func anythingElseIsRefused() {
        let token = tokens.issue(publicKey: "frm_pub_1", nowMs: 1_800_000_000_123)
        #expect(tokens.issued(token, publicKey: "frm_pub_2") == nil, "another form's")
        #expect(FormTokens(key: Array("another key".utf8)).issued(token, publicKey: "frm_pub_1") == nil, "another key's")
        let parts = token.dropFirst(4).split(separator: ".").map(String.init)
        #expect(tokens.issued("fst_1800000000124.\(parts[1]).\(parts[2])", publicKey: "frm_pub_1") == nil, "a changed time")
        #expect(tokens.issued("fst_\(parts[0]).x\(parts[1].dropFirst()).\(parts[2])", publicKey: "frm_pub_1") == nil, "a changed nonce")
        #expect(tokens.issued("fst_\(parts[0]).\(parts[1]).\(parts[2]).", publicKey: "frm_pub_1") == nil, "a trailing dot")
        #expect(tokens.issued("fst_\(parts[0]).\(parts[1])", publicKey: "frm_pub_1") == nil, "no MAC")
        #expect(tokens.issued("fst_\(parts[0]).\(parts[1]).\(parts[2])é", publicKey: "frm_pub_1") == nil, "non-ASCII")
        #expect(tokens.issued("xst_\(parts[0]).\(parts[1]).\(parts[2])", publicKey: "frm_pub_1") == nil, "another prefix")
        #expect(tokens.issued("fst_", publicKey: "frm_pub_1") == nil)
        #expect(tokens.issued("fst_-5.\(parts[1]).\(parts[2])", publicKey: "frm_pub_1") == nil, "a negative time")
    }
}
