import type { AmoCompany, AmoLead } from "../amocrm/api-types.js";
import type { CounterpartyRecord } from "../onec/gateway-types.js";
import { decideCompanyBacklink } from "./decide-company-backlink.js";
import type { DealSnapshot } from "./decide-counterparty-source.js";
import type { ResolvedCounterparty } from "./resolve-counterparty.js";
import { readCompanyTaxIds } from "./read-company-tax-ids.js";
import type { SyncContext } from "./sync-context.js";

export interface BacklinkCompanyOptions {
  lead: AmoLead;
  deal: DealSnapshot;
  counterparty: ResolvedCounterparty;
}

/**
 * Rule 4: gives a deal without a company the amoCRM company of its 1C
 * counterparty, exactly once. The company is, in this order: the one
 * amo1c recorded for the counterparty, one amoCRM already holds with the
 * counterparty's INN (or name), or a new one.
 */
export async function backlinkCompany(
  ctx: SyncContext,
  options: BacklinkCompanyOptions,
): Promise<void> {
  const { lead, deal, counterparty } = options;
  const wanted = decideCompanyBacklink({
    settings: ctx.settings,
    dealHasCompany: deal.company !== null,
    origin: counterparty.origin,
    counterparty: counterparty.record,
  });
  if (!wanted) return;

  const { record } = counterparty;
  const companyId =
    (await findRecordedCompany(ctx, record)) ??
    (await findUnrecordedCompany(ctx, record)) ??
    (await createCompany(ctx, record));
  await ctx.amocrm.linkCompanyToLead(lead.id, companyId);
  ctx.trail.writes.push(`amoCRM company #${companyId} linked to the deal`);
}

/**
 * An amoCRM company already linked to the counterparty: one created by an
 * earlier attempt whose link call failed, or a company of the account.
 * Only one amoCRM still holds counts.
 */
async function findRecordedCompany(
  ctx: SyncContext,
  record: CounterpartyRecord,
): Promise<number | null> {
  const links = await ctx.links.findByOnecRef(
    "company_counterparty",
    record.ref,
  );
  if (links.length === 0) return null;

  const ids = links.map((l) => l.amoId);
  ctx.trail.reads.push(`amoCRM companies ${ids.join(", ")}`);
  const held = new Set((await ctx.amocrm.getCompanies(ids)).map((c) => c.id));
  return ids.find((id) => held.has(id)) ?? null;
}

/**
 * A company amoCRM holds but amo1c has no link for: made by a run that
 * died between amoCRM's answer and the link insert, or by a manager.
 * Reusing it keeps rule 4 exactly-once across a crash. amoCRM's `query`
 * is a substring search over every field (reference amocrm §3.3), so each
 * hit is confirmed by the INN field of the settings (KPP too when both
 * sides have one), or by the exact name when there is no INN to go by.
 */
async function findUnrecordedCompany(
  ctx: SyncContext,
  record: CounterpartyRecord,
): Promise<number | null> {
  // Without an INN field amo1c's own company carries no INN either.
  const inn = ctx.settings.innFieldId === null ? null : record.inn;
  const query = inn ?? record.name;
  const hits = await ctx.amocrm.findCompanies(query);
  ctx.trail.reads.push(`amoCRM companies matching "${query}"`);

  const matches = hits.filter((company) =>
    inn === null
      ? company.name === record.name
      : sameTaxIds(ctx, company, record),
  );
  const found = matches.sort((a, b) => preference(a, b, record))[0];
  if (!found) return null;

  ctx.log.info(
    { companyId: found.id, counterpartyRef: record.ref, byInn: inn !== null },
    "reusing an amoCRM company amo1c had not recorded",
  );
  await recordCompany(ctx, record, found.id);
  return found.id;
}

/**
 * amo1c names its companies after the counterparty, so one by that name
 * comes first; then the oldest (the earliest attempt).
 */
function preference(
  a: AmoCompany,
  b: AmoCompany,
  record: CounterpartyRecord,
): number {
  const named = (c: AmoCompany) => (c.name === record.name ? 0 : 1);
  return named(a) - named(b) || a.id - b.id;
}

function sameTaxIds(
  ctx: SyncContext,
  company: AmoCompany,
  record: CounterpartyRecord,
): boolean {
  const { inn, kpp } = readCompanyTaxIds(company, ctx.settings);
  if (inn === null || inn !== digitsOf(record.inn)) return false;
  // Branches share the INN and differ by KPP (reference onec §6).
  return kpp === null || record.kpp === null || kpp === digitsOf(record.kpp);
}

function digitsOf(value: string | null): string | null {
  return value === null ? null : value.replace(/\D/g, "");
}

/**
 * The link is saved right after amoCRM answers, before the lead is linked,
 * so a retry after a failed link call reuses the company; a crash before
 * the save is caught by findUnrecordedCompany.
 */
async function createCompany(
  ctx: SyncContext,
  record: CounterpartyRecord,
): Promise<number> {
  const textFields: Record<number, string> = {};
  if (ctx.settings.innFieldId && record.inn)
    textFields[ctx.settings.innFieldId] = record.inn;
  if (ctx.settings.kppFieldId && record.kpp)
    textFields[ctx.settings.kppFieldId] = record.kpp;

  const companyId = await ctx.amocrm.createCompany({
    name: record.name,
    textFields,
  });
  ctx.trail.writes.push(`amoCRM company #${companyId} created from 1C`);
  await recordCompany(ctx, record, companyId);
  return companyId;
}

async function recordCompany(
  ctx: SyncContext,
  record: CounterpartyRecord,
  companyId: number,
): Promise<void> {
  await ctx.links.save({
    kind: "company_counterparty",
    amoId: companyId,
    ownerRef: "",
    onecRef: record.ref,
    partnerRef: record.partnerRef,
    name: record.name,
    inn: record.inn,
    origin: "found",
  });
}
