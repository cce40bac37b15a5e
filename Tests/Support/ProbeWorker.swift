import FoundationEssentials
import Glibc
import OzziRuntime
import Synchronization

/// A worker for runtime tests: every route exercises one host behaviour (bodies, streams, slowness,
/// blocking work, WebSocket, failures); its `ProbeService` exercises the lifecycle.
public struct ProbeWorker: RoutedWorker {
    public let router: Router
    let env: WorkerEnv
    /// Bytes the `/flood` stream has handed to its writer so far, for back-pressure tests (untagged floods).
    public static let flooded = Atomic<Int>(0)
    /// The same for each `/flood?tag=` (tests run in parallel, and several of them flood).
    public static let floodedByTag = Mutex<[String: Int]>([:])
    /// Gates `/gate` requests and gated uploads wait on; tests open them directly or through `/gate/open`.
    public static let gates = Gates()
    /// How the last `/upload?tag=` of each tag ended (tests run in parallel).
    public static let uploads = Mutex<[String: String]>([:])

    public init(env: WorkerEnv) throws {
        self.env = env
        var router = Router()
        router.get("/hello") { _, _ in .text("hello") }
        router.get("/worker") { _, context in .text(context.worker) }
        router.post("/echo") { request, _ in
            var response = Response.bytes(request.body, contentType: request.headers["content-type"] ?? "application/octet-stream")
            response.headers["x-body-bytes"] = String(request.body.count)
            return response
        }
        router.get("/users/:id/posts/:post") { request, context in
            .json(["id": context.parameter("id"), "post": context.parameter("post"), "path": request.path])
        }
        router.get("/files/*") { _, context in .text(context.parameter("*")) }
        router.get("/slow") { request, _ in
            let ms = Int(request.queryParameter("ms") ?? "200") ?? 200
            try await Task.sleep(for: .milliseconds(ms))
            return .text("slow \(ms)")
        }
        router.get("/blocking") { request, context in
            let ms = UInt32(request.queryParameter("ms") ?? "200") ?? 200
            try await context.runBlocking { usleep(ms * 1000) }
            return .text("blocked \(ms)")
        }
        // GET /gate?name=X waits (suspended) until gate X opens; `blocking=1` waits holding a blocking-pool
        // thread instead. 200 "opened X", or 504 when the safety timeout passed first.
        router.get("/gate") { request, context in
            let name = request.queryParameter("name") ?? ""
            let opened = if request.queryParameter("blocking") == "1" {
                try await context.runBlocking { ProbeWorker.gates.waitBlocking(name) }
            } else {
                await ProbeWorker.gates.wait(name)
            }
            guard opened else { throw ClientError(status: 504, code: "gate_timeout", message: "gate \(name) never opened") }
            return .text("opened \(name)")
        }
        router.get("/gate/open") { request, _ in
            ProbeWorker.gates.open(request.queryParameter("name") ?? "")
            return .text("open")
        }
        router.get("/gate/waiting") { request, _ in .text(String(ProbeWorker.gates.waiting(request.queryParameter("name") ?? ""))) }
        router.get("/stream") { request, _ in
            let chunks = Int(request.queryParameter("chunks") ?? "3") ?? 3
            return .stream(contentType: "text/plain") { writer in
                for i in 0..<chunks {
                    try await writer.write("chunk \(i)\n")
                    try await Task.sleep(for: .milliseconds(5))
                }
            }
        }
        router.get("/flood") { request, _ in
            let total = Int(request.queryParameter("bytes") ?? "67108864") ?? 67_108_864
            let tag = request.queryParameter("tag")
            if let tag { ProbeWorker.floodedByTag.withLock { $0[tag] = 0 } } else { ProbeWorker.flooded.store(0, ordering: .relaxed) }
            return .stream(contentType: "application/octet-stream") { writer in
                let piece = [UInt8](repeating: 0x61, count: 65_536)
                var sent = 0
                while sent < total {
                    try await writer.write(piece)
                    sent += piece.count
                    if let tag { ProbeWorker.floodedByTag.withLock { $0[tag] = sent } } else { ProbeWorker.flooded.store(sent, ordering: .relaxed) }
                }
            }
        }
        router.get("/flooded") { request, _ in
            if let tag = request.queryParameter("tag") { return .text(String(ProbeWorker.floodedByTag.withLock { $0[tag] ?? 0 })) }
            return .text(String(ProbeWorker.flooded.load(ordering: .relaxed)))
        }
        // A streamed upload: waits `stall_ms`, or until the gate named by `gate` opens, before reading (a slow
        // consumer), then counts and hashes the body; how it ended is kept for `/upload/last?tag=` (a client
        // that vanished gets no answer to read).
        let upload: Router.Handler = { request, _ in
            try await Task.sleep(for: .milliseconds(Int(request.queryParameter("stall_ms") ?? "0") ?? 0))
            if let gate = request.queryParameter("gate"), !(await ProbeWorker.gates.wait(gate)) {
                throw ClientError(status: 504, code: "gate_timeout", message: "gate \(gate) never opened")
            }
            var bytes = 0, sum: UInt64 = 0
            do {
                for try await chunk in request.bodyChunks() {
                    bytes += chunk.count
                    for byte in chunk { sum = sum &+ UInt64(byte) }
                }
            } catch {
                ProbeWorker.uploads.withLock { $0[request.queryParameter("tag") ?? ""] = "failed after \(bytes): \(error)" }
                throw error
            }
            ProbeWorker.uploads.withLock { $0[request.queryParameter("tag") ?? ""] = "ok \(bytes)" }
            return .json(["bytes": .number(Double(bytes)), "sum": .number(Double(sum))] as JSONValue)
        }
        router.post("/upload", streamBody: 64 * 1024 * 1024, upload)
        router.post("/upload/small", streamBody: 1024 * 1024, upload)
        router.get("/upload/last") { request, _ in .text(ProbeWorker.uploads.withLock { $0[request.queryParameter("tag") ?? ""] ?? "" }) }
        router.post("/upload/refuse", streamBody: 1024 * 1024) { _, _ in
            throw ClientError(status: 403, code: "forbidden", message: "refused before reading the body")
        }
        router.get("/fail") { _, _ in throw ProbeFailure() }
        router.get("/teapot") { _, _ in throw ClientError(status: 418, code: "teapot", message: "short and stout") }
        ProbeWorker.addBindingRoutes(to: &router, env: env)
        router.get("/ws") { _, _ in
            .webSocket { socket in
                for await message in socket.messages {
                    if case .text(let text) = message, text.hasPrefix("close:") {
                        await socket.close(code: UInt16(text.dropFirst(6)) ?? 1000, reason: "asked to")
                        return
                    }
                    try await socket.send(message)
                }
            }
        }
        self.router = router
    }

    public func services(context: WorkerServiceContext) -> [any Service] {
        [ProbeService(env: env)]
    }
}

public struct ProbeFailure: Error {
    public init() {}
}
