import Logging

/// Builds a worker's bindings from its configuration: opens its SQL databases (SQLite files under
/// `<data dir>/<worker>/`, or schemas on the shared PostgreSQL) and bucket folders, applies SQL migrations,
/// and wires queues, services, pub/sub and outbound HTTP.
struct BindingFactory {
    let config: HostConfig
    let backends: HostBackends
    let queues: QueueRegistry
    let directory: WorkerDirectory
    let pubsub: any PubSubBroker
    let clock: any WallClock

    func bindings(for worker: HostConfig.WorkerConfig) throws -> WorkerBindings {
        let root = config.server.dataDirectory + "/" + worker.name
        var bindings = WorkerBindings()
        let granted = worker.bindings
        do {
            for kv in granted.kvNamespaces {
                bindings.kv[kv.binding] = try namespace(kv, worker: worker.name, root: root)
            }
            if let redis = backends.redis {
                // Throughput limits hold for the cluster: every host takes from the same buckets.
                bindings.tokenBuckets = RedisTokenBuckets(client: redis.client, clock: clock, keyPrefix: redis.prefix + "rate:\(worker.name):")
            }
            for database in granted.databases {
                let sql = try open(database, worker: worker.name)
                if let migrations = migrationsDirectory(database) {
                    _ = try sql.migrateNow(try SQLMigration.load(directory: migrations, for: sql.dialect))
                }
                bindings.databases[database.binding] = sql
            }
            for bucket in granted.buckets {
                let folder = "\(root)/r2/\(bucket.bucketName)"
                if let postgres = backends.postgres {
                    // Hosts share the folder (data_dir on a shared filesystem) and the index, in the worker's schema.
                    let index = try postgres.database(worker: worker.name, databaseName: worker.name)
                    bindings.buckets[bucket.binding] = try FileBucket(directory: folder, name: bucket.bucketName, sharedIndex: index)
                } else {
                    bindings.buckets[bucket.binding] = try FileBucket(directory: folder)
                }
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
        bindings.commands = CommandRunner(worker: worker.name, allowed: granted.allowedCommands)
        return bindings
    }

    /// A KV namespace: on PostgreSQL when there is one (durable, in the worker's schema), else on Redis,
    /// else in the worker's SQLite file.
    func namespace(_ kv: HostConfig.BindingConfig.KV, worker: String, root: String) throws -> any KVNamespace {
        if let postgres = backends.postgres {
            return try PostgresKV(database: try postgres.database(worker: worker, databaseName: worker), namespace: kv.id, clock: clock)
        }
        if let redis = backends.redis {
            return RedisKV(client: redis.client, namespace: "\(worker)/\(kv.id)", clock: clock, keyPrefix: redis.prefix + "kv:")
        }
        try WorkerHost.makeDirectory(root + "/kv")
        return try SQLiteKV(path: "\(root)/kv/\(kv.id).sqlite", clock: clock)
    }

    /// A SQL binding's database: a schema on the shared PostgreSQL when there is one, else the worker's
    /// SQLite file. Failing to open it names the binding.
    func open(_ database: HostConfig.BindingConfig.Database, worker: String) throws -> any SQLBlockingDatabase {
        do {
            if let postgres = backends.postgres {
                return try postgres.database(worker: worker, databaseName: database.databaseName)
            }
            let folder = config.server.dataDirectory + "/" + worker + "/d1"
            try WorkerHost.makeDirectory(folder)
            return try SQLiteDatabase(path: "\(folder)/\(database.databaseName).sqlite")
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(file: config.file, worker: worker, key: "d1_databases",
                              message: "cannot open the SQL binding '\(database.binding)': \(error)")
        }
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
        let factory = BindingFactory(config: config, backends: try HostBackends(config, redisLoop: nil),
                                     queues: try QueueRegistry(directory: config.server.dataDirectory + "/queues"),
                                     directory: WorkerDirectory(logger: Logger(label: "migrate")), pubsub: PubSub(), clock: SystemClock())
        for worker in config.workers {
            for database in worker.bindings.databases {
                let sql = try factory.open(database, worker: worker.name)
                let applied = try factory.migrationsDirectory(database).map { try sql.migrateNow(try SQLMigration.load(directory: $0, for: sql.dialect)) } ?? []
                report.append((worker.name, database.binding, applied))
            }
        }
        return report
    }
}
