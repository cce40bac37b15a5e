import OzziRuntime
import Synchronization

extension FormStore {
    /// Forms by public key and by id, each kept for a second: every view and submission names its form
    /// by key, every workflow job by id, and reading it (a join, its row decoded, a trip to the
    /// database's thread) was the largest statement left in a submission under a flood. A change made through this host is seen at once
    /// (`forget`); one made on another host sharing the database, within the second.
    final class RecentForms: Sendable {
        static let keptMs: Int64 = 1_000
        private let forms = Mutex<[String: (form: Form, readAt: Int64)]>([:])

        func get(_ key: String, now: Int64) -> Form? {
            forms.withLock { forms in
                guard let kept = forms[key], now >= kept.readAt, now - kept.readAt < Self.keptMs else { return nil }
                return kept.form
            }
        }

        func put(_ form: Form, now: Int64) {
            forms.withLock { forms in
                if forms.count >= 4_096 { forms.removeAll(keepingCapacity: true) }
                forms[form.publicKey] = (form, now)
                forms[form.id] = (form, now)
            }
        }

        func forget(formID: String) {
            forms.withLock { forms in forms = forms.filter { $0.value.form.id != formID } }
        }
    }
}
