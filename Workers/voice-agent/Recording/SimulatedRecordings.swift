import OzziRuntime

/// The simulated provider's recordings until the api has copied them (`GET /recordings/:sid.wav`, internal),
/// as Twilio keeps a call's recordings for the account to fetch. Held in memory and bounded: the oldest
/// goes when more than `capacity` wait (the api fetches each within moments of its callback).
actor SimulatedRecordings {
    private var recordings: [String: SpokenRecording] = [:]
    private var order: [String] = []
    let capacity: Int

    init(capacity: Int = 64) {
        self.capacity = capacity
    }

    func keep(_ recording: SpokenRecording, sid: String) {
        if recordings.updateValue(recording, forKey: sid) == nil { order.append(sid) }
        while order.count > capacity { recordings[order.removeFirst()] = nil }
    }

    func recording(_ sid: String) -> SpokenRecording? {
        recordings[sid]
    }
}
