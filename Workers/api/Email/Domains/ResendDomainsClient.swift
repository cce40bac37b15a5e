import OzziRuntime

/// Resend's domain API, with a workspace's own key: add a domain (Resend answers the records to publish),
/// ask Resend to verify it, read its status and each record's, remove it. Resend's refusals are 409s
/// (the state of the workspace's Resend account decides them); no answer or a 5xx is a 502.
struct ResendDomainsClient: Sendable {
    let baseURL: String
    let apiKey: String
    let outbound: OutboundFetcher
    let timeoutMilliseconds: Int

    /// Where Resend may send a domain's email from.
    static let regions = ["us-east-1", "eu-west-1", "sa-east-1", "ap-northeast-1"]

    /// A domain as Resend answers it.
    struct Domain: Sendable, Equatable {
        let id: String
        /// `not_started`, `pending`, `verified`, `failed` or `temporary_failure`.
        let status: String
        let records: [Record]
    }

    /// One record Resend asks for; `name` as Resend gives it (relative to the domain, as a rule).
    struct Record: Sendable, Equatable {
        /// What it is for: `SPF` (the return path's MX and TXT), `DKIM`, and others we do not publish.
        let purpose: String
        let type: String
        let name: String
        let value: String
        let priority: Int?
        let status: String?
    }

    /// `POST /domains {name, region}`.
    func create(name: String, region: String) async throws -> Domain {
        // Not idempotent: a call that went unanswered may have added the domain, and curl must not add it twice.
        let json = try await call("POST", "/domains", body: ["name": .string(name), "region": .string(region)], resendable: false)
        return try Self.domain(json)
    }

    /// The id of `name` in the account (`GET /domains`, the first 100), if Resend has it.
    func find(name: String) async throws -> String? {
        let list = try await call("GET", "/domains?limit=100")
        return list["data"]?.arrayValue?.first { $0["name"]?.stringValue?.lowercased() == name }?["id"]?.stringValue
    }

    /// `POST /domains/{id}/verify`: Resend checks the records again (its answer comes with `get`).
    func verify(id: String) async throws {
        _ = try await call("POST", "/domains/\(try Self.safe(id))/verify")
    }

    /// `GET /domains/{id}`.
    func get(id: String) async throws -> Domain {
        try Self.domain(try await call("GET", "/domains/\(try Self.safe(id))"))
    }

    /// `DELETE /domains/{id}`; a domain Resend no longer has is gone already.
    func delete(id: String) async throws {
        do {
            _ = try await call("DELETE", "/domains/\(try Self.safe(id))")
        } catch let error as APIError where error.details?["resend_status"] == .number(404) {
            return
        }
    }

    private func call(_ method: String, _ path: String, body: JSONValue? = nil, resendable: Bool = true) async throws -> JSONValue {
        var headers: HTTPHeaders = ["authorization": "Bearer \(apiKey)", "accept": "application/json"]
        if body != nil { headers["content-type"] = "application/json" }
        var request = OutboundRequest(method: method, url: baseURL + path, headers: headers, body: body?.jsonBytes ?? [],
                                      timeoutMilliseconds: timeoutMilliseconds)
        request.resendable = resendable
        let response: OutboundResponse
        do {
            response = try await outbound.fetch(request)
        } catch {
            throw APIError(status: 502, code: "provider_unreachable", message: "Resend did not answer \(method) \(path): \(error)")
        }
        let json = try? JSONValue(jsonBytes: response.body)
        guard (200..<300).contains(response.status) else {
            let message = json?["message"]?.stringValue ?? "answered \(response.status)"
            let details: JSONValue = ["provider": "resend", "resend_status": .number(Double(response.status)),
                                      "resend_error": .string(json?["name"]?.stringValue ?? "")]
            if response.status >= 500 || response.status == 429 {
                throw APIError(status: 502, code: "provider_error", message: "Resend: \(message)", details: details)
            }
            throw APIError.conflict("Resend refused \(method) \(path): \(message)", details: details)
        }
        return json ?? .null
    }

    /// Resend's ids are UUIDs: one that is not cannot be put in a path.
    private static func safe(_ id: String) throws -> String {
        guard !id.isEmpty, id.count <= 100, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw APIError(status: 502, code: "provider_error", message: "Resend's domain id '\(id)' is not one we can ask about")
        }
        return id
    }

    static func domain(_ json: JSONValue) throws -> Domain {
        guard let id = json["id"]?.stringValue, (try? safe(id)) != nil, let status = json["status"]?.stringValue else {
            throw APIError(status: 502, code: "provider_error", message: "Resend answered a domain without an id or a status")
        }
        let records = (json["records"]?.arrayValue ?? []).compactMap { record -> Record? in
            guard let type = record["type"]?.stringValue, let name = record["name"]?.stringValue, let value = record["value"]?.stringValue else { return nil }
            // Resend sends the priority as a number (some SDKs show it as a string).
            let priority = record["priority"]?.numberValue.map { Int($0) } ?? record["priority"]?.stringValue.flatMap { Int($0) }
            return Record(purpose: record["record"]?.stringValue ?? "", type: type.uppercased(), name: name, value: value,
                          priority: priority, status: record["status"]?.stringValue)
        }
        return Domain(id: id, status: status, records: records)
    }
}
