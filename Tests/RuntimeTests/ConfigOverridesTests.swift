import Testing
@testable import OzziRuntime

/// What `--port`, `--loops`, `--data-dir` and `--var` (and the test harness) may change in a loaded file.
@Suite struct ConfigOverridesTests {
    let text = """
    [server]
    port = 9000

    [[workers]]
    name = "api"
    routes = ["/api/*"]
    secrets = ["TOKEN"]

    [workers.vars]
    COUNTRY = "GB"
    RETRIES = "3"

    [[workers]]
    name = "form.embed"
    module = "widget"
    routes = ["/forms/*"]
    """

    func config() throws -> HostConfig {
        try ConfigLoader(file: "wrangler-like.toml", modules: ["api", "widget"], environment: ["TOKEN": "t"]).parse(text)
    }

    @Test func varAssignmentsNameTheWorker() throws {
        var overrides = ConfigOverrides()
        try overrides.addVar("api.COUNTRY=US")
        try overrides.addVar("api.QUERY=a=b.c")
        try overrides.addVar("form.embed.THEME=")
        #expect(overrides.vars == ["api": ["COUNTRY": "US", "QUERY": "a=b.c"], "form.embed": ["THEME": ""]])
        for bad in ["COUNTRY=US", "api.=US", ".COUNTRY=US", "api.COUNTRY", "api=x.y"] {
            #expect(throws: ConfigOverrides.BadVar(assignment: bad), "\(bad)") { try overrides.addVar(bad) }
        }
        #expect(ConfigOverrides.BadVar(assignment: "x").description == "'x' is not WORKER.NAME=VALUE (e.g. api.DEFAULT_COUNTRY=GB)")
    }

    @Test func appliesServerSettingsVarsAndSecrets() throws {
        var config = try config()
        var overrides = ConfigOverrides(host: "0.0.0.0", port: 0, loops: 1, dataDirectory: "/tmp/d")
        try overrides.addVar("api.COUNTRY=US")
        try overrides.addVar("form.embed.THEME=dark")
        overrides.secrets = ["api": ["OAUTH_X_CLIENT_SECRET": "s", "TOKEN": "other"]]
        try overrides.apply(to: &config)
        #expect(config.server.host == "0.0.0.0")
        #expect(config.server.port == 0)
        #expect(config.server.loops == 1)
        #expect(config.server.dataDirectory == "/tmp/d")
        #expect(config.workers[0].vars == ["COUNTRY": "US", "RETRIES": "3"], "the file's other vars stay")
        #expect(config.workers[1].vars == ["THEME": "dark"])
        #expect(config.workers[0].secretNames == ["TOKEN", "OAUTH_X_CLIENT_SECRET"])
        #expect(config.workers[0].secrets == ["TOKEN": "other", "OAUTH_X_CLIENT_SECRET": "s"])
        #expect(config.workers[1].secrets.isEmpty, "a worker sees only its own")
    }

    @Test func nothingGivenChangesNothing() throws {
        var config = try config()
        try ConfigOverrides().apply(to: &config)
        #expect(config.server.port == 9000)
        #expect(config.server.dataDirectory == HostConfig.Server().dataDirectory)
        #expect(config.workers[0].vars == ["COUNTRY": "GB", "RETRIES": "3"])
    }

    @Test func anUnknownWorkerIsNamed() throws {
        var config = try config()
        var overrides = ConfigOverrides()
        try overrides.addVar("billing.PLAN=pro")
        #expect(throws: ConfigError(file: "wrangler-like.toml", worker: "billing", key: "vars",
                                    message: "overridden for a worker this file does not configure; workers: api, form.embed")) {
            try overrides.apply(to: &config)
        }
    }
}
