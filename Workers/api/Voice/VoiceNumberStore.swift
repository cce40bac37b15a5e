import OzziRuntime

/// All SQL about voice numbers. A number belongs to one workspace at a time (Twilio's `To` finds it).
struct VoiceNumberStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    private static let select = "SELECT \(VoiceNumber.columns) FROM voice_numbers"

    func create(_ scope: TenantScope, phoneNumber: String, name: String, settings: VoiceSettings, enabled: Bool) async throws -> VoiceNumber {
        let id = ResourceID.make("vnum")
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            guard try tx.all("SELECT 1 FROM voice_numbers WHERE phone_number = ?", phoneNumber).isEmpty else {
                throw APIError.conflict("\(phoneNumber) is already a voice number", details: ["field": "phone_number"])
            }
            try tx.run("""
                INSERT INTO voice_numbers (id, workspace_id, phone_number, name, settings, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, id, scope.workspaceID, phoneNumber, name, settings.json.jsonText, enabled ? 1 : 0, now, now)
            try WorkspaceEvents.record(tx, [(scope, "voice_number.created", ["number_id": .string(id)])], at: now)
        }
        return try await get(scope, id: id)!
    }

    func get(_ scope: TenantScope, id: String) async throws -> VoiceNumber? {
        try await database.prepare(Self.select + " WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).first(VoiceNumber.self)
    }

    func list(_ scope: TenantScope, page: PageRequest) async throws -> [VoiceNumber] {
        try await database.prepare(Self.select + " WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?")
            .bind(scope.workspaceID, page.after ?? "", page.limit + 1).all(VoiceNumber.self)
    }

    /// The settings of the number a call came in on or went out from; nil once that number was deleted.
    func settings(of call: Call) async throws -> VoiceSettings? {
        guard let id = call.number_id else { return nil }
        return try await get(call.scope, id: id)?.settings
    }

    /// The workspace's numbers that take calls, oldest first.
    func enabled(_ scope: TenantScope) async throws -> [VoiceNumber] {
        try await database.prepare(Self.select + " WHERE workspace_id = ? AND enabled = 1 ORDER BY id").bind(scope.workspaceID).all(VoiceNumber.self)
    }

    /// The number Twilio called, in whichever workspace.
    func byPhone(_ phoneNumber: String) async throws -> VoiceNumber? {
        try await database.prepare(Self.select + " WHERE phone_number = ?").bind(phoneNumber).first(VoiceNumber.self)
    }

    /// Changes what is given; nil when the workspace has no such number.
    func update(_ scope: TenantScope, id: String, phoneNumber: String?, name: String?, settings: VoiceSettings, enabled: Bool?) async throws -> VoiceNumber? {
        let now = Timestamp.now(clock)
        let changed = try await database.transaction { tx -> Bool in
            if let phoneNumber, try !tx.all("SELECT 1 FROM voice_numbers WHERE phone_number = ? AND id <> ?", phoneNumber, id).isEmpty {
                throw APIError.conflict("\(phoneNumber) is already a voice number", details: ["field": "phone_number"])
            }
            guard try tx.run("""
                UPDATE voice_numbers SET phone_number = coalesce(?, phone_number), name = coalesce(?, name), settings = ?, enabled = coalesce(?, enabled),
                  updated_at = ? WHERE workspace_id = ? AND id = ?
                """, phoneNumber, name, settings.json.jsonText, enabled.map { $0 ? 1 : 0 }, now, scope.workspaceID, id).changes == 1 else { return false }
            try WorkspaceEvents.record(tx, [(scope, "voice_number.updated", ["number_id": .string(id)])], at: now)
            return true
        }
        return changed ? try await get(scope, id: id) : nil
    }

    func delete(_ scope: TenantScope, id: String) async throws -> Bool {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            guard try tx.run("DELETE FROM voice_numbers WHERE workspace_id = ? AND id = ?", scope.workspaceID, id).changes == 1 else { return false }
            try WorkspaceEvents.record(tx, [(scope, "voice_number.deleted", ["number_id": .string(id)])], at: now)
            return true
        }
    }
}
