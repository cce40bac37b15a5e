import Glibc

/// The signature libFuzzer calls for each input.
public typealias FuzzTarget = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ target: FuzzTarget
) -> CInt

public enum Fuzzer {
    /// Hands the process to libFuzzer. SwiftPM links an executable's `main` under another name, so each
    /// target's `@main` calls this instead of relying on libFuzzer's own `main`; the target also exports
    /// `LLVMFuzzerTestOneInput`, which that `main` (linked in whole by `-sanitize=fuzzer`) refers to.
    public static func run(_ target: FuzzTarget) -> Never {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, target))
    }

    /// An invariant the target checks: on failure it names it and aborts, which libFuzzer reports as a
    /// crash with the input saved.
    public static func check(
        _ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line
    ) {
        guard !condition else { return }
        report("invariant failed (\(file):\(line)): \(message())")
        abort()
    }

    /// One line on stderr, where libFuzzer writes too.
    public static func report(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
