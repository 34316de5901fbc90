import CSysCost
import Foundation
import SysCostModel

/// The vDSO's ELF image, parsed by hand (no dlsym): program headers, the dynamic section,
/// the GNU and SysV hash tables and symbol versions. Every read is bounds-checked against
/// the image's size, so a malformed image is refused with an error, never a crash.
public struct VDSOImage: @unchecked Sendable {  // read-only view of the mapped vDSO, which lives as long as the process
    public struct Symbol: Equatable {
        public var name: String
        public var version: String?
        /// Offset from the image's load base; add `base` for the address.
        public var value: UInt64
        public var size: UInt64
        public var isFunction: Bool
    }

    public enum ParseError: Error, CustomStringConvertible, Equatable {
        case noVDSO
        case truncated(String)
        case notELF64(String)
        case missing(String)

        public var description: String {
            switch self {
            case .noVDSO: return "this process has no vDSO (getauxval(AT_SYSINFO_EHDR) is 0)"
            case .truncated(let what): return "malformed vDSO image: \(what) lies outside the image"
            case .notELF64(let what): return "not a 64-bit little-endian ELF image: \(what)"
            case .missing(let what): return "malformed vDSO image: no \(what)"
            }
        }
    }

    /// The version the kernel's vDSO symbols carry on this architecture.
    public static var kernelVersion: String {
        #if arch(aarch64) || arch(arm64)
        return "LINUX_2.6.39"
        #else
        return "LINUX_2.6"
        #endif
    }

    /// The name prefix of the vDSO's own (non-alias) symbols.
    public static var symbolPrefix: String {
        #if arch(aarch64) || arch(arm64)
        return "__kernel_"
        #else
        return "__vdso_"
        #endif
    }

    public let bytes: UnsafeRawBufferPointer
    /// Where the image is mapped (0 for a copy that is only parsed).
    public let base: UInt
    /// vaddr − file offset of the text segment: symbol values are vaddrs.
    private let loadBias: Int64
    private let symtab: Int, strtab: Int, strsz: Int
    private let versym: Int?, verdef: Int?
    private let gnuHash: Int?, sysvHash: Int?
    public let symbolCount: Int

    /// The running process's vDSO, from getauxval(AT_SYSINFO_EHDR), bounded by its mapping
    /// in /proc/self/maps.
    public static func current() throws -> VDSOImage {
        let base = UInt(getauxval(UInt(AT_SYSINFO_EHDR)))
        guard base != 0 else { throw ParseError.noVDSO }
        var size = 2 * 4096
        if let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8),
           let line = maps.split(separator: "\n").first(where: { $0.hasSuffix("[vdso]") }) {
            let range = line.split(separator: " ")[0].split(separator: "-").compactMap { UInt($0, radix: 16) }
            if range.count == 2, range[0] == base { size = Int(range[1] - range[0]) }
        }
        return try VDSOImage(bytes: UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: base), count: size),
                             base: base)
    }

    public init(bytes: UnsafeRawBufferPointer, base: UInt = 0) throws {
        self.bytes = bytes
        self.base = base
        let r = Reader(bytes)
        guard bytes.count >= 64 else { throw ParseError.truncated("the ELF header") }
        guard try r.u32(0) == 0x464c_457f else { throw ParseError.notELF64("bad magic") }
        guard try r.u8(4) == 2 else { throw ParseError.notELF64("class is not ELFCLASS64") }
        guard try r.u8(5) == 1 else { throw ParseError.notELF64("not little-endian") }
        let phoff = Int(clamping: try r.u64(32))
        let phentsize = Int(try r.u16(54)), phnum = Int(try r.u16(56))
        guard phentsize >= 56 else { throw ParseError.notELF64("program header entries of \(phentsize) bytes") }

        var load: (offset: UInt64, vaddr: UInt64)?
        var dynamic: (offset: Int, size: Int)?
        for i in 0..<phnum {
            let ph = phoff + i * phentsize
            switch try r.u32(ph) {
            case 1 where load == nil: load = (try r.u64(ph + 8), try r.u64(ph + 16))  // PT_LOAD
            case 2: dynamic = (Int(clamping: try r.u64(ph + 8)), Int(clamping: try r.u64(ph + 32)))  // PT_DYNAMIC
            default: break
            }
        }
        guard let load else { throw ParseError.missing("PT_LOAD segment") }
        guard let dynamic else { throw ParseError.missing("PT_DYNAMIC segment") }
        let bias = Int64(bitPattern: load.vaddr &- load.offset)
        loadBias = bias
        func offset(ofVaddr v: UInt64) -> Int { Int(truncatingIfNeeded: Int64(bitPattern: v) - bias) }

        var tags: [Int64: UInt64] = [:]
        var at = dynamic.offset
        while at + 16 <= dynamic.offset + dynamic.size {
            let tag = Int64(bitPattern: try r.u64(at))
            if tag == 0 { break }  // DT_NULL
            tags[tag] = try r.u64(at + 8)
            at += 16
        }
        guard let sym = tags[6] else { throw ParseError.missing("DT_SYMTAB") }
        guard let str = tags[5] else { throw ParseError.missing("DT_STRTAB") }
        symtab = offset(ofVaddr: sym)
        strtab = offset(ofVaddr: str)
        strsz = Int(clamping: tags[10] ?? 0)
        versym = tags[0x6fff_fff0].map(offset(ofVaddr:))
        verdef = tags[0x6fff_fffc].map(offset(ofVaddr:))
        gnuHash = tags[0x6fff_fef5].map(offset(ofVaddr:))
        sysvHash = tags[4].map(offset(ofVaddr:))
        guard gnuHash != nil || sysvHash != nil else { throw ParseError.missing("DT_GNU_HASH or DT_HASH") }
        _ = try r.u32(strtab)  // the string table starts inside the image

        if let sysvHash {
            symbolCount = Int(try r.u32(sysvHash + 4))  // nchain
        } else {
            symbolCount = try Self.gnuSymbolCount(r, at: gnuHash!)
        }
        guard symbolCount >= 0, symbolCount < 1 << 16 else { throw ParseError.truncated("a symbol count of \(symbolCount)") }
        _ = try r.u64(symtab + max(symbolCount - 1, 0) * 24 + 16)  // the whole symbol table is inside
    }

    /// GNU hash tables do not store the symbol count: it is one past the last chain's end.
    private static func gnuSymbolCount(_ r: Reader, at h: Int) throws -> Int {
        let nbuckets = Int(try r.u32(h)), symoffset = Int(try r.u32(h + 4)), bloomSize = Int(try r.u32(h + 8))
        let buckets = h + 16 + bloomSize * 8
        var last = 0
        for b in 0..<nbuckets { last = max(last, Int(try r.u32(buckets + b * 4))) }
        guard last >= symoffset else { return symoffset }
        let chains = buckets + nbuckets * 4
        var i = last
        while try r.u32(chains + (i - symoffset) * 4) & 1 == 0 {
            i += 1
            guard i - last < 1 << 16 else { throw ParseError.truncated("a GNU hash chain") }
        }
        return i + 1
    }

    /// Every defined symbol, in table order.
    public func symbols() throws -> [Symbol] {
        try (1..<max(symbolCount, 1)).compactMap { try symbol(at: $0) }
    }

    /// The address of `name` at `version` (default: this architecture's kernel version),
    /// or nil when the image does not export it.
    public func address(of name: String, version: String? = VDSOImage.kernelVersion) throws -> UnsafeRawPointer? {
        guard let s = try lookup(name, version: version) else { return nil }
        return UnsafeRawPointer(bitPattern: base &+ UInt(truncatingIfNeeded: Int64(bitPattern: s.value) - loadBias))
    }

    /// Finds `name` through the GNU hash table when there is one, else the SysV one.
    public func lookup(_ name: String, version: String?) throws -> Symbol? {
        let r = Reader(bytes)
        func matches(_ index: Int) throws -> Symbol? {
            guard let s = try symbol(at: index), s.name == name else { return nil }
            if let version, s.version != version { return nil }
            return s
        }
        if let h = gnuHash {
            let hash = Self.gnuHash(name)
            let nbuckets = Int(try r.u32(h)), symoffset = Int(try r.u32(h + 4)), bloomSize = Int(try r.u32(h + 8))
            guard nbuckets > 0 else { return nil }
            let buckets = h + 16 + bloomSize * 8, chains = buckets + nbuckets * 4
            var i = Int(try r.u32(buckets + Int(hash % UInt32(nbuckets)) * 4))
            guard i >= symoffset, i != 0 else { return nil }
            while true {
                let h2 = try r.u32(chains + (i - symoffset) * 4)
                if h2 | 1 == hash | 1, let s = try matches(i) { return s }
                if h2 & 1 == 1 || i >= symbolCount { return nil }
                i += 1
            }
        }
        let h = sysvHash!
        let nbucket = Int(try r.u32(h)), nchain = Int(try r.u32(h + 4))
        guard nbucket > 0 else { return nil }
        var i = Int(try r.u32(h + 8 + Int(Self.sysvHash(name) % UInt32(nbucket)) * 4))
        var steps = 0
        while i != 0 {
            guard i < nchain, steps <= nchain else { throw ParseError.truncated("a SysV hash chain") }
            if let s = try matches(i) { return s }
            i = Int(try r.u32(h + 8 + nbucket * 4 + i * 4))
            steps += 1
        }
        return nil
    }

    private func symbol(at index: Int) throws -> Symbol? {
        let r = Reader(bytes)
        let at = symtab + index * 24
        let info = try r.u8(at + 4), shndx = try r.u16(at + 6)
        let type = info & 0xf, binding = info >> 4
        guard shndx != 0, binding == 1 || binding == 2, type == 2 || type == 0 || type == 1 else { return nil }
        let name = try string(at: Int(try r.u32(at)))
        guard !name.isEmpty else { return nil }
        return Symbol(name: name, version: try version(ofSymbol: index), value: try r.u64(at + 8),
                      size: try r.u64(at + 16), isFunction: type == 2)
    }

    private func version(ofSymbol index: Int) throws -> String? {
        guard let versym, let verdef else { return nil }
        let r = Reader(bytes)
        let wanted = try r.u16(versym + index * 2) & 0x7fff
        guard wanted > 1 else { return nil }  // 0 local, 1 global: unversioned
        var at = verdef
        for _ in 0..<64 {
            if try r.u16(at + 4) == wanted {  // vd_ndx
                let aux = at + Int(try r.u32(at + 12))
                return try string(at: Int(try r.u32(aux)))
            }
            let next = Int(try r.u32(at + 16))
            if next == 0 { return nil }
            at += next
        }
        throw ParseError.truncated("the version definitions")
    }

    private func string(at offset: Int) throws -> String {
        let start = strtab + offset
        guard offset >= 0, start < bytes.count, strsz == 0 || offset < strsz else {
            throw ParseError.truncated("a string at offset \(offset)")
        }
        var end = start
        while end < bytes.count, bytes[end] != 0 { end += 1 }
        guard end < bytes.count else { throw ParseError.truncated("an unterminated string") }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    static func gnuHash(_ name: String) -> UInt32 {
        name.utf8.reduce(UInt32(5381)) { $0 &* 33 &+ UInt32($1) }
    }

    static func sysvHash(_ name: String) -> UInt32 {
        var h: UInt32 = 0
        for c in name.utf8 {
            h = (h << 4) &+ UInt32(c)
            let g = h & 0xf000_0000
            if g != 0 { h ^= g >> 24 }
            h &= ~g
        }
        return h
    }

    /// Bounds-checked little-endian reads.
    struct Reader {
        let bytes: UnsafeRawBufferPointer
        init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        private func check(_ at: Int, _ width: Int) throws {
            guard at >= 0, width <= bytes.count, at <= bytes.count - width else {
                throw ParseError.truncated("\(width) bytes at offset \(at)")
            }
        }
        func u8(_ at: Int) throws -> UInt8 { try check(at, 1); return bytes[at] }
        func u16(_ at: Int) throws -> UInt16 { try check(at, 2); return UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self)) }
        func u32(_ at: Int) throws -> UInt32 { try check(at, 4); return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        func u64(_ at: Int) throws -> UInt64 { try check(at, 8); return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
    }
}
