import type { CheckSideResult } from "../../../shared/check-result.js";
import { stepTitle } from "../../../shared/check-step-titles.js";
import type { OnecSettings } from "../../../shared/settings.js";
import { toAppError } from "../errors.js";
import type { Logger } from "../log.js";
import { ADVICE, CheckSteps } from "./collect-check-steps.js";
import { createOdataClient, type OdataClient } from "./create-odata-client.js";
import { findUnpublishedFields } from "./find-unpublished-fields.js";
import { quoteOnecError } from "./map-onec-error.js";
import { detectProfile } from "./profiles/detect-profile.js";
import { getOnecProfile } from "./profiles/get-onec-profile.js";
import { listProfileFields } from "./profiles/list-profile-fields.js";
import type { OnecProfile } from "./profiles/types.js";
import { readOnecString } from "./read-onec-value.js";
import {
  createContactKindResolver,
  profileContactKinds,
} from "./resolve-contact-kinds.js";

/** The Check answers within seconds, so a failing 1C is retried only once. */
const CHECK_RETRIES = 1;

export interface RunOnecCheckOptions {
  settings: OnecSettings;
  /** The stored secret "onec.password"; null when none was saved. */
  password: string | null;
  log: Logger;
  timeoutMs?: number | undefined;
  retryMinDelayMs?: number | undefined;
}

/**
 * The 1C half of the settings Check: reach the OData root, sign in, match
 * the profile, confirm every set and field is published, that the user can
 * read them, and read the chosen organization. Stops at the first failure,
 * naming its cause with 1C's own message.
 */
export async function runOnecCheck(
  options: RunOnecCheckOptions,
): Promise<CheckSideResult> {
  const profile = getOnecProfile(options.settings.profile);
  const steps = new CheckSteps();
  if (options.password === null) {
    const title = stepTitle("onec_auth_user", { user: options.settings.user });
    steps.fail("onec_auth", title, {
      advice: "Enter the 1C password in the settings.",
    });
    return steps.result();
  }

  const client = createOdataClient({
    odataUrl: options.settings.odataUrl,
    user: options.settings.user,
    password: options.password,
    log: options.log,
    timeoutMs: options.timeoutMs,
    retries: CHECK_RETRIES,
    retryMinDelayMs: options.retryMinDelayMs,
  });
  const context = { client, profile, settings: options.settings, steps };
  for (const run of CHECKS) {
    if (!(await run(context))) break;
  }
  return steps.result();
}

interface CheckContext {
  client: OdataClient;
  profile: OnecProfile;
  settings: OnecSettings;
  steps: CheckSteps;
  entitySets?: string[];
}

const CHECKS: Array<(ctx: CheckContext) => Promise<boolean>> = [
  checkReachAndAuth,
  checkProfile,
  checkObjects,
  checkRights,
  checkContactKinds,
  checkOrganization,
  checkDealItem,
];

async function checkReachAndAuth(ctx: CheckContext): Promise<boolean> {
  const { steps, settings } = ctx;
  const reach = stepTitle("onec_reach_url", { url: settings.odataUrl });
  const auth = stepTitle("onec_auth_user", { user: settings.user });
  try {
    ctx.entitySets = await ctx.client.listEntitySets();
    steps.ok("onec_reach", reach);
    steps.ok("onec_auth", auth);
    return true;
  } catch (error) {
    const failure = toAppError(error);
    const signInProblem = ["onec_unauthorized", "onec_access_denied"].includes(
      failure.code,
    );
    if (!signInProblem) return steps.failWith("onec_reach", reach, failure);
    steps.ok("onec_reach", reach);
    return steps.failWith("onec_auth", auth, failure);
  }
}

async function checkProfile(ctx: CheckContext): Promise<boolean> {
  const title = stepTitle("onec_profile_named", {
    profile: ctx.profile.title,
  });
  const detected = detectProfile(ctx.entitySets ?? []);
  if (detected === null || detected === ctx.profile.name) {
    ctx.steps.ok("onec_profile", title);
    return true;
  }
  const other = getOnecProfile(detected);
  return ctx.steps.fail("onec_profile", title, {
    serverMessage: `The base publishes ${other.detect.present.join(", ")}: it looks like ${other.title}`,
    advice: `Choose the profile "${other.title}" in the settings.`,
  });
}

async function checkObjects(ctx: CheckContext): Promise<boolean> {
  const title = stepTitle("onec_objects");
  try {
    const missing = findUnpublishedFields(
      await ctx.client.metadata(),
      listProfileFields(ctx.profile, ctx.settings),
    );
    if (missing.entitySets.length === 0 && missing.fields.length === 0) {
      ctx.steps.ok("onec_objects", title);
      return true;
    }
    const parts = [
      missing.entitySets.length
        ? `objects not published: ${missing.entitySets.join(", ")}`
        : "",
      missing.fields.length
        ? `fields not published: ${missing.fields.join(", ")}`
        : "",
    ].filter(Boolean);
    return ctx.steps.fail("onec_objects", title, {
      serverMessage: parts.join("; "),
      advice: ADVICE.onec_entity_not_published,
    });
  } catch (error) {
    return ctx.steps.failWith("onec_objects", title, toAppError(error));
  }
}

async function checkRights(ctx: CheckContext): Promise<boolean> {
  const title = stepTitle("onec_rights");
  const denied: string[] = [];
  const messages = new Set<string>();
  for (const entitySet of listProfileFields(ctx.profile, ctx.settings).keys()) {
    try {
      await ctx.client.list(entitySet, { select: ["Ref_Key"], top: 1 });
    } catch (error) {
      const failure = toAppError(error);
      if (failure.code !== "onec_access_denied")
        return ctx.steps.failWith("onec_rights", title, failure);
      denied.push(entitySet);
      const quoted = quoteOnecError(failure.remote);
      if (quoted) messages.add(quoted);
    }
  }
  if (denied.length === 0) {
    ctx.steps.ok("onec_rights", title);
    return true;
  }
  return ctx.steps.fail("onec_rights", title, {
    serverMessage: [`No right to read ${denied.join(", ")}`, ...messages].join(
      " ",
    ),
    advice: ADVICE.onec_access_denied,
  });
}

async function checkContactKinds(ctx: CheckContext): Promise<boolean> {
  const title = stepTitle("onec_contact_kinds");
  const resolver = createContactKindResolver(ctx.client, ctx.profile);
  try {
    for (const name of profileContactKinds(ctx.profile))
      await resolver.refOf(name);
    ctx.steps.ok("onec_contact_kinds", title);
    return true;
  } catch (error) {
    return ctx.steps.failWith("onec_contact_kinds", title, toAppError(error));
  }
}

async function checkOrganization(ctx: CheckContext): Promise<boolean> {
  return checkChosenObject(ctx, {
    id: "onec_organization",
    entitySet: ctx.profile.organizationSet,
    ref: ctx.settings.organizationRef,
    what: "organization",
    chooseAdvice: "Choose the organization that sells in the settings.",
    existingAdvice: "Choose an existing organization in the settings.",
  });
}

/**
 * 1C takes an order's sum from its goods rows (reference onec §2.5), so
 * amo1c writes no deal's sum without this item.
 */
async function checkDealItem(ctx: CheckContext): Promise<boolean> {
  return checkChosenObject(ctx, {
    id: "onec_deal_item",
    entitySet: ctx.profile.lists.items.entitySet,
    ref: ctx.settings.dealItemRef,
    what: "item for the deal's sum",
    chooseAdvice:
      "Choose the item for the deal's sum in the settings (1C section): 1C takes an order's sum from its goods rows.",
    existingAdvice:
      "Choose an existing item for the deal's sum in the settings (1C section).",
  });
}

interface ChosenObject {
  id: "onec_organization" | "onec_deal_item";
  entitySet: string;
  ref: string;
  /** "organization": names the object in failure messages. */
  what: string;
  chooseAdvice: string;
  existingAdvice: string;
}

/** Reads a reference chosen in the settings: it exists, not marked for deletion. */
async function checkChosenObject(
  ctx: CheckContext,
  chosen: ChosenObject,
): Promise<boolean> {
  const title = stepTitle(chosen.id);
  if (!chosen.ref) {
    return ctx.steps.fail(chosen.id, title, { advice: chosen.chooseAdvice });
  }
  try {
    const row = await ctx.client.get(chosen.entitySet, chosen.ref, {
      select: ["Ref_Key", "Description", "DeletionMark"],
    });
    if (row === null || row.DeletionMark === true) {
      const state = row ? "is marked for deletion" : "was not found";
      return ctx.steps.fail(chosen.id, title, {
        serverMessage: `${capitalise(chosen.what)} ${chosen.ref} ${state} in ${chosen.entitySet}`,
        advice: chosen.existingAdvice,
      });
    }
    const name = readOnecString(row.Description);
    ctx.steps.ok(chosen.id, stepTitle(`${chosen.id}_named`, { name }));
    return true;
  } catch (error) {
    return ctx.steps.failWith(chosen.id, title, toAppError(error));
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
