import FoundationEssentials

/// Reads `wrangler-like.toml`: parses, applies an `[env.NAME]` overlay, validates every key, and resolves
/// secrets. Anything unknown or mistyped is a `ConfigError` naming the file, the worker and the key.
public struct ConfigLoader {
    public let file: String
    public let modules: Set<String>
    public var environment: [String: String]

    static let serverKeys: Set<String> = [
        "host", "port", "loops", "data_dir", "access_log", "access_log_sample_every", "access_log_buffer_bytes", "ops_token", "limits", "backends",
    ]
    static let backendKeys: Set<String> = ["postgres", "redis", "namespace"]
    static let limitKeys: Set<String> = [
        "max_header_bytes", "max_body_bytes", "header_timeout_ms", "body_timeout_ms", "idle_timeout_ms",
        "max_connections", "max_websocket_message_bytes", "shutdown_deadline_ms", "outbound_timeout_ms",
        "outbound_max_response_bytes", "max_buffered_output_bytes",
    ]
    static let workerKeys: Set<String> = [
        "name", "module", "routes", "vars", "secrets", "kv_namespaces", "d1_databases", "r2_buckets", "queues",
        "services", "pubsub", "allowed_outbound_hosts", "allowed_commands", "triggers",
    ]
    static let overlayWorkerKeys: Set<String> = ["routes", "vars", "secrets", "allowed_outbound_hosts", "allowed_commands", "triggers"]

    public init(file: String, modules: Set<String>, environment: [String: String]) {
        self.file = file
        self.modules = modules
        self.environment = environment
    }

    /// Loads the file from disk, with `.dev.vars` beside it.
    public func load(env: String? = nil) throws -> HostConfig {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ConfigError(file: file, message: "cannot read the configuration file")
        }
        let directory = file.contains("/") ? String(file[..<file.lastIndex(of: "/")!]) : "."
        let devVars = (try? String(contentsOfFile: directory + "/.dev.vars", encoding: .utf8)).map(DevVars.parse) ?? [:]
        return try parse(text, env: env, devVars: devVars)
    }

    /// Validates configuration text.
    public func parse(_ text: String, env: String? = nil, devVars: [String: String] = [:]) throws -> HostConfig {
        let root: ConfigValue
        do {
            root = try ConfigValue.parse(toml: text)
        } catch {
            throw ConfigError(file: file, message: "invalid TOML: \(error)")
        }
        try checkKeys(root, allowed: ["server", "workers", "env"], worker: nil, prefix: "")
        var server = try parseServer(root["server"], prefix: "server", into: HostConfig.Server())
        var workers = try parseWorkers(root["workers"])
        if let env {
            guard let overlay = root["env"]?[env] else {
                throw ConfigError(file: file, key: "env.\(env)", message: "no [env.\(env)] section in this file")
            }
            try checkKeys(overlay, allowed: ["server", "workers"], worker: nil, prefix: "env.\(env).")
            server = try parseServer(overlay["server"], prefix: "env.\(env).server", into: server)
            try applyOverlay(overlay["workers"], env: env, to: &workers)
        }
        try applyBackendEnvironment(to: &server)
        if let token = environment["OZZI_OPS_TOKEN"], !token.isEmpty { server.opsToken = token }
        for index in workers.indices {
            workers[index].secrets = try resolveSecrets(workers[index], devVars: devVars)
        }
        let config = HostConfig(file: file, server: server, workers: workers)
        if let (pattern, first, second) = config.routeTable.conflicts.first {
            throw ConfigError(file: file, worker: second, key: "routes",
                              message: "route '\(pattern)' is also routed to worker '\(first)'")
        }
        return config
    }

    // MARK: - Server

    private func parseServer(_ value: ConfigValue?, prefix: String, into base: HostConfig.Server) throws -> HostConfig.Server {
        guard let value else { return base }
        try checkKeys(value, allowed: Self.serverKeys, worker: nil, prefix: prefix + ".")
        var server = base
        if let v = value["host"] { server.host = try string(v, key: prefix + ".host") }
        if let v = value["port"] { server.port = try integer(v, key: prefix + ".port", in: 0...65535) }
        if let v = value["loops"] { server.loops = try integer(v, key: prefix + ".loops", in: 0...256) }
        if let v = value["data_dir"] { server.dataDirectory = try string(v, key: prefix + ".data_dir") }
        if let v = value["access_log"] { server.accessLog = try bool(v, key: prefix + ".access_log") }
        if let v = value["access_log_sample_every"] {
            server.accessLogSampleEvery = try integer(v, key: prefix + ".access_log_sample_every", in: 1...1_000_000)
        }
        if let v = value["access_log_buffer_bytes"] {
            server.accessLogBufferBytes = try integer(v, key: prefix + ".access_log_buffer_bytes", in: 65_536...(1 << 30))
        }
        if let v = value["ops_token"] { server.opsToken = try string(v, key: prefix + ".ops_token") }
        if let limits = value["limits"] {
            let p = prefix + ".limits."
            try checkKeys(limits, allowed: Self.limitKeys, worker: nil, prefix: p)
            var l = server.limits
            if let v = limits["max_header_bytes"] { l.maxHeaderBytes = try integer(v, key: p + "max_header_bytes", in: 1024...1_048_576) }
            if let v = limits["max_body_bytes"] { l.maxBodyBytes = try integer(v, key: p + "max_body_bytes", in: 0...(1 << 32)) }
            if let v = limits["header_timeout_ms"] { l.headerTimeoutMs = UInt64(try integer(v, key: p + "header_timeout_ms", in: 1...3_600_000)) }
            if let v = limits["body_timeout_ms"] { l.bodyTimeoutMs = UInt64(try integer(v, key: p + "body_timeout_ms", in: 1...3_600_000)) }
            if let v = limits["idle_timeout_ms"] { l.idleTimeoutMs = UInt64(try integer(v, key: p + "idle_timeout_ms", in: 1...3_600_000)) }
            if let v = limits["max_connections"] { l.maxConnections = try integer(v, key: p + "max_connections", in: 1...1_000_000) }
            if let v = limits["max_websocket_message_bytes"] { l.maxWebSocketMessageBytes = try integer(v, key: p + "max_websocket_message_bytes", in: 125...(1 << 30)) }
            if let v = limits["shutdown_deadline_ms"] { l.shutdownDeadlineMs = UInt64(try integer(v, key: p + "shutdown_deadline_ms", in: 0...600_000)) }
            if let v = limits["outbound_timeout_ms"] { l.outboundTimeoutMs = try integer(v, key: p + "outbound_timeout_ms", in: 1...600_000) }
            if let v = limits["outbound_max_response_bytes"] { l.outboundMaxResponseBytes = try integer(v, key: p + "outbound_max_response_bytes", in: 1...(1 << 31)) }
            if let v = limits["max_buffered_output_bytes"] { l.maxBufferedOutputBytes = try integer(v, key: p + "max_buffered_output_bytes", in: 1_048_576...(1 << 40)) }
            server.limits = l
        }
        if let backends = value["backends"] {
            let p = prefix + ".backends."
            try checkKeys(backends, allowed: Self.backendKeys, worker: nil, prefix: p)
            if let v = backends["postgres"] { server.backends.postgres = try postgresURL(try string(v, key: p + "postgres"), key: p + "postgres") }
            if let v = backends["redis"] { server.backends.redis = try redisURL(try string(v, key: p + "redis"), key: p + "redis") }
            if let v = backends["namespace"] {
                let namespace = try string(v, key: p + "namespace")
                guard !namespace.isEmpty, namespace.utf8.allSatisfy({ HTTPToken.isTokenByte($0) && $0 != UInt8(ascii: ":") }) else {
                    throw ConfigError(file: file, key: p + "namespace", message: "a namespace is a plain word without ':'")
                }
                server.backends.namespace = namespace
            }
        }
        return server
    }

    /// `OZZI_POSTGRES_URL` and `OZZI_REDIS_URL` win over the file; an empty one leaves the file's setting.
    private func applyBackendEnvironment(to server: inout HostConfig.Server) throws {
        if let url = environment["OZZI_POSTGRES_URL"], !url.isEmpty {
            server.backends.postgres = try postgresURL(url, key: "OZZI_POSTGRES_URL")
        }
        if let url = environment["OZZI_REDIS_URL"], !url.isEmpty {
            server.backends.redis = try redisURL(url, key: "OZZI_REDIS_URL")
        }
    }

    /// A PostgreSQL URL; the error shows it with the password masked.
    private func postgresURL(_ url: String, key: String) throws -> String {
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            throw ConfigError(file: file, key: key, message: "expected a postgres:// or postgresql:// URL, not \(PostgresURL.masked(url))")
        }
        return url
    }

    /// A Redis URL that parses; the error shows it with the password masked.
    private func redisURL(_ url: String, key: String) throws -> String {
        do {
            _ = try RedisURL(parsing: url)
        } catch {
            throw ConfigError(file: file, key: key, message: "\(error)")
        }
        return url
    }

    // MARK: - Workers

    private func parseWorkers(_ value: ConfigValue?) throws -> [HostConfig.WorkerConfig] {
        guard let value else { return [] }
        guard case .array(let items) = value else {
            throw ConfigError(file: file, key: "workers", message: "expected [[workers]] tables, found \(value.typeName)")
        }
        var workers: [HostConfig.WorkerConfig] = []
        for (index, item) in items.enumerated() {
            guard item.tableEntries != nil else {
                throw ConfigError(file: file, key: "workers[\(index)]", message: "expected a table, found \(item.typeName)")
            }
            guard let nameValue = item["name"] else {
                throw ConfigError(file: file, key: "workers[\(index)].name", message: "every worker needs a name")
            }
            let name = try string(nameValue, key: "name", worker: "#\(index + 1)")
            guard !name.isEmpty, name.utf8.allSatisfy({ HTTPToken.isTokenByte($0) }) else {
                throw ConfigError(file: file, worker: name, key: "name", message: "a worker name must be a plain token")
            }
            if workers.contains(where: { $0.name == name }) {
                throw ConfigError(file: file, worker: name, key: "name", message: "two workers share this name")
            }
            try checkKeys(item, allowed: Self.workerKeys, worker: name, prefix: "")
            let module = try item["module"].map { try string($0, key: "module", worker: name) } ?? name
            guard modules.contains(module) else {
                throw ConfigError(file: file, worker: name, key: "module",
                                  message: "unknown module '\(module)'; built-in modules: \(modules.sorted().joined(separator: ", "))")
            }
            workers.append(HostConfig.WorkerConfig(
                name: name, module: module,
                routes: try item["routes"].map { try routes($0, worker: name) } ?? [],
                vars: try item["vars"].map { try vars($0, worker: name) } ?? [:],
                secretNames: try item["secrets"].map { try stringArray($0, key: "secrets", worker: name) } ?? [],
                bindings: try BindingParser(loader: self, worker: name).parse(item)))
        }
        try BindingParser.checkAcrossWorkers(workers, file: file)
        return workers
    }

    private func applyOverlay(_ value: ConfigValue?, env: String, to workers: inout [HostConfig.WorkerConfig]) throws {
        guard let value else { return }
        guard let entries = value.tableEntries else {
            throw ConfigError(file: file, key: "env.\(env).workers", message: "expected a table of worker names")
        }
        for (name, overlay) in entries {
            guard let index = workers.firstIndex(where: { $0.name == name }) else {
                throw ConfigError(file: file, worker: name, key: "env.\(env).workers.\(name)", message: "no worker of this name")
            }
            try checkKeys(overlay, allowed: Self.overlayWorkerKeys, worker: name, prefix: "env.\(env).")
            if let v = overlay["routes"] { workers[index].routes = try routes(v, worker: name) }
            if let v = overlay["vars"] { workers[index].vars.merge(try vars(v, worker: name)) { $1 } }
            if let v = overlay["secrets"] { workers[index].secretNames = try stringArray(v, key: "secrets", worker: name) }
            let bindings = BindingParser(loader: self, worker: name)
            if let v = overlay["allowed_outbound_hosts"] { workers[index].bindings.allowedOutboundHosts = try bindings.outboundHosts(v) }
            if let v = overlay["allowed_commands"] { workers[index].bindings.allowedCommands = try bindings.commands(v) }
            if let v = overlay["triggers"] { workers[index].bindings.crons = try bindings.triggers(v) }
        }
    }

    private func routes(_ value: ConfigValue, worker: String) throws -> [RoutePattern] {
        guard case .array(let items) = value else {
            throw ConfigError(file: file, worker: worker, key: "routes", message: "expected an array, found \(value.typeName)")
        }
        return try items.map { item in
            var text: String
            var strip = false
            switch item {
            case .string(let s):
                text = s
            case .table:
                try checkKeys(item, allowed: ["pattern", "strip_prefix"], worker: worker, prefix: "routes.")
                guard let p = item["pattern"] else {
                    throw ConfigError(file: file, worker: worker, key: "routes.pattern", message: "a route table needs a pattern")
                }
                text = try string(p, key: "routes.pattern", worker: worker)
                if let s = item["strip_prefix"] { strip = try bool(s, key: "routes.strip_prefix", worker: worker) }
            default:
                throw ConfigError(file: file, worker: worker, key: "routes", message: "a route is a string or {pattern, strip_prefix}, found \(item.typeName)")
            }
            do {
                return try RoutePattern(text, stripPrefix: strip)
            } catch let error as RoutePattern.ParseError {
                throw ConfigError(file: file, worker: worker, key: "routes", message: error.description)
            }
        }
    }

    private func vars(_ value: ConfigValue, worker: String) throws -> [String: String] {
        guard let entries = value.tableEntries else {
            throw ConfigError(file: file, worker: worker, key: "vars", message: "expected a table, found \(value.typeName)")
        }
        var result: [String: String] = [:]
        for (key, v) in entries {
            guard let text = v.scalarText else {
                throw ConfigError(file: file, worker: worker, key: "vars.\(key)", message: "a var is a string, number or boolean, found \(v.typeName)")
            }
            result[key] = text
        }
        return result
    }

    private func resolveSecrets(_ worker: HostConfig.WorkerConfig, devVars: [String: String]) throws -> [String: String] {
        var secrets: [String: String] = [:]
        for name in worker.secretNames {
            guard let value = environment[name] ?? devVars[name] else {
                throw ConfigError(file: file, worker: worker.name, key: "secrets.\(name)",
                                  message: "declared secret is not set; export \(name) or add it to .dev.vars")
            }
            secrets[name] = value
        }
        return secrets
    }

    // MARK: - Typed reads

    func checkKeys(_ value: ConfigValue, allowed: Set<String>, worker: String?, prefix: String) throws {
        guard let entries = value.tableEntries else {
            throw ConfigError(file: file, worker: worker, key: String(prefix.dropLast()), message: "expected a table, found \(value.typeName)")
        }
        for (key, _) in entries where !allowed.contains(key) {
            throw ConfigError(file: file, worker: worker, key: prefix + key,
                              message: "unknown key; expected one of: \(allowed.sorted().joined(separator: ", "))")
        }
    }

    func string(_ value: ConfigValue, key: String, worker: String? = nil) throws -> String {
        guard case .string(let s) = value else {
            throw ConfigError(file: file, worker: worker, key: key, message: "expected a string, found \(value.typeName)")
        }
        return s
    }

    func bool(_ value: ConfigValue, key: String, worker: String? = nil) throws -> Bool {
        guard case .bool(let b) = value else {
            throw ConfigError(file: file, worker: worker, key: key, message: "expected true or false, found \(value.typeName)")
        }
        return b
    }

    func integer(_ value: ConfigValue, key: String, in range: ClosedRange<Int>, worker: String? = nil) throws -> Int {
        guard case .integer(let i) = value else {
            throw ConfigError(file: file, worker: worker, key: key, message: "expected an integer, found \(value.typeName)")
        }
        guard range.contains(i) else {
            throw ConfigError(file: file, worker: worker, key: key, message: "\(i) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return i
    }

    /// A number of seconds: an integer or a float.
    func seconds(_ value: ConfigValue, key: String, in range: ClosedRange<Double>, worker: String) throws -> Double {
        let number: Double
        switch value {
        case .integer(let i): number = Double(i)
        case .double(let d): number = d
        default: throw ConfigError(file: file, worker: worker, key: key, message: "expected a number of seconds, found \(value.typeName)")
        }
        guard range.contains(number) else {
            throw ConfigError(file: file, worker: worker, key: key, message: "\(number) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    func stringArray(_ value: ConfigValue, key: String, worker: String) throws -> [String] {
        guard case .array(let items) = value else {
            throw ConfigError(file: file, worker: worker, key: key, message: "expected an array of strings, found \(value.typeName)")
        }
        return try items.map { try string($0, key: key, worker: worker) }
    }
}
