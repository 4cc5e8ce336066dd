import Foundation

/// A fixed set of threads that run closures in the order given. Threads of its own, not libdispatch's global
/// queues: on Linux Swift's cooperative pool runs there, and work that filled them would hold up every request,
/// `/healthz` included. The threads live as long as this object (they hold only its queue) and are reused, so
/// no thread is made per request.
public final class WorkerThreads: Sendable {
    private final class Queue: @unchecked Sendable {
        // Guarded by `condition`.
        var jobs: [@Sendable () -> Void] = []
        var head = 0
        var stopping = false
        let condition = NSCondition()

        func next() -> (@Sendable () -> Void)? {
            condition.lock()
            defer { condition.unlock() }
            while head == jobs.count, !stopping { condition.wait() }
            guard head < jobs.count else { return nil }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            }
            return job
        }
    }

    private let queue = Queue()
    public let count: Int
    /// Marks this pool's threads, so that a split on one of them is recognised.
    private let identity = UUID().uuidString

    public init(count: Int) {
        self.count = count
        for _ in 0..<count {
            let queue = self.queue
            let identity = self.identity
            Thread {
                Thread.current.threadDictionary[Self.marker] = identity
                while let job = queue.next() { job() }
            }.start()
        }
    }

    deinit {
        queue.condition.lock()
        queue.stopping = true
        queue.condition.broadcast()
        queue.condition.unlock()
    }

    public func run(_ job: @escaping @Sendable () -> Void) {
        queue.condition.lock()
        queue.jobs.append(job)
        queue.condition.signal()
        queue.condition.unlock()
    }

    private static let marker = "salkku.workerThread"

    /// `body(part)` for each of `parts`, the first on the calling thread and the others on these threads;
    /// returns when all are done. Called on one of these threads (a split within a split), it runs every part
    /// there: waiting for the others could wait for itself.
    public func split(_ parts: Int, _ body: @escaping @Sendable (Int) -> Void) {
        if Thread.current.threadDictionary[Self.marker] as? String == identity {
            for part in 0..<parts { body(part) }
            return
        }
        let done = DispatchSemaphore(value: 0)
        for part in 1..<max(1, parts) {
            run {
                body(part)
                done.signal()
            }
        }
        body(0)
        for _ in 1..<max(1, parts) { done.wait() }
    }
}
