/// Who made a change: recorded with every write so the audit trail can name them.
public struct Actor: Sendable, Equatable, Codable {
    public var id: String?
    public var name: String
    public var role: String

    public init(id: String?, name: String, role: String) {
        self.id = id
        self.name = name
        self.role = role
    }

    public static let anonymous = Actor(id: nil, name: "anonymous", role: "anonymous")
    public static let demoSeed = Actor(id: nil, name: "demo-seed", role: "system")
}
