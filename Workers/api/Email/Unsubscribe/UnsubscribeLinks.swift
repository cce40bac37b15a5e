import OzziRuntime

/// The one-click unsubscribe link of one recipient of one email (RFC 8058), and the headers that carry it.
/// The token holds the workspace, the message and the address, signed: the public route acts on it
/// without looking anything up first, and a forged or altered token is refused.
struct UnsubscribeLinks: Sendable {
    let signer: EmailLinkSigner
    /// The origin the links point at (`PUBLIC_URL`, no trailing slash).
    let publicURL: String

    static let path = "/api/v1/email/unsubscribe/"

    /// Who a valid token unsubscribes.
    struct Recipient: Sendable, Equatable {
        let email: EmailRef
        let address: String
    }

    init(signer: EmailLinkSigner, publicURL: String) {
        self.signer = signer
        self.publicURL = publicURL
    }

    func url(for messageID: String, scope: TenantScope, address: String) -> String {
        publicURL + Self.path + signer.sign(["u", scope.workspaceID, messageID, address.lowercased()])
    }

    /// `List-Unsubscribe` and `List-Unsubscribe-Post`, for every campaign email (the DKIM signature must cover both).
    func headers(for messageID: String, scope: TenantScope, address: String) -> [EmailHeader] {
        [EmailHeader(name: "List-Unsubscribe", value: "<" + url(for: messageID, scope: scope, address: address) + ">"),
         EmailHeader(name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click")]
    }

    func recipient(_ token: String) -> Recipient? {
        guard let fields = signer.verify(token), fields.count == 4, fields[0] == "u" else { return nil }
        return Recipient(email: EmailRef(scope: TenantScope(workspaceID: fields[1]), messageID: fields[2]), address: fields[3])
    }
}
