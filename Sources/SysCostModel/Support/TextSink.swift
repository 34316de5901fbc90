import Foundation

/// Where a document is written piece by piece, so no format has to hold its whole text: a
/// report of four million rounds in google/benchmark's JSON is 1.6 GB of text, written here
/// in pieces of at most `chunk` bytes. Every write to a descriptor is checked; the first that
/// fails stops the document (`Failed`, with its errno), and nothing more is written.
public final class TextSink {
    /// A write that failed: the errno (ENOSPC, EPIPE, EIO, a short write's cause), or EINTR
    /// when a stop (SIGINT, SIGTERM, SIGHUP) arrived while the document was being written.
    public struct Failed: Error, Sendable { public var code: Int32 }

    enum Destination { case descriptor(Int32), memory }

    private let destination: Destination
    private var buffer: [UInt8] = []
    private var kept: [UInt8] = []
    /// Bytes handed to the descriptor so far.
    public private(set) var written = 0
    static let chunk = 1 << 20

    /// Writes to an open descriptor, which the caller closes.
    public init(descriptor fd: Int32) { destination = .descriptor(fd) }

    /// Keeps what is written, for `text` (a document asked for as a string).
    public init() { destination = .memory }

    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.chunk { try flush() }
    }

    public func write(_ data: Data) throws {
        buffer.append(contentsOf: data)
        if buffer.count >= Self.chunk { try flush() }
    }

    /// Hands what is buffered on; a document's writer calls it at the end.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        switch destination {
        case .memory: kept.append(contentsOf: buffer)
        case .descriptor(let fd):
            if SignalDeferral.pending { buffer.removeAll(); throw Failed(code: EINTR) }
            if let code = buffer.withUnsafeBytes({ OutputFile.writeAll($0, to: fd) }) { buffer.removeAll(); throw Failed(code: code) }
            written += buffer.count
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// What a memory sink was given, flushed.
    public var text: String {
        try? flush()
        return String(decoding: kept, as: UTF8.self)
    }

    /// `produce` written to `fd`, flushed; the errno of the first failed write, or nil.
    public static func write(to fd: Int32, _ produce: (TextSink) throws -> Void) throws -> Int32? {
        let sink = TextSink(descriptor: fd)
        do {
            try produce(sink)
            try sink.flush()
            return nil
        } catch let failed as Failed {
            return failed.code
        }
    }
}
