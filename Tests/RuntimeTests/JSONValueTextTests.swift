import Foundation
import Testing
@testable import OzziRuntime

@Suite struct JSONValueTextTests {
    func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try JSONValue(jsonBytes: Array(text.utf8))
    }

    @Test func readsEveryKindOfValue() throws {
        let value = try parse(#" {"a": [1, -2.5, 3e2, true, false, null], "s": "q\"\\\/\n\u00e9\ud83d\ude00", "o": {}} "#)
        #expect(value == .object([
            "a": .array([.number(1), .number(-2.5), .number(300), .bool(true), .bool(false), .null]),
            "s": .string("q\"\\/\né😀"),
            "o": .object([:]),
        ]))
    }

    @Test func writesCompactSortedJSONThatFoundationReadsBack() throws {
        let value: JSONValue = .object(["b": .array([.number(1), .number(0.5)]), "a": .string("tab\there \"quoted\" \u{1}"), "c": .null])
        let text = String(decoding: value.jsonBytes, as: UTF8.self)
        #expect(text == #"{"a":"tab\there \"quoted\" \u0001","b":[1,0.5],"c":null}"#)
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(value.jsonBytes)) == value)
        #expect(try parse(text) == value)
    }

    @Test func refusesMalformedInputWithAnOffset() {
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "\"unterminated", "\"bad \\x escape\"", "tru", "[1] 2",
                    "\"\u{1}\"", "\"\\ud800\"", "{1: 2}"] {
            #expect(throws: JSONSyntaxError.self, "\(bad)") { try parse(bad) }
        }
        do {
            _ = try parse("[1, 2, x]")
        } catch {
            #expect(error.offset == 7)
        }
    }

    /// RFC 8259 §8.2 / I-JSON §2.1: a surrogate half alone names no character; the error points at its escape.
    @Test func loneSurrogateEscapesAreRefusedAtTheirByte() {
        let cases: [(text: String, offset: Int)] = [
            (#"{"name": "\ud800"}"#, 10),           // a high half, then the string ends
            (#"{"name": "\udc00"}"#, 10),           // a low half first
            (#"["ab\ud83dx"]"#, 4),                 // a high half, then a character
            (#"["\ud83d\u0041"]"#, 2),              // a high half, then an escape that is not a low half
            (#"["\ud83d\ud83d\ude00"]"#, 2),       // two high halves: the first is alone
            (#"{"\udfff": 1}"#, 2),                 // in a key too
        ]
        for (text, offset) in cases {
            #expect(throws: JSONSyntaxError(offset: offset, reason: "unpaired surrogate"), "\(text)") { try parse(text) }
        }
        let error = #expect(throws: JSONSyntaxError.self) { try parse(#""\ud800""#) }
        #expect(error?.description == "invalid JSON at byte 1: unpaired surrogate")
    }

    @Test func surrogatePairsAndNULEscapesAreRead() throws {
        #expect(try parse(#""\ud83d\ude00 \uD834\uDD1E""#) == .string("😀 𝄞"))
        #expect(try parse(#""a\u0000b""#) == .string("a\u{0}b"))  // JSON allows U+0000; the api refuses it (TextInput)
        #expect(try parse(#""\ud7ff\ue000\uffff""#) == .string("\u{D7FF}\u{E000}\u{FFFF}"))
    }

    /// A string without escapes is taken straight from the input, one with escapes is rebuilt: both read the
    /// same text, and bytes that are not UTF-8 are refused either way, at the byte after the string.
    @Test func stringsReadAlikeWithOrWithoutEscapesAndBadUTF8IsRefused() throws {
        #expect(try parse(#"["plain", "é漢😀", "é\n漢", "tail\t", "\"lead"]"#) == .array(["plain", "é漢😀", "é\n漢", "tail\t", "\"lead"]))
        #expect(try parse(#"{"ключ": "значение"}"#) == .object(["ключ": "значение"]))
        for bytes: [UInt8] in [[0x22, 0xC3, 0x28, 0x22], [0x22, 0xFF, 0x5C, 0x6E, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22]] {
            #expect(throws: JSONSyntaxError(offset: bytes.count, reason: "string is not valid UTF-8"), "\(bytes)") { try JSONValue(jsonBytes: bytes) }
        }
        #expect(throws: JSONSyntaxError(offset: 3, reason: "control character in a string")) { try parse("\"ab\u{1}\"") }
        #expect(throws: JSONSyntaxError(offset: 7, reason: "unterminated string")) { try parse("\"abcdef") }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try parse(deep) }
        #expect(throws: Never.self) { try parse(String(repeating: "[", count: 200) + String(repeating: "]", count: 200)) }
    }
}

@Suite struct JSONNumberTextTests {
    @Test func integersAndFractions() {
        let values: [JSONValue] = [0, -1, 42, 999_999_999_999_999, -123_456_789, 0.5, -2.25, 1e20]
        let text = String(decoding: JSONValue.array(values).jsonBytes, as: UTF8.self)
        #expect(text == "[0,-1,42,999999999999999,-123456789,0.5,-2.25,1e+20]")
    }
}
