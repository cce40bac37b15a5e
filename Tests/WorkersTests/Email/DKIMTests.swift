@testable import APIWorker
import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// DKIM signatures checked by dkimpy (the verifier Python MTAs and milters use), the key record given
/// to it in place of DNS; the canonicalization against RFC 6376's own examples.
@Suite struct DKIMTests {
    static let key = try! RSAKey.generate()

    static func message(subject: String = "Spring newsletter", body: String? = nil, extra: String = "") -> [UInt8] {
        let text = body ?? "Hello  there,\t\r\nthe spring programme is out.   \r\n\r\n-- \r\nThe team\r\n\r\n\r\n"
        return Array(("""
            From: "News Desk" <news@mail.example.com>\r
            To: reader@example.org\r
            Reply-To: desk@example.com\r
            Subject: \(subject)\r
            Date: Tue, 01 Dec 2026 10:00:00 +0000\r
            Message-ID: <msg_123@mail.example.com>\r
            MIME-Version: 1.0\r
            X-Ozzi-Message-Id: msg_123\r
            List-Unsubscribe: <https://app.example.com/u/tok_abcdefghijklmnopqrstuvwxyz0123456789abcdefghij>\r
            List-Unsubscribe-Post: List-Unsubscribe=One-Click\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \(extra)\r

            """ + text).utf8)
    }

    static func signer(domain: String = "mail.example.com") -> DKIMSigner {
        DKIMSigner(domain: domain, selector: "ozzi2026", key: key)
    }

    /// dkimpy's verdict on `message`, the record for `name` being `record`.
    static func verify(_ message: [UInt8], record: String, name: String = "ozzi2026._domainkey.mail.example.com") async throws -> (Bool, String) {
        let path = NSTemporaryDirectory() + "dkim-\(UUID().uuidString).eml"
        try Data(message).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try await Subprocess.run("/usr/bin/env", ["python3", Subprocess.clientPath("dkim_verify.py"), path, name, record])
        guard run.status == 0, let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any],
              let verified = json["verified"] as? Bool else {
            throw VerifierFailed(output: run.stdout + run.stderr)
        }
        return (verified, json["log"] as? String ?? "")
    }

    /// The DKIM-Signature field of a signed message, unfolded, as tag -> value.
    static func tags(_ signed: [UInt8]) -> [String: String] {
        let text = String(decoding: signed, as: UTF8.self)
        let field = text[..<text.range(of: "\r\nFrom:")!.lowerBound].replacingOccurrences(of: "\r\n", with: "")
        var tags = [String: String]()
        for part in field.dropFirst("DKIM-Signature:".count).split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            tags[pair[0].trimmingCharacters(in: .whitespaces)] = pair.count > 1 ? pair[1].filter { $0 != " " && $0 != "\t" } : ""
        }
        return tags
    }

    @Test func relaxedCanonicalizationAsInRFC6376() {
        // RFC 6376 §3.4.6, the example.
        let (fields, body) = DKIMCanonicalization.split(Array("A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n".utf8))
        #expect(fields.map { String(decoding: DKIMCanonicalization.relaxedHeader($0), as: UTF8.self) } == ["a:X\r\n", "b:Y Z\r\n"])
        #expect(String(decoding: DKIMCanonicalization.relaxedBody(body), as: UTF8.self) == " C\r\nD E\r\n")
        #expect(DKIMCanonicalization.relaxedBody(Array("\r\n\r\n".utf8)[...]).isEmpty)
        #expect(DKIMCanonicalization.relaxedBody([]).isEmpty)
        // A last line without CRLF gets one.
        #expect(String(decoding: DKIMCanonicalization.relaxedBody(Array("a  b".utf8)[...]), as: UTF8.self) == "a b\r\n")
        // Only the space after the field's own colon goes; one after a colon inside the value stays.
        #expect(DKIMCanonicalization.relaxedHeader(Array("Subject:  Re:\r\n\t x ".utf8)[...]) == Array("subject:Re: x\r\n".utf8))
        #expect(DKIMCanonicalization.name(of: Array("List-Unsubscribe : <x>".utf8)[...]) == "list-unsubscribe")
    }

    @Test func dkimpyVerifiesTheSignatureAndItsTags() async throws {
        let signer = Self.signer()
        let signed = try signer.sign(Self.message(), time: 1_796_119_200)
        let text = String(decoding: signed, as: UTF8.self)
        #expect(text.hasPrefix("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=mail.example.com;"))
        #expect(text.hasSuffix(String(decoding: Self.message(), as: UTF8.self)))
        let signatureLines = text[..<text.range(of: "\r\nFrom:")!.lowerBound].components(separatedBy: "\r\n")
        #expect(signatureLines.count > 3)
        #expect(signatureLines.allSatisfy { $0.count <= 78 }, "\(signatureLines)")
        #expect(signatureLines.dropFirst().allSatisfy { $0.hasPrefix("\t") })

        let tags = Self.tags(signed)
        #expect(tags["s"] == "ozzi2026")
        #expect(tags["t"] == "1796119200")
        #expect(tags["h"] == "from:to:subject:date:message-id:mime-version:content-type:reply-to:list-unsubscribe:list-unsubscribe-post:from")
        let body = Array(" C \r\nD \t E\r\n\r\n\r\n".utf8)
        #expect(Self.tags(try signer.sign(Self.message(body: String(decoding: body, as: UTF8.self)), time: 0))["bh"]
                == Base64.encode(Crypto.sha256(Array(" C\r\nD E\r\n".utf8))))

        let (verified, log) = try await Self.verify(signed, record: signer.dnsRecord)
        #expect(verified, "\(log)")
        #expect(signer.dnsRecord == "v=DKIM1; k=rsa; p=" + Self.key.publicKeyBase64)
    }

    @Test func aChangedSignedHeaderOrBodyFailsAndAnAddedUnsignedHeaderDoesNot() async throws {
        let signer = Self.signer()
        let signed = try signer.sign(Self.message(), time: 1_796_119_200)
        func replacing(_ old: String, _ new: String) -> [UInt8] {
            Array(String(decoding: signed, as: UTF8.self).replacingOccurrences(of: old, with: new).utf8)
        }
        // Folding and spacing changes on the way are what relaxed canonicalization forgives.
        let refolded = replacing("Subject: Spring newsletter", "Subject:  Spring\r\n  newsletter ")
        #expect(try await Self.verify(refolded, record: signer.dnsRecord).0)
        #expect(try await Self.verify(replacing("X-Ozzi-Message-Id: msg_123\r\n", "X-Ozzi-Message-Id: msg_123\r\nX-Relay: added\r\n"),
                                      record: signer.dnsRecord).0)

        #expect(try await !Self.verify(replacing("Spring newsletter", "Spring newsletters"), record: signer.dnsRecord).0)
        #expect(try await !Self.verify(replacing("The team", "The tean"), record: signer.dnsRecord).0)
        #expect(try await !Self.verify(replacing("List-Unsubscribe=One-Click", "List-Unsubscribe=Two-Click"), record: signer.dnsRecord).0)
        // A second From, added by someone on the way, breaks it: From is signed once more than it occurs.
        #expect(try await !Self.verify(replacing("To: reader@example.org\r\n", "To: reader@example.org\r\nFrom: evil@example.net\r\n"),
                                       record: signer.dnsRecord).0)
        // Another domain's key does not verify it.
        #expect(try await !Self.verify(signed, record: DKIMSigner(domain: "mail.example.com", selector: "ozzi2026", key: try RSAKey.generate()).dnsRecord).0)
    }

    @Test func headersAbsentFromTheMessageAreLeftOutOfH() async throws {
        let bare = Array("From: a@mail.example.com\r\nTo: b@example.org\r\nSubject: hi\r\n\r\nbody\r\n".utf8)
        let signer = Self.signer()
        let signed = try signer.sign(bare, time: 1)
        #expect(Self.tags(signed)["h"] == "from:to:subject:from")
        #expect(try await Self.verify(signed, record: signer.dnsRecord).0)
        // A long domain and selector still fold within 78 columns and verify.
        let long = DKIMSigner(domain: "a-rather-long-subdomain-for-sending.mail.example-company.com",
                              selector: "selector-2026-12-01-rotation", key: Self.key)
        let signedLong = try long.sign(Self.message(), time: 1)
        let text = String(decoding: signedLong, as: UTF8.self)
        #expect(text[..<text.range(of: "\r\nFrom:")!.lowerBound].components(separatedBy: "\r\n").allSatisfy { $0.count <= 78 })
        #expect(try await Self.verify(signedLong, record: long.dnsRecord, name: "\(long.selector)._domainkey.\(long.domain)").0)
    }
}

struct VerifierFailed: Error {
    let output: String
}
