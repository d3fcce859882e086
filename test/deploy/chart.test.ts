import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { CHART_DIR, ChartRenderError, renderChart, valuesCombinations } from "../../src/deploy/chart-render.ts";
import { type Manifest, parseManifests, validateManifests } from "../../src/deploy/manifest-validation.ts";

const scratch = mkdtempSync(path.join(tmpdir(), "tablestakes-chart-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const PRODUCTION_EU = ["values-production.yaml", "values-eu-west.yaml"].map((f) => path.join(CHART_DIR, f));
let overrideCount = 0;

/** Renders production eu-west with `override` layered last, as `-f override.yaml` would. */
function render(override: object = {}): Manifest[] {
  const file = path.join(scratch, `override-${overrideCount++}.yaml`);
  writeFileSync(file, stringify(override));
  return parseManifests(renderChart({ valueFiles: [...PRODUCTION_EU, file], namespace: "games" }));
}

function only(manifests: Manifest[], kind: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind);
  expect(found, `${kind} objects`).toHaveLength(1);
  return found[0]!;
}

function podSpec(manifests: Manifest[]) {
  return only(manifests, "StatefulSet").body.spec.template.spec;
}

describe("the chart renders and validates", () => {
  it("uses every values file in some install combination", () => {
    const used = new Set(valuesCombinations().flatMap((combo) => combo.map((file) => path.basename(file))));
    const present = readdirSync(CHART_DIR).filter((f) => /^values-.+\.yaml$/.test(f));
    expect(present.length).toBeGreaterThan(3);
    for (const file of present) expect(used, file).toContain(file);
  });

  it.each(valuesCombinations().map((files) => [files.map((f) => path.basename(f)).join(" + "), files]))(
    "%s renders manifests that all validate",
    async (_label, files) => {
      const manifests = parseManifests(renderChart({ valueFiles: files as string[] }));
      expect(manifests.length).toBeGreaterThan(8);
      expect(await validateManifests(manifests)).toEqual([]);
    },
  );

  it("the validator catches a broken reference, a too-short grace period and a bad field", async () => {
    const good = render();
    const mutate = (change: (ms: Manifest[]) => void) => {
      const copy = structuredClone(good);
      change(copy);
      return validateManifests(copy);
    };
    expect(
      await mutate((ms) => {
        only(ms, "Ingress").body.spec.rules[0].http.paths[0].backend.service.name = "nowhere";
      }),
    ).toEqual([expect.stringContaining("goes to a Service the chart does not render")]);
    const jobSelected = await mutate((ms) => {
      only(ms, "Job").body.spec.template.metadata.labels["tablestakes.io/component"] = "server";
    });
    expect(jobSelected.length).toBeGreaterThan(0);
    expect(jobSelected.every((p) => p.includes("selects the pods of tablestakes/templates/migration-job.yaml"))).toBe(
      true,
    );
    expect(
      await mutate((ms) => {
        only(ms, "StatefulSet").body.spec.template.spec.terminationGracePeriodSeconds = 60;
      }),
    ).toEqual([expect.stringContaining("does not cover the drain")]);
    expect(
      await mutate((ms) => {
        only(ms, "StatefulSet").body.spec.serviceName = 7;
      }),
    ).toEqual([expect.stringContaining("/spec/serviceName must be string")]);
    expect(
      await mutate((ms) => {
        only(ms, "HorizontalPodAutoscaler").body.apiVersion = "autoscaling/v2beta2";
      }),
    ).toEqual([expect.stringContaining("not an API version")]);
    expect(
      await mutate((ms) => {
        only(ms, "PrometheusRule").body.spec.groups[0].rules[0].severity = "critical";
      }),
    ).toEqual([expect.stringContaining("must NOT have additional properties")]);
  });
});

describe("T4 placement", () => {
  it("selects T4 nodes, tolerates the GPU taint and requests one nvidia.com/gpu", () => {
    const manifests = render();
    const spec = podSpec(manifests);
    expect(spec.nodeSelector["nvidia.com/gpu.product"]).toBe("Tesla-T4");
    expect(spec.tolerations).toContainEqual({ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" });
    const { requests, limits } = spec.containers[0].resources;
    expect(requests["nvidia.com/gpu"]).toBe(1);
    expect(limits["nvidia.com/gpu"]).toBe(1);
    expect(only(manifests, "ConfigMap").body.data.PHYSICS_BACKEND).toBe("auto");
  });

  it("leaves no GPU field behind on a CPU pool, and runs physics on the CPU", () => {
    const manifests = render({ gpu: { enabled: false }, physics: { backend: "cpu" }, nodeSelector: { pool: "cpu" } });
    const spec = podSpec(manifests);
    expect(JSON.stringify(manifests.map((m) => m.body))).not.toMatch(/nvidia\.com\/gpu/);
    expect(spec.nodeSelector).toEqual({ pool: "cpu" });
    expect(spec.tolerations).toBeUndefined();
    expect(only(manifests, "ConfigMap").body.data.PHYSICS_BACKEND).toBe("cpu");
    expect(
      manifests.some((m) =>
        m.body.spec?.groups?.[0]?.rules?.some((r: { alert: string }) => r.alert === "TablestakesPhysicsOnCpu"),
      ),
    ).toBe(false);
  });
});

describe("autoscaling", () => {
  type Metric = {
    type: string;
    resource?: { name: string };
    external?: { metric: { name: string; selector: unknown } };
  };
  const metrics = (manifests: Manifest[]): Metric[] => only(manifests, "HorizontalPodAutoscaler").body.spec.metrics;

  it("scales the StatefulSet on CPU and on this region's matchmaker queue length", () => {
    const manifests = render();
    const hpa = only(manifests, "HorizontalPodAutoscaler");
    expect(hpa.body.spec.scaleTargetRef).toMatchObject({
      kind: "StatefulSet",
      name: only(manifests, "StatefulSet").name,
    });
    expect(metrics(manifests).find((m) => m.type === "Resource")?.resource?.name).toBe("cpu");
    expect(metrics(manifests).find((m) => m.type === "External")?.external?.metric).toEqual({
      name: "tablestakes_matchmaker_queue_length",
      selector: { matchLabels: { region: "eu-west" } },
    });
  });

  it("drops each metric when it is switched off, and the HPA with autoscaling off", () => {
    expect(metrics(render({ autoscaling: { queueLength: { enabled: false } } })).map((m) => m.type)).toEqual([
      "Resource",
    ]);
    expect(metrics(render({ autoscaling: { cpu: { enabled: false } } })).map((m) => m.type)).toEqual(["External"]);
    const fixed = render({ autoscaling: { enabled: false }, replicas: 3 });
    expect(fixed.filter((m) => m.kind === "HorizontalPodAutoscaler")).toEqual([]);
    expect(only(fixed, "StatefulSet").body.spec.replicas).toBe(3);
    // One routable Service per pod the StatefulSet can run.
    const perPod = fixed.filter((m) => m.body.spec?.selector?.["statefulset.kubernetes.io/pod-name"]);
    expect(perPod).toHaveLength(3);
    // A draining pod keeps its route, so its players can reconnect to finish their games.
    for (const service of perPod) expect(service.body.spec.publishNotReadyAddresses).toBe(true);
  });
});

describe("monitoring", () => {
  it("says the Prometheus operator is missing instead of rendering objects the cluster cannot take", () => {
    const bare = () => renderChart({ valueFiles: PRODUCTION_EU, apiVersions: [] });
    expect(bare).toThrow(/need the Prometheus operator \(monitoring\.coreos\.com\/v1\)/);
    const file = path.join(scratch, "no-monitoring.yaml");
    writeFileSync(
      file,
      stringify({ metrics: { serviceMonitor: { enabled: false }, prometheusRule: { enabled: false } } }),
    );
    const kinds = parseManifests(renderChart({ valueFiles: [...PRODUCTION_EU, file], apiVersions: [] })).map(
      (m) => m.kind,
    );
    expect(kinds).toContain("StatefulSet");
    expect(kinds).not.toContain("ServiceMonitor");
    expect(kinds).not.toContain("PrometheusRule");
  });
});

describe("stopping play", () => {
  it("renders a region scaled to zero for a restore, with no routes to pods that do not exist", async () => {
    const manifests = render({ autoscaling: { enabled: false }, replicas: 0 });
    expect(only(manifests, "StatefulSet").body.spec.replicas).toBe(0);
    expect(manifests.filter((m) => m.body.spec?.selector?.["statefulset.kubernetes.io/pod-name"])).toEqual([]);
    expect(await validateManifests(manifests)).toEqual([]);
  });
});

describe("migration hook", () => {
  const hooks = (manifests: Manifest[]) => manifests.filter((m) => m.body.metadata.annotations?.["helm.sh/hook"]);

  it("runs npm run migrate before install and upgrade, reading only the pre-existing Secret", () => {
    const [job, ...others] = hooks(render());
    expect(others).toEqual([]);
    expect(job!.kind).toBe("Job");
    expect(job!.body.metadata.annotations["helm.sh/hook"].split(",").sort()).toEqual(["pre-install", "pre-upgrade"]);
    const container = job!.body.spec.template.spec.containers[0];
    expect(container.command).toEqual(["npm", "run", "migrate"]);
    expect(container.envFrom).toBeUndefined();
    const secretRefs = container.env.flatMap((e: { valueFrom?: { secretKeyRef?: { name: string } } }) =>
      e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.name] : [],
    );
    expect(new Set(secretRefs)).toEqual(new Set(["tablestakes-production"]));
    // What the server's production config insists on before it will migrate.
    const names = container.env.map((e: { name: string }) => e.name);
    expect(names).toEqual(expect.arrayContaining(["DATABASE_URL", "JWT_SECRET"]));
    expect(container.env.find((e: { name: string }) => e.name === "NODE_ENV")?.value).toBe("production");
  });

  it("is gone when migrations are switched off", () => {
    expect(hooks(render({ migrations: { enabled: false } }))).toEqual([]);
  });
});

describe("drain", () => {
  it("derives the grace period from the drain deadline", () => {
    const manifests = render({ drain: { deadlineSeconds: 300, settleSeconds: 20 } });
    expect(podSpec(manifests).terminationGracePeriodSeconds).toBe(320);
    expect(only(manifests, "ConfigMap").body.data.SHUTDOWN_DEADLINE_MS).toBe("300000");
  });
});

describe("values.schema.json", () => {
  const refused: [string, object, RegExp][] = [
    ["an unknown key", { replicaCount: 3 }, /Additional property replicaCount is not allowed/],
    ["a region that is not a DNS label", { region: "EU_West" }, /region: Does not match pattern/],
    ["a drain longer than the server accepts", { drain: { deadlineSeconds: 3600 } }, /drain\.deadlineSeconds/],
    ["a root pod", { podSecurityContext: { runAsNonRoot: false } }, /podSecurityContext\.runAsNonRoot/],
    ["a credential in the ConfigMap", { config: { DATABASE_URL: "postgres://u:p@h/db" } }, /config/],
    ["a CPU backend on GPU nodes", { physics: { backend: "cpu" } }, /physics\.backend/],
    ["a missing Postgres host", { database: { host: null } }, /database: host is required/],
    ["a GPU count as text", { gpu: { count: "one" } }, /gpu\.count: Invalid type/],
  ];

  it.each(refused)("refuses %s", (_label, override, message) => {
    let error: unknown;
    try {
      render(override);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ChartRenderError);
    expect((error as ChartRenderError).stderr).toMatch(/values don't meet the specifications of the schema/);
    expect((error as ChartRenderError).stderr).toMatch(message);
  });
});
