// Renders helm/tablestakes with `helm template` where helm is on PATH, and otherwise with helm/render (Go's
// text/template + Sprig + Helm's functions), built on first use from Debian's Go packages.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CHART_DIR = path.join(REPO_ROOT, "helm", "tablestakes");
/** The Kubernetes version the chart is rendered and validated for (the OpenAPI schemas of kubernetes-models 5.1). */
export const KUBE_VERSION = "1.34.0";
/** CRDs the chart uses, announced to .Capabilities.APIVersions as a cluster with the Prometheus operator would. */
export const EXTRA_API_VERSIONS = ["monitoring.coreos.com/v1"];

const RENDER_SOURCE = path.join(REPO_ROOT, "helm", "render", "main.go");
const RENDER_CACHE = path.join(REPO_ROOT, "node_modules", ".cache", "tablestakes-render");
const RENDER_BINARY = path.join(RENDER_CACHE, "render");
const DEBIAN_GOPATH = "/usr/share/gocode";

export interface RenderOptions {
  valueFiles: string[];
  release?: string;
  namespace?: string;
  /** API versions the cluster serves beyond the built-in ones; EXTRA_API_VERSIONS unless given. */
  apiVersions?: string[];
}

export class ChartRenderError extends Error {
  readonly stderr: string;
  constructor(message: string, stderr: string) {
    super(`${message}\n${stderr}`);
    this.name = "ChartRenderError";
    this.stderr = stderr;
  }
}

function onPath(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

/** The Go renderer, rebuilt when its source is newer than the cached binary. */
export function buildRenderer(): string {
  if (existsSync(RENDER_BINARY) && statSync(RENDER_BINARY).mtimeMs >= statSync(RENDER_SOURCE).mtimeMs) {
    return RENDER_BINARY;
  }
  if (!onPath("go") || !existsSync(path.join(DEBIAN_GOPATH, "src", "github.com", "Masterminds", "sprig"))) {
    throw new Error(
      "rendering the chart needs helm on PATH, or Go with Debian's Sprig, gojsonschema and yaml packages " +
        "(bash .ci/install-system-packages.sh installs them)",
    );
  }
  mkdirSync(RENDER_CACHE, { recursive: true });
  execFileSync("go", ["build", "-o", RENDER_BINARY, "./helm/render"], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      GO111MODULE: "off",
      GOPATH: DEBIAN_GOPATH,
      GOCACHE: path.join(RENDER_CACHE, "go-build"),
      GOFLAGS: "",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  return RENDER_BINARY;
}

/** Renders the chart with the given values files layered over values.yaml; rejects with the tool's message. */
export function renderChart(options: RenderOptions): string {
  const release = options.release ?? "tablestakes";
  const namespace = options.namespace ?? "tablestakes";
  const values = options.valueFiles.flatMap((file) => ["-f", file]);
  const apiVersions = (options.apiVersions ?? EXTRA_API_VERSIONS).flatMap((v) => ["--api-versions", v]);
  const [command, args] = onPath("helm")
    ? ["helm", ["template", release, CHART_DIR, "--namespace", namespace]]
    : [buildRenderer(), ["--chart", CHART_DIR, "--release", release, "--namespace", namespace]];
  const result = spawnSync(command, [...args, "--kube-version", KUBE_VERSION, ...apiVersions, ...values], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new ChartRenderError(`rendering the chart with ${options.valueFiles.join(", ")} failed`, result.stderr);
  }
  return result.stdout;
}

/** The combinations operators install: every environment file with every region file, plus the CPU pool variant. */
export function valuesCombinations(): string[][] {
  const files = ["production", "staging"].map((env) => path.join(CHART_DIR, `values-${env}.yaml`));
  const regions = ["eu-west", "us-east"].map((region) => path.join(CHART_DIR, `values-${region}.yaml`));
  const combinations = files.flatMap((env) => regions.map((region) => [env, region]));
  combinations.push([files[0]!, regions[0]!, path.join(CHART_DIR, "values-cpu-pool.yaml")]);
  return combinations;
}
