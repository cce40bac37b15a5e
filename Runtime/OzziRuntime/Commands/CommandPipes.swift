import Glibc

/// A running program's three pipes, served with `poll` until it closes its output: its input written as
/// it reads, its output and errors gathered. Both must be drained together, or a program that fills one
/// pipe while we wait on the other never finishes.
struct CommandPipes {
    enum Outcome: Equatable { case finished, timedOut, tooMuchOutput, cancelled }

    private let input: [UInt8]
    private var written = 0
    private var stdin: Int32
    private var stdout: Int32
    private var stderr: Int32
    private let maxOutputBytes: Int
    private let onOutput: (@Sendable ([UInt8]) -> Void)?
    private let cancellation: CommandCancellation?
    private var handedOver = 0
    private(set) var stdoutBytes: [UInt8] = []
    private(set) var stderrBytes: [UInt8] = []

    init(input: [UInt8], stdin: Int32, stdout: Int32, stderr: Int32, maxOutputBytes: Int, onOutput: (@Sendable ([UInt8]) -> Void)? = nil,
         cancellation: CommandCancellation? = nil) {
        self.onOutput = onOutput
        self.cancellation = cancellation
        self.input = input
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.maxOutputBytes = maxOutputBytes
        // A program that exits without reading its input must not kill us with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        _ = fcntl(stdin, F_SETFL, fcntl(stdin, F_GETFL) | O_NONBLOCK)
        if input.isEmpty { closeInput() }
    }

    mutating func pump(deadline: Int64) -> Outcome {
        defer { for fd in [stdin, stdout, stderr] where fd >= 0 { close(fd) } }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while stdout >= 0 || stderr >= 0 {
            let left = deadline - CommandRunner.nowMilliseconds()
            guard left > 0 else { return .timedOut }
            if cancellation?.isCancelled == true { return .cancelled }
            var fds = [pollfd(fd: stdout, events: Int16(POLLIN), revents: 0), pollfd(fd: stderr, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: stdin, events: Int16(POLLOUT), revents: 0)]
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(left, cancellation == nil ? 1_000 : 200)))
            if ready < 0 && errno != EINTR { return .finished }
            if fds[2].revents != 0 { writeInput() }
            for (index, fd) in [stdout, stderr].enumerated() where fd >= 0 && fds[index].revents != 0 {
                let count = read(fd, &buffer, buffer.count)
                if count > 0 {
                    if index == 0, let onOutput {
                        // Handed over, not kept: a long run's output is counted against the limit all the same.
                        handedOver += count
                        onOutput(Array(buffer[0..<count]))
                    } else if index == 0 {
                        stdoutBytes += buffer[0..<count]
                    } else {
                        stderrBytes += buffer[0..<count]
                    }
                    if handedOver + stdoutBytes.count + stderrBytes.count > maxOutputBytes { return .tooMuchOutput }
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(fd)
                    if index == 0 { stdout = -1 } else { stderr = -1 }
                }
            }
        }
        return .finished
    }

    private mutating func writeInput() {
        guard stdin >= 0 else { return }
        let count = input.withUnsafeBytes { bytes in write(stdin, bytes.baseAddress! + written, input.count - written) }
        if count > 0 { written += count }
        if written == input.count || (count < 0 && errno != EAGAIN && errno != EINTR) { closeInput() }
    }

    private mutating func closeInput() {
        if stdin >= 0 { close(stdin) }
        stdin = -1
    }
}
