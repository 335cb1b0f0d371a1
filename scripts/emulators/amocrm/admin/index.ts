export { AdminInputError } from "./admin-common.js";
export { createCompany, updateCompany } from "./change-company.js";
export { createContact, updateContact } from "./change-contact.js";
export { createLead, updateLead } from "./change-lead.js";
