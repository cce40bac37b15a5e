/// Which claimed sends may go to their provider now: at most `perAccount` calls in flight per provider
/// account and `total` per host, accounts served in turn. One workspace's stalled or slow provider holds
/// its own slots, never the host's, and a large campaign waits behind its own account's queue while
/// other accounts' sends go out. A pure state machine: the pipeline around it does the I/O.
struct SendSlots<Item> {
    let total: Int
    let perAccount: Int
    private var waiting: [String: [Item]] = [:]
    private var heads: [String: Int] = [:]
    private var busy: [String: Int] = [:]
    /// Accounts with waiting items, in the order they are served.
    private var turns: [String] = []
    private(set) var inFlight = 0

    init(total: Int, perAccount: Int) {
        precondition(total > 0 && perAccount > 0)
        self.total = total
        self.perAccount = perAccount
    }

    /// Items of `account` waiting for a slot.
    func backlog(_ account: String) -> Int {
        (waiting[account]?.count ?? 0) - (heads[account] ?? 0)
    }

    var waitingCount: Int { waiting.keys.reduce(0) { $0 + backlog($1) } }

    mutating func enqueue(_ item: Item, account: String) {
        if backlog(account) == 0, !turns.contains(account) { turns.append(account) }
        waiting[account, default: []].append(item)
    }

    /// Takes every item that may start now, one account at a time in turn, and counts them in flight.
    mutating func start() -> [(account: String, item: Item)] {
        var started: [(account: String, item: Item)] = []
        var stalled = 0
        while inFlight < total, !turns.isEmpty, stalled < turns.count {
            let account = turns.removeFirst()
            guard (busy[account] ?? 0) < perAccount else {
                turns.append(account)  // full: its turn passes, it keeps its place in the rotation
                stalled += 1
                continue
            }
            stalled = 0
            let head = heads[account] ?? 0
            started.append((account, waiting[account]![head]))
            busy[account, default: 0] += 1
            inFlight += 1
            if head + 1 == waiting[account]!.count {
                waiting[account] = nil
                heads[account] = nil
            } else {
                heads[account] = head + 1
                turns.append(account)
                // Drop what was taken once it is most of the array, so a long queue is not copied per take.
                if head + 1 >= 1024, head + 1 >= waiting[account]!.count / 2 {
                    waiting[account]!.removeFirst(head + 1)
                    heads[account] = 0
                }
            }
        }
        return started
    }

    /// A call of `account` ended: its slot is free.
    mutating func finish(account: String) {
        guard let count = busy[account], count > 0 else { preconditionFailure("no call in flight for \(account)") }
        busy[account] = count == 1 ? nil : count - 1
        inFlight -= 1
        if backlog(account) > 0, !turns.contains(account) { turns.append(account) }
    }
}
