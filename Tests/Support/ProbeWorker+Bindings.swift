import FoundationEssentials
import Glibc
import OzziRuntime
import Synchronization

/// Routes that reach each binding, so live tests prove them through a worker on a running host.
/// Bindings are looked up per request: a probe configured without one answers that route with an error.
extension ProbeWorker {
    /// Scheduled runs, by cron expression.
    public static let cronRuns = Mutex<[String: Int]>([:])

    static func addBindingRoutes(to router: inout Router, env: WorkerEnv) {
        router.put("/kv/:key") { request, context in
            let ttl = request.queryParameter("ttl").flatMap { Int64($0) }
            try await env.kv("KV").put(context.parameter("key"), request.body, options: KVPutOptions(expirationTtl: ttl))
            return Response(status: 204)
        }
        router.get("/kv/:key") { _, context in
            guard let value = try await env.kv("KV").get(context.parameter("key")) else { throw ClientError.notFound("no such key") }
            return .bytes(value, contentType: "application/octet-stream")
        }
        router.get("/kv") { request, _ in
            let page = try await env.kv("KV").list(prefix: request.queryParameter("prefix"), limit: Int(request.queryParameter("limit") ?? "1000") ?? 1000,
                                                   cursor: request.queryParameter("cursor"))
            return .json(JSONValue.object([
                "keys": .array(page.keys.map { .string($0.name) }), "list_complete": .bool(page.listComplete),
                "cursor": page.cursor.map(JSONValue.string) ?? .null,
            ]))
        }
        router.get("/kv-denied") { _, _ in
            _ = try env.kv("NOT_GRANTED")
            return .text("unreachable")
        }
        // POST /notes?tag=X opens gate `notes-writing-X` as it starts writing (a test holding the database's
        // write lock knows the request is in SQLite, waiting) and retries while the database stays locked.
        router.post("/notes") { request, _ in
            let tag = request.queryParameter("tag")
            while true {
                if let tag { ProbeWorker.gates.open("notes-writing-\(tag)") }
                do {
                    let result = try await env.database("DB").prepare("INSERT INTO notes (text) VALUES (?) RETURNING id").bind(request.text).run()
                    return .json(["id": result.rows.first?.integer("id") ?? 0], status: 201)
                } catch let error as SQLError where tag != nil && error.kind == .busy {
                    continue
                }
            }
        }
        router.get("/notes") { _, _ in
            struct Note: Codable, SQLRecord {
                let id: Int
                let text: String
                enum CodingKeys: String, SQLColumn { case id, text }
                typealias Columns = CodingKeys
            }
            return .json(try await env.database("DB").prepare("SELECT \(Note.selection) FROM notes ORDER BY id").all(Note.self))
        }
        router.get("/slow-query") { _, _ in
            // A CTE counting to a few million keeps SQLite busy for a while, off the loop.
            let row = try await env.database("DB").prepare("""
                WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) SELECT count(*) AS n FROM c
                """).bind(Int(8_000_000)).first()
            return .text(String(row?.integer("n") ?? 0))
        }
        router.put("/bucket/*") { request, context in
            let object = try await env.bucket("FILES").put(
                context.parameter("*"), request.body,
                options: BucketPutOptions(contentType: request.headers["content-type"], customMetadata: ["by": "probe"]))
            return .json(["etag": object.etag, "size": String(object.size)], status: 201)
        }
        router.get("/bucket/*") { request, context in
            var range: BucketRange?
            if let header = request.headers["range"], header.hasPrefix("bytes="), let dash = header.firstIndex(of: "-") {
                let start = Int(header[header.index(header.startIndex, offsetBy: 6)..<dash]) ?? 0
                let end = Int(header[header.index(after: dash)...])
                range = .offset(start, length: end.map { $0 - start + 1 })
            }
            guard let (object, bytes) = try await env.bucket("FILES").get(context.parameter("*"), range: range) else {
                throw ClientError.notFound("no such object")
            }
            var response = Response.bytes(bytes, status: range == nil ? 200 : 206, contentType: object.contentType ?? "application/octet-stream")
            response.headers["etag"] = object.httpEtag
            return response
        }
        router.post("/publish/:topic") { request, context in
            let message = try JSONCoding.decoder().decode(JSONValue.self, from: Data(request.body))
            return .json(["delivered": try await env.pubsub("LIVE").publish(context.parameter("topic"), message)])
        }
        router.get("/subscribers/:topic") { _, context in
            .text(String(try env.pubsub("LIVE").subscriberCount(context.parameter("topic"))))
        }
        router.get("/events/:topic") { request, context in
            let subscription = try await env.pubsub("LIVE").subscribe(context.parameter("topic"))
            let count = Int(request.queryParameter("count") ?? "1") ?? 1
            return .stream(contentType: "text/event-stream") { writer in
                defer { subscription.cancel() }
                var sent = 0
                for await message in subscription.messages {
                    try await writer.write("data: " + String(decoding: try JSONCoding.encoder().encode(message), as: UTF8.self) + "\n\n")
                    sent += 1
                    if sent == count { break }
                }
            }
        }
        router.get("/via-service") { request, _ in
            try await env.service("BACKEND").fetch(Request(method: "GET", target: request.queryParameter("path") ?? "/internal/secret"))
        }
        router.get("/internal/secret", internal: true) { _, context in .text("secret from \(context.worker)") }
        router.get("/outbound") { request, _ in
            let timeout = request.queryParameter("timeout").flatMap(Int.init)
            do {
                var outbound = OutboundRequest(url: request.queryParameter("url") ?? "", timeoutMilliseconds: timeout)
                outbound.pinnedAddresses = request.queryParameter("pin").map { [$0] } ?? []
                outbound.publicAddressesOnly = request.queryParameter("public") == "1"
                let answer = try await env.outbound.fetch(outbound)
                return .bytes(answer.body, status: 200, contentType: answer.headers["content-type"] ?? "application/octet-stream")
                    .adding(header: "x-upstream-status", String(answer.status))
            } catch let error as OutboundError {
                throw ClientError(status: 502, code: "outbound_failed", message: error.description)
            }
        }
        router.post("/outbound") { request, _ in
            let answer = try await env.outbound.fetch(OutboundRequest(
                method: "POST", url: request.queryParameter("url") ?? "", headers: ["content-type": "text/plain", "x-probe": "1"],
                body: request.body))
            return .bytes(answer.body, contentType: "text/plain")
        }
        router.get("/whoami") { request, _ in .text(request.remoteAddress) }
        router.get("/cron-runs") { _, _ in .json(ProbeWorker.cronRuns.withLock { $0 }) }
    }

    public func scheduled(_ event: ScheduledEvent, context: RequestContext) async throws {
        ProbeWorker.cronRuns.withLock { $0[event.cron, default: 0] += 1 }
        // A run of "*/5 * * * *" lasts until the test opens gate "cron */5 * * * *" (to show overlapping runs skipped).
        if event.cron == "*/5 * * * *" { _ = await ProbeWorker.gates.wait("cron */5 * * * *") }
    }
}
