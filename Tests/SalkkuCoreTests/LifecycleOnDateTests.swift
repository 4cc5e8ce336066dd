import SalkkuCore
import Testing

/// A service's stage on a business date, from its recorded lifecycle dates (found by the black-box attack: the
/// benchmark's IT cost per resident, and the maturity criteria, counted today's active services on every date).
@Suite struct LifecycleOnDateTests {
    private func service(_ lifecycle: Lifecycle, _ dates: LifecycleDates?) -> ServiceFields {
        ServiceFields(name: "s", sector: .administration, owner: Owner(name: "A"), lifecycle: lifecycle, lifecycleDates: dates,
                      providerId: nil, annualCostCents: 100, criticality: .low)
    }

    static let cases: [(Lifecycle, LifecycleDates?, String, Lifecycle)] = [
        // No dates: the recorded stage on every date.
        (.active, nil, "1990-01-01", .active),
        (.retired, LifecycleDates(), "2030-01-01", .retired),
        // The latest stage begun by the date.
        (.retired, LifecycleDates(phaseIn: LocalDate("2017-01-01"), active: LocalDate("2018-01-01"), retired: LocalDate("2025-01-01")), "2022-06-30", .active),
        (.retired, LifecycleDates(phaseIn: LocalDate("2017-01-01"), active: LocalDate("2018-01-01"), retired: LocalDate("2025-01-01")), "2017-06-30", .phaseIn),
        (.retired, LifecycleDates(phaseIn: LocalDate("2017-01-01"), active: LocalDate("2018-01-01"), retired: LocalDate("2025-01-01")), "2025-01-01", .retired),
        // Before the first recorded stage: not yet in use when that is a phase-in or activation, in use before a phase-out.
        (.active, LifecycleDates(phaseIn: LocalDate("2020-01-01")), "2019-12-31", .plan),
        (.active, LifecycleDates(active: LocalDate("2020-01-01")), "2019-12-31", .phaseIn),
        (.retired, LifecycleDates(retired: LocalDate("2025-01-01")), "2024-12-31", .active),
        // From the last date on, the record stands when it is further along; a planned phase-out stands from its date.
        (.active, LifecycleDates(phaseIn: LocalDate("2020-01-01")), "2026-12-01", .active),
        (.active, LifecycleDates(active: LocalDate("2020-01-01"), phaseOut: LocalDate("2027-06-01")), "2026-12-01", .active),
        (.active, LifecycleDates(active: LocalDate("2020-01-01"), phaseOut: LocalDate("2027-06-01")), "2027-06-01", .phaseOut),
    ]

    @Test(arguments: cases)
    func stageOnADate(_ recorded: Lifecycle, _ dates: LifecycleDates?, _ on: String, _ expected: Lifecycle) {
        #expect(service(recorded, dates).lifecycle(on: LocalDate(on)!) == expected)
    }

    @Test func itCostPerResidentCountsTheServicesActiveOnTheDate() {
        let retiredIn2025 = service(.retired, LifecycleDates(active: LocalDate("2018-01-01"), retired: LocalDate("2025-01-01")))
        let newIn2026 = service(.active, LifecycleDates(active: LocalDate("2026-03-01")))
        let services = [retiredIn2025, newIn2026]
        #expect(ITCostPerResident(population: 10, services: services, on: LocalDate("2024-06-30")!).annualServiceCostCents == 100)
        #expect(ITCostPerResident(population: 10, services: services, on: LocalDate("2026-06-30")!).annualServiceCostCents == 100)
        #expect(ITCostPerResident(population: 10, services: services, on: LocalDate("2025-06-30")!).reason == "the city has no active services")
    }
}
