import OzziRuntime

/// The account's phone numbers from Twilio: `GET {base}/2010-04-01/Accounts/{sid}/IncomingPhoneNumbers.json`,
/// every page (`next_page_uri`, relative to the base), read leniently (capability keys in any case, flags
/// as booleans or strings).
struct TwilioNumbersClient: Sendable {
    let account: TwilioAccount
    /// A bound on pages, so a server that always names a next page cannot keep a sync going forever.
    static let maxPages = 200

    func numbers() async throws -> [ProviderNumber] {
        var found: [ProviderNumber] = []
        var next: String? = "/2010-04-01/Accounts/\(account.accountSid)/IncomingPhoneNumbers.json?PageSize=50"
        var pages = 0
        while let path = next {
            pages += 1
            guard pages <= Self.maxPages, path.hasPrefix("/") else {
                throw APIError(status: 502, code: "provider_refused", message: "Twilio's number list did not end (page \(pages): \(path.prefix(100)))")
            }
            let response = try await account.outbound.fetch(OutboundRequest(
                url: account.baseURL + path, headers: ["authorization": account.authorization, "accept": "application/json"],
                timeoutMilliseconds: account.timeoutMilliseconds))
            let json = try? JSONValue(jsonBytes: response.body)
            guard response.status == 200, let items = json?["incoming_phone_numbers"]?.arrayValue else {
                throw TwilioAccount.refusal("the number list", status: response.status, json: json)
            }
            for item in items {
                guard let number = item["phone_number"]?.stringValue, let sid = item["sid"]?.stringValue else { continue }
                var capabilities: [String: Bool] = [:]
                for (key, value) in item["capabilities"]?.objectValue ?? [:] {
                    capabilities[key.lowercased()] = value.boolValue ?? (value.stringValue?.lowercased() == "true")
                }
                found.append(ProviderNumber(sid: sid, phoneNumber: number, name: item["friendly_name"]?.stringValue ?? number,
                                            voice: capabilities["voice"] ?? false))
            }
            next = json?["next_page_uri"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        }
        return found
    }
}

/// A number a provider account holds.
struct ProviderNumber: Sendable, Equatable {
    let sid: String?
    let phoneNumber: String
    let name: String
    let voice: Bool
}
