import CLibUV
import Glibc

/// Allocation and closing of libuv handles.
///
/// A handle's `data` points at its Swift owner, retained with `Unmanaged.passRetained` when the handle is
/// set up and released only in the close callback, so the owner outlives every callback libuv can still make.
enum UVHandle {
    /// Zeroed memory for one handle of type `H`, freed by `close`.
    static func allocate<H>(_ type: H.Type) -> UnsafeMutablePointer<H> {
        let raw = calloc(1, MemoryLayout<H>.size)!
        return raw.bindMemory(to: H.self, capacity: 1)
    }

    /// Binds `owner` to the handle for the lifetime of the handle.
    static func retain<H>(_ handle: UnsafeMutablePointer<H>, owner: AnyObject) {
        handle.withMemoryRebound(to: uv_handle_t.self, capacity: 1) {
            $0.pointee.data = Unmanaged.passRetained(owner).toOpaque()
        }
    }

    /// Closes the handle once; its close callback releases the owner and frees the memory.
    static func close<H>(_ handle: UnsafeMutablePointer<H>) {
        handle.withMemoryRebound(to: uv_handle_t.self, capacity: 1) { h in
            guard uv_is_closing(h) == 0 else { return }
            uv_close(h) { h in
                guard let h else { return }
                if let data = h.pointee.data { Unmanaged<AnyObject>.fromOpaque(data).release() }
                free(h)
            }
        }
    }

    /// The owner bound by `retain`, for use inside callbacks.
    static func owner<Owner: AnyObject, H>(of handle: UnsafeMutablePointer<H>, as type: Owner.Type) -> Owner {
        handle.withMemoryRebound(to: uv_handle_t.self, capacity: 1) {
            Unmanaged<Owner>.fromOpaque($0.pointee.data!).takeUnretainedValue()
        }
    }
}
