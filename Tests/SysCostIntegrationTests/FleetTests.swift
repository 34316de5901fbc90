import Foundation
@testable import SysCost
@testable import SysCostModel
import Testing
import SysCostTestSupport

/// The fleet watch end to end, with the real servers (Debian's prometheus and
/// prometheus-node-exporter, which scripts/setup.sh installs): `syscost watch` writes its
/// .prom file, node_exporter's textfile collector serves it, Prometheus scrapes it with
/// contrib's rules loaded, and the getppid gauge Prometheus answers is the report's p10.
/// Both servers listen on loopback only, on free ports, in a folder of the test's own, and are
/// stopped on every way out of the test.
@Suite(.serialized) struct FleetTests {
    /// A port no one listens on now: bound to port 0 on loopback, read back, closed.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CheckFailure("socket: \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw CheckFailure("bind: \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A server started with its output in `log`, to be stopped by `stop`.
    final class Server {
        let process = Process()
        let log: URL
        init(_ path: String, _ arguments: [String], log: URL) throws {
            self.log = log
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
        }
        var output: String { String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self).suffix(3000).description }
        func stop() {
            guard process.isRunning else { return }
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// GETs `path` from 127.0.0.1:`port` over a plain socket (HTTP/1.0: the server closes the
    /// connection after its answer) and decodes the JSON body; nil while the server does not
    /// answer yet. Blocking on purpose, with a 5 s timeout on each read and write: a loaded
    /// machine's test runner may leave no thread free for an async client's callbacks.
    static func get(_ port: Int, _ path: String) -> [String: Any]? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard connected, write(fd, request, request.count) == request.count else { return nil }
        var response = [UInt8](), buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 { return nil }
            if n == 0 { break }
            response += buffer[0..<n]
        }
        let separator = Array("\r\n\r\n".utf8)
        guard let at = (0...max(0, response.count - 4)).first(where: { Array(response[$0..<min($0 + 4, response.count)]) == separator }) else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(response[(at + 4)...]))) as? [String: Any]
    }

    /// Polls `probe` until it gives a value, for at most `seconds` (a bound, not a wait: it returns
    /// as soon as the state is reached). Fails naming `what` and the servers' logs.
    static func poll<T>(_ what: String, seconds: Double, servers: [Server], _ probe: () -> T?) throws -> T {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let value = probe() { return value }
            for s in servers where !s.process.isRunning { throw CheckFailure("\(s.log.lastPathComponent) exited while waiting for \(what): \(s.output)") }
            usleep(100_000)
        }
        throw CheckFailure("no \(what) within \(Int(seconds)) s: \(servers.map(\.output).joined(separator: "\n---\n"))")
    }

    @Test func prometheusScrapesTheWatchsGauge() throws {
        let dir = try TempFolder("fleet").url
        defer { try? FileManager.default.removeItem(at: dir) }
        let textfile = dir.appendingPathComponent("textfile"), state = dir.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: textfile, withIntermediateDirectories: false)

        let watch = try CLI.run(["watch", "--state-dir", state.path, "--textfile-dir", textfile.path, "syscall/getppid/raw"])
        #expect(watch.status == 0, "\(watch.stderr)")
        let saved = try #require(FileManager.default.enumerator(atPath: state.appendingPathComponent("runs").path)?
            .compactMap { $0 as? String }.first { $0.hasSuffix(".json") })
        let report = try ReportLoader.load(state.appendingPathComponent("runs/" + saved).path)
        let p10 = try #require(report.results.byID["syscall/getppid/raw"]?.summary?.p10)

        let nodePort = try Self.freePort(), promPort = try Self.freePort()
        let node = try Server("/usr/bin/prometheus-node-exporter", [
            "--web.listen-address=127.0.0.1:\(nodePort)", "--collector.disable-defaults", "--collector.textfile",
            "--collector.textfile.directory=\(textfile.path)"], log: dir.appendingPathComponent("node_exporter.log"))
        defer { node.stop() }
        let rules = PackageRoot.url.appendingPathComponent("contrib/prometheus/syscost.rules.yml").path
        try """
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            rule_files: ["\(rules)"]
            scrape_configs:
              - job_name: node
                static_configs: [{targets: ["127.0.0.1:\(nodePort)"]}]
            """.write(to: dir.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        let prometheus = try Server("/usr/bin/prometheus", [
            "--config.file=\(dir.appendingPathComponent("prometheus.yml").path)", "--storage.tsdb.path=\(dir.appendingPathComponent("data").path)",
            "--web.listen-address=127.0.0.1:\(promPort)"], log: dir.appendingPathComponent("prometheus.log"))
        defer { prometheus.stop() }

        _ = try Self.poll("target up", seconds: 120, servers: [node, prometheus]) { () -> Bool? in
            let targets = Self.get(promPort, "/api/v1/targets")?["data"] as? [String: Any]
            let active = targets?["activeTargets"] as? [[String: Any]] ?? []
            return active.contains { $0["health"] as? String == "up" } ? true : nil
        }
        let query = "syscost_op_seconds{id=\"syscall/getppid/raw\",estimator=\"p10\"}"
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let sample = try Self.poll("getppid gauge", seconds: 60, servers: [node, prometheus]) { () -> [String: Any]? in
            let result = (Self.get(promPort, "/api/v1/query?query=" + encoded)?["data"] as? [String: Any])?["result"] as? [[String: Any]]
            return result?.first
        }
        let value = try #require((sample["value"] as? [Any])?.last as? String)
        #expect(Double(value) == p10 * 1e-9, "Prometheus has \(value), the report's p10 is \(p10) ns")
        let labels = try #require(sample["metric"] as? [String: String])
        #expect(labels["kernel"] == report.environment.kernel.release && labels["machine"] == report.environment.fingerprint.key.rawValue)
        // contrib's rules load in a real Prometheus, every one healthy.
        let groups = (Self.get(promPort, "/api/v1/rules")?["data"] as? [String: Any])?["groups"] as? [[String: Any]] ?? []
        let loaded = groups.flatMap { $0["rules"] as? [[String: Any]] ?? [] }
        #expect(loaded.count == 3 && loaded.allSatisfy { $0["health"] as? String != "err" }, "\(loaded)")
    }
}
