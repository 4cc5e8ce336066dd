import Foundation
import GRDB
import Synchronization

extension AppDatabase {
    /// `body` applied to every item, the items spread over the machine's cores, results in item order.
    /// The all-city views are reads bound by the processor, and a pool of readers can run them side by side.
    public func concurrentMap<T: Sendable, R: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) throws -> R) throws -> [R] {
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, items.count)
        guard workers > 1 else { return try items.map(body) }
        let results = Mutex<[Int: Result<R, any Error>]>([:])
        // The threads may hold `body` a moment after they are done with it, so it escapes for real.
        fanOut.split(workers) { worker in
            for index in stride(from: worker, to: items.count, by: workers) {
                let result = Result { try body(items[index]) }
                results.withLock { $0[index] = result }
            }
        }
        return try results.withLock { all in try items.indices.map { try all[$0]!.get() } }
    }

    /// `prepare` applied to every item on another thread, a slice of items ahead of `consume`, which gets each
    /// item with what was prepared for it, in order, on the calling thread: two cores share work that would
    /// otherwise run one after the other. Fewer items than a slice are done on the calling thread alone.
    func pipelined<T: Sendable, R: Sendable>(_ items: [T], sliceSize: Int, prepare: @escaping @Sendable (T) throws -> R,
                                             consume: (T, R) throws -> Void) throws {
        let slices = stride(from: 0, to: items.count, by: sliceSize).map { items[$0..<min($0 + sliceSize, items.count)] }
        guard slices.count > 1 else {
            for item in items { try consume(item, try prepare(item)) }
            return
        }
        var next = PreparedSlice(slices[0], on: writePreparation, prepare)
        for index in slices.indices {
            let prepared = try next.wait()
            if index + 1 < slices.count { next = PreparedSlice(slices[index + 1], on: writePreparation, prepare) }
            for (item, result) in zip(slices[index], prepared) { try consume(item, result) }
        }
    }
}

/// A slice of items being prepared on a global queue; `wait` blocks until it is.
private final class PreparedSlice<R: Sendable>: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<[R], any Error>?>(nil)

    init<T: Sendable>(_ items: ArraySlice<T>, on threads: WorkerThreads, _ prepare: @escaping @Sendable (T) throws -> R) {
        threads.run { [self] in
            let prepared = Result { try items.map(prepare) }
            result.withLock { $0 = prepared }
            done.signal()
        }
    }

    func wait() throws -> [R] {
        done.wait()
        return try result.withLock { $0! }.get()
    }
}
