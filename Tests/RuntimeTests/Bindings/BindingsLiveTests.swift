import Dispatch
import Foundation
import OzziTestSupport
import Testing
@testable import OzziRuntime

/// Every binding reached through a worker on a running host, over real sockets.
@Suite struct BindingsLiveTests {
    func curl(_ arguments: [String], stdin: Data? = nil) async throws -> Subprocess.Output {
        try await Subprocess.curl(arguments, stdin: stdin)
    }

    @Test func kvThroughAWorker() async throws {
        let live = try await LiveHost.start()
        defer { Task { await live.stop() } }
        _ = try await curl(["-X", "PUT", "--data-binary", "@-", live.base + "/kv/greeting"], stdin: Data("hi there".utf8))
        #expect(try await curl([live.base + "/kv/greeting"]).stdout == "hi there")
        let listed = try await curl([live.base + "/kv?prefix=gr"])
        #expect(listed.stdout.contains(#""keys":["greeting"]"#))
        let tooShort = try await curl(["-X", "PUT", "-d", "x", live.base + "/kv/t?ttl=5"])
        #expect(tooShort.stdout.contains("at least 60 seconds"), "a KV limit is a clear 400: \(tooShort.stdout)")
        let denied = try await curl(["-i", live.base + "/kv-denied"])
        #expect(denied.stdout.hasPrefix("HTTP/1.1 500"), "a binding the config does not grant fails the request")
    }

    @Test func sqlThroughAWorkerAndOffTheLoop() async throws {
        let live = try await LiveHost.start(loops: 1)
        defer { Task { await live.stop() } }
        _ = try await curl(["-d", "first", live.base + "/notes"])
        _ = try await curl(["-d", "second", live.base + "/notes"])
        #expect(try await curl([live.base + "/notes"]).stdout == #"[{"id":1,"text":"first"},{"id":2,"text":"second"}]"#)
        // A write that cannot finish until the test lets it: the test holds the database's write lock, so
        // the worker's insert waits inside SQLite. Run on the loop, that wait would block it, and /hello could
        // not be answered until the lock is released (which happens only after /hello answers).
        let path = live.dataDirectory + "/probe/d1/db.sqlite"
        try #require(FileManager.default.fileExists(atPath: path))
        let holder = try SQLiteDatabase(path: path, pool: BlockingPool(threads: 1))
        let locked = Flag()
        let release = DispatchSemaphore(value: 0)
        let holding = Task {
            try await holder.transaction { tx in
                try tx.run("UPDATE notes SET text = text")
                locked.set()
                return release.wait(timeout: .now() + .seconds(90)) == .success
            }
        }
        #expect(try await Poll.until { locked.isSet })
        let tag = UUID().uuidString
        async let write = curl(["--max-time", "120", "-d", "third", live.base + "/notes?tag=\(tag)"])
        #expect(try await Poll.until { ProbeWorker.gates.isOpen("notes-writing-\(tag)") }, "the write reached the database")
        let quick = try await curl([live.base + "/hello"])
        release.signal()
        #expect(try await holding.value, "the lock was held until /hello answered")
        #expect(quick.stdout == "hello", "the loop answered while a query waited on the database")
        #expect(try await write.stdout == #"{"id":3}"#, "the write went through once the lock was released")
    }

    @Test func bucketThroughAWorker() async throws {
        let live = try await LiveHost.start()
        defer { Task { await live.stop() } }
        let put = try await curl(["-X", "PUT", "-H", "Content-Type: text/plain", "--data-binary", "@-", live.base + "/bucket/notes/a.txt"],
                                 stdin: Data("hello world".utf8))
        #expect(put.stdout.contains(#""etag":"5eb63bbbe01eeed093cb22bb8f5acdc3""#))
        let get = try await curl(["-i", live.base + "/bucket/notes/a.txt"])
        #expect(get.stdout.lowercased().contains("etag: \"5eb63bbbe01eeed093cb22bb8f5acdc3\""))
        #expect(get.stdout.hasSuffix("hello world"))
        let ranged = try await curl(["-i", "-H", "Range: bytes=6-10", live.base + "/bucket/notes/a.txt"])
        #expect(ranged.stdout.hasPrefix("HTTP/1.1 206"))
        #expect(ranged.stdout.hasSuffix("world"))
    }

    @Test func pubsubStreamsToSubscribers() async throws {
        let live = try await LiveHost.start()
        defer { Task { await live.stop() } }
        async let events = curl(["-N", live.base + "/events/contacts?count=2"])
        #expect(try await Poll.until { try await curl([live.base + "/subscribers/contacts"]).stdout == "1" })
        #expect(try await curl(["-d", #"{"id":1}"#, live.base + "/publish/contacts"]).stdout == #"{"delivered":1}"#)
        _ = try await curl(["-d", #"{"id":2}"#, live.base + "/publish/contacts"])
        #expect(try await events.stdout == "data: {\"id\":1}\n\ndata: {\"id\":2}\n\n")
    }

    @Test func serviceBindingsReachInternalRoutesThatTheNetworkCannot() async throws {
        let live = try await LiveHost.start()
        defer { Task { await live.stop() } }
        #expect(try await curl([live.base + "/via-service"]).stdout == "secret from backend")
        #expect(try await curl([live.base + "/via-service?path=/hello"]).stdout == "hello")
        let fromNetwork = try await curl(["-i", live.base + "/backend/internal/secret"])
        #expect(fromNetwork.stdout.hasPrefix("HTTP/1.1 404"), "internal routes are invisible from the network")
        #expect(try await curl(["-i", live.base + "/backend/hello"]).stdout.hasSuffix("hello"))
    }

    @Test func outboundFetchIsAllowedTimedLimitedAndReusesConnections() async throws {
        let upstream = try await LiveHost.start()
        let live = try await LiveHost.start(limits: "outbound_max_response_bytes = 100000")
        defer { Task { await live.stop(); await upstream.stop() } }
        let target = "http://127.0.0.1:\(upstream.port)"
        let ok = try await curl(["-i", live.base + "/outbound?url=" + target + "/hello"])
        #expect(ok.stdout.lowercased().contains("x-upstream-status: 200"))
        #expect(ok.stdout.hasSuffix("hello"))
        let posted = try await curl(["--data-binary", "@-", live.base + "/outbound?url=" + target + "/echo"], stdin: Data("ping".utf8))
        #expect(posted.stdout == "ping")
        let first = try await curl([live.base + "/outbound?url=" + target + "/whoami"]).stdout
        let second = try await curl([live.base + "/outbound?url=" + target + "/whoami"]).stdout
        #expect(first == second, "the second call reused the first call's connection (\(first) vs \(second))")
        // An upstream that answers only when the test opens its gate, after the call: only the timeout can end it.
        let gate = "outbound-\(UUID().uuidString)"
        let timedOut = try await curl([live.base + "/outbound?timeout=200&url=" + target + "/gate%3Fname%3D" + gate])
        ProbeWorker.gates.open(gate)
        #expect(timedOut.stdout.contains("did not answer within 200 ms"), "\(timedOut.stdout)")
        let large = try await curl([live.base + "/outbound?url=" + target + "/flood%3Fbytes%3D1000000"])
        #expect(large.stdout.contains("answered more than 100000 bytes"))
        let denied = try await curl([live.base + "/outbound?url=https://example.com/"])
        #expect(denied.stdout.contains("may not call https://example.com:443"))
        // A pinned address is used without looking the name up (.invalid never resolves).
        let pinned = try await curl([live.base + "/outbound?pin=127.0.0.1&url=http://pinned.invalid:\(upstream.port)/hello"])
        #expect(pinned.stdout == "hello", "\(pinned.stdout)")
        let unpinned = try await curl([live.base + "/outbound?url=http://pinned.invalid:\(upstream.port)/hello"])
        #expect(unpinned.stdout.contains("outbound_failed"))
    }

    @Test func publicOnlyOutboundRefusesPrivateAddressesAtConnectTime() async throws {
        let upstream = try await LiveHost.start()
        let live = try await LiveHost.start()
        defer { Task { await live.stop(); await upstream.stop() } }
        let hello = "http://pinned.invalid:\(upstream.port)/hello"
        // Without the rule the pinned loopback address is reached, and its connection kept for reuse.
        #expect(try await curl([live.base + "/outbound?pin=127.0.0.1&url=" + hello]).stdout == "hello")
        #expect(try await curl([live.base + "/outbound?url=http://127.0.0.1:\(upstream.port)/hello"]).stdout == "hello")
        // With it, whatever the pin or the URL says, the socket address is checked before connecting; a
        // connection opened without the check is not reused either.
        for (pin, address) in [("127.0.0.1", "127.0.0.1"), ("::ffff:127.0.0.1", "::ffff:127.0.0.1"), ("::1", "::1")] {
            let refused = try await curl(["-i", live.base + "/outbound?public=1&pin=\(pin)&url=" + hello])
            #expect(refused.stdout.hasPrefix("HTTP/1.1 502"), "\(pin): \(refused.stdout)")
            #expect(refused.stdout.contains("refused to connect to \(address), "), "\(pin): \(refused.stdout)")
        }
        let direct = try await curl([live.base + "/outbound?public=1&url=http://127.0.0.1:\(upstream.port)/hello"])
        #expect(direct.stdout.contains("refused to connect to 127.0.0.1, loopback (127.0.0.0/8)"), "\(direct.stdout)")
        #expect(try await curl([live.base + "/outbound?pin=127.0.0.1&url=" + hello]).stdout == "hello", "other transfers are unaffected")
    }

    @Test func devRouteFiresCronTriggersAndNeverOverlapsARun() async throws {
        // The host's clock stands 1 s past a five-minute mark, so its own scheduler cannot fire "*/5" while
        // the test does (on the system clock it would, whenever the suite runs across such a mark).
        let live = try await LiveHost.start(extra: """
        [workers.triggers]
        crons = ["*/5 * * * *", "0 3 * * *"]
        """, dev: true, clock: ManualClock(milliseconds: 1_900_000_201_000))
        defer { Task { await live.stop() } }
        // The triggers table belongs to the last [[workers]] (backend): fire it through /__scheduled.
        let before = ProbeWorker.cronRuns.withLock { $0["0 3 * * *"] ?? 0 }
        let fired = try await curl([live.base + "/__scheduled?cron=0+3+*+*+*"])
        #expect(fired.stdout == #"{"ran":[{"cron":"0 3 * * *","outcome":"ok","worker":"backend"}]}"#)
        #expect(ProbeWorker.cronRuns.withLock { $0["0 3 * * *"] ?? 0 } == before + 1)
        // The first run lasts until the test opens its gate; a second one asked for meanwhile is skipped.
        async let first = curl(["--max-time", "90", live.base + "/__scheduled?cron=*/5+*+*+*+*"])
        #expect(try await Poll.until { ProbeWorker.gates.waiting("cron */5 * * * *") == 1 }, "the first run is going")
        let second = try await curl([live.base + "/__scheduled?cron=*/5+*+*+*+*"])
        ProbeWorker.gates.open("cron */5 * * * *")
        #expect(try await first.stdout.contains(#""outcome":"ok""#))
        #expect(second.stdout.contains(#""outcome":"skipped""#), "a run still going is not started twice: \(second.stdout)")
        #expect(try await curl(["-i", live.base + "/__scheduled?cron=1+1+1+1+1"]).stdout.hasPrefix("HTTP/1.1 404"))
    }
}
