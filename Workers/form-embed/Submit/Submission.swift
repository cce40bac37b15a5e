import OzziRuntime

/// A submission as the browser sent it: the page's script posts JSON; a page without script posts its
/// form's fields (`_key`, `_token`, `_page`, `_hp`, then one pair per answer, repeated for several choices).
struct Submission {
    static let maxBodyBytes = 65_536

    let key: String
    let token: JSONValue
    let answers: [String: JSONValue]
    let honeypot: String
    let referrer: String
    let utm: JSONValue
    /// Posted by a page without script: answered with a page, not JSON.
    let html: Bool

    init(_ request: Request) throws {
        let type = request.headers["content-type"]?.lowercased() ?? ""
        if type.hasPrefix("application/x-www-form-urlencoded") {
            var answers: [String: JSONValue] = [:], meta: [String: String] = [:]
            for (name, value) in Request.pairs(request.text) {
                if name.hasPrefix("_") { meta[name] = meta[name] ?? value; continue }
                switch answers[name] {
                case nil: answers[name] = .string(value)
                case .string(let first)?: answers[name] = [.string(first), .string(value)]
                case .array(let items)?: answers[name] = .array(items + [.string(value)])
                default: break
                }
            }
            key = meta["_key"] ?? ""
            token = meta["_token"].map { .string($0) } ?? .null
            self.answers = answers
            honeypot = meta["_hp"] ?? ""
            referrer = meta["_page"] ?? ""
            utm = [:]
            html = true
        } else {
            guard let body = try? JSONValue(jsonBytes: request.body), case .object(let fields) = body else {
                throw FormEmbedError(status: 400, code: "invalid_json", message: "the body must be a JSON object or form fields")
            }
            key = fields["key"]?.stringValue ?? ""
            token = fields["token"] ?? .null
            guard case .object(let answers)? = fields["answers"] else {
                throw FormEmbedError(status: 422, code: "invalid_field", message: "answers: must be an object of field key -> answer", details: ["field": "answers"])
            }
            self.answers = answers
            honeypot = fields["honeypot"]?.stringValue ?? ""
            referrer = fields["referrer"]?.stringValue ?? ""
            utm = fields["utm"] ?? [:]
            html = false
        }
        guard FormDirectory.isKey(key) else {
            throw FormEmbedError(status: 422, code: "invalid_field", message: "key: must be a form's key", details: ["field": "key"])
        }
    }

    /// What the api is given: the submission, and the client's network for its rate limit and hash.
    func forwarded(network: String) -> JSONValue {
        ["token": token, "answers": .object(answers), "honeypot": .string(honeypot), "referrer": .string(referrer), "utm": utm, "network": .string(network)]
    }

    /// A browser page posting here is this worker's own (the form's page) or one of the form's allowed
    /// origins; `Sec-Fetch-Site: cross-site` is believed over an `Origin` claiming to be ours.
    static func checkOrigin(_ request: Request, key: String, _ directory: FormDirectory) async throws {
        guard let origin = request.headers["origin"]?.lowercased() else {
            throw FormEmbedError(status: 403, code: "origin_required", message: "submissions must come from the form's page")
        }
        let site = request.headers["sec-fetch-site"]?.lowercased()
        if let host = request.headers["host"]?.lowercased(), origin.hasSuffix("://" + host), site != "cross-site" { return }
        guard let form = try await directory.form(key: key), form.allowedOrigins.contains(where: { OriginMatch.admits($0, origin) }) else {
            throw FormEmbedError(status: 403, code: "origin_not_allowed", message: "\(origin) may not submit this form")
        }
    }

    /// The api's answer as a page, for a browser without script.
    static func page(_ answer: Response) -> Response {
        let e = HTMLEscape.escape
        let body = (try? JSONValue(jsonBytes: answer.bodyBytes)) ?? .null
        let text: String
        switch answer.status {
        case 201:
            text = "<p>\(e(body["message"]?.stringValue ?? "Thank you."))</p>"
                // The page is inside the customer's frame: a redirect is a link out of it, not a 303 inside it.
                + (body["redirect_url"]?.stringValue.map { "<p><a href=\"\(e($0))\" target=\"_top\">Continue</a></p>" } ?? "")
        case 422 where body["error"]?["details"]?["fields"]?.objectValue != nil:
            let fields = body["error"]?["details"]?["fields"]?.objectValue ?? [:]
            text = "<p>Some answers need another look. Go back to the form and correct:</p><ul>"
                + fields.keys.sorted().map { "<li>\(e($0)): \(e(fields[$0]?.stringValue ?? ""))</li>" }.joined() + "</ul>"
        default:
            text = "<p>\(e(body["error"]?["message"]?.stringValue ?? "The form could not be sent.")) Go back and try again.</p>"
        }
        return Response.html("<!doctype html><meta charset=\"utf-8\"><title>Form</title>\(text)\n", status: answer.status)
            .adding(header: "content-security-policy", "default-src 'none'; frame-ancestors 'self' *")
            .adding(header: "x-content-type-options", "nosniff").adding(header: "cache-control", "no-store")
    }
}
