/// The carrier keywords an inbound SMS may be: opting out, back in, or asking for help.
enum InboundKeyword: String, Sendable {
    case stop, start, help

    init?(body: String) {
        switch body.trimmingPrefixAndSuffixSpaces().uppercased() {
        case "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT": self = .stop
        case "START", "UNSTOP", "YES": self = .start
        case "HELP", "INFO": self = .help
        default: return nil
        }
    }
}
