import Foundation
import Testing

@testable import SalkkuCore

private let stamp = Timestamp(millisecondsSinceEpoch: 0)

private func project(_ id: String, phase: ProjectPhase = .execution, health: ProjectHealth? = .onTrack, plannedEnd: String? = nil) -> Resource<ProjectFields> {
    var fields = ProjectFields(name: id, sector: .administration, owner: Owner(name: "A"), phase: phase, health: health)
    fields.plannedEndDate = plannedEnd.flatMap(LocalDate.init)
    return Resource(meta: ResourceMeta(id: id, cityId: "c", version: 1, createdAt: stamp, updatedAt: stamp), fields: fields)
}

private func measure(_ due: String, _ status: TransitionMeasureStatus, projects: [String] = []) -> TransitionMeasure {
    TransitionMeasure(title: "M \(due)", dueOn: LocalDate(due)!, status: status, projectIds: projects)
}

private func plan(stage: Int = 3, by target: String = "2028-12-31", _ measures: [TransitionMeasure] = []) -> TransitionPlanFields {
    TransitionPlanFields(targetStage: stage, targetDate: LocalDate(target)!, option: .cooperationModel, measures: measures)
}

@Suite struct TransitionPlanProgressTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var plan: TransitionPlanFields
        var current: Int
        var on: String
        var projects: [Resource<ProjectFields>] = []
        var status: TransitionPlanStatus
        var daysToTarget: Int
        var overdue: [Int] = []
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "target stage reached, even after the date", plan: plan(stage: 2, by: "2026-01-01"), current: 2, on: "2026-12-01",
             status: .reached, daysToTarget: -334),
        Case(label: "beyond the target", plan: plan(stage: 2), current: 3, on: "2026-12-01", status: .reached, daysToTarget: 761),
        Case(label: "nothing open and the date ahead", plan: plan([measure("2027-01-01", .planned)]), current: 1, on: "2026-12-01",
             status: .onTrack, daysToTarget: 761),
        Case(label: "due today is not yet overdue", plan: plan([measure("2026-12-01", .inProgress)]), current: 2, on: "2026-12-01",
             status: .onTrack, daysToTarget: 761),
        Case(label: "an open measure past its date", plan: plan([measure("2026-11-30", .inProgress), measure("2026-06-01", .planned),
                                                                  measure("2026-01-01", .done)]),
             current: 2, on: "2026-12-01", status: .behind, daysToTarget: 761, overdue: [1, 0]),
        Case(label: "done and cancelled measures are never overdue", plan: plan([measure("2025-01-01", .done), measure("2025-01-01", .cancelled)]),
             current: 1, on: "2026-12-01", status: .onTrack, daysToTarget: 761),
        Case(label: "target date passed without the stage", plan: plan(stage: 3, by: "2026-11-30"), current: 2, on: "2026-12-01",
             status: .missed, daysToTarget: -1),
        Case(label: "the target date itself is still ahead", plan: plan(stage: 3, by: "2026-12-01"), current: 2, on: "2026-12-01",
             status: .onTrack, daysToTarget: 0),
        Case(label: "an open measure's project off track", plan: plan([measure("2027-06-01", .inProgress, projects: ["p1"])]), current: 1,
             on: "2026-12-01", projects: [project("p1", health: .offTrack)], status: .behind, daysToTarget: 761),
        Case(label: "an open measure's project late", plan: plan([measure("2027-06-01", .inProgress, projects: ["p1"])]), current: 1,
             on: "2026-12-01", projects: [project("p1", plannedEnd: "2026-10-31")], status: .behind, daysToTarget: 761),
        Case(label: "an open measure's project deleted", plan: plan([measure("2027-06-01", .planned, projects: ["gone"])]), current: 1,
             on: "2026-12-01", status: .behind, daysToTarget: 761),
        Case(label: "a cancelled project of a measure done is history", plan: plan([measure("2026-06-01", .done, projects: ["p1"])]), current: 1,
             on: "2026-12-01", projects: [project("p1", phase: .cancelled)], status: .onTrack, daysToTarget: 761),
        Case(label: "a closed project past its planned end is not late", plan: plan([measure("2027-06-01", .inProgress, projects: ["p1"])]),
             current: 1, on: "2026-12-01", projects: [project("p1", phase: .closed, plannedEnd: "2026-10-31")], status: .onTrack, daysToTarget: 761),
    ]

    @Test(arguments: cases) func status(_ c: Case) {
        let progress = TransitionPlanProgress(plan: c.plan, currentStage: c.current, on: LocalDate(c.on)!, projects: c.projects)
        #expect(progress.status == c.status)
        #expect(progress.onTrack == [.reached, .onTrack].contains(c.status))
        #expect(progress.daysToTarget == c.daysToTarget)
        #expect(progress.measures.overdueIndexes == c.overdue)
        #expect(progress.stagesToGo == max(0, c.plan.targetStage - c.current))
    }

    @Test func measuresAreTalliedAndProjectsListedOnceInOrder() {
        let plan = plan([measure("2027-01-01", .done, projects: ["p2"]), measure("2027-02-01", .planned, projects: ["p1", "p2"]),
                         measure("2027-03-01", .inProgress), measure("2027-04-01", .cancelled)])
        let progress = TransitionPlanProgress(plan: plan, currentStage: 1, on: LocalDate("2026-12-01")!,
                                              projects: [project("p1"), project("p2", phase: .closed)])
        #expect(progress.measures == MeasureTally(total: 4, done: 1, inProgress: 1, planned: 1, cancelled: 1, overdue: 0, overdueIndexes: []))
        #expect(progress.projects.map(\.projectId) == ["p2", "p1"])
        #expect(progress.projects.map(\.measureIndexes) == [[0, 1], [1]])
        #expect(progress.projects[0].phase == .closed && progress.projects[1].name == "p1")
        #expect(progress.optionName.fi == "Vaihtoehto 2: yhteistyömalli")
    }

    @Test func theMaturityResultShowsProgressAgainstThePlan() {
        var inputs = MaturityInputs(cityId: "c", date: LocalDate("2026-12-01")!, governance: nil, effortProfile: nil, assessments: [], contracts: [],
                                    services: [], projects: [], slas: [], suppliers: [:], reporting: [:])
        #expect(Maturity(inputs).transitionPlan == nil)
        inputs.transitionPlan = plan(stage: 2, by: "2027-12-31", [measure("2026-11-01", .planned)])
        let maturity = Maturity(inputs)
        #expect(maturity.stage.level == 1)
        #expect(maturity.transitionPlan?.currentStage == 1 && maturity.transitionPlan?.status == .behind)
        #expect(maturity.transitionPlan?.daysToTarget == 395)
    }
}

@Suite struct TransitionPlanReadingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var body: String
        var errors: Set<String>
        var testDescription: String { body }
    }

    static let cases: [Case] = [
        Case(body: #"{"targetStage": 3, "targetDate": "2028-12-31", "option": "own-development-model"}"#, errors: []),
        Case(body: #"{}"#, errors: ["/targetStage", "/targetDate", "/option"]),
        Case(body: #"{"targetStage": 1, "targetDate": "2028-12-31", "option": "outsourcing"}"#, errors: ["/targetStage", "/option"]),
        Case(body: #"{"targetStage": 4, "targetDate": "2028-02-30", "option": "cooperation-model", "id": "x"}"#,
             errors: ["/targetStage", "/targetDate", "/id"]),
        Case(body: #"{"targetStage": 3, "targetDate": "2028-12-31", "option": "cooperation-model", "measures": [{"title": "", "dueOn": "2027-01-01", "status": "maybe", "projectIds": ["p", "p"]}, {"x": 1}]}"#,
             errors: ["/measures/0/title", "/measures/0/status", "/measures/0/projectIds/1", "/measures/1/title", "/measures/1/dueOn",
                      "/measures/1/status", "/measures/1/x"]),
        Case(body: #"{"targetStage": 3, "targetDate": "2026-01-01", "option": "cooperation-model", "decision": {"body": "city-board", "decidedOn": "2026-11-16", "reference": "Kh 16.11.2026 § 412"}, "measures": [{"title": "A", "dueOn": "2026-01-01", "status": "planned"}, {"title": "B", "dueOn": "2026-01-01", "status": "done"}]}"#,
             errors: ["/targetDate", "/measures/0/dueOn"]),
        Case(body: #"{"targetStage": 3, "targetDate": "2028-12-31", "option": "cooperation-model", "decision": {"body": "mayor", "decidedOn": "2026-11-16"}}"#,
             errors: ["/decision/body", "/decision/reference"]),
    ]

    @Test(arguments: cases) func validation(_ c: Case) throws {
        let errors = InputErrors()
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(c.body.utf8))
        let fields = TransitionPlanFields.read(value, errors: errors)
        #expect(Set(errors.list.compactMap(\.pointer)) == c.errors)
        #expect((fields == nil) == !c.errors.isEmpty)
    }
}
