import Glibc

/// How a program run competes for the cores: `.normal` as the host does, `.background` at nice 10 (about a
/// tenth of a normal thread's share when both want a core, all of it when nobody else does).
public enum CommandPriority: Sendable {
    case normal
    case background

    static let backgroundNice: Int32 = 10

    /// Nices the calling thread, once. On Linux `PRIO_PROCESS` with `who` 0 is the calling thread, not its
    /// process: the host's other threads keep their priority.
    static func niceThisThread() {
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        errno = 0
        let current = getpriority(which, 0)
        if errno == 0 && current >= backgroundNice { return }
        _ = setpriority(which, 0, backgroundNice)
    }
}
