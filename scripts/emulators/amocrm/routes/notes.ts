import { Router } from "express";
import type { Request, Response } from "express";

import type { EmulatorContext } from "../context.js";
import type { ApiLocals } from "../guard-api.js";
import type { ValidationError } from "../http-replies.js";
import {
  sendBadRequest,
  sendHal,
  sendNoContent,
  sendValidationErrors,
} from "../http-replies.js";
import { baseUrl, pageBody } from "../present-entities.js";
import { readPage } from "../read-query.js";
import { noteHookPart, sendWebhook } from "../send-webhook.js";
import { allocateId, findLead } from "../state.js";
import type { NoteRecord } from "../types.js";

// Note types accepted on write (reference §3.9, PHP NoteFactory).
const NOTE_TYPES = new Set([
  "common",
  "service_message",
  "call_in",
  "call_out",
  "sms_in",
  "sms_out",
  "geolocation",
  "attachment",
  "invoice_paid",
  "extended_service_message",
]);

function noteProblem(raw: Record<string, unknown>): ValidationError["errors"] {
  if (typeof raw.note_type !== "string" || !NOTE_TYPES.has(raw.note_type)) {
    return [
      {
        code: "NotSupportedChoice",
        path: "note_type",
        detail: "The value you selected is not a valid choice.",
      },
    ];
  }
  const params = raw.params as Record<string, unknown> | undefined;
  if (raw.note_type === "common" && typeof params?.text !== "string") {
    return [
      {
        code: "NotBlank",
        path: "params.text",
        detail: "This value should not be blank.",
      },
    ];
  }
  return [];
}

function presentNote(note: NoteRecord, req: Request) {
  return {
    id: note.id,
    entity_id: note.entity_id,
    created_by: note.created_by,
    updated_by: note.created_by,
    created_at: note.created_at,
    updated_at: note.updated_at,
    responsible_user_id: note.created_by,
    group_id: 0,
    note_type: note.note_type,
    params: note.params,
    account_id: 0,
    _links: {
      self: {
        href: `${baseUrl(req)}/api/v4/leads/${note.entity_id}/notes/${note.id}`,
      },
    },
  };
}

function addNotes(ctx: EmulatorContext, req: Request, res: Response) {
  const lead = findLead(ctx.state, Number(req.params.id));
  if (!lead) {
    sendNoContent(res);
    return;
  }
  if (!Array.isArray(req.body) || req.body.length === 0) {
    sendBadRequest(res, "Request body must be a non-empty array");
    return;
  }
  const items = req.body as Record<string, unknown>[];
  const requestId = (raw: Record<string, unknown>, i: number) =>
    typeof raw.request_id === "string" ? raw.request_id : String(i);
  const errors = items.flatMap((raw, i) => {
    const problems = noteProblem(raw ?? {});
    return problems.length > 0
      ? [{ request_id: requestId(raw ?? {}, i), errors: problems }]
      : [];
  });
  if (errors.length > 0) {
    sendValidationErrors(res, errors);
    return;
  }

  const userId = (res.locals as ApiLocals).userId;
  const notes: NoteRecord[] = [];
  const created = items.map((raw, i) => {
    const note: NoteRecord = {
      id: allocateId(ctx.state),
      entity_id: lead.id,
      entity_type: "leads",
      note_type: String(raw.note_type),
      params: (raw.params as Record<string, unknown> | undefined) ?? {},
      created_by: userId,
      created_at: ctx.nowSec(),
      updated_at: ctx.nowSec(),
    };
    ctx.state.notes.push(note);
    notes.push(note);
    return {
      id: note.id,
      entity_id: lead.id,
      request_id: requestId(raw, i),
      _links: presentNote(note, req)._links,
    };
  });
  // An API note sends the hook a note made in the UI sends (issue #3).
  sendWebhook(
    ctx,
    notes.map((n) => noteHookPart(ctx, n)),
  );
  sendHal(res, 200, {
    _links: { self: { href: `${baseUrl(req)}${req.originalUrl}` } },
    _embedded: { notes: created },
  });
}

export function notesRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.post("/api/v4/leads/:id/notes", (req, res) => addNotes(ctx, req, res));

  router.get("/api/v4/leads/:id/notes", (req, res) => {
    const leadId = Number(req.params.id);
    const items = ctx.state.notes
      .filter((n) => n.entity_type === "leads" && n.entity_id === leadId)
      .map((n) => presentNote(n, req));
    const body = pageBody({ req, items, page: readPage(req), key: "notes" });
    if (body === null) sendNoContent(res);
    else sendHal(res, 200, body);
  });
  return router;
}
