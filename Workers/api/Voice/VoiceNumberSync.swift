import OzziRuntime

/// Brings a workspace's voice numbers in line with its provider account: Twilio's numbers (those that take
/// calls), or the simulated account's three. A number new to the workspace is added with default settings;
/// one it has keeps its settings and gains the provider's sid; a synced number the account no longer holds
/// is disabled and marked released; a number another workspace has is left to it and reported.
struct VoiceNumberSync: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let numbers: VoiceNumberStore
    let settings: SMSSettingsStore
    let providers: SMSProviders

    struct Outcome: Sendable {
        var added: [String] = []
        var updated: [String] = []
        var released: [String] = []
        var taken: [String] = []

        var json: JSONValue {
            ["added": .array(added.map { .string($0) }), "updated": .array(updated.map { .string($0) }),
             "released": .array(released.map { .string($0) }), "taken": .array(taken.map { .string($0) })]
        }
    }

    func sync(_ scope: TenantScope) async throws -> Outcome {
        let sms = try await settings.get(scope)
        let source: String
        let held: [ProviderNumber]
        if let account = providers.twilioAccount(sms) {
            source = "twilio"
            held = try await TwilioNumbersClient(account: account).numbers().filter(\.voice)
        } else {
            source = "simulated"
            held = Self.simulatedNumbers(scope.workspaceID)
        }
        let now = Timestamp.now(clock)
        let defaults = VoiceSettings().json.jsonText
        return try await database.transaction { tx in
            var outcome = Outcome()
            var events: [(TenantScope, String, JSONValue)] = []
            for number in held {
                let owner = try tx.all("SELECT id, workspace_id FROM voice_numbers WHERE phone_number = ?", number.phoneNumber).first
                if let owner, owner.text("workspace_id") != scope.workspaceID {
                    outcome.taken.append(number.phoneNumber)
                } else if let id = owner?.text("id") {
                    try tx.run("""
                        UPDATE voice_numbers SET source = ?, provider_sid = ?, released_at = NULL, updated_at = ? WHERE id = ?
                        """, source, number.sid, now, id)
                    outcome.updated.append(number.phoneNumber)
                    events.append((scope, "voice_number.updated", ["number_id": .string(id)]))
                } else {
                    let id = ResourceID.make("vnum")
                    try tx.run("""
                        INSERT INTO voice_numbers (id, workspace_id, phone_number, name, settings, enabled, source, provider_sid, created_at, updated_at)
                          VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)
                        """, id, scope.workspaceID, number.phoneNumber, String(number.name.prefix(100)), defaults, source, number.sid, now, now)
                    outcome.added.append(number.phoneNumber)
                    events.append((scope, "voice_number.created", ["number_id": .string(id)]))
                }
            }
            let kept = Set(held.map(\.phoneNumber))
            for row in try tx.all("SELECT id, phone_number FROM voice_numbers WHERE workspace_id = ? AND source = ? AND released_at IS NULL ORDER BY phone_number",
                                  scope.workspaceID, source) {
                guard let id = row.text("id"), let phone = row.text("phone_number"), !kept.contains(phone) else { continue }
                try tx.run("UPDATE voice_numbers SET enabled = 0, released_at = ?, updated_at = ? WHERE id = ?", now, now, id)
                outcome.released.append(phone)
                events.append((scope, "voice_number.updated", ["number_id": .string(id)]))
            }
            try WorkspaceEvents.record(tx, events, at: now)
            return outcome
        }
    }

    /// The simulated account's numbers for a workspace: three in the fictional 555-01XX range of an area
    /// code, chosen by the workspace id so each workspace has its own (another workspace's are reported taken).
    static func simulatedNumbers(_ workspaceID: String) -> [ProviderNumber] {
        let areas = ["202", "212", "303", "312", "404", "415", "512", "617", "702", "206"]
        let hash = Crypto.sha256(Array(workspaceID.utf8))
        let area = areas[Int(hash[0]) % areas.count]
        let base = Int(hash[1]) % 100
        return (0..<3).map { index in
            let line = 100 + (base + index) % 100
            return ProviderNumber(sid: nil, phoneNumber: "+1\(area)5550\(line)", name: "Simulated line \(index + 1)", voice: true)
        }
    }
}
