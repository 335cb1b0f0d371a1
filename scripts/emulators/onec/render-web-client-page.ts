/**
 * A stand-in for the 1C web client at `/<base>/ru_RU/`: navigation links
 * (`#e1cib/data/Document.ЗаказКлиента?ref=<id>`) open a read-only view of
 * the object, so "open in 1C" links lead somewhere on an emulated base.
 * The navigation id is the GUID's groups in the order 4-5-3-2-1.
 */
export function renderWebClientPage(base: string): string {
  return `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>1С:Предприятие (эмулятор)</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}
h1{font-size:18px}table{border-collapse:collapse}td{border-bottom:1px solid #eee;padding:4px 8px;vertical-align:top}
.muted{color:#888}</style></head>
<body><h1>1С:Предприятие — эмулятор веб-клиента, база ${base}</h1>
<p class="muted">Только просмотр: объект открыт по навигационной ссылке.</p>
<div id="object"></div>
<script>
const base = ${JSON.stringify(base)};
const m = /e1cib\\/data\\/([^.]+)\\.([^?]+)\\?ref=([0-9a-f]{32})/.exec(decodeURIComponent(location.hash));
const root = document.getElementById("object");
function line(k, v) {
  const tr = document.createElement("tr");
  for (const t of [k, typeof v === "object" ? JSON.stringify(v) : String(v)]) {
    const td = document.createElement("td"); td.textContent = t; tr.append(td);
  }
  return tr;
}
if (!m) { root.textContent = "Нет навигационной ссылки в адресе."; }
else {
  const [, kind, name, id] = m;
  const ref = [id.slice(24, 32), id.slice(20, 24), id.slice(16, 20), id.slice(0, 4), id.slice(4, 16)].join("-");
  const set = (kind === "Документ" || kind === "Document" ? "Document_" : "Catalog_") + name;
  fetch("/__admin/" + base + "/" + encodeURIComponent(set)).then((r) => r.json()).then((rows) => {
    const row = rows.find((o) => o.Ref_Key === ref);
    if (!row) { root.textContent = "Объект не найден: " + set + " " + ref; return; }
    const table = document.createElement("table");
    for (const [k, v] of Object.entries(row)) table.append(line(k, v));
    const h = document.createElement("h2"); h.textContent = set + " " + (row.Number || row.Description || ref);
    root.append(h, table);
  });
}
</script></body></html>`;
}
