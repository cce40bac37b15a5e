import Testing
@testable import OzziRuntime

@Suite struct CryptoTests {
    @Test func knownAnswers() {
        #expect(Crypto.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Crypto.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Crypto.hex(Crypto.sha1(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(Crypto.hex(Crypto.sha1([])) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        // RFC 4231, test case 2.
        #expect(Crypto.hex(Crypto.hmacSHA256(key: Array("Jefe".utf8), Array("what do ya want for nothing?".utf8)))
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // RFC 2202, test case 2.
        #expect(Crypto.hex(Crypto.hmacSHA1(key: Array("Jefe".utf8), Array("what do ya want for nothing?".utf8)))
            == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
        // Keys longer than the hash's block are hashed first: RFC 4231 and RFC 2202, test case 6.
        let long = Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
        #expect(Crypto.hex(Crypto.hmacSHA256(key: [UInt8](repeating: 0xaa, count: 131), long))
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
        #expect(Crypto.hex(Crypto.hmacSHA1(key: [UInt8](repeating: 0xaa, count: 80), long)) == "aa4ae5e15272d00e95705637ce8a3b55ed402112")
        // An empty key and message (RFC 2104 pads the key with zeros): Python's hmac gives the same.
        #expect(Crypto.hex(Crypto.hmacSHA256(key: [], [])) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
        // RFC 7914 §12, second vector.
        let key = Crypto.scrypt(password: Array("password".utf8), salt: Array("NaCl".utf8), n: 1024, r: 8, p: 16, length: 64)
        #expect(key.map(Crypto.hex) == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")
    }

    @Test func tokensAreRandomURLSafeAndLongEnough() {
        let a = Crypto.token(prefix: "ort_"), b = Crypto.token(prefix: "ort_")
        #expect(a != b)
        #expect(a.hasPrefix("ort_"))
        #expect(Base64URL.decode(String(a.dropFirst(4)))?.count == 32)
        #expect(a.utf8.allSatisfy { ASCII.isLetterOrDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") })
    }

    /// RFC 4648 §5: `-` and `_` for `+` and `/`, no padding; decoding takes text with or without it.
    @Test func base64URL() {
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.encode(Array("f".utf8)) == "Zg")
        #expect(Base64URL.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64URL.encode([]) == "")
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
        #expect(Base64URL.decode("Zg") == Array("f".utf8))
        #expect(Base64URL.decode("Z") == nil)
        #expect(Base64URL.decode("Zg!") == nil)
        #expect(Base64URL.decode("+/8") == [0xFB, 0xFF], "the standard alphabet decodes too, as before")
    }

    @Test func constantTimeComparison() {
        #expect(Crypto.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!Crypto.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!Crypto.constantTimeEquals([1, 2], [1, 2, 3]))
    }
}
