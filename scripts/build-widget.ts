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
  /**
   * Who the admins of the account call about the widget: amoCRM shows it on
   * the widget's card. Defaults to manifest.json's own values.
   */
  support?: Partial<WidgetSupport> | undefined;
}

export interface WidgetSupport {
  link: string;
  email: string;
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
  const manifest = await renderManifest(root, version, options.support);
  zip.file("manifest.json", manifest);
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

/**
 * manifest.json is the source; the build stamps package.json's version and
 * the support contact of whoever installs the zip (a private integration is
 * supported by the company that runs amo1c, not by the project).
 */
async function renderManifest(
  root: string,
  version: string,
  support: Partial<WidgetSupport> = {},
): Promise<string> {
  const manifest = JSON.parse(
    await readFile(join(root, "manifest.json"), "utf8"),
  );
  manifest.widget.version = version;
  manifest.widget.support = { ...manifest.widget.support, ...support };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** WIDGET_SUPPORT_LINK and WIDGET_SUPPORT_EMAIL, when set and not empty. */
function supportFromEnv(env: NodeJS.ProcessEnv): Partial<WidgetSupport> {
  const support: Partial<WidgetSupport> = {};
  if (env["WIDGET_SUPPORT_LINK"]) support.link = env["WIDGET_SUPPORT_LINK"];
  if (env["WIDGET_SUPPORT_EMAIL"]) support.email = env["WIDGET_SUPPORT_EMAIL"];
  return support;
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
    support: supportFromEnv(process.env),
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
