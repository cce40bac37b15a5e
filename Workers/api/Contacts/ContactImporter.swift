import FoundationEssentials
import Logging
import OzziRuntime

/// CSV imports: accepted by a route (the file goes to the `FILES` bucket, a job to the `JOBS` queue) and
/// run by the api worker's queue consumer in batches of `batchSize` rows, each batch one transaction that also
/// records progress, so a redelivered job resumes after the last committed batch. Each batch and the end
/// are also events on the workspace's live stream (`contact_import.progress`, `contact_import.finished`):
/// what the console's progress bar follows.
struct ContactImporter: Sendable {
    let database: any SQLDatabase
    let bucket: any Bucket
    let queue: any QueueProducer
    let events: WorkspaceEvents
    let clock: any WallClock
    let defaultCountry: String
    let logger: Logger
    static let maxRows = 100_000
    /// The largest file accepted (streamed to the bucket, so it is never held in memory by the upload).
    static let maxBytes = 64 * 1024 * 1024
    static let maxHeaderBytes = 64 * 1024
    /// Rows per transaction: progress is reported, and a redelivered job resumes, at these boundaries.
    static let batchSize = 20_000
    static let fields = ["name", "first_name", "last_name", "phone", "email", "notes"]

    /// Checks the header against the mapping, streams the file into the bucket as it arrives, queues the job.
    func start(_ scope: TenantScope, csv: RequestBodyStream, mapping: [String: String]?, onDuplicate: String, createdBy: String) async throws -> ContactImport {
        // Read ahead to the end of the header line, check it, then put it back in front of the rest.
        var head: [UInt8] = []
        while !head.contains(UInt8(ascii: "\n")), let chunk = try await csv.next() {
            head.append(contentsOf: chunk)
            guard head.count <= Self.maxHeaderBytes else {
                throw APIError.badRequest("the CSV header line is longer than \(Self.maxHeaderBytes) bytes", code: "invalid_csv")
            }
        }
        guard !head.isEmpty else { throw APIError.badRequest("send the CSV file as the request body", code: "invalid_csv") }
        let lineEnd = head.firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? head.count
        var reader = CSVReader(Array(head[..<lineEnd]))
        guard let header = reader.next(), header.fields.contains(where: { !$0.isEmpty }) else {
            throw APIError.badRequest("the CSV has no header line", code: "invalid_csv")
        }
        let columns = try Self.columns(header: header.fields, mapping: mapping)
        csv.unshift(head)
        let id = ResourceID.make("imp")
        let key = "imports/\(scope.workspaceID)/\(id).csv"
        try await bucket.put(key, chunks: NULFreeChunks(csv, file: "the CSV", code: "invalid_csv"), options: BucketPutOptions(contentType: "text/csv"))
        let now = Timestamp.now(clock)
        try await database.prepare("""
            INSERT INTO contact_imports (id, workspace_id, status, on_duplicate, mapping, object_key, created_by, created_at)
            VALUES (?, ?, 'running', ?, ?, ?, ?, ?)
            """).bind(id, scope.workspaceID, onDuplicate, String(decoding: JSONValue.object(columns.mapValues { .number(Double($0)) }).jsonBytes, as: UTF8.self),
                      key, createdBy, now).run()
        try await queue.send(ContactImportJob(importID: id, workspaceID: scope.workspaceID).json)
        return try await report(scope, id: id)!
    }

    /// Which column feeds each field: the mapping given (field -> header), else headers named as fields.
    static func columns(header: [String], mapping: [String: String]?) throws -> [String: Int] {
        let normalized = header.map { $0.trimmingPrefixAndSuffixSpaces().lowercased() }
        var columns: [String: Int] = [:]
        if let mapping {
            for (field, column) in mapping {
                guard fields.contains(field) || (field.hasPrefix("custom.") && field.count > 7) else {
                    throw APIError.invalidField("mapping", "'\(field)' is not a contact field; use \(fields.joined(separator: ", ")) or custom.<name>")
                }
                guard let index = normalized.firstIndex(of: column.lowercased()) else {
                    throw APIError.invalidField("mapping", "the CSV has no column '\(column)' (for \(field)); its columns are \(header.joined(separator: ", "))")
                }
                columns[field] = index
            }
        } else {
            for (index, name) in normalized.enumerated() where fields.contains(name) || (name.hasPrefix("custom.") && name.count > 7) {
                columns[name] = index
            }
        }
        guard columns["phone"] != nil || columns["email"] != nil else {
            throw APIError.invalidField("mapping", "no column gives the phone or the email; every contact needs one of them")
        }
        return columns
    }

    func report(_ scope: TenantScope, id: String) async throws -> ContactImport? {
        guard var report = try await database.prepare("SELECT \(ContactImport.selection) FROM contact_imports WHERE workspace_id = ? AND id = ?")
            .bind(scope.workspaceID, id).first(ContactImport.self) else { return nil }
        report.rejected = try await database.prepare("SELECT \(ContactImport.Rejection.selection) FROM contact_import_rejections WHERE import_id = ? ORDER BY line")
            .bind(id).all(ContactImport.Rejection.self)
        return report
    }

    /// What running an import reads back: where it stands, and how to read its file.
    private struct Job: Decodable, SQLRecord {
        let status: String
        let on_duplicate: String
        /// Which CSV column feeds each field.
        let mapping: [String: Int]
        let object_key: String
        /// Rows committed so far (by an earlier delivery of the job).
        let rows: Int

        enum CodingKeys: String, SQLColumn { case status, on_duplicate, mapping, object_key, rows }
        typealias Columns = CodingKeys
    }

    /// Runs (or resumes) an import: the queue consumer's side.
    func run(importID: String, workspaceID: String) async throws {
        let scope = TenantScope(workspaceID: workspaceID)
        guard let job = try await database.prepare("SELECT \(Job.selection) FROM contact_imports WHERE workspace_id = ? AND id = ?")
            .bind(workspaceID, importID).first(Job.self), job.status == "running" else { return }
        let key = job.object_key
        guard let object = try await bucket.head(key) else {
            try await finish(importID, scope: scope, status: "failed", error: "the uploaded file is gone")
            return
        }
        let mapping = job.mapping
        let update = job.on_duplicate == "update"
        let done = job.rows
        let started = ContinuousClock.now
        // The row limit, checked before anything is written. Line breaks bound the records from above
        // without parsing; only a file with more of them than the limit allows is counted exactly. They are also
        // what progress is measured against (a quoted field may hold one).
        let lines = try await CSVChunks.lineBreaks(bucket: bucket, key: key, size: object.size)
        let expected = max(1, lines - 1)
        if lines > Self.maxRows + 1 {
            var count = -1  // the header
            var chunks = CSVChunks(bucket: bucket, key: key, size: object.size)
            while let records = try await chunks.next() { count += records.filter { !$0.isBlank }.count }
            guard count <= Self.maxRows else {
                try await finish(importID, scope: scope, status: "failed", error: "the file has more than \(Self.maxRows) rows; split it")
                return
            }
        }
        // Parsed a range at a time on the blocking pool; committed in batches. Rows committed by an
        // earlier delivery of this job are not imported twice.
        var chunks = CSVChunks(bucket: bucket, key: key, size: object.size)
        var header = true, seen = 0, batch: [CSVReader.Record] = []
        while let records = try await chunks.next() {
            for record in records where !record.isBlank {
                if header {
                    header = false
                    continue
                }
                seen += 1
                guard seen > done else { continue }
                batch.append(record)
                if batch.count == Self.batchSize {
                    try await commit(batch, scope: scope, importID: importID, mapping: mapping, update: update, expected: expected)
                    batch = []
                }
            }
        }
        if !batch.isEmpty { try await commit(batch, scope: scope, importID: importID, mapping: mapping, update: update, expected: expected) }
        try await finish(importID, scope: scope, status: "completed", error: nil)
        try? await bucket.delete(key)
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        logger.info("contact import completed", metadata: [
            "import_id": "\(importID)", "workspace_id": "\(workspaceID)", "rows": "\(seen - done)",
            "ms": "\(Int(seconds * 1000))", "rows_per_s": "\(seconds > 0 ? Int(Double(seen - done) / seconds) : 0)",
        ])
    }

    /// One batch: rows inserted, updated or skipped, rejections recorded, counters advanced — atomically.
    /// Each row counts once: created, updated, skipped or rejected. A row is the contact with its phone,
    /// or, without one, the contact with its email address.
    private func commit(_ records: [CSVReader.Record], scope: TenantScope, importID: String, mapping: [String: Int], update: Bool,
                        expected: Int) async throws {
        let importer = self
        // Validation is CPU work too, and done before the transaction so the writer is held only for SQL.
        let batch = try await BlockingPool.shared.run { () -> Batch in
            var batch = Batch()
            for record in records {
                do {
                    try batch.add(try importer.row(record.fields, mapping: mapping), line: record.line, update: update)
                } catch let error as APIError {
                    batch.rejections.append((record.line, error.message))
                }
            }
            return batch
        }
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            // A row keyed by its phone whose email address another contact has can be neither inserted
            // nor merged: it is refused, naming that contact.
            let addressed = batch.rows.indices.compactMap { i -> (index: Int, phone: String, email: String)? in
                guard let phone = batch.rows[i].input.phone, let email = batch.rows[i].input.email ?? nil else { return nil }
                return (i, phone, email)
            }
            let taken = try ContactStore.emailTaken(tx, scope, addressed)
            var rows = batch.rows, rejections = batch.rejections
            if !taken.isEmpty {
                rows = batch.rows.indices.filter { taken[$0] == nil }.map { batch.rows[$0] }
                for (i, contact) in taken {
                    let email = (batch.rows[i].input.email ?? nil) ?? ""
                    rejections.append((batch.lines[i], "email: \(email) is contact \(contact)'s, which has another phone or none"))
                }
            }
            for (line, reason) in rejections {
                try tx.run("INSERT INTO contact_import_rejections (import_id, line, reason) VALUES (?, ?, ?) ON CONFLICT (import_id, line) DO UPDATE SET reason = excluded.reason", importID, line, reason)
            }
            // Merged first: a row that moves a contact's email address frees the old one for a new contact
            // of the same batch, which inserted first would have found taken and been skipped.
            let merged = update ? try ContactStore.merge(tx, scope, rows, now: now) : 0
            let created = try ContactStore.insert(tx, scope, rows, now: now, skipExisting: true)
            let updated = update ? merged + batch.repeats : 0
            let skipped = rows.count - created - merged + (update ? 0 : batch.repeats)
            try tx.run("UPDATE contact_imports SET rows = rows + ?, created = created + ?, updated = updated + ?, skipped = skipped + ? WHERE id = ?",
                       records.count, created, updated, skipped, importID)
            try Self.recordProgress(tx, scope, importID: importID, type: "contact_import.progress", extra: ["expected_rows": .number(Double(expected))], at: now)
        }
        events.flushSoon()
    }

    /// The import's report as it stands in `tx` (its rejections counted, not listed), as an event of `type`.
    private static func recordProgress(_ tx: SQLTransaction, _ scope: TenantScope, importID: String, type: String, extra: [String: JSONValue],
                                       at: String) throws {
        guard let report = try tx.first(ContactImport.self, "SELECT \(ContactImport.selection) FROM contact_imports WHERE id = ?", importID) else { return }
        let rejected = try tx.all("SELECT count(*) AS n FROM contact_import_rejections WHERE import_id = ?", importID).first?.integer("n") ?? 0
        var data: [String: JSONValue] = [
            "import_id": .string(importID), "status": .string(report.status), "rows": .number(Double(report.rows)), "created": .number(Double(report.created)),
            "updated": .number(Double(report.updated)), "skipped": .number(Double(report.skipped)), "rejected": .number(Double(rejected)),
        ]
        if let error = report.error { data["error"] = .string(error) }
        for (key, value) in extra { data[key] = value }
        try WorkspaceEvents.record(tx, [(scope, type, .object(data))], at: at)
    }

    /// A batch's valid rows (one per contact, with a new id each, and the line each came from) and its
    /// rejected lines.
    private struct Batch: Sendable {
        var rows: [(id: String, input: ContactInput)] = []
        var lines: [Int] = []
        var repeats = 0
        var rejections: [(line: Int, reason: String)] = []
        /// Which row has each phone, and each email address.
        var byPhone: [String: Int] = [:]
        var byEmail: [String: Int] = [:]

        /// A row for the contact with its phone, else with its email address: a contact seen earlier in
        /// the batch takes it in (or skips it), a new one is added. Throws for a row whose email address
        /// an earlier row of another contact has.
        mutating func add(_ input: ContactInput, line: Int, update: Bool) throws {
            let email = input.email ?? nil
            let earlier = input.phone.map { byPhone[$0] } ?? email.flatMap { byEmail[$0] }
            if let email, let holder = byEmail[email], holder != earlier {
                throw APIError.invalidField("email", "\(email) is on line \(lines[holder]) too, a contact with another phone or none")
            }
            if let earlier {
                if update {
                    rows[earlier].input.absorb(input)
                    if let email { byEmail[email] = earlier }
                }
                repeats += 1
                return
            }
            if let phone = input.phone { byPhone[phone] = rows.count }
            if let email { byEmail[email] = rows.count }
            rows.append((ResourceID.make("con"), input))
            lines.append(line)
        }
    }

    /// One CSV row as a contact; a bad row throws with the reason its report line gives.
    func row(_ fields: [String], mapping: [String: Int]) throws -> ContactInput {
        func value(_ field: String) -> String? {
            guard let index = mapping[field], index < fields.count else { return nil }
            let text = fields[index].trimmingPrefixAndSuffixSpaces()
            return text.isEmpty ? nil : String(text)
        }
        var input = ContactInput()
        let phone = value("phone"), email = value("email")
        guard phone != nil || email != nil else { throw ContactInput.noAddress }
        if let phone { input.phone = try ContactInput.phone(phone, defaultCountry: defaultCountry, field: "phone") }
        if let email { input.email = .some(try EmailAddress.normalize(email)) }
        input.name = value("name")
        input.firstName = value("first_name")
        input.lastName = value("last_name")
        input.notes = value("notes")
        var custom: [String: JSONValue] = [:]
        for field in mapping.keys where field.hasPrefix("custom.") {
            if let text = value(field) { custom[String(field.dropFirst(7))] = .string(String(text.prefix(1000))) }
        }
        input.customFields = custom
        input.source = "import"
        input.fillNames()
        return input
    }

    private func finish(_ importID: String, scope: TenantScope, status: String, error: String?) async throws {
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            try tx.run("UPDATE contact_imports SET status = ?, error = ?, finished_at = ? WHERE id = ?", status, error, now, importID)
            try Self.recordProgress(tx, scope, importID: importID, type: "contact_import.finished", extra: [:], at: now)
        }
        events.flushSoon()
    }
}
