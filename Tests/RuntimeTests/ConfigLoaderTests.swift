import OzziTestSupport
import Testing
@testable import OzziRuntime

@Suite struct ConfigLoaderTests {
    let loader = ConfigLoader(file: "wrangler-like.toml", modules: ["api", "widget"], environment: ["API_TOKEN": "from-env"])

    let valid = """
    [server]
    port = 9000
    loops = 2

    [server.limits]
    max_body_bytes = 2048

    [[workers]]
    name = "api"
    module = "api"
    routes = ["/api/*"]
    secrets = ["API_TOKEN"]

    [workers.vars]
    COUNTRY = "GB"
    RETRIES = 3

    [[workers]]
    name = "widget"
    routes = [{ pattern = "/widget/*", strip_prefix = true }]

    [env.production.server]
    host = "0.0.0.0"

    [env.production.workers.api.vars]
    COUNTRY = "US"
    """

    func error(_ text: String, env: String? = nil, devVars: [String: String] = [:]) -> ConfigError? {
        do {
            _ = try loader.parse(text, env: env, devVars: devVars)
            return nil
        } catch let error as ConfigError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func parsesAValidFile() throws {
        let config = try loader.parse(valid)
        #expect(config.server.port == 9000)
        #expect(config.server.loops == 2)
        #expect(config.server.limits.maxBodyBytes == 2048)
        #expect(config.server.limits.maxHeaderBytes == ServerLimits().maxHeaderBytes)
        #expect(config.workers.map(\.name) == ["api", "widget"])
        #expect(config.workers[0].vars == ["COUNTRY": "GB", "RETRIES": "3"])
        #expect(config.workers[0].secrets == ["API_TOKEN": "from-env"])
        #expect(config.workers[1].module == "widget")
        #expect(config.workers[1].routes.first?.stripPrefix == true)
    }

    @Test func envSectionOverlays() throws {
        let config = try loader.parse(valid, env: "production")
        #expect(config.server.host == "0.0.0.0")
        #expect(config.server.port == 9000)
        #expect(config.workers[0].vars["COUNTRY"] == "US")
        #expect(config.workers[0].vars["RETRIES"] == "3")
    }

    @Test func theOpsTokenComesFromTheFileOrTheEnvironment() throws {
        #expect(try loader.parse(valid).server.opsToken == nil, "no token: the operator endpoints stay absent")
        let file = valid.replacing("loops = 2", with: "loops = 2\nops_token = \"from-file\"")
        #expect(try loader.parse(file).server.opsToken == "from-file")
        var withEnvironment = loader
        withEnvironment.environment["OZZI_OPS_TOKEN"] = "from-env"
        #expect(try withEnvironment.parse(file, env: "production").server.opsToken == "from-env", "the environment wins, even over an [env] overlay")
    }

    @Test func unknownEnvIsNamed() {
        #expect(error(valid, env: "staging")?.description == "wrangler-like.toml: key 'env.staging': no [env.staging] section in this file")
    }

    @Test func unknownModuleNamesFileWorkerAndKey() {
        let e = error("""
        [[workers]]
        name = "billing"
        module = "billing"
        """)
        #expect(e?.file == "wrangler-like.toml")
        #expect(e?.worker == "billing")
        #expect(e?.key == "module")
        #expect(e?.message.contains("unknown module 'billing'") == true)
    }

    @Test func unknownWorkerKeyIsNamed() {
        let e = error("""
        [[workers]]
        name = "api"
        [[workers.hyperdrive]]
        binding = "DB"
        """)
        #expect(e?.worker == "api")
        #expect(e?.key == "hyperdrive")
    }

    @Test func unknownServerKeysAndBadTypes() {
        #expect(error("[server]\nprot = 1")?.key == "server.prot")
        #expect(error("[server]\nport = \"80\"")?.message == "expected an integer, found a string")
        #expect(error("[server]\nport = 70000")?.message == "70000 is out of range 0...65535")
        #expect(error("[server.limits]\nmax_header_byte = 1")?.key == "server.limits.max_header_byte")
        #expect(error("[server.limits]\nmax_header_bytes = 10")?.key == "server.limits.max_header_bytes")
        #expect(error("colour = 1")?.key == "colour")
    }

    @Test func invalidTOMLReportsPosition() {
        let e = error("[server\nport = 1")
        #expect(e?.message.hasPrefix("invalid TOML") == true)
        #expect(e?.message.contains("line 1") == true)
    }

    @Test func badRoutesAreNamed() {
        let e = error("""
        [[workers]]
        name = "api"
        routes = ["/a/*/b"]
        """)
        #expect(e?.worker == "api")
        #expect(e?.key == "routes")
    }

    @Test func conflictingRoutesAreRefused() {
        let e = error("""
        [[workers]]
        name = "api"
        routes = ["/x/*"]
        [[workers]]
        name = "widget"
        routes = ["/x/*"]
        """)
        #expect(e?.worker == "widget")
        #expect(e?.message == "route '/x/*' is also routed to worker 'api'")
    }

    @Test func missingSecretIsNamedAndDevVarsFillIt() throws {
        let text = """
        [[workers]]
        name = "api"
        secrets = ["TWILIO_AUTH_TOKEN"]
        """
        let e = error(text)
        #expect(e?.key == "secrets.TWILIO_AUTH_TOKEN")
        let config = try loader.parse(text, devVars: ["TWILIO_AUTH_TOKEN": "t0k"])
        #expect(config.workers[0].secrets["TWILIO_AUTH_TOKEN"] == "t0k")
    }

    @Test func duplicateWorkerNames() {
        #expect(error("[[workers]]\nname = \"api\"\n[[workers]]\nname = \"api\"")?.message == "two workers share this name")
    }

    @Test func devVarsFormat() {
        let vars = DevVars.parse("""
        # local secrets
        A=1
        export B = "two words"
        C='x=y'

        not a pair
        """)
        #expect(vars == ["A": "1", "B": "two words", "C": "x=y"])
    }

    @Test func sharedBackendsComeFromTheFileAndTheEnvironmentOverridesThem() throws {
        let file = """
        [server.backends]
        postgres = "postgresql://ozzi:secret@db.internal:5432/ozzi"
        redis = "redis://cache.internal:6379/2"
        """
        let parsed = try loader.parse(file)
        #expect(parsed.server.backends == HostConfig.Backends(
            postgres: "postgresql://ozzi:secret@db.internal:5432/ozzi", redis: "redis://cache.internal:6379/2"))
        #expect(try loader.parse("").server.backends == HostConfig.Backends(), "no backends: the embedded engines")

        var overridden = loader
        overridden.environment = ["OZZI_POSTGRES_URL": "postgres://other/db", "OZZI_REDIS_URL": "", "API_TOKEN": "x"]
        let merged = try overridden.parse(file).server.backends
        #expect(merged.postgres == "postgres://other/db")
        #expect(merged.redis == "redis://cache.internal:6379/2", "an empty variable leaves the file's setting")
    }

    @Test func aBackendURLOfTheWrongFormIsNamedWithItsPasswordMasked() throws {
        let mysql = error("[server.backends]\npostgres = \"mysql://root:hunter2@db/app\"\n")
        #expect(mysql?.key == "server.backends.postgres")
        #expect(mysql?.message.contains("postgres:// or postgresql://") == true)
        #expect(mysql?.message.contains("hunter2") == false)
        let redis = error("[server.backends]\nredis = \"rediss://:hunter2@cache\"\n")
        #expect(redis?.key == "server.backends.redis")
        #expect(redis?.message.contains("hunter2") == false)
        #expect(error("[server.backends]\nsqlite = \"x\"\n")?.message.contains("unknown key") == true)
        #expect(error("[server.backends]\nnamespace = \"a:b\"\n")?.key == "server.backends.namespace")
        #expect(try loader.parse("[server.backends]\nnamespace = \"staging\"\n").server.backends.redisPrefix == "ozzi:staging:")
        var fromEnvironment = loader
        fromEnvironment.environment = ["OZZI_REDIS_URL": "http://cache"]
        #expect(throws: ConfigError.self) { try fromEnvironment.parse("") }
    }
}
