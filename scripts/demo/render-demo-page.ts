/**
 * The demo page: plain HTML and a small script, no build step. All names
 * are set with textContent: the demo data holds markup-like deal names on
 * purpose.
 */
export function renderDemoPage(options: { harnessPath: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>amo1c demo stand</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; display: grid;
         grid-template-columns: 260px minmax(480px, 1fr) minmax(420px, 1fr); height: 100vh; color: #222; }
  aside, main, section { overflow: auto; padding: 12px; border-right: 1px solid #ddd; }
  h1 { font-size: 16px; margin: 0 0 8px; } h2 { font-size: 14px; margin: 16px 0 6px; }
  ul { list-style: none; padding: 0; margin: 0; }
  li { padding: 4px 6px; cursor: pointer; border-radius: 4px; white-space: nowrap;
       overflow: hidden; text-overflow: ellipsis; }
  li:hover, li.active { background: #eef3fb; }
  iframe { width: 100%; height: 560px; border: 1px solid #ddd; border-radius: 4px; }
  label { display: block; margin: 6px 0 2px; color: #555; }
  select, input { width: 100%; box-sizing: border-box; padding: 4px; }
  button { margin-top: 8px; padding: 6px 12px; }
  table { border-collapse: collapse; width: 100%; font-size: 12px; }
  td, th { border-bottom: 1px solid #eee; padding: 3px 6px; text-align: left; vertical-align: top; }
  .muted { color: #888; }
</style>
</head>
<body>
<aside><h1>amoCRM deals</h1><ul id="deals"></ul></aside>
<main>
  <h1 id="title">Pick a deal</h1>
  <iframe id="card" title="deal card with the amo1c widget"></iframe>
  <h2>Edit the deal in amoCRM</h2>
  <p class="muted">Changes go through the amoCRM emulator, which sends amoCRM's webhook to amo1c.</p>
  <label for="price">Price</label><input id="price" type="number" step="0.01">
  <label for="contact">Main contact</label><select id="contact"></select>
  <label for="company">Company</label><select id="company"></select>
  <button id="save">Save in amoCRM</button>
  <h2>New contact</h2>
  <label for="cname">Name</label><input id="cname">
  <label for="cphone">Phone</label><input id="cphone">
  <button id="addContact">Create contact</button>
</main>
<section><h1>1C base (UT 11), read-only</h1><div id="onec"></div></section>
<script>
const harness = ${JSON.stringify(options.harnessPath)};
let state = null, current = null;
const $ = (id) => document.getElementById(id);
const text = (tag, value) => { const el = document.createElement(tag); el.textContent = value ?? ""; return el; };

function option(value, label) { const o = text("option", label); o.value = value; return o; }

function renderDeals() {
  const list = $("deals"); list.replaceChildren();
  for (const lead of state.leads) {
    const li = text("li", "#" + lead.id + " " + lead.name);
    li.title = lead.name;
    if (lead.id === current) li.className = "active";
    li.onclick = () => openDeal(lead.id);
    list.append(li);
  }
}

function renderEditor() {
  const lead = state.leads.find((l) => l.id === current); if (!lead) return;
  $("title").textContent = "#" + lead.id + " " + lead.name;
  $("price").value = lead.price ?? 0;
  const main = (lead.contacts || []).find((c) => c.is_main);
  $("contact").replaceChildren(option("", "(none)"),
    ...state.contacts.filter((c) => !c.is_deleted).map((c) => option(c.id, c.name)));
  $("contact").value = main ? main.id : "";
  $("company").replaceChildren(option("", "(none)"), ...state.companies.map((c) => option(c.id, c.name)));
  $("company").value = lead.company_id ?? "";
}

function renderOnec() {
  const root = $("onec"); root.replaceChildren();
  const columns = {
    "Catalog_Партнеры": ["Description", "ЮрФизЛицо"],
    "Catalog_Контрагенты": ["Description", "ИНН", "ЮрФизЛицо"],
    "Catalog_КонтактныеЛицаПартнеров": ["Description", "Owner_Key"],
    "Document_ЗаказКлиента": ["Number", "Date", "СуммаДокумента", "Контрагент_Key", "Комментарий"],
  };
  const names = {};
  for (const rows of Object.values(state.onec)) for (const r of rows) names[r.Ref_Key] = r.Description || r.Number;
  for (const [set, cols] of Object.entries(columns)) {
    root.append(text("h2", set + " (" + state.onec[set].length + ")"));
    const table = document.createElement("table");
    table.append(Object.assign(document.createElement("tr"), {}));
    table.firstChild.append(...cols.map((c) => text("th", c)));
    for (const row of [...state.onec[set]].reverse()) {
      const tr = document.createElement("tr");
      tr.append(...cols.map((c) => text("td", c.endsWith("_Key") ? names[row[c]] ?? row[c] : row[c])));
      table.append(tr);
    }
    root.append(table);
  }
}

let onecSignature = "";
async function refresh() {
  state = await (await fetch("/demo/state.json")).json();
  renderDeals(); renderOnec();
  // The widget shows amo1c's stored state when the card opens, as in amoCRM;
  // reopen the card whenever a sync has changed 1C, so the panel follows.
  const signature = JSON.stringify(state.onec);
  if (onecSignature && signature !== onecSignature && current) $("card").src = $("card").src;
  onecSignature = signature;
}

function openDeal(id) {
  current = id; renderDeals(); renderEditor();
  $("card").src = harness + "?deal=" + id;
}

$("save").onclick = async () => {
  const contact = $("contact").value, company = $("company").value;
  await fetch("/demo/leads/" + current, { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ price: Number($("price").value),
      mainContactId: contact ? Number(contact) : null, companyId: company ? Number(company) : null }) });
  setTimeout(refresh, 300);
};
$("addContact").onclick = async () => {
  await fetch("/demo/contacts", { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: $("cname").value, phone: $("cphone").value || undefined }) });
  $("cname").value = ""; $("cphone").value = ""; await refresh(); renderEditor();
};

refresh().then(() => openDeal(state.leads[0].id));
setInterval(refresh, 2000);
</script>
</body>
</html>`;
}
