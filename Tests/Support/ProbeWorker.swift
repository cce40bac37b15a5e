import FoundationEssentials
import Glibc
import OzziRuntime
import Synchronization

/// A worker for runtime tests: every route exercises one host behaviour (bodies, streams, slowness,
/// blocking work, WebSocket, failures).
public struct ProbeWorker: RoutedWorker {
    public let router: Router
    /// Bytes the `/flood` stream has handed to its writer so far, for back-pressure tests.
    public static let flooded = Atomic<Int>(0)

    public init(env: WorkerEnv) throws {
        var router = Router()
        router.get("/hello") { _, _ in .text("hello") }
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
            ProbeWorker.flooded.store(0, ordering: .relaxed)
            return .stream(contentType: "application/octet-stream") { writer in
                let piece = [UInt8](repeating: 0x61, count: 65_536)
                var sent = 0
                while sent < total {
                    try await writer.write(piece)
                    sent += piece.count
                    ProbeWorker.flooded.store(sent, ordering: .relaxed)
                }
            }
        }
        router.get("/flooded") { _, _ in .text(String(ProbeWorker.flooded.load(ordering: .relaxed))) }
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
}

public struct ProbeFailure: Error {
    public init() {}
}
