export interface HarnessPageOptions {
  base: string;
  backendUrl: string;
}

/** The harness page: controls on the left, a deal card and a settings modal. */
export function renderHarnessPage(options: HarnessPageOptions): string {
  // "<" is escaped so the JSON cannot close the script element early.
  const config = JSON.stringify(options).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>amo1c widget harness</title>
<link rel="stylesheet" href="${options.base}/static/harness.css">
<script id="harness-config" type="application/json">${config}</script>
<script src="${options.base}/vendor/require.js"></script>
<script defer src="${options.base}/static/host.js"></script>
</head>
<body>
<header class="harness-bar">
  <strong>amo1c widget harness</strong>
  <label>Deal <select id="harness-deal"></select></label>
  <label>or id <input id="harness-deal-id" type="number" min="0" size="8"></label>
  <label>User <select id="harness-user"></select></label>
  <label>Language <select id="harness-lang"><option>ru</option><option>en</option></select></label>
  <button id="harness-open-card" type="button">Open deal card</button>
  <button id="harness-open-settings" type="button">Open widget settings</button>
  <span id="harness-status" role="status"></span>
</header>
<main class="harness-main">
  <section class="harness-card">
    <div class="harness-card__body">
      <h2 id="harness-card-title">Deal</h2>
      <p>The deal card of amoCRM; the widget's panel is on the right.</p>
    </div>
    <aside class="harness-card__widgets" id="harness-card-panel"></aside>
  </section>
  <section class="harness-modal" id="harness-modal" hidden>
    <div class="widget_settings_block">
      <label class="harness-modal__field">amo1c backend URL
        <input id="harness-backend-url" readonly>
      </label>
    </div>
  </section>
</main>
</body>
</html>
`;
}
