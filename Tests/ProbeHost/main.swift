import Glibc
import Logging
import OzziRuntime
import OzziTestSupport

// `ozzi-probe CONFIG`: a host running the test workers, for tests that must kill a real process.
let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    LogOutput.write("usage: ozzi-probe CONFIG\n")
    exit(64)
}
LoggingSystem.bootstrap { LineLogHandler(label: $0, level: .info, format: .json) }
let logger = Logger(label: "probe")
do {
    let config = try ConfigLoader(file: arguments[1], modules: Set(ProbeRegistry.registry.modules), environment: [:]).load()
    let host = try WorkerHost(config: config, registry: ProbeRegistry.registry, loops: config.server.loops, logger: logger)
    _ = try await host.start()
    try await host.runUntilSignalled()
} catch {
    LogOutput.write("error: \(error)\n")
    exit(1)
}
