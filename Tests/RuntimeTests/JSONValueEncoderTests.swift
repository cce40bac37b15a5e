import Foundation
import Testing
@testable import OzziRuntime

@Suite struct JSONValueEncoderTests {
    struct Inner: Codable, Equatable {
        let name: String
        let tags: [String]
        let score: Double?
    }

    enum Kind: String, Codable { case alpha, beta }

    struct Outer: Codable, Equatable {
        let id: Int
        let ok: Bool
        let inner: Inner
        let list: [Inner]
        let kind: Kind
        let missing: String?
        let when: Date
        let raw: JSONValue
        let nested: [String: [Int]]
    }

    @Test func matchesFoundationsEncoderByteForByte() throws {
        let value = Outer(
            id: 7, ok: true, inner: Inner(name: "a\"b\n", tags: ["x", "y"], score: 0.5),
            list: [Inner(name: "c", tags: [], score: nil)], kind: .beta, missing: nil,
            when: Date(timeIntervalSince1970: 1_000_000_000), raw: .object(["z": .null, "a": .array([1, 2])]),
            nested: ["b": [1], "a": [2, 3]])
        let ours = String(decoding: try JSONValueEncoder.encodeBytes(value), as: UTF8.self)
        let foundation = String(decoding: try JSONCoding.encoder().encode(value), as: UTF8.self)
        #expect(ours == foundation)
        #expect(String(decoding: try JSONValueEncoder.encode(value).jsonBytes, as: UTF8.self) == foundation)
        #expect(try JSONCoding.decoder().decode(Outer.self, from: Data(ours.utf8)) == value)
    }

    @Test func explicitNullsAndTopLevelArrays() throws {
        struct WithNull: Encodable {
            let cursor: String?
            func encode(to encoder: Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(cursor, forKey: .cursor)
            }
            enum CodingKeys: CodingKey { case cursor }
        }
        #expect(String(decoding: try JSONValueEncoder.encode(WithNull(cursor: nil)).jsonBytes, as: UTF8.self) == #"{"cursor":null}"#)
        #expect(String(decoding: try JSONValueEncoder.encode([1, 2, 3]).jsonBytes, as: UTF8.self) == "[1,2,3]")
        #expect(String(decoding: try JSONValueEncoder.encode(["k": "v"]).jsonBytes, as: UTF8.self) == #"{"k":"v"}"#)
    }
}
