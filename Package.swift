// swift-tools-version: 6.1
import PackageDescription

/// C libraries come from Debian packages (see scripts/setup.sh); each gets a module map in Runtime/CModules.
func systemLibrary(_ name: String, apt: String, pkgConfig: String? = nil) -> Target {
    .systemLibrary(name: name, path: "Runtime/CModules/\(name)", pkgConfig: pkgConfig, providers: [.apt([apt])])
}

let swift6: [SwiftSetting] = [.swiftLanguageMode(.v6), .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

// The generated client's files import Foundation and OpenAPIRuntime publicly in every file and mark the
// imports a file does not use with `@diagnose(UnusedImportAccess, as: ignored)`, which only Swift 6.4
// reads: before it, each unused import is a warning (over a hundred per clean build) about code we do
// not write.
#if compiler(<6.4)
let generatedCode: [SwiftSetting] = swift6 + [.unsafeFlags(["-suppress-warnings"])]
#else
let generatedCode: [SwiftSetting] = swift6
#endif

let package = Package(
    name: "OzziEdge",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ozzi", targets: ["ozzi"]),
        .library(name: "OzziRuntime", targets: ["OzziRuntime"]),
        .library(name: "OzziAPIClient", targets: ["OzziAPIClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // The generated client's runtime and transport; the generator itself is Clients/Generator's.
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/apple/swift-openapi-urlsession", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        systemLibrary("CLibUV", apt: "libuv1-dev"),
        systemLibrary("CHTTPParser", apt: "libhttp-parser-dev"),
        systemLibrary("CWslay", apt: "libwslay-dev"),
        systemLibrary("COpenSSL", apt: "libssl-dev"),
        systemLibrary("CSQLite", apt: "libsqlite3-dev"),
        // Debian puts libpq-fe.h under /usr/include/postgresql; pkg-config says so.
        systemLibrary("CLibPQ", apt: "libpq-dev", pkgConfig: "libpq"),
        systemLibrary("CHiredis", apt: "libhiredis-dev"),
        .target(
            name: "CCurlShim", path: "Runtime/CModules/CCurlShim",
            linkerSettings: [.linkedLibrary("curl")]
        ),
        .target(
            name: "OzziRuntime",
            dependencies: [
                "CLibUV", "CHTTPParser", "CWslay", "COpenSSL", "CSQLite", "CLibPQ", "CHiredis", "CCurlShim",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            path: "Runtime/OzziRuntime",
            swiftSettings: swift6
        ),
        // The video project document (tracks, clips, keyframes, captions) the api stores and video-render renders.
        .target(name: "VideoTimeline", dependencies: ["OzziRuntime"], path: "Workers/Shared/VideoTimeline", swiftSettings: swift6),
        .target(name: "APIWorker", dependencies: ["OzziRuntime", "VideoTimeline"], path: "Workers/api", exclude: ["migrations"], swiftSettings: swift6),
        .target(name: "WidgetWorker", dependencies: ["OzziRuntime"], path: "Workers/widget", swiftSettings: swift6),
        .target(name: "FormEmbedWorker", dependencies: ["OzziRuntime"], path: "Workers/form-embed", swiftSettings: swift6),
        .target(name: "VoiceAgentWorker", dependencies: ["OzziRuntime"], path: "Workers/voice-agent", swiftSettings: swift6),
        .target(name: "VideoRenderWorker", dependencies: ["OzziRuntime", "VideoTimeline"], path: "Workers/video-render", swiftSettings: swift6),
        .target(
            name: "BuiltinWorkers",
            dependencies: ["OzziRuntime", "APIWorker", "WidgetWorker", "FormEmbedWorker", "VoiceAgentWorker", "VideoRenderWorker"],
            path: "Runtime/BuiltinWorkers",
            swiftSettings: swift6
        ),
        .executableTarget(
            name: "ozzi",
            dependencies: [
                "OzziRuntime", "APIWorker", "BuiltinWorkers",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Runtime/CLI",
            swiftSettings: swift6
        ),
        // The Swift client generated from the api's OpenAPI document by scripts/generate-client.sh (committed).
        .target(
            name: "OzziAPIClient",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Clients/OzziAPI",
            exclude: ["openapi.json", "openapi-generator-config.yaml"],
            swiftSettings: generatedCode
        ),
        .target(name: "OzziTestSupport", dependencies: ["OzziRuntime", "BuiltinWorkers"], path: "Tests/Support", exclude: ["migrations"], swiftSettings: swift6),
        .executableTarget(
            name: "ozzi-probe", dependencies: ["OzziRuntime", "OzziTestSupport"], path: "Tests/ProbeHost", swiftSettings: swift6),
        .testTarget(name: "RuntimeTests", dependencies: ["OzziRuntime", "OzziTestSupport"], path: "Tests/RuntimeTests", swiftSettings: swift6),
        .testTarget(
            name: "WorkersTests",
            dependencies: ["OzziRuntime", "OzziTestSupport", "APIWorker", "WidgetWorker", "FormEmbedWorker", "VoiceAgentWorker", "VideoRenderWorker", "VideoTimeline"],
            path: "Tests/WorkersTests",
            swiftSettings: swift6
        ),
        .testTarget(
            name: "OzziAPIClientTests",
            dependencies: [
                "OzziAPIClient", "OzziRuntime", "OzziTestSupport",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tests/OzziAPIClientTests",
            swiftSettings: swift6
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["OzziRuntime", "OzziTestSupport"], path: "Tests/EndToEndTests", swiftSettings: swift6),
    ]
)
