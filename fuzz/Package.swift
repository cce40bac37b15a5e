// swift-tools-version: 6.1
import PackageDescription

/// libFuzzer targets for the HTTP and WebSocket layers, as a package of their own so the main build never
/// sees them: they only link with `-sanitize=fuzzer` (see README.md and run.sh).
let swift6: [SwiftSetting] = [.swiftLanguageMode(.v6)]
let runtime = Target.Dependency.product(name: "OzziRuntime", package: "OzziEdge")

let package = Package(
    name: "OzziFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "OzziEdge", path: "..")],
    targets: [
        .target(name: "FuzzSupport", path: "Support", swiftSettings: swift6),
        .executableTarget(name: "fuzz-http", dependencies: ["FuzzSupport", runtime], path: "http", swiftSettings: swift6),
        .executableTarget(name: "fuzz-websocket", dependencies: ["FuzzSupport", runtime], path: "websocket", swiftSettings: swift6),
    ]
)
