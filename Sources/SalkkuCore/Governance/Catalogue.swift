/// A name or text in Finnish and English, as reference-catalogue entries carry them.
public struct BilingualText: Codable, Sendable, Equatable, Hashable {
    public var fi: String
    public var en: String

    public init(fi: String, en: String) {
        self.fi = fi
        self.en = en
    }
}

/// A capability of IT management or IT production in the seed report's target state (figures 1.3–1.4).
public struct Capability: Codable, Sendable, Equatable {
    public var id: String
    public var parentId: String?
    public var name: BilingualText
    public var description: BilingualText
}

public enum ProcessFramework: String, APIEnum {
    case cobit2019 = "cobit-2019"
    case itil4 = "itil-4"
    case publicITGovernance = "public-it-governance"
}

/// A COBIT objective, an ITIL practice or a public IT governance function, with its cross-references.
public struct CatalogueProcess: Codable, Sendable, Equatable {
    public var id: String
    public var framework: ProcessFramework
    public var code: String
    public var name: BilingualText
    public var group: String
    public var references: [String]
}

/// A named set of processes whose maturity is read together (COBIT 2019 focus areas).
public struct FocusArea: Codable, Sendable, Equatable {
    public var id: String
    public var name: BilingualText
    public var description: BilingualText
    public var processIds: [String]
}

/// The reference catalogue Salkku ships. A migration loads it into the database; these lists are its source.
public enum GovernanceCatalogue {
    static func capability(_ id: String, parent: String? = nil, fi: String, en: String, about fiText: String, _ enText: String) -> Capability {
        Capability(id: id, parentId: parent, name: BilingualText(fi: fi, en: en), description: BilingualText(fi: fiText, en: enText))
    }

    /// The five sectors of figure 1.4, in its order: the children of `sector-expertise`, and the sectors by which
    /// solution management is grouped (figure 1.3). Ids are stable: services, contracts and stored sourcing name them.
    public static let sectors: [(key: String, fi: String, en: String)] = [
        ("social-health", "Sosiaali- ja terveyspalvelut", "Social and health services"),
        ("education-culture", "Opetus- ja kulttuuripalvelut", "Education and culture services"),
        ("housing-environment", "Asumis- ja ympäristöpalvelut", "Housing and environment services"),
        ("administration", "Hallintopalvelut", "Administrative services"),
        ("e-services", "Sähköisen asioinnin ratkaisut", "E-services solutions"),
    ]

    /// The sector-expertise capabilities (`sector-expertise/<sector>`), one per sector: where a city's sector
    /// expertise sits is read from their sourcing.
    public static let sectorExpertiseIds: [String] = sectors.map { "sector-expertise/\($0.key)" }

    /// The solution-management capabilities (`solution-management/<sector>`), one per sector.
    public static let solutionManagementIds: [String] = sectors.map { "solution-management/\($0.key)" }

    public static let capabilities: [Capability] = [
        capability("city-strategy-and-leadership", fi: "Kaupungin strategia ja johtaminen", en: "City strategy and leadership",
                   about: "Kaupungin johdon strategia ja johtaminen, jota tietohallinto palvelee.",
                   "The city leadership's strategy and management, which IT management serves."),
        capability("strategic-ict-planning", parent: "city-strategy-and-leadership",
                   fi: "Strateginen ICT-suunnittelu ja ICT-johtaminen", en: "Strategic ICT planning and ICT leadership",
                   about: "Yhdistää tietohallinnon kaupungin strategiaan, muutoksiin ja tarpeisiin.",
                   "Connects IT management to the city's strategy, changes and needs."),
        capability("sector-expertise", fi: "Tietohallinnon toimialaosaaminen ja ratkaisut", en: "Sector expertise and solutions of IT management",
                   about: "Toimialojen palvelutoiminnan ja sen tietojärjestelmien tuntemus sekä toimialojen ratkaisujen hallinta.",
                   "Knowledge of the sectors' services and their information systems, and management of the sectors' solutions."),
        capability("sector-expertise/social-health", parent: "sector-expertise", fi: "Sosiaali- ja terveyspalvelut", en: "Social and health services",
                   about: "Sosiaali- ja terveyspalvelujen tietohallinto-osaaminen, esim. kasvun ja kehityksen tuki, sairauden tutkimus ja hoito sekä arjen tuki.",
                   "IT expertise of social and health services, e.g. support for growth and development, diagnosis and care, and support for daily life."),
        capability("sector-expertise/education-culture", parent: "sector-expertise", fi: "Opetus- ja kulttuuripalvelut",
                   en: "Education and culture services",
                   about: "Opetus- ja kulttuuripalvelujen tietohallinto-osaaminen.", "IT expertise of education and culture services."),
        capability("sector-expertise/housing-environment", parent: "sector-expertise", fi: "Asumis- ja ympäristöpalvelut",
                   en: "Housing and environment services",
                   about: "Asumis- ja ympäristöpalvelujen tietohallinto-osaaminen.", "IT expertise of housing and environment services."),
        capability("sector-expertise/administration", parent: "sector-expertise", fi: "Hallintopalvelut", en: "Administrative services",
                   about: "Hallintopalvelujen tietohallinto-osaaminen.", "IT expertise of administrative services."),
        capability("sector-expertise/e-services", parent: "sector-expertise", fi: "Sähköisen asioinnin ratkaisut", en: "E-services solutions",
                   about: "Kuntalaisten sähköisen asioinnin ratkaisut yli toimialojen.", "Residents' e-services across sectors."),
        // Figure 1.3 draws solution management as a row across the sectors and groups its tasks by service area,
        // "which today largely matches the sector division"; figure 1.4 puts it with sector expertise.
        capability("solution-management", parent: "sector-expertise", fi: "Ratkaisujen hallinta", en: "Solution management",
                   about: "Vuosikellon mukainen palvelu- ja kehityssuunnittelu sekä palvelujen seuranta ja tuki, toimialoittain.",
                   "Service and development planning by the annual cycle, and monitoring and support of services, by sector."),
        capability("solution-management/social-health", parent: "solution-management",
                   fi: "Ratkaisujen hallinta: sosiaali- ja terveyspalvelut", en: "Solution management: social and health services",
                   about: "Sosiaali- ja terveyspalvelujen ratkaisujen vuosikello, seuranta ja tuki.",
                   "The annual cycle, monitoring and support of social and health services' solutions."),
        capability("solution-management/education-culture", parent: "solution-management",
                   fi: "Ratkaisujen hallinta: opetus- ja kulttuuripalvelut", en: "Solution management: education and culture services",
                   about: "Opetus- ja kulttuuripalvelujen ratkaisujen vuosikello, seuranta ja tuki.",
                   "The annual cycle, monitoring and support of education and culture services' solutions."),
        capability("solution-management/housing-environment", parent: "solution-management",
                   fi: "Ratkaisujen hallinta: asumis- ja ympäristöpalvelut", en: "Solution management: housing and environment services",
                   about: "Asumis- ja ympäristöpalvelujen ratkaisujen vuosikello, seuranta ja tuki.",
                   "The annual cycle, monitoring and support of housing and environment services' solutions."),
        capability("solution-management/administration", parent: "solution-management",
                   fi: "Ratkaisujen hallinta: hallintopalvelut", en: "Solution management: administrative services",
                   about: "Hallintopalvelujen ratkaisujen vuosikello, seuranta ja tuki.",
                   "The annual cycle, monitoring and support of administrative services' solutions."),
        capability("solution-management/e-services", parent: "solution-management",
                   fi: "Ratkaisujen hallinta: sähköisen asioinnin ratkaisut", en: "Solution management: e-services solutions",
                   about: "Sähköisen asioinnin ratkaisujen vuosikello, seuranta ja tuki.",
                   "The annual cycle, monitoring and support of e-services solutions."),
        capability("it-management-expertise", fi: "Tietohallinnon asiantuntijuus", en: "IT management expertise",
                   about: "Tietohallinnon erikoisosaaminen, jota kaikki toimialat tarvitsevat.", "Specialist IT management expertise every sector needs."),
        capability("operational-it-management", parent: "it-management-expertise", fi: "Tietohallinnon johtaminen", en: "Operational IT management",
                   about: "Tietohallinnon operatiivinen johtaminen kunnan johdon ja toimialajohdon palvelutoiminnan tavoitteiden tukena.",
                   "Operational management of IT in support of the service goals of the city's and its sectors' management."),
        capability("information-security", parent: "it-management-expertise", fi: "Tietoturva", en: "Information security",
                   about: "Tietoturvan hallinta ja valvonta.", "Managing and monitoring information security."),
        capability("architectures", parent: "it-management-expertise", fi: "Arkkitehtuurit", en: "Architectures",
                   about: "Kokonais- ja ratkaisuarkkitehtuurit.", "Enterprise and solution architectures."),
        capability("procurement-and-supplier-management", parent: "it-management-expertise", fi: "Hankinnat ja toimittajahallinta",
                   en: "Procurement and supplier management",
                   about: "Hankinnat, kilpailutus, sopimukset ja toimittajien hallinta.", "Procurement, tendering, contracts and supplier management."),
        capability("project-management-and-methods", parent: "it-management-expertise", fi: "Projektihallinta ja menetelmät",
                   en: "Project management and methods",
                   about: "Hankkeiden ja projektien johtaminen ja menetelmät.", "Managing programmes and projects, and their methods."),
        capability("process-development", parent: "it-management-expertise", fi: "Prosessikehitys", en: "Process development",
                   about: "Toimintaprosessien kuvaaminen ja kehittäminen.", "Describing and developing processes."),
        capability("public-sector-standards", parent: "it-management-expertise", fi: "JHS-suositukset", en: "Public-sector standards (JHS)",
                   about: "Julkisen hallinnon suositusten soveltaminen.", "Applying the public administration recommendations (JHS)."),
        capability("it-service-production", fi: "IT-palvelutuotanto", en: "IT service production",
                   about: "IT-palvelujen tuottaminen kaupungille.", "Producing IT services for the city."),
        capability("it-service-production/municipal", parent: "it-service-production", fi: "Kunnallinen ICT-tuottaja", en: "Municipal ICT producer",
                   about: "Kuntien yhteinen tai kaupungin oma ICT-tuottaja.", "A producer owned by the city or by municipalities together."),
        capability("it-service-production/producer-units", parent: "it-service-production", fi: "ICT-tuottajayksiköt", en: "ICT producer units",
                   about: "Kaupungin omat ICT-tuotantoyksiköt.", "The city's own ICT production units."),
        capability("it-service-production/commercial", parent: "it-service-production", fi: "Kaupalliset ICT-tuottajat", en: "Commercial ICT producers",
                   about: "Markkinoilta hankittu ICT-tuotanto.", "ICT production bought from the market."),
    ]

    static func cobit(_ code: String, _ en: String, _ fi: String, _ references: [String] = []) -> CatalogueProcess {
        let domain = String(code.prefix(3))
        let group = ["EDM": "Evaluate, Direct and Monitor", "APO": "Align, Plan and Organize", "BAI": "Build, Acquire and Implement",
                     "DSS": "Deliver, Service and Support", "MEA": "Monitor, Evaluate and Assess"][domain]!
        return CatalogueProcess(id: "cobit-2019:\(code)", framework: .cobit2019, code: code, name: BilingualText(fi: fi, en: en),
                                group: group, references: references.map { "itil-4:\($0)" })
    }

    /// COBIT 2019: 40 governance and management objectives in 5 domains, official English names.
    public static let cobitObjectives: [CatalogueProcess] = [
        cobit("EDM01", "Ensured Governance Framework Setting and Maintenance", "Hallintokehyksen asettaminen ja ylläpito"),
        cobit("EDM02", "Ensured Benefits Delivery", "Hyötyjen toteutuminen"),
        cobit("EDM03", "Ensured Risk Optimization", "Riskien optimointi", ["risk-management"]),
        cobit("EDM04", "Ensured Resource Optimization", "Resurssien optimointi"),
        cobit("EDM05", "Ensured Stakeholder Engagement", "Sidosryhmien osallistaminen"),
        cobit("APO01", "Managed I&T Management Framework", "Tieto- ja viestintätekniikan hallintakehys"),
        cobit("APO02", "Managed Strategy", "Strategia", ["strategy-management"]),
        cobit("APO03", "Managed Enterprise Architecture", "Kokonaisarkkitehtuuri", ["architecture-management"]),
        cobit("APO04", "Managed Innovation", "Innovaatiot"),
        cobit("APO05", "Managed Portfolio", "Salkunhallinta", ["portfolio-management"]),
        cobit("APO06", "Managed Budget and Costs", "Budjetti ja kustannukset", ["service-financial-management"]),
        cobit("APO07", "Managed Human Resources", "Henkilöstövoimavarat", ["workforce-and-talent-management"]),
        cobit("APO08", "Managed Relationships", "Suhteet", ["relationship-management"]),
        cobit("APO09", "Managed Service Agreements", "Palvelusopimukset", ["service-level-management", "service-catalogue-management"]),
        cobit("APO10", "Managed Vendors", "Toimittajat", ["supplier-management"]),
        cobit("APO11", "Managed Quality", "Laatu", ["continual-improvement"]),
        cobit("APO12", "Managed Risk", "Riskit", ["risk-management"]),
        cobit("APO13", "Managed Security", "Tietoturvallisuuden hallinta", ["information-security-management"]),
        cobit("APO14", "Managed Data", "Tiedonhallinta"),
        cobit("BAI01", "Managed Programs", "Ohjelmat"),
        cobit("BAI02", "Managed Requirements Definition", "Vaatimusmäärittely", ["business-analysis", "service-design"]),
        cobit("BAI03", "Managed Solutions Identification and Build", "Ratkaisujen tunnistaminen ja rakentaminen",
              ["service-design", "software-development-and-management"]),
        cobit("BAI04", "Managed Availability and Capacity", "Käytettävyys ja kapasiteetti",
              ["availability-management", "capacity-and-performance-management"]),
        cobit("BAI05", "Managed Organizational Change", "Organisaatiomuutos", ["organizational-change-management"]),
        cobit("BAI06", "Managed IT Changes", "IT-muutokset", ["change-enablement"]),
        cobit("BAI07", "Managed IT Change Acceptance and Transitioning", "IT-muutosten hyväksyntä ja siirtymä",
              ["release-management", "deployment-management", "service-validation-and-testing"]),
        cobit("BAI08", "Managed Knowledge", "Tietämys", ["knowledge-management"]),
        cobit("BAI09", "Managed Assets", "Omaisuus", ["it-asset-management"]),
        cobit("BAI10", "Managed Configuration", "Konfiguraatio", ["service-configuration-management"]),
        cobit("BAI11", "Managed Projects", "Projektit", ["project-management"]),
        cobit("DSS01", "Managed Operations", "Käyttötoiminnan hallinta",
              ["infrastructure-and-platform-management", "monitoring-and-event-management"]),
        cobit("DSS02", "Managed Service Requests and Incidents", "Palvelupyynnöt ja häiriöt", ["incident-management", "service-request-management", "service-desk"]),
        cobit("DSS03", "Managed Problems", "Ongelmat", ["problem-management"]),
        cobit("DSS04", "Managed Continuity", "Jatkuvuus", ["service-continuity-management"]),
        cobit("DSS05", "Managed Security Services", "Turvallisuuspalvelut", ["information-security-management"]),
        cobit("DSS06", "Managed Business Process Controls", "Liiketoimintaprosessien kontrollit"),
        cobit("MEA01", "Managed Performance and Conformance Monitoring", "Suorituskyvyn ja vaatimustenmukaisuuden seuranta",
              ["measurement-and-reporting"]),
        cobit("MEA02", "Managed System of Internal Control", "Sisäisen valvonnan järjestelmä"),
        cobit("MEA03", "Managed Compliance With External Requirements", "Ulkoisten vaatimusten noudattaminen"),
        cobit("MEA04", "Managed Assurance", "Varmennus"),
    ]

    static func itil(_ code: String, _ en: String, _ fi: String, group: String) -> CatalogueProcess {
        CatalogueProcess(id: "itil-4:\(code)", framework: .itil4, code: code, name: BilingualText(fi: fi, en: en), group: group, references: [])
    }

    static let general = "General management practices", service = "Service management practices", technical = "Technical management practices"

    /// ITIL 4: 34 management practices in 3 groups; references are filled from COBIT's side.
    public static let itilPractices: [CatalogueProcess] = [
        itil("architecture-management", "Architecture management", "Arkkitehtuurin hallinta", group: general),
        itil("continual-improvement", "Continual improvement", "Jatkuva parantaminen", group: general),
        itil("information-security-management", "Information security management", "Tietoturvallisuuden hallinta", group: general),
        itil("knowledge-management", "Knowledge management", "Tietämyksenhallinta", group: general),
        itil("measurement-and-reporting", "Measurement and reporting", "Mittaaminen ja raportointi", group: general),
        itil("organizational-change-management", "Organizational change management", "Organisaatiomuutoksen hallinta", group: general),
        itil("portfolio-management", "Portfolio management", "Salkunhallinta", group: general),
        itil("project-management", "Project management", "Projektinhallinta", group: general),
        itil("relationship-management", "Relationship management", "Suhteiden hallinta", group: general),
        itil("risk-management", "Risk management", "Riskienhallinta", group: general),
        itil("service-financial-management", "Service financial management", "Palvelujen taloudenhallinta", group: general),
        itil("strategy-management", "Strategy management", "Strategian hallinta", group: general),
        itil("supplier-management", "Supplier management", "Toimittajahallinta", group: general),
        itil("workforce-and-talent-management", "Workforce and talent management", "Henkilöstön ja osaamisen hallinta", group: general),
        itil("availability-management", "Availability management", "Käytettävyyden hallinta", group: service),
        itil("business-analysis", "Business analysis", "Liiketoiminta-analyysi", group: service),
        itil("capacity-and-performance-management", "Capacity and performance management", "Kapasiteetin ja suorituskyvyn hallinta", group: service),
        itil("change-enablement", "Change enablement", "Muutoksenhallinta", group: service),
        itil("incident-management", "Incident management", "Häiriönhallinta", group: service),
        itil("it-asset-management", "IT asset management", "IT-omaisuuden hallinta", group: service),
        itil("monitoring-and-event-management", "Monitoring and event management", "Valvonta ja tapahtumienhallinta", group: service),
        itil("problem-management", "Problem management", "Ongelmanhallinta", group: service),
        itil("release-management", "Release management", "Julkaisunhallinta", group: service),
        itil("service-catalogue-management", "Service catalogue management", "Palveluluettelon hallinta", group: service),
        itil("service-configuration-management", "Service configuration management", "Palvelun konfiguraationhallinta", group: service),
        itil("service-continuity-management", "Service continuity management", "Palvelun jatkuvuudenhallinta", group: service),
        itil("service-design", "Service design", "Palvelumuotoilu", group: service),
        itil("service-desk", "Service desk", "Palvelupiste", group: service),
        itil("service-level-management", "Service level management", "Palvelutasonhallinta", group: service),
        itil("service-request-management", "Service request management", "Palvelupyyntöjen hallinta", group: service),
        itil("service-validation-and-testing", "Service validation and testing", "Palvelun validointi ja testaus", group: service),
        itil("deployment-management", "Deployment management", "Käyttöönoton hallinta", group: technical),
        itil("infrastructure-and-platform-management", "Infrastructure and platform management", "Infrastruktuurin ja alustojen hallinta", group: technical),
        itil("software-development-and-management", "Software development and management", "Ohjelmistokehitys ja -hallinta", group: technical),
    ]

    static func function(_ code: String, fi: String, en: String, group: String, _ references: [String]) -> CatalogueProcess {
        CatalogueProcess(id: "public-it-governance:\(code)", framework: .publicITGovernance, code: code,
                         name: BilingualText(fi: fi, en: en), group: group, references: references.map { "cobit-2019:\($0)" })
    }

    /// The public IT governance model of the seed report (figure 1.6).
    public static let governanceFunctions: [CatalogueProcess] = [
        function("strategic-it-steering", fi: "Strateginen IT-ohjaus", en: "Strategic IT steering", group: "Strategic steering",
                 ["EDM01", "APO02", "APO05"]),
        function("economy-and-resource-steering", fi: "Talouden ja resurssien ohjaus", en: "Economy and resource steering",
                 group: "Strategic steering", ["EDM04", "APO06", "APO07"]),
        function("standards-recommendations-and-architecture", fi: "Standardit, suositukset ja arkkitehtuuri",
                 en: "Standards, recommendations and architecture", group: "Strategic steering", ["APO03", "MEA03"]),
        function("it-service-and-operations-steering", fi: "IT-palvelujen ja -toiminnan ohjaus ja seuranta",
                 en: "Steering and monitoring of IT services and operations", group: "Strategic steering", ["APO05", "MEA01"]),
        function("it-service-arrangement", fi: "IT-palvelujen järjestäminen", en: "IT service arrangement", group: "Operational",
                 ["APO08", "APO09", "APO10", "APO12", "DSS02", "DSS03", "BAI06"]),
        function("it-service-development", fi: "IT-palvelujen kehittäminen", en: "IT service development", group: "Operational",
                 ["BAI02", "BAI03", "BAI07", "BAI11", "APO10"]),
    ]

    /// Every process, with ITIL's references filled in from the COBIT and public-governance sides.
    public static let processes: [CatalogueProcess] = {
        let all = cobitObjectives + itilPractices + governanceFunctions
        var backReferences: [String: [String]] = [:]
        for process in all where process.framework != .itil4 {
            for reference in process.references { backReferences[reference, default: []].append(process.id) }
        }
        return all.map { process in
            var process = process
            for id in backReferences[process.id] ?? [] where !process.references.contains(id) { process.references.append(id) }
            return process
        }
    }()

    public static let processIds: Set<String> = Set(processes.map(\.id))
    public static let capabilityIds: Set<String> = Set(capabilities.map(\.id))

    static func area(_ id: String, fi: String, en: String, about fiText: String, _ enText: String, _ processes: [String]) -> FocusArea {
        FocusArea(id: id, name: BilingualText(fi: fi, en: en), description: BilingualText(fi: fiText, en: enText),
                  processIds: processes.map { $0.contains("-") ? "itil-4:\($0)" : "cobit-2019:\($0)" })
    }

    /// Default focus areas; a focus area's maturity is the lowest capability level among its processes.
    public static let focusAreas: [FocusArea] = [
        area("purchaser-competence", fi: "Tilaajaosaaminen", en: "Purchaser competence",
             about: "Salkku, talous, palvelusopimukset ja toimittajat: tilaaja–tuottajamallin ydin.",
             "Portfolio, budget, service agreements and vendors: the core of the purchaser–provider model.",
             ["APO05", "APO06", "APO09", "APO10", "supplier-management", "service-level-management"]),
        area("strategic-steering", fi: "Strateginen ohjaus", en: "Strategic steering",
             about: "Hallintokehys, hyödyt, strategia ja arkkitehtuuri.", "Governance framework, benefits, strategy and architecture.",
             ["EDM01", "EDM02", "APO02", "APO03", "strategy-management"]),
        area("service-arrangement", fi: "Palvelujen järjestäminen", en: "Service arrangement",
             about: "Asiakkuudet, palvelutasot, häiriöt, ongelmat ja muutokset.", "Relationships, service levels, incidents, problems and changes.",
             ["APO08", "APO09", "DSS02", "DSS03", "BAI06", "relationship-management", "incident-management", "change-enablement"]),
        area("development", fi: "Kehittäminen", en: "Development",
             about: "Ohjelmat, vaatimukset, ratkaisut ja projektit.", "Programmes, requirements, solutions and projects.",
             ["BAI01", "BAI02", "BAI03", "BAI11", "project-management", "business-analysis"]),
        area("security", fi: "Turvallisuus", en: "Security",
             about: "Riskit, turvallisuus ja jatkuvuus.", "Risk, security and continuity.",
             ["APO12", "APO13", "DSS04", "DSS05", "information-security-management"]),
        area("monitoring", fi: "Seuranta", en: "Monitoring",
             about: "Suorituskyvyn, sisäisen valvonnan ja vaatimustenmukaisuuden seuranta.",
             "Monitoring performance, internal control and compliance.",
             ["MEA01", "MEA02", "MEA03", "measurement-and-reporting"]),
    ]
}
