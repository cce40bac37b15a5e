import ArgumentParser
import Glibc
import OzziRuntime

/// `ozzi tail WORKER`: a running host's live log lines and requests for one worker, as `wrangler tail` shows.
struct TailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Stream a running host's live log lines for one worker until Ctrl-C.",
        discussion: "The host must have [server] ops_token (or OZZI_OPS_TOKEN) set; pass the same token.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, pretty
    }

    @Argument(help: "The worker whose lines to show.") var worker: String
    @Option(help: "The host's address.") var url = "http://127.0.0.1:8787"
    @Option(help: "The host's ops_token (default: $OZZI_OPS_TOKEN).") var token: String?
    @Option(help: "json: one JSON object a line, as sent; pretty: readable lines.") var format: Format = .pretty

    func run() throws {
        guard let token = token ?? getenv("OZZI_OPS_TOKEN").map({ String(cString: $0) }), !token.isEmpty else {
            throw ValidationError("pass the host's ops_token with --token or OZZI_OPS_TOKEN")
        }
        do {
            try TailClient.stream(baseURL: url, worker: worker, token: token) { line in
                guard !line.contains(#""type":"keepalive""#) else { return }
                print(format == .json ? line : TailFormatter.pretty(line))
                fflush(nil)  // every open stream: stdout, line by line, even into a pipe
            }
        } catch let failure as TailClient.Failure {
            LogOutput.write("ozzi tail: \(failure)\n")
            throw ExitCode(1)
        }
        LogOutput.write("ozzi tail: the host ended the stream\n")
    }
}

/// Readable forms of the tail's lines: `time LEVEL message key=value` and `time METHOD path status duration`.
enum TailFormatter {
    static func pretty(_ line: String) -> String {
        guard case .object(var fields)? = try? JSONValue(jsonBytes: Array(line.utf8)) else { return line }
        let type = text(fields.removeValue(forKey: "type"))
        let time = text(fields.removeValue(forKey: "ts"))
        switch type {
        case "request":
            return "\(time) \(text(fields["method"])) \(text(fields["path"])) \(text(fields["status"])) \(text(fields["duration_ms"]))ms  request_id=\(text(fields["request_id"]))"
        case "log":
            let level = text(fields.removeValue(forKey: "level")).uppercased()
            let message = text(fields.removeValue(forKey: "msg"))
            let pairs = fields.keys.sorted().map { "\($0)=\(text(fields[$0]))" }.joined(separator: " ")
            return "\(time) \(level.padding(8)) \(message)\(pairs.isEmpty ? "" : "  " + pairs)"
        case "connected":
            return "\(time) tailing \(text(fields["worker"])); Ctrl-C to stop"
        case "dropped":
            return "\(time) (\(text(fields["lines"])) lines dropped: this client read too slowly)"
        default:
            return line
        }
    }

    private static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let s)?: s
        case .number(let n)?: n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b)?: String(b)
        case nil, .null?: ""
        case let other?: String(decoding: other.jsonBytes, as: UTF8.self)
        }
    }
}

private extension String {
    func padding(_ width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - count))
    }
}
