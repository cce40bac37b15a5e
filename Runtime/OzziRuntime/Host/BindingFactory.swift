import Synchronization
import Logging

/// Builds a worker's bindings from its configuration: opens its SQL databases (SQLite files under
/// `<data dir>/<worker>/`, or schemas on the shared PostgreSQL) and bucket folders, applies SQL migrations,
/// and wires queues, services, pub/sub and outbound HTTP.
final class BindingFactory: Sendable {
    let config: HostConfig
    let backends: HostBackends
    let queues: QueueRegistry
    let directory: WorkerDirectory
    let pubsub: any PubSubBroker
    let clock: any WallClock

    init(config: HostConfig, backends: HostBackends, queues: QueueRegistry, directory: WorkerDirectory, pubsub: any PubSubBroker, clock: any WallClock) {
        self.config = config
        self.backends = backends
        self.queues = queues
        self.directory = directory
        self.pubsub = pubsub
        self.clock = clock
    }

    /// Buckets opened so far, by name: two workers binding one `bucket_name` share the bucket (as in R2,
    /// where the name is the bucket), so the api's uploads are what video-render reads.
    let buckets = Mutex<[String: FileBucket]>([:])

    /// A bucket lives with the first worker (in the file's order) that binds it: its folder is
    /// `<data dir>/<worker>/r2/<bucket>` and, on PostgreSQL, its index is in that worker's schema; where
    /// only one worker binds a bucket this is where it always was.
    func openBucket(_ name: String) throws -> FileBucket {
        try buckets.withLock { open in
            if let bucket = open[name] { return bucket }
            let home = config.workers.first { $0.bindings.buckets.contains { $0.bucketName == name } }?.name ?? "shared"
            let folder = "\(config.server.dataDirectory)/\(home)/r2/\(name)"
            let bucket: FileBucket
            if let postgres = backends.postgres {
                // Hosts share the folder (data_dir on a shared filesystem) and the index, in the home worker's schema.
                bucket = try FileBucket(directory: folder, name: name, sharedIndex: try postgres.database(worker: home, databaseName: home))
            } else {
                bucket = try FileBucket(directory: folder)
            }
            open[name] = bucket
            return bucket
        }
    }

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
                bindings.buckets[bucket.binding] = try openBucket(bucket.bucketName)
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
