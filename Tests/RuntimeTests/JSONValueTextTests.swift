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
