import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { gzipSync } from "node:zlib";

import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { SCRIPT_GZIP_BUDGET_BYTES, buildWidgetZip } from "./build-widget.js";
import { buildWidgetBundle } from "./harness/build-widget-bundle.js";

let workDir = "";
let zip: JSZip;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "amo1c-widget-"));
  await buildWidgetBundle(join(workDir, "bundle"));
  const report = await buildWidgetZip({
    bundleDir: join(workDir, "bundle"),
    outFile: join(workDir, "amo1c-widget.zip"),
  });
  zip = await JSZip.loadAsync(await readFile(report.outFile));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

async function readJson(
  name: string,
): Promise<Record<string, Record<string, unknown>>> {
  const file = zip.file(name);
  if (file === null) throw new Error(`${name} is not in the zip`);
  return JSON.parse(await file.async("string"));
}

describe("the widget zip", () => {
  it("holds the manifest at its root and every file amoCRM loads", () => {
    const files = Object.keys(zip.files).filter(
      (name) => !zip.files[name]?.dir,
    );

    expect(files.sort()).toEqual([
      "i18n/en.json",
      "i18n/ru.json",
      "images/logo.png",
      "images/logo_main.png",
      "images/logo_medium.png",
      "images/logo_min.png",
      "images/logo_small.png",
      "manifest.json",
      "script.js",
      "style.css",
    ]);
  });

  it("stamps package.json's version into a manifest amoCRM accepts", async () => {
    const pkg = JSON.parse(await readFile("package.json", "utf8"));
    const manifest = await readJson("manifest.json");

    expect(manifest.widget).toMatchObject({
      name: "widget.name",
      description: "widget.description",
      short_description: "widget.short_description",
      version: pkg.version,
      interface_version: 2,
      init_once: false,
      locale: ["ru", "en"],
      installation: true,
    });
    expect(manifest.locations).toEqual(["lcard-1", "settings"]);
    expect(manifest.settings).toEqual({
      backend_url: {
        name: "settings.backend_url",
        type: "text",
        required: true,
      },
    });
  });

  it("has every i18n key the manifest names, in both languages", async () => {
    for (const lang of ["ru", "en"]) {
      const messages = await readJson(`i18n/${lang}.json`);
      expect(messages.widget, lang).toMatchObject({
        name: expect.any(String),
        description: expect.any(String),
        short_description: expect.any(String),
      });
      expect(messages.settings?.backend_url, lang).toEqual(expect.any(String));
    }
  });

  it("defines an AMD module whose value constructs a widget with its callbacks", async () => {
    const source = await zip.file("script.js")!.async("string");
    const defined: { deps: unknown; factory: () => unknown }[] = [];
    const define = (deps: unknown, factory: () => unknown) => {
      defined.push({ deps, factory });
    };
    define.amd = {};

    runInNewContext(source, { define });

    expect(defined).toHaveLength(1);
    expect(defined[0]?.deps).toEqual([]);
    const Widget = defined[0]!.factory() as new () => { callbacks: object };
    expect(typeof Widget).toBe("function");
    expect(Object.keys(new Widget().callbacks).sort()).toEqual([
      "bind_actions",
      "destroy",
      "init",
      "onSave",
      "render",
      "settings",
    ]);
  });

  it("scopes every style rule under the widget's root class", async () => {
    const css = await zip.file("style.css")!.async("string");
    const selectors = css
      .replace(/@keyframes[^{]*\{(?:[^{}]*\{[^}]*\})*[^}]*\}/g, "")
      .match(/[^{}]+(?=\{)/g)!;

    expect(selectors.length).toBeGreaterThan(10);
    for (const group of selectors) {
      for (const selector of group.split(",")) {
        expect(selector.trim()).toMatch(/^\.amo1c-widget\b/);
      }
    }
  });

  it("keeps script.js within its gzip budget", async () => {
    const script = await zip.file("script.js")!.async("nodebuffer");

    expect(gzipSync(script, { level: 9 }).length).toBeLessThanOrEqual(
      SCRIPT_GZIP_BUDGET_BYTES,
    );
  });
});

describe("the widget zip for a company's own support contact", () => {
  it("names the support link and e-mail it is given, keeping the rest", async () => {
    const own = await buildWidgetZip({
      bundleDir: join(workDir, "bundle"),
      outFile: join(workDir, "own-support.zip"),
      support: { email: "it@acme.example" },
    });
    const archive = await JSZip.loadAsync(await readFile(own.outFile));
    const text = await archive.file("manifest.json")?.async("string");
    const manifest = JSON.parse(text ?? "{}");
    const source = JSON.parse(await readFile("manifest.json", "utf8"));

    expect(manifest.widget.support).toEqual({
      link: source.widget.support.link,
      email: "it@acme.example",
    });
  });
});
