/// One shared engine's state in `/__ozzi/health`.
struct BackendHealth: Encodable, Sendable {
    let name: String
    /// Masked: no password is ever shown.
    let url: String
    let ok: Bool
    let error: String?
}
