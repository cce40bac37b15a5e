import CHiredis
import Testing
@testable import OzziRuntime

/// Replies as hiredis's reader parses them from the wire, copied into `RedisReply`.
@Suite struct RedisReplyTests {
    private func parse(_ wire: String) throws -> RedisReply {
        let reader = try #require(redisReaderCreate())
        defer { redisReaderFree(reader) }
        let bytes = Array(wire.utf8)
        _ = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { redisReaderFeed(reader, $0.baseAddress, $0.count) }
        }
        var object: UnsafeMutableRawPointer?
        #expect(redisReaderGetReply(reader, &object) == REDIS_OK)
        let reply = try #require(object)
        defer { freeReplyObject(reply) }
        return RedisReply(reply.assumingMemoryBound(to: redisReply.self))
    }

    @Test func readsEachType() throws {
        #expect(try parse("+OK\r\n") == .status("OK"))
        #expect(try parse("-NOSCRIPT No matching script\r\n") == .error("NOSCRIPT No matching script"))
        #expect(try parse(":-42\r\n") == .integer(-42))
        #expect(try parse("$-1\r\n") == .null)
        #expect(try parse("$0\r\n\r\n") == .bulk([]))
        #expect(try parse("*-1\r\n") == .null)
    }

    @Test func keepsBulkStringsBinarySafe() throws {
        #expect(try parse("$5\r\na\0b\r\n\r\n") == .bulk([97, 0, 98, 13, 10]))
    }

    @Test func readsNestedArrays() throws {
        let reply = try parse("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n*2\r\n:1\r\n$-1\r\n")
        #expect(reply == .array([.bulk(Array("message".utf8)), .bulk(Array("news".utf8)), .array([.integer(1), .null])]))
        #expect(reply.array?.first?.string == "message")
        #expect(reply.array?[2].array?.first?.integer == 1)
        #expect(reply.string == nil)
    }
}
