import ArgumentParser
import Foundation
import SysCost
import SysCostModel
import SysCostRender

struct EnvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env", abstract: "Print the environment a report records (JSON).")

    @Flag(help: "Also calibrate the TSC frequency against CLOCK_MONOTONIC_RAW (20 ms).")
    var calibrate = false

    @Flag(help: "Print only this machine in one line: CPU model · hostname · machine key (what scripts/kernel-matrix.sh records as the host of an emulated run).")
    var machine = false

    @OptionGroup var output: FormatOptions

    func run() throws {
        _ = try output.resolve([.json], default: .json)
        if machine {
            let f = EnvironmentCapture.capture(tscFrequencyHz: nil).fingerprint
            try say("\(f.cpuModelName) · \(f.hostname) · \(f.key)")
            return
        }
        let hz = calibrate ? TSCCalibration.frequencyHz() : nil
        try say(try PrettyJSON.string(EnvironmentCapture.capture(tscFrequencyHz: hz)), terminator: "")
    }
}
