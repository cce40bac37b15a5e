/// One ffmpeg command as a plan builds it: the inputs (each its own options before `-i`), the filter
/// graph's chains, and the files the chains read, named inside the work directory.
struct RenderGraph {
    let workDirectory: String
    private(set) var inputs: [[String]] = []
    private(set) var chains: [String] = []
    private(set) var files: [(path: String, contents: String)] = []
    private var names = 0

    init(workDirectory: String) {
        self.workDirectory = workDirectory.hasSuffix("/") && workDirectory.count > 1 ? String(workDirectory.dropLast()) : workDirectory
    }

    /// Adds an input; its number is the `N` of `[N:v]` and `[N:a]`.
    mutating func input(_ options: [String], path: String) -> Int {
        inputs.append(options + ["-i", path])
        return inputs.count - 1
    }

    /// A name no other pad or filter instance uses.
    mutating func name(_ prefix: String) -> String {
        names += 1
        return prefix + String(names)
    }

    mutating func chain(_ chain: String) {
        chains.append(chain)
    }

    /// Records a file for the caller to write before running ffmpeg, and returns its path.
    mutating func file(_ name: String, _ contents: String) -> String {
        let path = workDirectory + "/" + name
        files.append((path, contents))
        return path
    }

    var filterGraph: String { chains.joined(separator: ";\n") }
}
