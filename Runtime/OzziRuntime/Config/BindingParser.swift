/// Reads a worker's binding tables (`kv_namespaces`, `d1_databases`, `r2_buckets`, `queues`, `services`,
/// `pubsub`, `allowed_outbound_hosts`, `triggers`), with the same file/worker/key errors as the rest.
struct BindingParser {
    let loader: ConfigLoader
    let worker: String

    func parse(_ item: ConfigValue) throws -> HostConfig.BindingConfig {
        var config = HostConfig.BindingConfig()
        for table in try tables(item["kv_namespaces"], key: "kv_namespaces", allowed: ["binding", "id"]) {
            let binding = try name(table, "kv_namespaces")
            config.kvNamespaces.append(.init(binding: binding, id: try optionalIdentifier(table, "id", in: "kv_namespaces") ?? binding.lowercased()))
        }
        for table in try tables(item["d1_databases"], key: "d1_databases", allowed: ["binding", "database_name", "migrations_dir"]) {
            let binding = try name(table, "d1_databases")
            config.databases.append(.init(
                binding: binding,
                databaseName: try optionalIdentifier(table, "database_name", in: "d1_databases") ?? binding.lowercased(),
                migrationsDirectory: try table["migrations_dir"].map { try loader.string($0, key: "d1_databases.migrations_dir", worker: worker) }))
        }
        for table in try tables(item["r2_buckets"], key: "r2_buckets", allowed: ["binding", "bucket_name"]) {
            let binding = try name(table, "r2_buckets")
            config.buckets.append(.init(binding: binding, bucketName: try optionalIdentifier(table, "bucket_name", in: "r2_buckets") ?? binding.lowercased()))
        }
        if let queues = item["queues"] {
            try loader.checkKeys(queues, allowed: ["producers", "consumers"], worker: worker, prefix: "queues.")
            for table in try tables(queues["producers"], key: "queues.producers", allowed: ["binding", "queue"]) {
                config.producers.append(.init(binding: try name(table, "queues.producers"), queue: try queueName(table, "queue", in: "queues.producers")))
            }
            for table in try tables(queues["consumers"], key: "queues.consumers", allowed: [
                "queue", "max_batch_size", "max_batch_timeout", "max_retries", "dead_letter_queue", "retry_delay",
            ]) {
                var settings = QueueConsumerSettings(queue: try queueName(table, "queue", in: "queues.consumers"))
                let p = "queues.consumers."
                if let v = table["max_batch_size"] { settings.maxBatchSize = try loader.integer(v, key: p + "max_batch_size", in: 1...100, worker: worker) }
                if let v = table["max_batch_timeout"] { settings.maxBatchTimeout = try loader.seconds(v, key: p + "max_batch_timeout", in: 0...60, worker: worker) }
                if let v = table["max_retries"] { settings.maxRetries = try loader.integer(v, key: p + "max_retries", in: 0...100, worker: worker) }
                if let v = table["retry_delay"] { settings.retryDelay = try loader.seconds(v, key: p + "retry_delay", in: 0...43_200, worker: worker) }
                if table["dead_letter_queue"] != nil {
                    let dead = try queueName(table, "dead_letter_queue", in: "queues.consumers")
                    guard dead != settings.queue else {
                        throw ConfigError(file: loader.file, worker: worker, key: p + "dead_letter_queue", message: "a queue cannot be its own dead-letter queue")
                    }
                    settings.deadLetterQueue = dead
                }
                config.consumers.append(settings)
            }
        }
        for table in try tables(item["services"], key: "services", allowed: ["binding", "service"]) {
            guard let service = table["service"] else { throw missing("services.service") }
            config.services.append(.init(binding: try name(table, "services"), service: try loader.string(service, key: "services.service", worker: worker)))
        }
        for table in try tables(item["pubsub"], key: "pubsub", allowed: ["binding"]) {
            config.pubsub.append(try name(table, "pubsub"))
        }
        if let hosts = item["allowed_outbound_hosts"] { config.allowedOutboundHosts = try outboundHosts(hosts) }
        if let commands = item["allowed_commands"] { config.allowedCommands = try self.commands(commands) }
        if let triggers = item["triggers"] { config.crons = try self.triggers(triggers) }
        var seen = Set<String>()
        for binding in config.names where !seen.insert(binding).inserted {
            throw ConfigError(file: loader.file, worker: worker, key: binding, message: "two bindings share this name")
        }
        return config
    }

    func outboundHosts(_ value: ConfigValue) throws -> [OutboundHostPattern] {
        try loader.stringArray(value, key: "allowed_outbound_hosts", worker: worker).map { text in
            guard let pattern = OutboundHostPattern(text) else {
                throw ConfigError(file: loader.file, worker: worker, key: "allowed_outbound_hosts",
                                  message: "'\(text)' is not scheme://host[:port] (each part may be '*', the host may be '*.example.com')")
            }
            return pattern
        }
    }

    /// Program names found on PATH (`ffmpeg`), not paths: the host's PATH decides which binary runs.
    func commands(_ value: ConfigValue) throws -> [String] {
        try loader.stringArray(value, key: "allowed_commands", worker: worker).map { name in
            guard !name.isEmpty, !name.contains("/"), name.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else {
                throw ConfigError(file: loader.file, worker: worker, key: "allowed_commands", message: "'\(name)' is not a program name (no slashes or spaces)")
            }
            return name
        }
    }

    func triggers(_ value: ConfigValue) throws -> [CronSchedule] {
        try loader.checkKeys(value, allowed: ["crons"], worker: worker, prefix: "triggers.")
        guard let crons = value["crons"] else { return [] }
        return try loader.stringArray(crons, key: "triggers.crons", worker: worker).map { text in
            do {
                return try CronSchedule(text)
            } catch let error as CronSchedule.ParseError {
                throw ConfigError(file: loader.file, worker: worker, key: "triggers.crons", message: error.description)
            }
        }
    }

    /// Checks that need every worker: services name real workers, a queue has one consumer.
    static func checkAcrossWorkers(_ workers: [HostConfig.WorkerConfig], file: String) throws {
        let names = Set(workers.map(\.name))
        var consumers: [String: String] = [:]
        for worker in workers {
            for service in worker.bindings.services where !names.contains(service.service) {
                throw ConfigError(file: file, worker: worker.name, key: "services.\(service.binding)",
                                  message: "no worker named '\(service.service)' in this file")
            }
            for consumer in worker.bindings.consumers {
                if let other = consumers[consumer.queue] {
                    throw ConfigError(file: file, worker: worker.name, key: "queues.consumers",
                                      message: "queue '\(consumer.queue)' already has a consumer, worker '\(other)'")
                }
                consumers[consumer.queue] = worker.name
            }
        }
    }

    // MARK: - Helpers

    private func tables(_ value: ConfigValue?, key: String, allowed: Set<String>) throws -> [ConfigValue] {
        guard let value else { return [] }
        guard case .array(let items) = value else {
            throw ConfigError(file: loader.file, worker: worker, key: key, message: "expected [[workers.\(key)]] tables, found \(value.typeName)")
        }
        for item in items { try loader.checkKeys(item, allowed: allowed, worker: worker, prefix: key + ".") }
        return items
    }

    /// The `binding` key: the name the worker asks its env for.
    private func name(_ table: ConfigValue, _ key: String) throws -> String {
        guard let value = table["binding"] else { throw missing(key + ".binding") }
        let text = try loader.string(value, key: key + ".binding", worker: worker)
        guard let first = text.utf8.first, !ASCII.isDigit(first),
              text.utf8.allSatisfy({ ASCII.isLetterOrDigit($0) || $0 == UInt8(ascii: "_") }) else {
            throw ConfigError(file: loader.file, worker: worker, key: key + ".binding", message: "'\(text)' is not an identifier (letters, digits, _)")
        }
        return text
    }

    private func optionalIdentifier(_ table: ConfigValue, _ key: String, in section: String) throws -> String? {
        guard let value = table[key] else { return nil }
        return try fileName(try loader.string(value, key: "\(section).\(key)", worker: worker), key: "\(section).\(key)")
    }

    private func queueName(_ table: ConfigValue, _ key: String, in section: String) throws -> String {
        guard let value = table[key] else { throw missing("\(section).\(key)") }
        return try fileName(try loader.string(value, key: "\(section).\(key)", worker: worker), key: "\(section).\(key)")
    }

    /// Names that become file names: letters, digits, '-', '_' only.
    private func fileName(_ text: String, key: String) throws -> String {
        guard !text.isEmpty, text.utf8.count <= 63,
              text.utf8.allSatisfy({ ASCII.isLetterOrDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }) else {
            throw ConfigError(file: loader.file, worker: worker, key: key, message: "'\(text)' must be 1-63 letters, digits, '-' or '_'")
        }
        return text
    }

    private func missing(_ key: String) -> ConfigError {
        ConfigError(file: loader.file, worker: worker, key: key, message: "required key is missing")
    }
}
