import Foundation
import OzziTestSupport
import Testing
@testable import OzziRuntime

/// Where an object bucket's index lives: in its folder (one host), or on PostgreSQL for hosts sharing the folder.
enum ObjectIndex: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case local, shared

    var testDescription: String { rawValue }

    func bucket(_ directory: String? = nil) async throws -> FileBucket {
        let folder = try directory ?? scratchDirectory()
        switch self {
        case .local: return try FileBucket(directory: folder)
        case .shared:
            let index = try PostgresDatabase(url: try await TestPostgres.shared.database(), schema: "files", connections: 2)
            return try FileBucket(directory: folder, name: "files", sharedIndex: index)
        }
    }
}

@Suite struct BucketTests {
    @Test(arguments: ObjectIndex.allCases)
    func putGetHeadRangeAndDelete(_ engine: ObjectIndex) async throws {
        let bucket = try await engine.bucket()
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

    @Test(arguments: ObjectIndex.allCases)
    func streamingPutWritesChunksAsTheyCome(_ engine: ObjectIndex) async throws {
        let bucket = try await engine.bucket()
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

    @Test(arguments: ObjectIndex.allCases)
    func listWithPrefixDelimiterAndCursor(_ engine: ObjectIndex) async throws {
        let bucket = try await engine.bucket()
        for key in ["Zulu", "a.txt", "photos/2024/1.jpg", "photos/2024/2.jpg", "photos/2025/1.jpg", "photos/cover.jpg", "zeta"] {
            try await bucket.put(key, [1])
        }
        let top = try await bucket.list(BucketListOptions(delimiter: "/"))
        #expect(top.objects.map(\.key) == ["Zulu", "a.txt", "zeta"], "byte order on both engines")
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
        #expect(keys == ["Zulu", "a.txt", "photos/2024/1.jpg", "photos/2024/2.jpg", "photos/2025/1.jpg", "photos/cover.jpg", "zeta"])
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

    /// What a host stopping under an upload does: the body is written and renamed, then the index is gone.
    @Test func aPutWhoseIndexFailsLeavesNoBlobBehind() async throws {
        let folder = try scratchDirectory()
        let index = try PostgresDatabase(url: try await TestPostgres.shared.database(), schema: "files", connections: 1)
        let bucket = try FileBucket(directory: folder, name: "files", sharedIndex: index)
        try await bucket.put("kept", Array("whole".utf8))
        index.close()
        await #expect(throws: SQLError.self) { try await bucket.put("lost", Array("never indexed".utf8)) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/tmp").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/blobs").count == 1, "only the stored object's blob")
    }

    /// A writer that finished and is then abandoned (its put failed later) must not close its old descriptor
    /// number again: by then it belongs to whatever the process opened next.
    @Test func aBlobWriterClosesItsFileExactlyOnce() throws {
        let folder = try scratchDirectory()
        for attempt in 0..<100 {
            let writer = try BlobWriter(path: folder + "/tmp-\(attempt)")
            try writer.write(Array("body".utf8))
            // Opened first, so it does not itself take the number `finish` frees.
            let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
            defer { close(null) }
            let number = writer.fd
            _ = try writer.finish(renamingTo: folder + "/blob-\(attempt)")
            // Take the freed number for a stand-in, unless another thread of the test process took it first.
            let standIn = fcntl(null, F_DUPFD_CLOEXEC, number)
            guard standIn == number else {
                if standIn >= 0 { close(standIn) }
                continue
            }
            writer.abandon()
            #expect(fcntl(standIn, F_GETFD) != -1, "the stand-in at the writer's old descriptor number is still open")
            close(standIn)
            return
        }
        Issue.record("the freed descriptor number was taken by another thread 100 times in a row")
    }

    @Test func hostsSharingAFolderAndItsIndexSeeOneBucketAndNeverTearAnObject() async throws {
        let folder = try scratchDirectory()
        let url = try await TestPostgres.shared.database()
        let hosts = try (0..<2).map { _ in
            try FileBucket(directory: folder, name: "files", sharedIndex: try PostgresDatabase(url: url, schema: "files", connections: 2))
        }
        try await hosts[0].put("report.csv", Array("from a".utf8))
        #expect(try await hosts[1].get("report.csv")?.1 == Array("from a".utf8))
        // Both hosts write one key at once, many times: the object read is always one whole body, and
        // once they are done exactly one blob is left for it.
        let bodies = (0..<20).map { n in Array(repeating: UInt8(65 + n % 26), count: 64 * 1024 + n) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (n, body) in bodies.enumerated() {
                group.addTask { try await hosts[n % 2].put("shared.bin", body) }
                group.addTask {
                    if let (_, read) = try await hosts[(n + 1) % 2].get("shared.bin") {
                        #expect(bodies.contains(read) || read == Array("from a".utf8), "never a torn body")
                    }
                }
            }
            try await group.waitForAll()
        }
        let last = try #require(try await hosts[0].get("shared.bin")?.1)
        #expect(bodies.contains(last))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/blobs").count == 2, "report.csv and shared.bin")
    }

    @Test func aHostStartingOnASharedFolderLeavesOtherHostsWritesInProgressAlone() async throws {
        let folder = try scratchDirectory()
        let url = try await TestPostgres.shared.database()
        func open() throws -> FileBucket {
            try FileBucket(directory: folder, name: "files", sharedIndex: try PostgresDatabase(url: url, schema: "files", connections: 1))
        }
        _ = try open()
        // Another host's upload in progress, and a blob it renamed a moment ago and is about to index...
        try Data("writing".utf8).write(to: URL(fileURLWithPath: folder + "/tmp/in-progress"))
        try Data("renamed".utf8).write(to: URL(fileURLWithPath: folder + "/blobs/about-to-be-indexed"))
        // ...and leftovers of a host that died two days ago.
        for path in [folder + "/tmp/crashed", folder + "/blobs/orphan"] {
            try Data("old".utf8).write(to: URL(fileURLWithPath: path))
            var times = [timeval(tv_sec: time(nil) - 2 * 86_400, tv_usec: 0), timeval(tv_sec: time(nil) - 2 * 86_400, tv_usec: 0)]
            #expect(utimes(path, &times) == 0)
        }
        _ = try open()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/tmp") == ["in-progress"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/blobs") == ["about-to-be-indexed"])
    }
}
