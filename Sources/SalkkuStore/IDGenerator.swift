import Foundation
import Synchronization

/// Server-generated identifiers: UUIDv7, time-ordered and, within one process, strictly increasing
/// (RFC 9562 method 1, a counter in the random bits), so that lists ordered by id follow creation.
public final class IDGenerator: Sendable {
    private struct State {
        var lastMillis: UInt64 = 0
        var counter: UInt64 = 0
    }
    private let state = Mutex(State())
    private let fixedMillis: UInt64?

    /// Random UUIDv7 from the wall clock.
    public init() { fixedMillis = nil }

    /// Deterministic ids at a fixed instant: the counter alone tells them apart.
    public init(deterministicAt millis: UInt64) { fixedMillis = millis }

    public func next() -> String {
        let (millis, counter): (UInt64, UInt64) = state.withLock { state in
            let now = fixedMillis ?? UInt64(max(0, Date().timeIntervalSince1970 * 1000))
            if now > state.lastMillis {
                state.lastMillis = now
                state.counter = fixedMillis == nil ? UInt64.random(in: 0..<(1 << 40)) : 0
            } else {
                state.counter += 1
            }
            return (state.lastMillis, state.counter)
        }
        let randomTail: UInt64 = fixedMillis == nil ? UInt64.random(in: 0..<(1 << 30)) : 0
        // 48 bits time | 4 bits version | 12 bits counter high | 2 bits variant | 30 bits counter low | 30 bits random
        let high = (millis << 16) | (0x7 << 12) | ((counter >> 30) & 0xFFF)
        let low = (UInt64(0b10) << 62) | ((counter & 0x3FFF_FFFF) << 32) | randomTail
        // Written digit by digit: ids are made for every write, millions when a data set is generated.
        return String(unsafeUninitializedCapacity: 36) { text in
            var at = 0
            for digit in 0..<32 {
                if digit == 8 || digit == 12 || digit == 16 || digit == 20 {
                    text[at] = UInt8(ascii: "-")
                    at += 1
                }
                let word = digit < 16 ? high : low
                text[at] = Hex.digits[Int((word >> UInt64(60 - 4 * (digit % 16))) & 0xF)]
                at += 1
            }
            return at
        }
    }
}

extension String {
    package func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
