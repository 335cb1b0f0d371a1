/**
 * Draws the widget logos amoCRM asks for into widget/images/ (reference
 * amocrm §5.1). Run it after changing the drawing: `npm run build:widget-logos`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { LOGO_LAYOUTS, drawLogo } from "./widget-logos/draw-logo.js";
import { encodePng } from "./widget-logos/encode-png.js";

const IMAGES_DIR = fileURLToPath(new URL("../widget/images/", import.meta.url));

mkdirSync(IMAGES_DIR, { recursive: true });
for (const [fileName, layout] of Object.entries(LOGO_LAYOUTS)) {
  const png = encodePng(drawLogo(layout));
  writeFileSync(join(IMAGES_DIR, fileName), png);
  console.log(
    `${fileName}: ${layout.width}×${layout.height}, ${png.length} bytes`,
  );
}
