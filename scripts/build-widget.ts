/**
 * Packs the built widget into dist/amo1c-widget.zip the way amoCRM takes it
 * (reference amocrm §5.1, §5.5): manifest.json at the root, script.js,
 * style.css, i18n/<lang>.json and images/*.png.
 * Run after `vite build -c widget/vite.config.ts` (see `npm run build:widget`).
 */
import { readFile, readdir, mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

import JSZip from "jszip";

import { LOGO_LAYOUTS } from "./widget-logos/draw-logo.js";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The budget the widget bundle is held to, gzip-compressed. */
export const SCRIPT_GZIP_BUDGET_BYTES = 15 * 1024;
/** amoCRM rejects larger logos (reference amocrm §5.1). */
const LOGO_LIMIT_BYTES = 300 * 1024;
const LANGUAGES = ["ru", "en"] as const;

export interface BuildWidgetZipOptions {
  /** Where Vite wrote script.js and style.css. */
  bundleDir: string;
  outFile: string;
  repoRoot?: string | undefined;
}

export interface WidgetZipReport {
  outFile: string;
  version: string;
  scriptBytes: number;
  scriptGzipBytes: number;
  zipBytes: number;
}

export async function buildWidgetZip(
  options: BuildWidgetZipOptions,
): Promise<WidgetZipReport> {
  const root = options.repoRoot ?? REPO_ROOT;
  const version = await readPackageVersion(root);
  const script = await readFile(join(options.bundleDir, "script.js"));

  const zip = new JSZip();
  zip.file("manifest.json", await renderManifest(root, version));
  zip.file("script.js", script);
  zip.file("style.css", await readFile(join(options.bundleDir, "style.css")));
  for (const lang of LANGUAGES) {
    const path = join(root, "widget/src/i18n", `${lang}.json`);
    zip.file(`i18n/${lang}.json`, await readFile(path));
  }
  for (const [name, png] of await readLogos(root))
    zip.file(`images/${name}`, png);

  const archive = await zip.generateAsync({
    type: "nodebuffer",
    compression: "DEFLATE",
    compressionOptions: { level: 9 },
  });
  await mkdir(dirname(options.outFile), { recursive: true });
  await writeFile(options.outFile, archive);
  return {
    outFile: options.outFile,
    version,
    scriptBytes: script.length,
    scriptGzipBytes: gzipSync(script, { level: 9 }).length,
    zipBytes: archive.length,
  };
}

async function readPackageVersion(root: string): Promise<string> {
  const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
  return String(pkg.version);
}

/** manifest.json is the source; the build stamps package.json's version. */
async function renderManifest(root: string, version: string): Promise<string> {
  const manifest = JSON.parse(
    await readFile(join(root, "manifest.json"), "utf8"),
  );
  // TODO(#6): the support link and e-mail in manifest.json are placeholders until the project has public addresses.
  manifest.widget.version = version;
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The committed logos, checked against the sizes amoCRM requires. */
async function readLogos(root: string): Promise<[string, Buffer][]> {
  const dir = join(root, "widget/images");
  const names = (await readdir(dir)).filter((name) => name.endsWith(".png"));
  const logos: [string, Buffer][] = [];
  for (const [name, layout] of Object.entries(LOGO_LAYOUTS)) {
    if (!names.includes(name)) {
      throw new Error(
        `widget/images/${name} is missing: run npm run build:widget-logos`,
      );
    }
    const png = await readFile(join(dir, name));
    assertLogo(name, png, layout);
    logos.push([name, png]);
  }
  return logos;
}

function assertLogo(
  name: string,
  png: Buffer,
  size: { width: number; height: number },
): void {
  // IHDR is the first chunk: width and height sit at bytes 16 and 20.
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  if (width !== size.width || height !== size.height) {
    throw new Error(
      `widget/images/${name} is ${width}×${height}; amoCRM needs ${size.width}×${size.height}`,
    );
  }
  if (png.length > LOGO_LIMIT_BYTES) {
    throw new Error(
      `widget/images/${name} is ${png.length} bytes; amoCRM accepts at most ${LOGO_LIMIT_BYTES}`,
    );
  }
}

async function main(): Promise<void> {
  const report = await buildWidgetZip({
    bundleDir: join(REPO_ROOT, "dist/widget"),
    outFile: join(REPO_ROOT, "dist/amo1c-widget.zip"),
  });
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;
  console.log(
    `wrote ${report.outFile} (${kb(report.zipBytes)}), widget version ${report.version}`,
  );
  console.log(
    `script.js: ${kb(report.scriptBytes)}, gzip ${kb(report.scriptGzipBytes)} (budget ${kb(SCRIPT_GZIP_BUDGET_BYTES)})`,
  );
  if (report.scriptGzipBytes > SCRIPT_GZIP_BUDGET_BYTES) {
    console.warn(
      "script.js is over its gzip budget: look for a new dependency in the bundle",
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
