import Foundation
import Testing
@testable import OzziRuntime

@Suite struct BucketTests {
    @Test func putGetHeadRangeAndDelete() async throws {
        let bucket = try FileBucket(directory: try scratchDirectory())
        let object = try await bucket.put("docs/hello.txt", Array("hello".utf8),
                                          options: BucketPutOptions(contentType: "text/plain", customMetadata: ["owner": "ann"]))
        #expect(object.etag == "5d41402abc4b2a76b9719d911017c592", "R2's etag is the body's MD5")
        #expect(object.size == 5)
        let head = try await bucket.head("docs/hello.txt")
        #expect(head?.contentType == "text/plain")
        #expect(head?.customMetadata == ["owner": "ann"])
        #expect(try await bucket.get("docs/hello.txt")?.1 == Array("hello".utf8))
        #expect(try await bucket.get("docs/hello.txt", range: .offset(1, length: 3))?.1 == Array("ell".utf8))
        #expect(try await bucket.get("docs/hello.txt", range: .offset(3, length: nil))?.1 == Array("lo".utf8))
        #expect(try await bucket.get("docs/hello.txt", range: .suffix(2))?.1 == Array("lo".utf8))
        await #expect(throws: BucketError.invalidRange) { try await bucket.get("docs/hello.txt", range: .offset(9, length: 1)) }
        try await bucket.put("docs/hello.txt", Array("replaced".utf8))
        #expect(try await bucket.get("docs/hello.txt")?.1 == Array("replaced".utf8))
        try await bucket.delete("docs/hello.txt")
        #expect(try await bucket.get("docs/hello.txt") == nil)
        #expect(try await bucket.head("docs/hello.txt") == nil)
        await #expect(throws: BucketError.invalidKey("empty")) { try await bucket.put("", [1]) }
    }

    @Test func streamingPutWritesChunksAsTheyCome() async throws {
        let bucket = try FileBucket(directory: try scratchDirectory())
        let (chunks, feed) = AsyncStream<[UInt8]>.makeStream()
        let piece = [UInt8](repeating: 7, count: 1 << 20)
        Task {
            for _ in 0..<8 { feed.yield(piece) }
            feed.finish()
        }
        let object = try await bucket.put("big.bin", chunks: chunks, options: BucketPutOptions())
        #expect(object.size == 8 << 20)
        #expect(try await bucket.get("big.bin", range: .offset(8 << 20 - 3, length: nil))?.1 == [7, 7, 7])
    }

    @Test func listWithPrefixDelimiterAndCursor() async throws {
        let bucket = try FileBucket(directory: try scratchDirectory())
        for key in ["a.txt", "photos/2024/1.jpg", "photos/2024/2.jpg", "photos/2025/1.jpg", "photos/cover.jpg", "zeta"] {
            try await bucket.put(key, [1])
        }
        let top = try await bucket.list(BucketListOptions(delimiter: "/"))
        #expect(top.objects.map(\.key) == ["a.txt", "zeta"])
        #expect(top.delimitedPrefixes == ["photos/"])
        let photos = try await bucket.list(BucketListOptions(prefix: "photos/", delimiter: "/"))
        #expect(photos.objects.map(\.key) == ["photos/cover.jpg"])
        #expect(photos.delimitedPrefixes == ["photos/2024/", "photos/2025/"])
        var keys: [String] = []
        var cursor: String?
        repeat {
            let page = try await bucket.list(BucketListOptions(cursor: cursor, limit: 2))
            keys += page.objects.map(\.key)
            cursor = page.cursor
            #expect(page.truncated == (cursor != nil))
        } while cursor != nil
        #expect(keys == ["a.txt", "photos/2024/1.jpg", "photos/2024/2.jpg", "photos/2025/1.jpg", "photos/cover.jpg", "zeta"])
    }

    @Test func interruptedWritesLeaveNoTornObjects() async throws {
        let directory = try scratchDirectory()
        do {
            let bucket = try FileBucket(directory: directory)
            try await bucket.put("kept", Array("whole".utf8))
        }
        // What a crash mid-put leaves: a temp file, and a blob renamed but never indexed.
        try Data("partial".utf8).write(to: URL(fileURLWithPath: directory + "/tmp/crashed"))
        try Data("orphan".utf8).write(to: URL(fileURLWithPath: directory + "/blobs/orphan"))
        let reopened = try FileBucket(directory: directory)
        #expect(try await reopened.get("kept")?.1 == Array("whole".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/tmp").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/blobs").count == 1)
    }
}
