#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import HTTPTypes
import Hummingbird

/// An IPv4 or IPv6 network in CIDR notation (`10.0.0.0/8`, `::1/128`; a bare address is a single host).
public struct CIDR: Sendable, Equatable, CustomStringConvertible {
    let network: [UInt8]
    let prefixLength: Int
    public let description: String

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress.bytes(String(parts[0])) else { return nil }
        let bits = address.count * 8
        var prefix = bits
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...bits).contains(length) else { return nil }
            prefix = length
        }
        network = IPAddress.masked(address, prefix)
        prefixLength = prefix
        description = text
    }

    public func contains(_ address: String) -> Bool {
        guard let bytes = IPAddress.bytes(address), bytes.count == network.count else { return false }
        return IPAddress.masked(bytes, prefixLength) == network
    }
}

enum IPAddress {
    /// The address's bytes (4 or 16), or nil when it is not an IP address. IPv4-mapped IPv6 addresses
    /// (`::ffff:10.0.0.1`) read as their IPv4 address, so that a dual-stack listener matches IPv4 networks.
    static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff { return Array(bytes[12...]) }
        return bytes
    }

    static func masked(_ bytes: [UInt8], _ prefix: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let keep = max(0, min(8, prefix - index * 8))
            return keep == 8 ? byte : byte & ~(UInt8(0xff) >> keep)
        }
    }
}

/// Which peers are reverse proxies whose `X-Forwarded-For` may be believed.
public struct TrustedProxies: Sendable {
    public var networks: [CIDR]

    public init(_ networks: [CIDR] = []) { self.networks = networks }

    func trusts(_ address: String) -> Bool { networks.contains { $0.contains(address) } }

    /// The client's address: the peer's, unless the peer is a trusted proxy; then the right-most address of
    /// `X-Forwarded-For` that is not itself a trusted proxy (the left part of the header is the client's to write).
    func clientAddress(peer: String, forwardedFor headers: [String]) -> String {
        guard trusts(peer) else { return peer }
        let hops = headers.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        var client = peer
        for hop in hops.reversed() {
            guard IPAddress.bytes(hop) != nil else { break }
            client = hop
            if !trusts(hop) { break }
        }
        return client
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}
