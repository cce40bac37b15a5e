/// What http-parser gathered for one request before its body.
struct HTTPRequestHead {
    var method: String
    var target: String
    var versionMajor: Int
    var versionMinor: Int
    var headers: HTTPHeaders
    var keepAlive: Bool
    var isUpgrade: Bool
}
