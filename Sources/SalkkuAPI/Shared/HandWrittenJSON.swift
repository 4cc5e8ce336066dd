import SalkkuCore
import SalkkuJSON

// Contracts are the records integrations page through most; their JSON is written member by member in
// key order. Debug builds compare every response with Foundation's encoding of the same value, so a
// member added to the Codable types and not here fails the tests.

extension Evaluated: JSONWritable where Fields == ContractFields, Computed == ContractTerms {
    func writeJSON(to writer: JSONStreamWriter) {
        let meta = record.meta, fields = record.fields, terms = computed
        writer.object { members in
            if let annual = fields.annualValueCents {
                members.key("annualValueCents"); writer.writeInteger(annual)
            }
            members.key("capabilityIds"); writer.writeStrings(fields.capabilityIds)
            members.key("category"); writer.writeString(fields.category.rawValue)
            if let cityId = meta.cityId {
                members.key("cityId"); writer.writeString(cityId)
            }
            members.key("createdAt"); writer.writeTimestampString(meta.createdAt)
            members.key("currentEndDate"); writer.writeDateString(terms.currentEndDate)
            members.key("decision"); writer.writeOptional(terms.decision?.rawValue)
            if let externalId = fields.externalId {
                members.key("externalId"); writer.writeString(externalId)
            }
            members.key("id"); writer.writeString(meta.id)
            members.key("initialEndDate"); writer.writeDateString(fields.initialEndDate)
            members.key("managedBy"); writer.writeString(fields.managedBy.rawValue)
            members.key("noticeDeadline")
            if let deadline = terms.noticeDeadline { writer.writeDateString(deadline) } else { writer.writeNull() }
            members.key("noticePeriodMonths"); writer.writeInteger(fields.noticePeriodMonths)
            members.key("options")
            writer.array(fields.options) { option in
                writer.object { members in
                    members.key("exercised"); writer.writeBool(option.exercised)
                    members.key("months"); writer.writeInteger(option.months)
                }
            }
            members.key("procedure"); writer.writeString(fields.procedure.rawValue)
            members.key("procedureWarnings")
            writer.array(terms.procedureWarnings) { warning in
                writer.object { members in
                    members.key("code"); writer.writeString(warning.code)
                    members.key("detail"); writer.writeString(warning.detail)
                }
            }
            members.key("processIds"); writer.writeStrings(fields.processIds)
            if let procuredOn = fields.procuredOn {
                members.key("procuredOn"); writer.writeDateString(procuredOn)
            }
            members.key("renewal"); writer.writeString(fields.renewal.rawValue)
            if let months = fields.renewalPeriodMonths {
                members.key("renewalPeriodMonths"); writer.writeInteger(months)
            }
            if let sector = fields.sector {
                members.key("sector"); writer.writeString(sector.rawValue)
            }
            if let cap = fields.serviceCreditCapPercent {
                members.key("serviceCreditCapPercent"); writer.writeDecimal(cap)
            }
            members.key("serviceIds"); writer.writeStrings(fields.serviceIds)
            members.key("startDate"); writer.writeDateString(fields.startDate)
            members.key("status"); writer.writeString(terms.status.rawValue)
            members.key("supplierId"); writer.writeString(fields.supplierId)
            if let terminatedOn = fields.terminatedOn {
                members.key("terminatedOn"); writer.writeDateString(terminatedOn)
            }
            members.key("thresholdClass"); writer.writeOptional(terms.thresholdClass?.rawValue)
            members.key("title"); writer.writeString(fields.title)
            members.key("totalValueCents"); writer.writeInteger(fields.totalValueCents)
            members.key("updatedAt"); writer.writeTimestampString(meta.updatedAt)
            members.key("version"); writer.writeInteger(meta.version)
        }
    }
}

extension JSONStreamWriter {
    func writeOptional(_ string: String?) {
        if let string { writeString(string) } else { writeNull() }
    }
}

extension ListBody: JSONWritable where Item: JSONWritable {
    func writeJSON(to writer: JSONStreamWriter) {
        writer.object { members in
            members.key("items"); writer.array(items) { $0.writeJSON(to: writer) }
            members.key("nextCursor"); writer.writeOptional(nextCursor)
        }
    }
}
