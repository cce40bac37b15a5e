import OzziRuntime

/// `sms_deliveries_total{result, provider}` at the host's `/__ozzi/metrics`: every recorded outcome of the
/// delivery engine — what the provider said (`accepted`, `transient`, `permanent`, `unknown`), `rejected` when a
/// check failed the message before any provider call, or `claim_lost` when another host took the send over
/// before this one called (it took this host for stopped), so this one did not call.
struct DeliveryMetrics: Sendable {
    let metrics: WorkerMetrics

    static let name = "sms_deliveries_total"
    static let help = "SMS delivery outcomes recorded by the api worker's delivery engine, by result and provider."

    func count(_ result: SendResult, provider: String) {
        let label = switch result {
        case .accepted: "accepted"
        case .transient: "transient"
        case .permanent: "permanent"
        case .unknown: "unknown"
        }
        count(result: label, provider: provider)
    }

    /// `provider` is `none` when no provider was chosen.
    func count(result: String, provider: String, by amount: Int = 1) {
        guard amount > 0 else { return }
        metrics.counter(Self.name, help: Self.help, labels: ["result": result, "provider": provider]).increment(by: UInt64(amount))
    }
}
