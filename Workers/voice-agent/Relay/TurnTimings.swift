import OzziRuntime
import Synchronization

/// How fast answers start, over the last 10,000 answers of this host: prompt received -> first words sent
/// (what the caller waits), the model's own part of it (request -> its first piece), and the difference,
/// the agent's overhead (`GET /status` answers percentiles).
final class TurnTimings: Sendable {
    struct Sample: Sendable {
        let firstTokenMs: Double
        let modelMs: Double
    }

    private static let kept = 10_000
    private let state = Mutex<(samples: [Sample], next: Int, count: Int)>(([], 0, 0))

    func record(_ sample: Sample) {
        state.withLock { state in
            if state.samples.count < Self.kept { state.samples.append(sample) } else { state.samples[state.next] = sample }
            state.next = (state.next + 1) % Self.kept
            state.count += 1
        }
    }

    /// `{count, first_token_ms, model_first_token_ms, overhead_ms}`, each with p50, p99 and max.
    var summary: JSONValue {
        let (samples, count) = state.withLock { ($0.samples, $0.count) }
        func percentiles(_ values: [Double]) -> JSONValue {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return ["p50": 0, "p99": 0, "max": 0] }
            func at(_ p: Double) -> JSONValue { .number((sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)] * 1_000).rounded() / 1_000) }
            return ["p50": at(0.5), "p99": at(0.99), "max": at(1)]
        }
        return ["count": .number(Double(count)), "first_token_ms": percentiles(samples.map(\.firstTokenMs)),
                "model_first_token_ms": percentiles(samples.map(\.modelMs)), "overhead_ms": percentiles(samples.map { $0.firstTokenMs - $0.modelMs })]
    }
}
