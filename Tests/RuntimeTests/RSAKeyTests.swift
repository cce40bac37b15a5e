import Foundation
import OzziTestSupport
import Testing
@testable import OzziRuntime

/// RSAKey checked against the openssl command line: the same key reads the same, signs the same bytes
/// (PKCS#1 v1.5 is deterministic) and publishes the same SubjectPublicKeyInfo.
@Suite struct RSAKeyTests {
    @Test func generatesA2048BitKeyThatRoundTripsThroughPEM() throws {
        let key = try RSAKey.generate()
        #expect(key.bits == 2048)
        #expect(key.pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let again = try RSAKey(pem: key.pem)
        #expect(again.publicKeyDER == key.publicKeyDER)
        #expect(again.pem == key.pem)
        #expect(try RSAKey.generate().publicKeyDER != key.publicKeyDER)
    }

    @Test func matchesOpenSSLForKeySignatureAndPublicKey() async throws {
        let dir = try scratchDirectory()
        let keyPath = dir + "/key.pem", messagePath = dir + "/message"
        // A traditional `BEGIN RSA PRIVATE KEY` file, as older tools write them.
        let made = try await Subprocess.run("/usr/bin/openssl", ["genrsa", "-traditional", "-out", keyPath, "2048"])
        #expect(made.status == 0, "\(made.stderr)")
        let pem = try String(contentsOfFile: keyPath, encoding: .utf8)
        #expect(pem.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        let key = try RSAKey(pem: pem)

        let message = Array("dkim-signature:v=1; a=rsa-sha256; d=example.com; b=".utf8)
        try Data(message).write(to: URL(fileURLWithPath: messagePath))
        let signed = try await Subprocess.run("/usr/bin/openssl", ["dgst", "-sha256", "-sign", keyPath, "-binary", "-out", dir + "/sig", messagePath])
        #expect(signed.status == 0, "\(signed.stderr)")
        let theirs = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/sig")))
        let ours = try key.signSHA256(message)
        #expect(ours.count == 256)
        #expect(ours == theirs)

        let pub = try await Subprocess.run("/usr/bin/openssl", ["pkey", "-in", keyPath, "-pubout", "-outform", "DER", "-out", dir + "/pub.der"])
        #expect(pub.status == 0, "\(pub.stderr)")
        #expect(key.publicKeyDER == (try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/pub.der")))))
        #expect(Base64.decode(key.publicKeyBase64) == key.publicKeyDER)
    }

    @Test func aSignatureVerifiesWithOpenSSLAndNotForOtherBytes() async throws {
        let dir = try scratchDirectory()
        let key = try RSAKey.generate()
        let message = Array("from:a@example.com\r\nto:b@example.org\r\n".utf8)
        try Data(key.publicKeyDER).write(to: URL(fileURLWithPath: dir + "/pub.der"))
        try Data(try key.signSHA256(message)).write(to: URL(fileURLWithPath: dir + "/sig"))
        try Data(message).write(to: URL(fileURLWithPath: dir + "/good"))
        try Data(message + [0x20]).write(to: URL(fileURLWithPath: dir + "/bad"))
        let verify = { (file: String) in
            try await Subprocess.run("/usr/bin/openssl", ["dgst", "-sha256", "-verify", dir + "/pub.der", "-keyform", "DER",
                                                          "-signature", dir + "/sig", dir + "/" + file])
        }
        #expect(try await verify("good").stdout.contains("Verified OK"))
        #expect(try await verify("bad").status != 0)
    }

    @Test func refusesWhatIsNotAnRSAPrivateKey() async throws {
        #expect(throws: RSAKeyError.self) { try RSAKey(pem: "not a key") }
        #expect(throws: RSAKeyError.self) { try RSAKey(pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n") }
        let ec = try await Subprocess.run("/usr/bin/openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"])
        #expect(ec.stdout.contains("BEGIN PRIVATE KEY"))
        #expect(throws: RSAKeyError.notRSA) { try RSAKey(pem: ec.stdout) }
        // The public half alone cannot sign.
        let key = try RSAKey.generate()
        let publicPEM = "-----BEGIN PUBLIC KEY-----\n" + key.publicKeyBase64 + "\n-----END PUBLIC KEY-----\n"
        #expect(throws: RSAKeyError.self) { try RSAKey(pem: publicPEM) }
    }
}
