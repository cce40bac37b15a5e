import OzziRuntime

/// The simulated provider's recordings until the api has copied them (`GET /recordings/:sid.wav`, internal),
/// as Twilio keeps a call's recordings for the account to fetch. Held in memory and bounded: the oldest
/// go when more than `capacity` wait or they hold more than `budgetBytes` (the api fetches each within
/// moments of its callback). In this process only: the simulated provider is one host's.
actor SimulatedRecordings {
    private var recordings: [String: SpokenRecording] = [:]
    private var order: [String] = []
    private var bytes = 0
    let capacity: Int
    let budgetBytes: Int

    init(capacity: Int = 64, budgetBytes: Int = 128 << 20) {
        self.capacity = capacity
        self.budgetBytes = budgetBytes
    }

    func keep(_ recording: SpokenRecording, sid: String) {
        if let replaced = recordings.updateValue(recording, forKey: sid) { bytes -= replaced.wav.count } else { order.append(sid) }
        bytes += recording.wav.count
        while order.count > capacity || (bytes > budgetBytes && order.count > 1) {
            if let dropped = recordings.removeValue(forKey: order.removeFirst()) { bytes -= dropped.wav.count }
        }
    }

    func recording(_ sid: String) -> SpokenRecording? {
        recordings[sid]
    }
}
