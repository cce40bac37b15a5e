import Testing
@testable import OzziRuntime

@Suite struct RedisURLTests {
    @Test func readsEveryPart() throws {
        let url = try RedisURL(parsing: "redis://app:s3cr%40t@cache.internal:6380/2")
        #expect(url == RedisURL(host: "cache.internal", port: 6380, user: "app", password: "s3cr@t", database: 2))
    }

    @Test func fillsInTheDefaults() throws {
        #expect(try RedisURL(parsing: "redis://127.0.0.1") == RedisURL(host: "127.0.0.1", port: 6379))
        #expect(try RedisURL(parsing: "redis://:pw@h/") == RedisURL(host: "h", password: "pw"))
        #expect(try RedisURL(parsing: "redis://pw@h").password == "pw")
        #expect(try RedisURL(parsing: "redis://[::1]:7000") == RedisURL(host: "::1", port: 7000))
    }

    @Test func readsTheConnectTimeoutAsLibpqDoes() throws {
        let url = try RedisURL(parsing: "redis://h:1/2?connect_timeout=60")
        #expect(url == RedisURL(host: "h", port: 1, database: 2, connectTimeoutSeconds: 60))
        #expect(url.description == "redis://h:1/2?connect_timeout=60")
        #expect(try RedisURL(parsing: url.description) == url)
        #expect(try RedisURL(parsing: "redis://h?connect_timeout=3").connectTimeoutSeconds == 3)
    }

    @Test func printsThePasswordMasked() throws {
        #expect(try RedisURL(parsing: "redis://app:hunter2@h:1/3").description == "redis://app:***@h:1/3")
        #expect(try RedisURL(parsing: "redis://:hunter2@h").description == "redis://:***@h:6379")
        #expect(try RedisURL(parsing: "redis://h").description == "redis://h:6379")
        #expect(try RedisURL(parsing: "redis://[::1]").description == "redis://[::1]:6379")
    }

    @Test(arguments: [
        ("http://h", "the scheme must be redis://"),
        ("redis://:pw@", "no host"),
        ("redis://h:port", "bad port"),
        ("redis://h:70000", "the port must be 1-65535"),
        ("redis://h/zero", "the path must be a database number"),
        ("redis://[::1", "an IPv6 host needs its closing ]"),
        ("redis://h?timeout=3", "unknown parameter 'timeout' (only connect_timeout is read)"),
        ("redis://h?connect_timeout=0", "connect_timeout must be a whole number of seconds above 0"),
        ("redis://h?connect_timeout", "connect_timeout must be a whole number of seconds above 0"),
    ])
    func rejectsWhatIsNotARedisURL(text: String, reason: String) {
        #expect(throws: RedisError.invalidURL(RedisURL.masked(text), reason: reason)) { try RedisURL(parsing: text) }
    }

    @Test func anInvalidURLsErrorMasksItsPassword() {
        let error = #expect(throws: RedisError.self) { try RedisURL(parsing: "redis://app:hunter2@h:port") }
        #expect(error?.description == "invalid Redis URL redis://app:***@h:port: bad port")
        #expect(RedisURL.masked("redis://hunter2@h") == "redis://***@h")
        #expect(RedisURL.masked("redis://h:1") == "redis://h:1")
    }
}
