import Logging

/// Builds a worker's bindings from its configuration: opens its SQLite files and bucket folders under
/// `<data dir>/<worker>/`, applies SQL migrations, and wires queues, services, pub/sub and outbound HTTP.
struct BindingFactory {
    let config: HostConfig
    let queues: QueueRegistry
    let directory: WorkerDirectory
    let pubsub: PubSub
    let clock: any WallClock

    func bindings(for worker: HostConfig.WorkerConfig) throws -> WorkerBindings {
        let root = config.server.dataDirectory + "/" + worker.name
        var bindings = WorkerBindings()
        let granted = worker.bindings
        do {
            if !granted.kvNamespaces.isEmpty { try WorkerHost.makeDirectory(root + "/kv") }
            for kv in granted.kvNamespaces {
                bindings.kv[kv.binding] = try SQLiteKV(path: "\(root)/kv/\(kv.id).sqlite", clock: clock)
            }
            if !granted.databases.isEmpty { try WorkerHost.makeDirectory(root + "/d1") }
            for database in granted.databases {
                let sql = try SQLiteDatabase(path: "\(root)/d1/\(database.databaseName).sqlite")
                if let migrations = migrationsDirectory(database) {
                    _ = try sql.migrateNow(try SQLMigration.load(directory: migrations, for: sql.dialect))
                }
                bindings.databases[database.binding] = sql
            }
            for bucket in granted.buckets {
                bindings.buckets[bucket.binding] = try FileBucket(directory: "\(root)/r2/\(bucket.bucketName)")
            }
            for producer in granted.producers {
                bindings.queues[producer.binding] = try queues.producer(producer.queue)
            }
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(file: config.file, worker: worker.name, message: "cannot open its bindings: \(error)")
        }
        for service in granted.services {
            bindings.services[service.binding] = ServiceBinding(service: service.service, directory: directory)
        }
        for name in granted.pubsub { bindings.pubsub[name] = pubsub }
        bindings.outbound = OutboundFetcher(
            worker: worker.name, allowed: granted.allowedOutboundHosts,
            defaultTimeoutMilliseconds: config.server.limits.outboundTimeoutMs,
            maxResponseBytes: config.server.limits.outboundMaxResponseBytes, directory: directory)
        return bindings
    }

    /// `migrations_dir` resolved against the configuration file's folder.
    func migrationsDirectory(_ database: HostConfig.BindingConfig.Database) -> String? {
        guard let path = database.migrationsDirectory else { return nil }
        if path.hasPrefix("/") { return path }
        let base = config.file.contains("/") ? String(config.file[..<config.file.lastIndex(of: "/")!]) : "."
        return base + "/" + path
    }

}

extension WorkerHost {
    /// Applies every database's pending migrations; returns what ran, per worker and binding.
    public static func migrate(_ config: HostConfig) throws -> [(worker: String, binding: String, applied: [String])] {
        var report: [(String, String, [String])] = []
        let factory = BindingFactory(config: config, queues: try QueueRegistry(directory: config.server.dataDirectory + "/queues"),
                                     directory: WorkerDirectory(logger: Logger(label: "migrate")), pubsub: PubSub(), clock: SystemClock())
        for worker in config.workers {
            for database in worker.bindings.databases {
                let root = config.server.dataDirectory + "/" + worker.name + "/d1"
                try WorkerHost.makeDirectory(root)
                let sql = try SQLiteDatabase(path: "\(root)/\(database.databaseName).sqlite")
                let applied = try factory.migrationsDirectory(database).map { try sql.migrateNow(try SQLMigration.load(directory: $0, for: sql.dialect)) } ?? []
                report.append((worker.name, database.binding, applied))
            }
        }
        return report
    }
}
