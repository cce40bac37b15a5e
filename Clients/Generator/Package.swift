// swift-tools-version: 6.1
import PackageDescription

/// Only a way to build the `swift-openapi-generator` command line tool, which `scripts/generate-client.sh`
/// runs to write Clients/OzziAPI from its openapi.json. A package of its own so that building the main
/// package never builds the generator (OpenAPIKit, Yams): the generated client is committed instead.
let package = Package(
    name: "OzziClientGenerator",
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator", exact: "1.14.3"),
    ]
)
